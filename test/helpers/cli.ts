/** Runs the built CLI (dist/, made by `npm run build`) the way a user does, with zx. */
import { $ } from 'zx'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../../', import.meta.url))
export const CLI = `${REPO}dist/src/cli.js`

export interface CliRun {
  stdout: string
  stderr: string
  exitCode: number | null
}

export async function maskwhy(args: string[], options: { cwd?: string; input?: string | Buffer } = {}): Promise<CliRun> {
  const run = $({
    nothrow: true,
    quiet: true,
    cwd: options.cwd ?? REPO,
    env: { ...process.env, TZ: 'UTC', COLUMNS: '140', NO_COLOR: '1' },
    ...(options.input !== undefined && { input: options.input }),
  })
  const out = await run`node ${CLI} ${args}`
  return { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode }
}
