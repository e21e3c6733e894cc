/**
 * Year-less local timestamps (`Oct 01 01:16:31`: yum.log, dnf.log before 2.7.2, dnf.rpm.log of
 * that era; ../shared/FORMATS.md §7c) and the clock that gives them a year, in this order:
 *  1. `--year` (ctx.yearHint): the year of the file's **first** entry;
 *  2. a dateext rotation suffix (`yum.log-20200101`): the file's last entry is before that date;
 *  3. when the input was written (ctx.writtenAt: a sosreport's collection time for its command output),
 *     else the file's mtime: the last entry is not after it.
 * Months going backwards (Dec → Jan) mean a new year. For 2 and 3 the year is only known at the end
 * of the file, so events are held until then (at most MAX_HELD). Without any hint the time is
 * unknown: a year is never invented.
 */
import { TZDate } from '@date-fns/tz'
import type { ParseContext } from '../parser.ts'
import { localEventTime } from '../time.ts'
import type { TimeFields } from '../parse-kit.ts'

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

// Oct 01 01:16:31     (strftime "%b %d %H:%M:%S", C locale; a space-padded day is accepted too)
export const YEARLESS_STAMP = String.raw`(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?<day>[ \d]\d) (?<hms>\d{2}:\d{2}:\d{2})`

export interface YearlessWall {
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** Reads the groups of YEARLESS_STAMP; null when a field is out of range. */
export function yearlessWall(groups: Record<string, string | undefined>): YearlessWall | null {
  const month = MONTHS.indexOf(groups['mon'] as (typeof MONTHS)[number]) + 1
  const day = Number(groups['day']!.trim())
  const [hour, minute, second] = groups['hms']!.split(':').map(Number) as [number, number, number]
  if (month < 1 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null
  return { month, day, hour, minute, second }
}

/** A year-less timestamp as seen in file order: its wall time and the number of year rollovers before it. */
export interface YearlessMark {
  wall: YearlessWall
  rollovers: number
}

/** How far after ctx.writtenAt a year-less input's last entry may be (entries logged while the collector ran). */
const WRITTEN_GRACE_US = 24 * 3600 * 1_000_000

/** How many events may wait for the end of a year-less file before the year is given up. */
export const MAX_HELD = 200_000

// yum.log-20200101   yum.log-2020010103   (logrotate dateext; `.gz` may follow)
const DATEEXT = /-(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})(?:\d{2})?(?:\.gz)?$/

const pad2 = (n: number): string => String(n).padStart(2, '0')
const stampText = (w: YearlessWall): string => `${MONTHS[w.month - 1]} ${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`
const wallKey = (w: YearlessWall): number => ((((w.month * 32 + w.day) * 24 + w.hour) * 60 + w.minute) * 61 + w.second)

/**
 * Gives year-less local timestamps a year. `observe()` each stamp in file order; `now()` returns the
 * time at once when it is known (`--year`, or no hint at all), else null: call `finish()` at the end
 * of the input and then `resolve()`.
 */
export class YearlessClock {
  readonly #ctx: ParseContext
  #prev: YearlessWall | null = null
  #rollovers = 0
  #lastYear: number | null = null
  #anchorNote = ''
  #anchorCaveat = ''
  readonly mode: 'forward' | 'backward' | 'none'
  #rotation: { y: number; m: number; d: number } | null = null
  #gaveUp = false

  constructor(ctx: ParseContext) {
    this.#ctx = ctx
    const rot = DATEEXT.exec(ctx.path)?.groups
    if (rot) this.#rotation = { y: Number(rot['y']), m: Number(rot['m']), d: Number(rot['d']) }
    const anchored = this.#rotation !== null || (ctx.writtenAt ?? null) !== null || ctx.fileMtimeUs !== null
    this.mode = ctx.yearHint !== null ? 'forward' : anchored ? 'backward' : 'none'
  }

  observe(wall: YearlessWall): YearlessMark {
    if (this.#prev !== null && wall.month < this.#prev.month) this.#rollovers++
    this.#prev = wall
    return { wall, rollovers: this.#rollovers }
  }

  /** Too many held events: fall back to unknown times (the caller reports it once). */
  giveUp(): void {
    this.#gaveUp = true
  }

  now(mark: YearlessMark): TimeFields | null {
    if (this.#gaveUp) return this.#unknown(mark, `more than ${MAX_HELD} year-less entries: the year was not inferred (use --year)`)
    if (this.mode === 'forward') {
      const n = mark.rollovers
      return this.#at(mark, this.#ctx.yearHint! + n, `year from --year ${this.#ctx.yearHint} (the first entry's year)${n > 0 ? ` + ${n} year rollover(s) in the file` : ''}`)
    }
    if (this.mode === 'none') {
      return this.#unknown(mark, 'no year in the timestamp and no hint (no --year, no dated rotation suffix, no file mtime)')
    }
    return null
  }

  /** Fixes the year of the last entry from the rotation date or the mtime. */
  finish(): void {
    if (this.mode !== 'backward' || this.#prev === null) return
    const last = this.#prev
    if (this.#rotation !== null) {
      const r = this.#rotation
      const lastMd = last.month * 32 + last.day
      this.#lastYear = lastMd > r.m * 32 + r.d ? r.y - 1 : r.y
      this.#anchorNote = `the file was rotated on ${r.y}-${pad2(r.m)}-${pad2(r.d)} (name suffix), so its last entry is before that`
      return
    }
    const written = this.#ctx.writtenAt ?? null
    // sos records the time once (`date --utc`) and runs journalctl minutes later: entries logged in between
    // are after it. A day's grace keeps them in the right year; the last entry is within the year before.
    const anchorUs = written !== null ? written.us + WRITTEN_GRACE_US : this.#ctx.fileMtimeUs!
    const m = new TZDate(Math.floor(anchorUs / 1000), this.#ctx.localZone.zone)
    const mtimeWall: YearlessWall = { month: m.getMonth() + 1, day: m.getDate(), hour: m.getHours(), minute: m.getMinutes(), second: m.getSeconds() }
    this.#lastYear = wallKey(last) > wallKey(mtimeWall) ? m.getFullYear() - 1 : m.getFullYear()
    const date = `${m.getFullYear()}-${pad2(mtimeWall.month)}-${pad2(mtimeWall.day)}`
    if (written !== null) {
      const at = new TZDate(Math.floor(written.us / 1000), this.#ctx.localZone.zone)
      const collected = `${at.getFullYear()}-${pad2(at.getMonth() + 1)}-${pad2(at.getDate())}`
      this.#anchorNote = `the file was written when the evidence was collected (${collected}, ${this.#ctx.localZone.zone}; ${written.source}), after its last entry`
      return
    }
    this.#anchorNote = `the file's modification time (${date}, ${this.#ctx.localZone.zone}) is not before its last entry`
    // Weak: a copy made without -p/-a (or an unzip) resets mtime to the copy time.
    this.#anchorCaveat = ' (weak: a copy without -p resets mtime; pass --year if you know the year)'
  }

  resolve(mark: YearlessMark): TimeFields {
    const known = this.now(mark)
    if (known !== null) return known
    if (this.#lastYear === null) return this.#unknown(mark, 'year could not be inferred')
    const back = this.#rollovers - mark.rollovers
    return this.#at(mark, this.#lastYear - back, `year inferred: ${this.#anchorNote}${back > 0 ? `, minus ${back} year rollover(s) after this entry` : ''}${this.#anchorCaveat}`)
  }

  #at(mark: YearlessMark, year: number, note: string): TimeFields {
    const t = localEventTime({ year, ...mark.wall }, this.#ctx.localZone)
    return { ...t, timeBasis: 'inferred', timeNote: t.timeNote === null ? note : `${note}; ${t.timeNote}` }
  }

  #unknown(mark: YearlessMark, why: string): TimeFields {
    return { timeUs: null, timeBasis: 'unknown', timeZone: null, timeZoneSource: null, timeNote: `${stampText(mark.wall)}: ${why}` }
  }
}
