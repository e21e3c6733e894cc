/**
 * Path resolution confined to an evidence root, without ever letting the kernel follow a symlink.
 *
 * Every component is lstat()ed through the evidence tree (a directory on disk or an archive); a
 * symlink's target is read with readlink() and resolved the way a chroot would (an absolute target
 * starts again at the evidence root, `..` stops at it), so nothing outside the root is ever looked
 * at. The resolved path has no symlink in it, so opening it with O_NOFOLLOW reads exactly the file
 * that was lstat()ed.
 */
import path from 'node:path'
import { DiskTree, onDisk } from '../tree/disk.ts'
import type { EvidenceTree, NodeInfo } from '../tree/tree.ts'

export { onDisk }

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS); systemd's chase() uses the same. */
const MAX_HOPS = 40

export type Resolution =
  /** `rel` is the resolved path inside the root (POSIX, no leading slash, '' for the root itself); `info` is null when nothing is there. */
  | { ok: true; rel: string; info: NodeInfo | null; hops: number; escaped: boolean }
  | { ok: false; reason: 'loop'; rel: string }

export function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

/**
 * Resolves `target` as seen from directory `fromRel` on the copied machine: an absolute target is
 * a path on that machine (looked up at the evidence root), a relative one is relative to `fromRel`.
 * Symlinks on the way are read, never followed. `..` at the root stays at the root, as in a chroot.
 * `root` is an evidence tree, or the absolute path of an evidence directory.
 */
export async function resolveInRoot(root: EvidenceTree | string, fromRel: string, target: string): Promise<Resolution> {
  const tree = typeof root === 'string' ? new DiskTree(root) : root
  const parts = (p: string): string[] => p.split('/').filter((c) => c !== '' && c !== '.')
  let done: string[] = target.startsWith('/') ? [] : parts(fromRel)
  let todo = parts(target)
  let hops = 0
  // A relative `..` that climbs above the root: confined like a chroot, but the caller may want to say so.
  let escaped = false
  while (todo.length > 0) {
    const part = todo.shift()!
    if (part === '..') {
      if (done.length === 0) escaped = true
      done.pop()
      continue
    }
    const candidate = [...done, part].join('/')
    const info = await tree.lstat(candidate)
    if (info === null || (info.type !== 'dir' && info.type !== 'symlink' && todo.length > 0)) {
      // Nothing there (or a file used as a directory): the rest is only a name, normalised lexically and still confined.
      const rest = path.posix.normalize(['', ...done, part, ...todo].join('/') || '/')
      return { ok: true, rel: rest.replace(/^\/+/, ''), info: null, hops, escaped }
    }
    if (info.type === 'symlink') {
      if (++hops > MAX_HOPS) return { ok: false, reason: 'loop', rel: candidate }
      const link = await tree.readlink(candidate)
      if (link.startsWith('/')) done = []
      todo = [...parts(link), ...todo]
      continue
    }
    done.push(part)
  }
  const rel = done.join('/')
  return { ok: true, rel, info: await tree.lstat(rel), hops, escaped }
}
