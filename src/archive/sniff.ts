/**
 * Is this file a tar archive (plain, gzip or xz)? Decided by magic bytes, not by name: a `.tar.gz`
 * called `.bin` is one, a `.gz` holding a single log is not.
 *   gzip: 1f 8b      xz: fd 37 7a 58 5a 00      tar: `ustar` at byte 257 of the (decompressed) stream
 */
import { open } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { constants, gunzipSync } from 'node:zlib'
import { loadXzReadableStream } from '../xz.ts'

export type ArchiveCompression = 'gzip' | 'xz' | null

/** Compressed bytes looked at: enough for a gzip header with a long file name and the first tar block. */
const SNIFF_BYTES = 64 * 1024
const TAR_BLOCK = 512
const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])

/** A POSIX (`ustar\0`) or GNU (`ustar  \0`) tar header block. */
export function isTarHeader(block: Buffer): boolean {
  return block.length >= TAR_BLOCK && block.toString('latin1', 257, 262) === 'ustar'
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b
}

export function isXz(head: Buffer): boolean {
  return head.length >= XZ_MAGIC.length && head.subarray(0, XZ_MAGIC.length).equals(XZ_MAGIC)
}

async function xzHead(head: Buffer): Promise<Buffer> {
  const XzReadableStream = await loadXzReadableStream()
  const parts: Buffer[] = []
  let got = 0
  try {
    const stream = Readable.fromWeb(new XzReadableStream(Readable.toWeb(Readable.from([head]))) as never)
    for await (const chunk of stream) {
      parts.push(chunk as Buffer)
      got += (chunk as Buffer).length
      if (got >= TAR_BLOCK) break
    }
  } catch {
    // the head is cut off on purpose: whatever came out before is enough
  }
  return Buffer.concat(parts)
}

/** The compression of a tar archive, or undefined when the file is not one. */
export async function sniffArchive(absPath: string): Promise<{ compression: ArchiveCompression } | undefined> {
  const handle = await open(absPath, 'r')
  let head: Buffer
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0)
    head = buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
  if (isGzip(head)) {
    let inflated: Buffer
    try {
      inflated = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH })
    } catch {
      return undefined
    }
    return isTarHeader(inflated) ? { compression: 'gzip' } : undefined
  }
  if (isXz(head)) return isTarHeader(await xzHead(head)) ? { compression: 'xz' } : undefined
  return isTarHeader(head) ? { compression: null } : undefined
}
