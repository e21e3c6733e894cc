/**
 * Decompression of DATA payloads (systemd src/basic/compress.c). Output is capped so that a
 * damaged or hostile size field cannot make the reader allocate gigabytes.
 */
import { decompress as zstdDecompress } from 'fzstd'
import { decompressBlock } from 'lz4js'
import { OBJECT_COMPRESSED } from './format.ts'
import { loadXzReadableStream } from '../../xz.ts'

/** The largest field maskwhy reads (journald allows up to 768 MiB; real fields are far smaller). */
export const MAX_FIELD_BYTES = 64 * 1024 * 1024

export class DecompressError extends Error {}

/** Decompresses a DATA payload compressed as the object flags say (one of OBJECT_COMPRESSED). */
export async function decompressPayload(flags: number, data: Buffer, cap = MAX_FIELD_BYTES): Promise<Buffer> {
  switch (flags) {
    case OBJECT_COMPRESSED.zstd:
      return zstd(data, cap)
    case OBJECT_COMPRESSED.lz4:
      return lz4(data, cap)
    case OBJECT_COMPRESSED.xz:
      return xzStream(data, cap)
  }
  throw new DecompressError(`unknown compression flags ${flags}`)
}

/** The same, at once, for the compressions decompressed synchronously (zstd, lz4); null for xz. */
export function decompressPayloadNow(flags: number, data: Buffer, cap = MAX_FIELD_BYTES): Buffer | null {
  if (flags === OBJECT_COMPRESSED.zstd) return zstd(data, cap)
  if (flags === OBJECT_COMPRESSED.lz4) return lz4(data, cap)
  return null
}

const ZSTD_MAGIC = 0xfd2fb528

/**
 * The size a zstd frame will decompress to (or, without a content size, its window size), read
 * from the frame header (RFC 8878 §3.1.1.1) so that fzstd is never asked to allocate more than `cap`.
 */
function zstdFrameBound(data: Buffer): number {
  if (data.length < 6 || data.readUInt32LE(0) !== ZSTD_MAGIC) {
    throw new DecompressError('not a zstd frame (bad magic)')
  }
  const descriptor = data[4]!
  const singleSegment = (descriptor >> 5) & 1
  const sizeFlag = descriptor >> 6
  const dictBytes = [0, 1, 2, 4][descriptor & 3]!
  const sizeBytes = sizeFlag === 0 ? singleSegment : 1 << sizeFlag
  let at = 5 + (singleSegment ? 0 : 1) + dictBytes
  if (data.length < at + sizeBytes) throw new DecompressError('zstd frame header cut off')
  if (sizeBytes > 0) {
    let size = 0
    for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + data[at + i]!
    return sizeFlag === 1 ? size + 256 : size
  }
  const window = data[5]!
  const base = 2 ** (10 + (window >> 3))
  return base + (base / 8) * (window & 7)
}

function zstd(data: Buffer, cap: number): Buffer {
  const bound = zstdFrameBound(data)
  if (bound > cap) throw new DecompressError(`zstd frame claims ${bound} bytes, over the ${cap}-byte cap`)
  let out: Uint8Array
  try {
    out = zstdDecompress(data)
  } catch (error) {
    throw new DecompressError(`zstd: ${(error as Error).message}`)
  }
  if (out.length > cap) throw new DecompressError(`zstd output over the ${cap}-byte cap`)
  return Buffer.from(out.buffer, out.byteOffset, out.length)
}

// compress_blob_lz4: unaligned_write_le64(dst, src_size) + LZ4_compress_default(src, dst + 8, …)
function lz4(data: Buffer, cap: number): Buffer {
  if (data.length < 9) throw new DecompressError('lz4 payload shorter than its 8-byte size prefix')
  const claimed = data.readBigUInt64LE(0)
  if (claimed > BigInt(cap)) {
    throw new DecompressError(`lz4 payload claims ${claimed} bytes, over the ${cap}-byte cap`)
  }
  const size = Number(claimed)
  const out = Buffer.alloc(size)
  let produced: number
  try {
    produced = decompressBlock(data, out, 8, data.length - 8, 0)
  } catch (error) {
    throw new DecompressError(`lz4: ${(error as Error).message}`)
  }
  if (produced !== size) {
    throw new DecompressError(`lz4 block gave ${produced} bytes, its prefix says ${size}`)
  }
  return out
}

// A standard .xz stream (lzma_easy_buffer_encode); bytes after its end are ignored, as systemd does.
async function xzStream(data: Buffer, cap: number): Promise<Buffer> {
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.length))
      controller.close()
    },
  })
  const XzReadableStream = await loadXzReadableStream()
  const reader = new XzReadableStream(input).getReader()
  const parts: Uint8Array[] = []
  let total = 0
  try {
    for (let empty = 0; ; ) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
      if (total > cap) throw new DecompressError(`xz output over the ${cap}-byte cap`)
      // A damaged stream can stall without error: give up after many rounds that produce nothing.
      empty = value.length === 0 ? empty + 1 : 0
      if (empty > 64) throw new DecompressError('xz stream stalled (truncated?)')
      parts.push(value)
    }
  } catch (error) {
    // Cancelling releases the library's global decoder lock: one left held would block all later xz fields.
    await reader.cancel().catch(() => {})
    if (error instanceof DecompressError) throw error
    throw new DecompressError(`xz: ${(error as Error).message}`)
  }
  return Buffer.concat(parts, total)
}
