// https://systemd.io/JOURNAL_EXPORT_FORMATS/#journal-json-format
/**
 * `journalctl -o json` (one object per line), `-o json-seq` (RS-prefixed), `-o json-sse`
 * (`data: ` lines) and `-o json-pretty` (an object over several lines, `{` and `}` alone on theirs).
 *
 * Value forms (../shared/FORMATS.md §1): strings; arrays of byte numbers for non-UTF-8 or
 * control characters (MESSAGE included); arrays of values for repeated fields; null for fields
 * of 4096 bytes or more; old systemd's spaced style `{ "__CURSOR" : "…", … }`.
 */
import type { ParseContext, Parser, ParserInput, LineCounter } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { readableLines } from '../src/parse-kit.ts'
import { JournalRecogniser, type JournalEntry } from '../src/journal-entry.ts'

const NAME = 'journal-json'
const RS = '\x1e'
// A json-pretty object may not grow beyond this many lines before it is given up as damaged.
const MAX_PRETTY_LINES = 100_000

// {"__CURSOR":"s=…;i=1;…","__REALTIME_TIMESTAMP":"1700000000000000",…}   and   { "__CURSOR" : "s=…", … }
const JOURNAL_KEY = /"(?:__CURSOR|__REALTIME_TIMESTAMP|__MONOTONIC_TIMESTAMP|_BOOT_ID|_TRANSPORT)"\s*:/

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

function entryOf(record: Record<string, unknown>): JournalEntry {
  return { get: (name) => decodeJournalValue(record[name]) }
}

/** Strips json-seq's RS and json-sse's `data: `; null for a framing-only line (blank, `id:`, `:` comment). */
function payloadOf(text: string): string | null {
  let t = text
  while (t.startsWith(RS)) t = t.slice(1)
  if (t.startsWith('data: ')) t = t.slice(6)
  else if (t.startsWith('data:')) t = t.slice(5)
  const trimmed = t.trim()
  if (trimmed === '' || /^(?:id|event|retry):/.test(trimmed) || trimmed.startsWith(':')) return null
  return t
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const recogniser = new JournalRecogniser()
  let pretty: { start: number; lines: string[] } | null = null

  function* handleRecord(json: string, line: number, lineCount: number): Generator<MaskEvent> {
    let record: unknown
    try {
      record = JSON.parse(json)
    } catch (error) {
      ctx.warn('JSON_INVALID', line, `not valid JSON (${(error as Error).message})`, excerptOf(json))
      for (let i = 0; i < lineCount; i++) count.line(false)
      return
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      ctx.warn('RECORD_NOT_OBJECT', line, 'a journal record must be a JSON object', excerptOf(json))
      for (let i = 0; i < lineCount; i++) count.line(false)
      return
    }
    for (let i = 0; i < lineCount; i++) count.line(true)
    const { events, timeProblem } = recogniser.entry(entryOf(record as Record<string, unknown>), { path: ctx.path, line, parser: NAME })
    if (timeProblem !== null && events.length > 0) {
      ctx.warn(
        timeProblem === 'missing' ? 'TIMESTAMP_MISSING' : 'TIMESTAMP_INVALID',
        line,
        `no usable __REALTIME_TIMESTAMP: the event is kept with an unknown time`,
        excerptOf(json),
        'warning',
      )
    }
    yield* events
  }

  for await (const { line, text } of readableLines(input, ctx, count)) {
    if (pretty !== null) {
      pretty.lines.push(text)
      if (text === '}' || text === '}\r') {
        const { start, lines } = pretty
        pretty = null
        yield* handleRecord(lines.join('\n'), start, lines.length)
      } else if (pretty.lines.length > MAX_PRETTY_LINES) {
        ctx.warn('RECORD_UNTERMINATED', pretty.start, `json-pretty object not closed within ${MAX_PRETTY_LINES} lines`)
        for (let i = 0; i < pretty.lines.length; i++) count.line(false)
        pretty = null
      }
      continue
    }
    const payload = payloadOf(text)
    if (payload === null) {
      count.line(true)
      continue
    }
    if (payload.trim() === '{') {
      pretty = { start: line, lines: [payload] }
      continue
    }
    yield* handleRecord(payload, line, 1)
  }
  if (pretty !== null) {
    ctx.warn('RECORD_UNTERMINATED', pretty.start, 'json-pretty object cut off by the end of the input', excerptOf(pretty.lines.join(' ')))
    for (let i = 0; i < pretty.lines.length; i++) count.line(false)
  }
  yield* recogniser.finish()
}

export default {
  name: NAME,
  title: 'systemd journal as JSON (journalctl -o json, json-seq, json-sse, json-pretty)',
  paths: [],
  detect(head: string): boolean {
    const firstRecord = head.split('\n').find((l) => payloadOf(l) !== null)
    if (firstRecord === undefined || !payloadOf(firstRecord)!.trimStart().startsWith('{')) return false
    return JOURNAL_KEY.test(head)
  },
  parse,
} satisfies Parser
