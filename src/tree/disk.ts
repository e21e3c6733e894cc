/**
 * An evidence directory on disk. Every call is lstat/readlink/readdir/open(O_NOFOLLOW) on a path
 * that callers have already resolved inside the root (no symlink in it), so the kernel never
 * follows a link of the evidence.
 */
import { constants, type BigIntStats } from 'node:fs'
import { lstat, open, readdir, readlink } from 'node:fs/promises'
import path from 'node:path'
import type { DirEntry, EvidenceTree, NodeInfo, NodeType, SmallRead } from './tree.ts'

/** The absolute on-disk path of `rel` (which must already be resolved: no symlinks in it). */
export function onDisk(root: string, rel: string): string {
  return rel === '' ? root : path.join(root, ...rel.split('/'))
}

function typeOf(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): NodeType {
  return info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other'
}

function nodeInfo(info: BigIntStats): NodeInfo {
  const type = typeOf(info)
  // mtime from the nanosecond field: exact µs
  return { type, size: type === 'file' ? Number(info.size) : 0, mtimeUs: Number(info.mtimeNs / 1000n) }
}

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
    return { ok: true, data: buffer.subarray(0, length) }
  } catch (error) {
    return { ok: false, message: `cannot read: ${(error as Error).message}` }
  } finally {
    await handle.close()
  }
}

export class DiskTree implements EvidenceTree {
  /** Absolute, symlink-free path of the evidence directory (the analyst's argument, resolved once). */
  readonly root: string

  constructor(root: string) {
    this.root = root
  }

  abs(rel: string): string {
    return onDisk(this.root, rel)
  }

  async lstat(rel: string): Promise<NodeInfo | null> {
    try {
      return nodeInfo(await lstat(this.abs(rel), { bigint: true }))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return null
      throw error
    }
  }

  async readdir(rel: string): Promise<DirEntry[]> {
    const dirents = await readdir(this.abs(rel), { withFileTypes: true })
    return dirents.map((d) => ({ name: d.name, type: typeOf(d) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  readlink(rel: string): Promise<string> {
    return readlink(this.abs(rel))
  }

  readFile(rel: string, cap: number): Promise<SmallRead> {
    return readSmallFile(this.abs(rel), cap)
  }
}
