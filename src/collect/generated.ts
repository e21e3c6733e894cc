/**
 * Files collect makes rather than copies, written into a staging directory outside the root:
 * `journalctl -o export` output (asked for with --journal-export) and, on the running system, the
 * kernel command line (/proc/cmdline: lstat says 0 bytes, so tar would store it empty).
 */
import { closeSync, openSync } from 'node:fs'
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { $ } from 'zx'
import type { Generated } from './manifest.ts'
import type { Problem } from './walk.ts'

/** Where the export lands in the bundle: a top-level name, which discovery reads like any other. */
export const JOURNAL_EXPORT_NAME = 'journal.export'

export interface GenerateOptions {
  /** Absolute root; `/` is the running system. */
  root: string
  live: boolean
  journalExport: boolean
  /** Passed to journalctl --since, verbatim. */
  since: string | null
}

/** Symlinks in the directory `rel` (and on the way to it), or null when it is not a real directory. */
async function linksIn(root: string, rel: string): Promise<string[] | null> {
  const parts = rel.split('/')
  for (let i = 1; i <= parts.length; i++) {
    const info = await lstat(path.join(root, ...parts.slice(0, i))).catch(() => null)
    if (!info?.isDirectory()) return null
  }
  const links: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
      const child = `${dir}/${entry.name}`
      if (entry.isSymbolicLink()) links.push(child)
      else if (entry.isDirectory()) await walk(child)
    }
  }
  await walk(rel)
  return links
}

async function journalExport(stage: string, options: GenerateOptions): Promise<{ generated: Generated | null; errors: Problem[] }> {
  const fail = (message: string): { generated: null; errors: Problem[] } => ({
    generated: null,
    errors: [{ path: JOURNAL_EXPORT_NAME, message }],
  })
  const since = options.since === null ? [] : ['--since', options.since]
  let args: string[]
  if (options.live) {
    args = ['-o', 'export', ...since]
  } else {
    // journalctl opens what it finds with the kernel following links: only a tree of real files and directories stays inside the root.
    const journalDir = 'var/log/journal'
    let links: string[] | null
    try {
      links = await linksIn(options.root, journalDir)
    } catch (error) {
      return fail(`cannot list ${journalDir}: ${(error as Error).message}; no export made`)
    }
    if (links === null) return fail(`${journalDir} is not a directory under the root (absent, or behind a link); no export made`)
    if (links.length > 0) {
      return fail(`${journalDir} holds symlinks (${links.join(', ')}); journalctl would follow them out of the root; no export made`)
    }
    args = ['--directory', path.join(options.root, journalDir), '-o', 'export', ...since]
  }
  const target = path.join(stage, JOURNAL_EXPORT_NAME)
  const fd = openSync(target, 'wx', 0o600)
  let result
  try {
    result = await $({ quiet: true, nothrow: true, stdio: ['ignore', fd, 'pipe'] })`journalctl ${args}`
  } finally {
    closeSync(fd)
  }
  const from = `journalctl ${args.join(' ')}`
  const said = result.stderr.trim()
  if (result.exitCode !== 0) return fail(`${from} failed (exit ${result.exitCode})${said === '' ? '' : `: ${said}`}`)
  // e.g. "Hint: You are currently not seeing messages from other users and the system." when not root
  const errors = said === '' ? [] : [{ path: JOURNAL_EXPORT_NAME, message: `${from}: ${said}` }]
  return { generated: { path: JOURNAL_EXPORT_NAME, from }, errors }
}

async function kernelCommandLine(stage: string): Promise<{ generated: Generated | null; errors: Problem[] }> {
  try {
    const data = await readFile('/proc/cmdline')
    await mkdir(path.join(stage, 'proc'))
    await writeFile(path.join(stage, 'proc/cmdline'), data, { flag: 'wx', mode: 0o600 })
    return { generated: { path: 'proc/cmdline', from: '/proc/cmdline' }, errors: [] }
  } catch (error) {
    return { generated: null, errors: [{ path: 'proc/cmdline', message: `cannot read /proc/cmdline: ${(error as Error).message}` }] }
  }
}

/** Writes the generated files into `stage` (an empty directory outside the root). */
export async function generateFiles(stage: string, options: GenerateOptions): Promise<{ generated: Generated[]; errors: Problem[] }> {
  const parts = []
  if (options.live) parts.push(await kernelCommandLine(stage))
  if (options.journalExport) parts.push(await journalExport(stage, options))
  return {
    generated: parts.flatMap((p) => (p.generated === null ? [] : [p.generated])),
    errors: parts.flatMap((p) => p.errors),
  }
}
