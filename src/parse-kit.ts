/** Support shared by the parsers in parsers/: time fields, the event base, the line loop. */
import type { LineCounter, ParseContext, ParserInput } from './parser.ts'
import type { EventBase } from './events.ts'
import { excerptOf } from './diagnostics.ts'

/** The time fields every event carries. */
export type TimeFields = Pick<EventBase, 'timeUs' | 'timeBasis' | 'timeZone' | 'timeZoneSource' | 'timeNote'>

export const UNKNOWN_TIME: TimeFields = { timeUs: null, timeBasis: 'unknown', timeZone: null, timeZoneSource: null, timeNote: null }

/** Joins time caveats ("term.log has no per-line times…", DST notes). */
export function joinNotes(...notes: (string | null)[]): string | null {
  const kept = notes.filter((n): n is string => n !== null && n !== '')
  return kept.length === 0 ? null : kept.join('; ')
}

/** The fields of an event read from a text file at `line` (no host, no journal cursor). */
export function eventBase(ctx: Pick<ParseContext, 'path'>, parser: string, line: number, text: string, time: TimeFields): EventBase {
  // Written out rather than `{ ...time, … }`: see withFields.
  return {
    timeUs: time.timeUs,
    timeBasis: time.timeBasis,
    timeZone: time.timeZone,
    timeZoneSource: time.timeZoneSource,
    timeNote: time.timeNote,
    host: null,
    path: ctx.path,
    line,
    cursor: null,
    parser,
    text,
  }
}

/**
 * `{ ...base, ...fields }`, the way events are built from their base. V8 11 (Node 20) builds an object
 * literal that starts with a spread and goes on with more properties through a slow path, ~8 µs an
 * object (a parser's whole time on a busy log); Object.assign takes ~0.2 µs and gives the same keys in
 * the same order.
 */
export function withFields<B extends object, T extends object>(base: B, fields: T): B & T {
  return Object.assign({}, base, fields)
}

/**
 * The input's lines, less the over-long ones: each of those is reported (LINE_TOO_LONG), counted
 * as skipped and left out. Every other line is yielded for the parser to count.
 */
export async function* readableLines(
  input: ParserInput,
  ctx: ParseContext,
  count: LineCounter,
): AsyncGenerator<{ line: number; text: string }> {
  for await (const { line, text, tooLong } of input.lines()) {
    if (tooLong) {
      ctx.warn('LINE_TOO_LONG', line, `line of ${tooLong.length} bytes exceeds the line limit; skipped`, excerptOf(text))
      count.line(false)
      continue
    }
    yield { line, text }
  }
}
