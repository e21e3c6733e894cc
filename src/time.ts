/** Time handling for the CLI: parsing --since/--until and displaying event times, with IANA zones via @date-fns/tz. */
import { TZDate, tzOffset } from '@date-fns/tz'
import { format } from 'date-fns/format'

export class TimeArgumentError extends Error {}

// 2024-03-01 10:00   2024-03-01 10:00:30   2024-03-01T10:00:30.123456   (optionally followed by a zone)
const DATE_TIME =
  /^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[T ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:\.(?<frac>\d{1,6}))?)?)?\s*(?<zone>Z|[+-]\d{2}:?\d{2}|UTC)?$/

/** Checks an IANA zone name by asking Intl, which is what @date-fns/tz uses underneath. */
export function isValidTimeZone(zone: string): boolean {
  // The default display zone: no need to load ICU's zone data (~10 ms of a run's start) to know it.
  if (zone === 'UTC') return true
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/**
 * Parses a user-supplied instant to µs since the epoch. Without a zone in the text, the wall time
 * is read in `zone` (the `--tz` option, default UTC).
 */
export function parseInstant(text: string, zone: string): number {
  const m = DATE_TIME.exec(text.trim())
  if (!m?.groups) {
    throw new TimeArgumentError(`cannot read time "${text}": use ISO 8601 (2024-03-01T10:00:00Z) or "YYYY-MM-DD HH:MM[:SS]"`)
  }
  const g = m.groups
  const [y, mo, d, h, mi, s] = [g['y'], g['mo'], g['d'], g['h'] ?? '0', g['mi'] ?? '0', g['s'] ?? '0'].map(Number) as [
    number, number, number, number, number, number,
  ]
  const fracUs = Number((g['frac'] ?? '').padEnd(6, '0') || '0')
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
    throw new TimeArgumentError(`time "${text}" is out of range`)
  }
  const zoneText = g['zone']
  let ms: number
  if (zoneText === undefined) {
    const local = new TZDate(y, mo - 1, d, h, mi, s, zone)
    ms = local.getTime()
  } else if (zoneText === 'Z' || zoneText === 'UTC') {
    ms = Date.UTC(y, mo - 1, d, h, mi, s)
  } else {
    const sign = zoneText.startsWith('-') ? -1 : 1
    const digits = zoneText.replace(/[+:-]/g, '')
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
    ms = Date.UTC(y, mo - 1, d, h, mi, s) - sign * offsetMin * 60_000
  }
  if (Number.isNaN(ms)) throw new TimeArgumentError(`time "${text}" is not a valid date`)
  return ms * 1000 + fracUs
}

/**
 * `2024-03-01T10:00:00.123456Z` in UTC, `2024-03-01T11:00:00.123456+01:00` in another zone.
 * Microseconds are kept: journal order within one millisecond matters.
 */
export function formatInstant(timeUs: number | null, zone = 'UTC'): string {
  if (timeUs === null) return 'unknown'
  const ms = Math.floor(timeUs / 1000)
  const micros = String(((timeUs % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0')
  if (zone === 'UTC') return `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`
  const local = new TZDate(ms, zone)
  return `${format(local, "yyyy-MM-dd'T'HH:mm:ss")}.${micros}${format(local, 'xxx')}`
}

/** A wall-clock time as written by a program that logs local time without a zone. */
export interface WallTime {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** 0–999999 */
  micros?: number
}

export interface LocalConversion {
  /** µs since the epoch; for an ambiguous time the earlier instant, for a nonexistent one the instant before the gap's offset applied. */
  timeUs: number
  /** `ambiguous`: the wall time happened twice (DST end); `nonexistent`: it never happened (DST start). */
  problem: 'ambiguous' | 'nonexistent' | null
}

const DAY_MS = 86_400_000

let lastConversion: LocalConversion & { zone: string; asUtc: number } = { zone: '', asUtc: NaN, timeUs: 0, problem: null }

/**
 * Converts a zone-less local time to UTC in `zone`, flagging rather than silently shifting the
 * wall times a DST change makes ambiguous or impossible. Offsets come from @date-fns/tz.
 */
export function localTimeToUtc(wall: WallTime, zone: string): LocalConversion {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
  const micros = wall.micros ?? 0
  // Log lines come many to a second: the last second's conversion is reused.
  if (zone !== lastConversion.zone || asUtc !== lastConversion.asUtc) {
    const { timeUs, problem } = convertSecond(asUtc, zone)
    lastConversion = { zone, asUtc, timeUs, problem }
  }
  return { timeUs: lastConversion.timeUs + micros, problem: lastConversion.problem }
}

function convertSecond(asUtc: number, zone: string): LocalConversion {
  // Offsets in force a day before and a day after bracket any single transition near this time.
  const offsets = [...new Set([tzOffset(zone, new Date(asUtc - DAY_MS)), tzOffset(zone, new Date(asUtc + DAY_MS))])]
  const valid = offsets
    .map((offsetMin) => asUtc - offsetMin * 60_000)
    .filter((candidate) => asUtc - tzOffset(zone, new Date(candidate)) * 60_000 === candidate)
    .sort((a, b) => a - b)
  const [first] = valid
  if (first !== undefined) {
    return { timeUs: first * 1000, problem: valid.length > 1 && valid[1] !== first ? 'ambiguous' : null }
  }
  return { timeUs: (asUtc - offsets[0]! * 60_000) * 1000, problem: 'nonexistent' }
}

/** The time fields of an event whose source wrote local time without a zone. */
export function localEventTime(
  wall: WallTime,
  zone: { zone: string; source: string },
): { timeUs: number; timeBasis: 'local'; timeZone: string; timeZoneSource: string; timeNote: string | null } {
  const converted = localTimeToUtc(wall, zone.zone)
  const timeNote =
    converted.problem === 'ambiguous'
      ? `ambiguous local time in ${zone.zone} (clocks went back): the earlier instant is used`
      : converted.problem === 'nonexistent'
        ? `local time does not exist in ${zone.zone} (clocks went forward): read with the offset before the change`
        : null
  return { timeUs: converted.timeUs, timeBasis: 'local', timeZone: zone.zone, timeZoneSource: zone.source, timeNote }
}
