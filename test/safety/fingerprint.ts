/** A fingerprint of a whole tree, to prove a command wrote nothing: special files (FIFOs, devices) are described, never read. */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

/** Everything a write, a chmod, a touch, a rename or a new file would change. Access times are left out: reading may update them. */
export function fingerprint(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (rel: string): void => {
    const full = rel === '' ? root : join(root, rel)
    const s = lstatSync(full, { bigint: true })
    const meta = `mode=${s.mode} uid=${s.uid} gid=${s.gid} size=${s.size} nlink=${s.nlink} mtime=${s.mtimeNs} ctime=${s.ctimeNs}`
    if (s.isSymbolicLink()) out.set(rel, `link → ${readlinkSync(full)} ${meta}`)
    else if (s.isDirectory()) {
      const names = readdirSync(full).sort()
      out.set(rel, `dir [${names.join(',')}] ${meta}`)
      for (const name of names) walk(rel === '' ? name : `${rel}/${name}`)
    } else if (s.isFile()) out.set(rel, `file sha256=${createHash('sha256').update(readFileSync(full)).digest('hex')} ${meta}`)
    else out.set(rel, `special ${meta}`)
  }
  walk('')
  return out
}

export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = []
  for (const [k, v] of before) if (after.get(k) !== v) out.push(`${k || '.'}: ${v} → ${after.get(k) ?? '(gone)'}`)
  for (const [k, v] of after) if (!before.has(k)) out.push(`${k}: new ${v}`)
  return out
}
