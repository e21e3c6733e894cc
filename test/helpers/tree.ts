/** Temporary evidence trees for tests, and a hash of every file in them (to prove nothing was written). */
import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export type TreeSpec = Record<string, string | Buffer | { link: string }>

// Trees live until the test process ends; each test file is its own process.
const made: string[] = []
process.once('exit', () => {
  for (const root of made) rmSync(root, { recursive: true, force: true })
})

export function makeTree(spec: TreeSpec): string {
  const root = mkdtempSync(join(tmpdir(), 'maskwhy-test-'))
  made.push(root)
  for (const [rel, content] of Object.entries(spec)) {
    const file = join(root, rel)
    mkdirSync(dirname(file), { recursive: true })
    if (typeof content === 'object' && 'link' in content) symlinkSync(content.link, file)
    else writeFileSync(file, content)
  }
  return root
}

/** path → sha256 (or link target, or mode for directories), plus mtimes: any write shows up. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name)
      const info = lstatSync(full)
      const key = full.slice(root.length)
      if (info.isSymbolicLink()) out[key] = `link:${readlinkSync(full)}`
      else if (info.isDirectory()) {
        out[key] = `dir:${info.mode}:${info.mtimeMs}`
        walk(full)
      } else out[key] = `${createHash('sha256').update(readFileSync(full)).digest('hex')}:${info.mode}:${info.mtimeMs}`
    }
  }
  walk(root)
  return out
}
