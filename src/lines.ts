/**
 * The one place that turns a byte stream into numbered lines.
 *
 * Not split2: split2 can only fail the stream at its `maxLength` (losing every later line) or
 * drop the long line silently with `skipOverflow` (shifting every later line number). Evidence
 * off a broken disk has such lines (NUL-filled blocks with no newline), so this splitter skips
 * an over-long line as one counted line and keeps numbering exact. It also works on bytes, so
 * a line is decoded once, by the consumer that needs it.
 */
import type { Readable } from 'node:stream'

export interface Line {
  /** 1-based line number. */
  line: number
  /** The line without its `\n` (a `\r` before it is kept: formats differ on what it means). */
  text: string
  /** Set when the line exceeded the limit: `text` holds only its start, `length` its full byte length. */
  tooLong?: { length: number }
}

/** Default bound for one line: generous (journal JSON lines with big fields), finite. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024
const KEEP_OF_LONG_LINE = 200
const NEWLINE = 0x0a

function decode(parts: Buffer[], line: number): string {
  const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
  let text = buf.toString('utf8')
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return text
}

export async function* readLines(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<Line> {
  let lineNo = 0
  let parts: Buffer[] = []
  let pending = 0
  let overflow = 0 // bytes of the current line beyond what we kept, when too long

  const finish = (): Line => {
    lineNo++
    if (overflow > 0) {
      const text = decode(parts, lineNo).slice(0, KEEP_OF_LONG_LINE)
      const result: Line = { line: lineNo, text, tooLong: { length: pending + overflow } }
      parts = []
      pending = 0
      overflow = 0
      return result
    }
    const text = decode(parts, lineNo)
    parts = []
    pending = 0
    return { line: lineNo, text }
  }

  const take = (chunk: Buffer): void => {
    if (overflow > 0) {
      overflow += chunk.length
      return
    }
    if (pending + chunk.length > maxLineBytes) {
      const room = Math.max(0, KEEP_OF_LONG_LINE - pending)
      if (room > 0) parts.push(chunk.subarray(0, room))
      overflow = chunk.length - room
      pending += room
      return
    }
    parts.push(chunk)
    pending += chunk.length
  }

  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw
    let start = 0
    let nl: number
    while ((nl = chunk.indexOf(NEWLINE, start)) !== -1) {
      take(chunk.subarray(start, nl))
      yield finish()
      start = nl + 1
    }
    if (start < chunk.length) take(chunk.subarray(start))
  }
  if (pending > 0 || overflow > 0) yield finish()
}

/** Lines of an in-memory string, for tests and sniffing. */
export function linesOf(text: string): AsyncGenerator<Line> {
  return readLines([Buffer.from(text)])
}

/** Reads a whole small stream (tests, sniffing). */
export async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of stream) parts.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer))
  return Buffer.concat(parts)
}
