/**
 * Byte chunks → runs of whole lines, for parsers that scan many lines at once instead of one `Line` at a
 * time (src/lines.ts). Same line rules as readLines: split at `\n` only, a line longer than the limit is
 * one over-long line (its start kept for the excerpt), a last line without `\n` counts when not empty.
 */
import { MAX_LINE_BYTES } from './lines.ts'

export type LinePiece =
  /** Whole lines, each ending with `\n`, straight from one chunk (no copy); `at`: file offset of the first byte, when known. */
  | { kind: 'block'; bytes: Buffer; at?: number }
  /** One line (without its `\n`) that crossed a chunk boundary, or the input's last line. */
  | { kind: 'line'; bytes: Buffer; at?: number }
  /** One line over the limit: its first bytes and its full length. */
  | { kind: 'too-long'; head: Buffer; length: number }

const NEWLINE = 0x0a
const KEEP_OF_LONG_LINE = 200

export async function* lineBlocks(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<LinePiece> {
  let carry: Buffer[] = []
  let kept = 0
  let length = 0
  let tooLong = false

  const take = (piece: Buffer): void => {
    length += piece.length
    if (!tooLong && length > maxLineBytes) {
      tooLong = true
      const start = Buffer.concat(carry).subarray(0, KEEP_OF_LONG_LINE)
      carry = [start]
      kept = start.length
    }
    if (!tooLong) {
      carry.push(piece)
      kept += piece.length
    } else if (kept < KEEP_OF_LONG_LINE) {
      const part = piece.subarray(0, KEEP_OF_LONG_LINE - kept)
      carry.push(part)
      kept += part.length
    }
  }
  const finish = (): LinePiece => {
    const bytes = carry.length === 1 ? carry[0]! : Buffer.concat(carry)
    const piece: LinePiece = tooLong ? { kind: 'too-long', head: bytes, length } : { kind: 'line', bytes }
    carry = []
    kept = 0
    length = 0
    tooLong = false
    return piece
  }

  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw
    let start = 0
    if (length > 0) {
      const nl = chunk.indexOf(NEWLINE)
      if (nl === -1) {
        take(chunk)
        continue
      }
      take(chunk.subarray(0, nl))
      yield finish()
      start = nl + 1
    }
    const last = chunk.lastIndexOf(NEWLINE)
    if (last >= start) {
      const block = chunk.subarray(start, last + 1)
      if (block.length > maxLineBytes) yield* splitLongLines(block, maxLineBytes)
      else yield { kind: 'block', bytes: block }
      start = last + 1
    }
    if (start < chunk.length) take(chunk.subarray(start))
  }
  if (length > 0) yield finish()
}

/** A block bigger than the line limit may hold over-long lines: those come out on their own. */
function* splitLongLines(block: Buffer, maxLineBytes: number): Generator<LinePiece> {
  let from = 0
  for (let start = 0; start < block.length; ) {
    const nl = block.indexOf(NEWLINE, start)
    if (nl - start > maxLineBytes) {
      if (start > from) yield { kind: 'block', bytes: block.subarray(from, start) }
      yield { kind: 'too-long', head: Buffer.from(block.subarray(start, Math.min(nl, start + KEEP_OF_LONG_LINE))), length: nl - start }
      from = nl + 1
    }
    start = nl + 1
  }
  if (from < block.length) yield { kind: 'block', bytes: block.subarray(from) }
}

/**
 * Bytes read at a time from a plain file: large enough that syscalls and per-block work are negligible,
 * small enough that each thread's buffer touches few pages (fresh pages cost more than reads).
 */
export const FILE_CHUNK_BYTES = 1024 * 1024

/**
 * The same pieces from a byte range of a file, read into one reused buffer: a block is valid only until
 * the next piece is asked for (decode what you keep). Lines longer than the buffer grow it, up to the
 * line limit. `read` is a positional read (a FileHandle's, or readSync in a worker). `scratch`: a buffer
 * of the chunk size to read into, for a caller that reads range after range (fresh memory is costly).
 */
export async function* fileLineBlocks(
  read: (buffer: Buffer, offset: number, length: number, position: number) => Promise<number> | number,
  start: number,
  end: number,
  consumed: (bytes: number) => void = () => {},
  maxLineBytes = MAX_LINE_BYTES,
  chunkBytes = FILE_CHUNK_BYTES,
  scratch?: Buffer,
): AsyncGenerator<LinePiece> {
  let buffer = scratch !== undefined && scratch.length === Math.min(chunkBytes, maxLineBytes + 1) ? scratch : Buffer.allocUnsafe(Math.min(chunkBytes, maxLineBytes + 1))
  let filled = 0
  let position = start
  // File offset of buffer[0].
  let bufferAt = start
  // An over-long line: its start is kept, the rest is counted and dropped up to its newline.
  let longHead: Buffer | null = null
  let longLength = 0
  while (position < end) {
    if (filled === buffer.length) {
      // A line fills the buffer: grow it, or past the limit, keep the line's start and drop the rest.
      if (buffer.length <= maxLineBytes) {
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLineBytes + 1))
        buffer.copy(bigger, 0, 0, filled)
        buffer = bigger
      } else {
        longHead ??= Buffer.from(buffer.subarray(0, KEEP_OF_LONG_LINE))
        longLength += filled
        bufferAt += filled
        filled = 0
      }
    }
    const n = await read(buffer, filled, Math.min(buffer.length - filled, end - position), position)
    if (n === 0) break
    consumed(n)
    position += n
    const from = filled
    filled += n
    if (longHead !== null) {
      const nl = buffer.indexOf(NEWLINE, from)
      const end = nl === -1 || nl >= filled ? filled : nl
      if (longHead.length < KEEP_OF_LONG_LINE) {
        longHead = Buffer.concat([longHead, buffer.subarray(0, Math.min(end, KEEP_OF_LONG_LINE - longHead.length))])
      }
      if (end === filled) {
        longLength += filled
        bufferAt += filled
        filled = 0
        continue
      }
      yield { kind: 'too-long', head: longHead, length: longLength + nl }
      longHead = null
      longLength = 0
      buffer.copy(buffer, 0, nl + 1, filled)
      filled -= nl + 1
      bufferAt += nl + 1
    }
    const last = filled === 0 ? -1 : buffer.lastIndexOf(NEWLINE, filled - 1)
    if (last === -1) continue
    // The buffer never exceeds the limit + 1 byte, so no line in a block is over the limit.
    yield { kind: 'block', bytes: buffer.subarray(0, last + 1), at: bufferAt }
    buffer.copy(buffer, 0, last + 1, filled)
    filled -= last + 1
    bufferAt += last + 1
  }
  if (longHead !== null) yield { kind: 'too-long', head: longHead, length: longLength + filled }
  else if (filled > maxLineBytes) yield { kind: 'too-long', head: Buffer.from(buffer.subarray(0, Math.min(filled, KEEP_OF_LONG_LINE))), length: filled }
  else if (filled > 0) yield { kind: 'line', bytes: buffer.subarray(0, filled), at: bufferAt }
}
