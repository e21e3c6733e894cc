/**
 * Path resolution confined to an evidence root, without ever letting the kernel follow a symlink.
 *
 * Every component is lstat()ed; a symlink's target is read with readlink() and resolved the way a
 * chroot would (an absolute target starts again at the evidence root, `..` stops at it), so nothing
 * outside the root is ever looked at. The resolved path has no symlink in it, so opening it with
 * O_NOFOLLOW reads exactly the file that was lstat()ed.
 */
import { constants, type BigIntStats } from 'node:fs'
import { lstat, open, readlink } from 'node:fs/promises'
import path from 'node:path'

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS); systemd's chase() uses the same. */
const MAX_HOPS = 40

export type Resolution =
  /** `rel` is the resolved path inside the root (POSIX, no leading slash, '' for the root itself); `info` is null when nothing is there. */
  | { ok: true; rel: string; info: BigIntStats | null; hops: number; escaped: boolean }
  | { ok: false; reason: 'loop'; rel: string }

export function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

/** The absolute on-disk path of `rel` (which must already be resolved: no symlinks in it). */
export function onDisk(root: string, rel: string): string {
  return rel === '' ? root : path.join(root, ...rel.split('/'))
}

export async function lstatBig(abs: string): Promise<BigIntStats | null> {
  try {
    return await lstat(abs, { bigint: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw error
  }
}

/** lstat mtime in µs (exact: from the nanosecond field). */
export function mtimeUsOf(info: BigIntStats): number {
  return Number(info.mtimeNs / 1000n)
}

/**
 * Resolves `target` as seen from directory `fromRel` on the copied machine: an absolute target is
 * a path on that machine (looked up at the evidence root), a relative one is relative to `fromRel`.
 * Symlinks on the way are read, never followed. `..` at the root stays at the root, as in a chroot.
 */
export async function resolveInRoot(root: string, fromRel: string, target: string): Promise<Resolution> {
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
    const info = await lstatBig(onDisk(root, candidate))
    if (info === null || (!info.isDirectory() && !info.isSymbolicLink() && todo.length > 0)) {
      // Nothing there (or a file used as a directory): the rest is only a name, normalised lexically and still confined.
      const rest = path.posix.normalize(['', ...done, part, ...todo].join('/') || '/')
      return { ok: true, rel: rest.replace(/^\/+/, ''), info: null, hops, escaped }
    }
    if (info.isSymbolicLink()) {
      if (++hops > MAX_HOPS) return { ok: false, reason: 'loop', rel: candidate }
      const link = await readlink(onDisk(root, candidate))
      if (link.startsWith('/')) done = []
      todo = [...parts(link), ...todo]
      continue
    }
    done.push(part)
  }
  const rel = done.join('/')
  return { ok: true, rel, info: await lstatBig(onDisk(root, rel)), hops, escaped }
}

export type SmallRead = { ok: true; text: string } | { ok: false; message: string }

/**
 * Reads a regular file at a resolved path, refusing anything bigger than `cap` bytes. O_NOFOLLOW
 * and O_NONBLOCK: a symlink or FIFO swapped in since the lstat() is refused, not followed or waited on.
 */
export async function readSmallFile(abs: string, cap: number): Promise<SmallRead> {
  let handle
  try {
    handle = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    return { ok: false, message: `cannot open: ${(error as Error).message}` }
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) return { ok: false, message: 'not a regular file; not read' }
    if (info.size > cap) return { ok: false, message: `${info.size} bytes, more than the ${cap}-byte limit for unit files; not read` }
    // One byte more than lstat said, to notice a file that grew while read.
    const buffer = Buffer.alloc(info.size + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > info.size) return { ok: false, message: 'grew while read; not read' }
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') }
  } catch (error) {
    return { ok: false, message: `cannot read: ${(error as Error).message}` }
  } finally {
    await handle.close()
  }
}
