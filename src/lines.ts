/**
 * The one place that turns a byte stream into numbered lines.
 *
 * Not split2: split2 can only fail the stream at its `maxLength` (losing every later line) or
 * drop the long line silently with `skipOverflow` (shifting every later line number). Evidence
 * off a broken disk has such lines (NUL-filled blocks with no newline), so this splitter skips
 * an over-long line as one counted line and keeps numbering exact. It also works on bytes, so
 * a line is decoded once, by the consumer that needs it.
 */

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
  let kept = 0 // bytes of the current line held in `parts`
  let length = 0 // full byte length of the current line
  let tooLong = false

  const finish = (): Line => {
    lineNo++
    const text = decode(parts, lineNo)
    const result: Line = tooLong ? { line: lineNo, text, tooLong: { length } } : { line: lineNo, text }
    parts = []
    kept = 0
    length = 0
    tooLong = false
    return result
  }

  const take = (chunk: Buffer): void => {
    length += chunk.length
    if (!tooLong && length > maxLineBytes) {
      // Keep only the start of an over-long line, for the diagnostic's excerpt.
      tooLong = true
      const start = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
      parts = [start.subarray(0, KEEP_OF_LONG_LINE)]
      kept = parts[0]!.length
    }
    if (!tooLong) {
      parts.push(chunk)
      kept += chunk.length
    } else if (kept < KEEP_OF_LONG_LINE) {
      const piece = chunk.subarray(0, KEEP_OF_LONG_LINE - kept)
      parts.push(piece)
      kept += piece.length
    }
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
  if (length > 0) yield finish()
}
