// https://github.com/rpm-software-management/dnf/blob/master/dnf/logging.py
/**
 * The dnf 4 log line format, shared by dnf.log and dnf.rpm.log (parsers/dnf-log.ts,
 * parsers/dnf-rpm-log.ts; ../shared/FORMATS.md §7a): `"%(asctime)s %(levelname)s %(message)s"`,
 * continuation lines without a timestamp, three timestamp eras (year-less local, `Z`, offset).
 * dnf5's log uses the same ISO timestamps (isoInstantUs).
 */
import type { LineCounter, ParseContext, ParserInput } from '../parser.ts'
import type { MaskEvent } from '../events.ts'
import { excerptOf } from '../diagnostics.ts'
import { readableLines, type TimeFields } from '../parse-kit.ts'
import { MAX_HELD, YEARLESS_STAMP, yearlessWall, type YearlessClock, type YearlessMark } from './yearless.ts'

// 2020-10-31T05:09:35Z   2025-02-03T17:58:21+0530   2022-03-28T14:27:24+00   2024-01-01T10:00:00+05:30
const ISO_STAMP = String.raw`(?<iso>(?<date>\d{4}-\d{2}-\d{2})T(?<time>\d{2}:\d{2}:\d{2})(?<zone>Z|[+-]\d{2}(?::?\d{2})?))`
// DDEBUG, SUBDEBUG, TRACE and ALL are dnf's own levels; python names unnamed ones "Level N".
const DNF_LEVELS = String.raw`(?<level>DDEBUG|SUBDEBUG|TRACE|ALL|DEBUG|INFO|WARNING|ERROR|CRITICAL|Level \d+)`
// 2020-10-31T05:09:35Z INFO --- logging initialized ---       Oct 31 05:09:35 INFO --- logging initialized ---
export const DNF_RECORD = new RegExp(String.raw`^(?:${ISO_STAMP}|${YEARLESS_STAMP}) ${DNF_LEVELS} (?<msg>.*)$`)
// A line that starts with a dnf timestamp but is no record (a torn write, an unknown level), or
// holds nothing but the start of one (`2021-03-02T08:05:3`: the write was cut off).
const DNF_STAMP_START = new RegExp(String.raw`^(?:(?:${ISO_STAMP}|${YEARLESS_STAMP})(?:\s|$)|\d{4}-\d{2}-\d{2}T[\d:+Z-]*$)`)

export const LOG_MARKER = '--- logging initialized ---'

/** The UTC instant of an ISO dnf timestamp, or null when a field is out of range. */
export function isoInstantUs(date: string, time: string, zone: string): number | null {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null
  let offsetMin = 0
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0
    if (oh > 23 || om > 59) return null
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om)
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s)
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null // 2021-02-30
  return (ms - offsetMin * 60_000) * 1000
}

/** One record's time: known now, or waiting for the year of a year-less file. */
export type Stamp = { fields: TimeFields; mark: null } | { fields: null; mark: YearlessMark }

/**
 * Reads a record's timestamp groups (from DNF_RECORD or DNF_STAMP_START); null when invalid.
 * Times with `Z`/offset are exact UTC; year-less ones go through the clock.
 */
export function stampOf(g: Record<string, string | undefined>, clock: YearlessClock): Stamp | null {
  if (g['iso'] !== undefined) {
    const us = isoInstantUs(g['date']!, g['time']!, g['zone']!)
    if (us === null) return null
    return { fields: { timeUs: us, timeBasis: 'utc', timeZone: null, timeZoneSource: null, timeNote: null }, mark: null }
  }
  const wall = yearlessWall(g)
  if (wall === null) return null
  const mark = clock.observe(wall)
  const fields = clock.now(mark)
  return fields !== null ? { fields, mark: null } : { fields: null, mark }
}

/**
 * Keeps event order while some events wait for a year (year-less era without --year): once one
 * event waits, later ones wait behind it. `fix` callbacks fill the times at the end of the input.
 */
export class EventQueue {
  readonly #clock: YearlessClock
  readonly #ctx: ParseContext
  #held: { event: MaskEvent; fix: () => void }[] = []
  #gaveUp = false

  constructor(clock: YearlessClock, ctx: ParseContext) {
    this.#clock = clock
    this.#ctx = ctx
  }

  /** Applies the stamps (field name → stamp) to the event; returns the events that can go out now. */
  push(event: MaskEvent, stamps: { time: Stamp; end?: Stamp | null }): MaskEvent[] {
    const apply = (resolve: (m: YearlessMark) => TimeFields): void => {
      const t = stamps.time.fields ?? resolve(stamps.time.mark!)
      Object.assign(event, t)
      if (event.kind === 'package-transaction' && stamps.end != null) {
        event.endUs = (stamps.end.fields ?? resolve(stamps.end.mark!)).timeUs
      }
    }
    const waits = stamps.time.mark !== null || (stamps.end?.mark ?? null) !== null
    if (!waits && this.#held.length === 0) {
      apply(() => {
        throw new Error('unreachable')
      })
      return [event]
    }
    this.#held.push({ event, fix: () => apply((m) => this.#clock.resolve(m)) })
    if (this.#held.length > MAX_HELD && !this.#gaveUp) {
      this.#gaveUp = true
      this.#clock.giveUp()
      this.#ctx.warn('TIMESTAMP_MISSING', null, `more than ${MAX_HELD} year-less entries: times left unknown (use --year)`, undefined, 'warning')
      return this.flush()
    }
    return []
  }

  /** Resolves and returns every held event (call after `clock.finish()`, or after giving up). */
  flush(): MaskEvent[] {
    const out = this.#held
    this.#held = []
    for (const h of out) h.fix()
    return out.map((h) => h.event)
  }
}

/** Gives each run the id shared with dnf.rpm.log: `dnf:<marker timestamp>`, `#n` for repeats in one second. */
export class RunIds {
  #last = ''
  #n = 0
  next(stampText: string): string {
    if (stampText === this.#last) this.#n++
    else {
      this.#last = stampText
      this.#n = 1
    }
    return this.#n === 1 ? `dnf:${stampText}` : `dnf:${stampText}#${this.#n}`
  }
}

/** The shared line loop of dnf.log and dnf.rpm.log: records with their continuation lines. */
export interface DnfRecordLine {
  line: number
  text: string
  /** The record's first line number. */
  recordLine: number
  level: string
  /** This line's text: the message on the record's first line, the whole line on continuations. */
  msg: string
  continuation: boolean
  stamp: Stamp
  /** The timestamp as written. */
  stampText: string
}

/**
 * Iterates dnf4-format lines, counting each one and reporting bad ones. Lines before the first
 * record, NUL-filled lines and torn timestamped lines are RECORD_INVALID; a record whose
 * timestamp is out of range is TIMESTAMP_INVALID, one `validate` rejects is RECORD_INVALID (the
 * continuation lines of a rejected record are kept as parsed, with no record to belong to).
 */
export async function* dnfRecordLines(
  input: ParserInput,
  ctx: ParseContext,
  count: LineCounter,
  clock: YearlessClock,
  /** Format-specific check of a record's first line: a reason to reject it, or null. */
  validate: (level: string, msg: string) => string | null = () => null,
): AsyncGenerator<DnfRecordLine> {
  let current: { line: number; level: string; stamp: Stamp; stampText: string } | null = null
  let sawRecord = false
  for await (const { line, text } of readableLines(input, ctx, count)) {
    if (text.includes('\0')) {
      ctx.warn('RECORD_INVALID', line, 'NUL bytes in a text log (damaged file?)', excerptOf(text.replace(/\0+/g, '\\0…')))
      count.line(false)
      continue
    }
    const m = DNF_RECORD.exec(text)
    if (m?.groups) {
      sawRecord = true
      const stamp = stampOf(m.groups, clock)
      const stampText = m.groups['iso'] ?? `${m.groups['mon']} ${m.groups['day']} ${m.groups['hms']}`
      if (stamp === null) {
        ctx.warn('TIMESTAMP_INVALID', line, `timestamp out of range: ${stampText}`, excerptOf(text))
        count.line(false)
        current = null
        continue
      }
      const invalid = validate(m.groups['level']!, m.groups['msg']!)
      if (invalid !== null) {
        ctx.warn('RECORD_INVALID', line, invalid, excerptOf(text))
        count.line(false)
        current = null
        continue
      }
      count.line(true)
      current = { line, level: m.groups['level']!, stamp, stampText }
      yield { line, text, recordLine: line, level: current.level, msg: m.groups['msg']!, continuation: false, stamp, stampText }
      continue
    }
    if (DNF_STAMP_START.test(text)) {
      ctx.warn('RECORD_INVALID', line, 'timestamped line without a known level and message (torn write?)', excerptOf(text))
      count.line(false)
      current = null
      continue
    }
    if (!sawRecord) {
      if (text.trim() === '') {
        count.line(true)
        continue
      }
      ctx.warn('RECORD_INVALID', line, 'text before the first timestamped record', excerptOf(text))
      count.line(false)
      continue
    }
    count.line(true)
    if (current !== null) {
      yield { line, text, recordLine: current.line, level: current.level, msg: text, continuation: true, stamp: current.stamp, stampText: current.stampText }
    }
  }
}

/** A context for reading one timestamp during detection (no year needed, nothing reported). */
export const DETECT_CTX: ParseContext = {
  path: '',
  localZone: { zone: 'UTC', source: 'detect' },
  fileMtimeUs: null,
  yearHint: 2000,
  warn() {},
  warnAt() {},
}
