/**
 * The full path for journal JSON records, shared by the journal-json parser and its worker threads:
 * framing (json-seq's RS, json-sse's `data: `, json-pretty objects over several lines), JSON.parse,
 * value decoding, the recogniser.
 *
 * Value forms (../shared/FORMATS.md §1): strings; arrays of byte numbers for non-UTF-8 or
 * control characters (MESSAGE included); arrays of values for repeated fields; null for fields
 * of 4096 bytes or more; old systemd's spaced style `{ "__CURSOR" : "…", … }`.
 */
import type { LineCounter, ParseContext } from '../parser.ts'
import type { MaskEvent } from '../events.ts'
import { excerptOf } from '../diagnostics.ts'
import { JournalRecogniser, type JournalEntry } from '../journal-entry.ts'

const RS = '\x1e'
// A json-pretty object may not grow beyond this many lines before it is given up as damaged.
const MAX_PRETTY_LINES = 100_000

function isByteArray(value: unknown[]): value is number[] {
  return value.length > 0 && value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)
}

/** One JSON value as journalctl writes it → text; repeated fields give their first value. */
export function decodeJournalValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return undefined
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) {
    if (value.length === 0) return ''
    if (isByteArray(value)) return Buffer.from(value).toString('utf8')
    for (const v of value) {
      const decoded = decodeJournalValue(v)
      if (decoded !== undefined) return decoded
    }
  }
  return undefined
}

export function entryOf(record: Record<string, unknown>): JournalEntry {
  return { get: (name) => decodeJournalValue(record[name]) }
}

/** Strips json-seq's RS and json-sse's `data: `; null for a framing-only line (blank, `id:`, `:` comment). */
export function payloadOf(text: string): string | null {
  let t = text
  while (t.startsWith(RS)) t = t.slice(1)
  if (t.startsWith('data: ')) t = t.slice(6)
  else if (t.startsWith('data:')) t = t.slice(5)
  const trimmed = t.trim()
  if (trimmed === '' || /^(?:id|event|retry):/.test(trimmed) || trimmed.startsWith(':')) return null
  return t
}

/**
 * The full path, one line at a time: framing (json-seq, json-sse, json-pretty), JSON.parse, the
 * recogniser. The prefilter feeds it only the lines it keeps; `parseAll` feeds it every line.
 */
export class RecordReader {
  readonly recogniser = new JournalRecogniser()
  readonly #ctx: Pick<ParseContext, 'path' | 'warn'>
  readonly #count: LineCounter
  readonly #parser: string
  #pretty: { start: number; lines: string[] } | null = null

  constructor(ctx: Pick<ParseContext, 'path' | 'warn'>, count: LineCounter, parser: string) {
    this.#ctx = ctx
    this.#count = count
    this.#parser = parser
  }

  /** Inside a json-pretty object: every following line belongs to the full path. */
  get inPretty(): boolean {
    return this.#pretty !== null
  }

  line(text: string, line: number, out: MaskEvent[]): void {
    const ctx = this.#ctx
    let pretty = this.#pretty
    // json-pretty indents every member and puts only `}` at column 0: any other line starting there
    // (`{`, a one-line record) means the object lost its end (torn write, spliced files), and it must
    // not swallow the valid records after it. That line is then read on its own.
    if (pretty !== null && text !== '' && text[0] !== '\t' && text[0] !== ' ' && text !== '}' && text !== '}\r') {
      ctx.warn('RECORD_UNTERMINATED', pretty.start, 'json-pretty object not closed before the next record began', excerptOf(pretty.lines.join(' ')))
      this.#skip(pretty.lines.length)
      pretty = this.#pretty = null
    }
    if (pretty !== null) {
      pretty.lines.push(text)
      if (text === '}' || text === '}\r') {
        this.#pretty = null
        this.#record(pretty.lines.join('\n'), pretty.start, pretty.lines.length, out)
      } else if (pretty.lines.length > MAX_PRETTY_LINES) {
        ctx.warn('RECORD_UNTERMINATED', pretty.start, `json-pretty object not closed within ${MAX_PRETTY_LINES} lines`)
        this.#skip(pretty.lines.length)
        this.#pretty = null
      }
      return
    }
    const payload = payloadOf(text)
    if (payload === null) {
      this.#count.line(true)
      return
    }
    if (payload.trim() === '{') {
      this.#pretty = { start: line, lines: [payload] }
      return
    }
    this.#record(payload, line, 1, out)
  }

  tooLong(head: string, length: number, line: number): void {
    this.#ctx.warn('LINE_TOO_LONG', line, `line of ${length} bytes exceeds the line limit; skipped`, excerptOf(head))
    this.#count.line(false)
  }

  finish(out: MaskEvent[]): void {
    const pretty = this.#pretty
    if (pretty !== null) {
      this.#ctx.warn('RECORD_UNTERMINATED', pretty.start, 'json-pretty object cut off by the end of the input', excerptOf(pretty.lines.join(' ')))
      this.#skip(pretty.lines.length)
      this.#pretty = null
    }
    out.push(...this.recogniser.finish())
  }

  #skip(lines: number): void {
    for (let i = 0; i < lines; i++) this.#count.line(false)
  }

  #record(json: string, line: number, lineCount: number, out: MaskEvent[]): void {
    const ctx = this.#ctx
    let record: unknown
    try {
      record = JSON.parse(json)
    } catch (error) {
      ctx.warn('JSON_INVALID', line, `not valid JSON (${(error as Error).message})`, excerptOf(json))
      this.#skip(lineCount)
      return
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      ctx.warn('RECORD_NOT_OBJECT', line, 'a journal record must be a JSON object', excerptOf(json))
      this.#skip(lineCount)
      return
    }
    for (let i = 0; i < lineCount; i++) this.#count.line(true)
    const { events, timeProblem } = this.recogniser.entry(entryOf(record as Record<string, unknown>), { path: ctx.path, line, parser: this.#parser })
    if (timeProblem !== null && events.length > 0) {
      ctx.warn(
        timeProblem === 'missing' ? 'TIMESTAMP_MISSING' : 'TIMESTAMP_INVALID',
        line,
        `no usable __REALTIME_TIMESTAMP: the event is kept with an unknown time`,
        excerptOf(json),
        'warning',
      )
    }
    for (const e of events) out.push(e)
  }
}

export function decodeLine(bytes: Buffer, start: number, end: number, line: number): string {
  const text = bytes.toString('utf8', start, end)
  return line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

