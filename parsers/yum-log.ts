// https://github.com/rpm-software-management/yum/blob/master/yum/logginglevels.py
/**
 * yum 3 `/var/log/yum.log` (RHEL/CentOS ≤ 7): one line per package action,
 * `logging.Formatter("%(asctime)s %(message)s", "%b %d %H:%M:%S")` — local time **without a year**
 * (../shared/FORMATS.md §7c). Messages are `'%s: %s' % (fileaction, package)` from
 * `yum/rpmtrans.py`; the epoch, when there is one, is written before the name.
 *
 * The year is inferred (YearlessClock below), in this order:
 *  1. `--year` (ctx.yearHint): the year of the file's **first** entry;
 *  2. a dateext rotation suffix (`yum.log-20200101`): the file's last entry is before that date;
 *  3. the file's mtime: the last entry is not after it.
 * Months going backwards (Dec → Jan) mean a new year. For 2 and 3 the year is only known at the end
 * of the file, so events are held until then (at most MAX_HELD; yum writes one short line per
 * package and rotates yearly). Without any hint the time is unknown: a year is never invented.
 * yum.log has no run markers, so its package actions carry no transaction id.
 */
import { TZDate } from '@date-fns/tz'
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent, PackageActionType, TimeBasis } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { localEventTime } from '../src/time.ts'

const NAME = 'yum-log'

/** The time fields every event carries. */
export interface TimeFields {
  timeUs: number | null
  timeBasis: TimeBasis
  timeZone: string | null
  timeZoneSource: string | null
  timeNote: string | null
}

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
  readonly mode: 'forward' | 'backward' | 'none'
  #rotation: { y: number; m: number; d: number } | null = null
  #gaveUp = false

  constructor(ctx: ParseContext) {
    this.#ctx = ctx
    const rot = DATEEXT.exec(ctx.path)?.groups
    if (rot) this.#rotation = { y: Number(rot['y']), m: Number(rot['m']), d: Number(rot['d']) }
    this.mode = ctx.yearHint !== null ? 'forward' : this.#rotation !== null || ctx.fileMtimeUs !== null ? 'backward' : 'none'
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
    const m = new TZDate(Math.floor(this.#ctx.fileMtimeUs! / 1000), this.#ctx.localZone.zone)
    const mtimeWall: YearlessWall = { month: m.getMonth() + 1, day: m.getDate(), hour: m.getHours(), minute: m.getMinutes(), second: m.getSeconds() }
    this.#lastYear = wallKey(last) > wallKey(mtimeWall) ? m.getFullYear() - 1 : m.getFullYear()
    const date = `${m.getFullYear()}-${pad2(mtimeWall.month)}-${pad2(mtimeWall.day)}`
    this.#anchorNote = `the file's modification time (${date}, ${this.#ctx.localZone.zone}) is not before its last entry`
  }

  resolve(mark: YearlessMark): TimeFields {
    const known = this.now(mark)
    if (known !== null) return known
    if (this.#lastYear === null) return this.#unknown(mark, 'year could not be inferred')
    const back = this.#rollovers - mark.rollovers
    return this.#at(mark, this.#lastYear - back, `year inferred: ${this.#anchorNote}${back > 0 ? `, minus ${back} year rollover(s) after this entry` : ''}`)
  }

  #at(mark: YearlessMark, year: number, note: string): TimeFields {
    const t = localEventTime({ year, ...mark.wall }, this.#ctx.localZone)
    return { ...t, timeBasis: 'inferred', timeNote: t.timeNote === null ? note : `${note}; ${t.timeNote}` }
  }

  #unknown(mark: YearlessMark, why: string): TimeFields {
    return { timeUs: null, timeBasis: 'unknown', timeZone: null, timeZoneSource: null, timeNote: `${stampText(mark.wall)}: ${why}` }
  }
}

export interface Nevra {
  name: string
  /** `[epoch:]version-release`, epoch 0 left out. */
  version: string
  arch: string
}

// bind-utils-32:9.11.4-9.P2.el7.x86_64 (dnf)   32:bind-utils-9.11.4-9.P2.el7.x86_64 (yum)   cmake-0:3.31-1.fc43.noarch (dnf5)
const NEVRA = /^(?:(?<e1>\d+):)?(?<name>[^\s:]+)-(?:(?<e2>\d+):)?(?<version>[^\s:-]+)-(?<release>[^\s:-]+)\.(?<arch>[^\s.:-]+)$/

/** Splits an rpm NEVRA in any of the forms yum, dnf and dnf5 write; null when it is not one. */
export function splitNevra(text: string): Nevra | null {
  const g = NEVRA.exec(text)?.groups
  if (!g) return null
  const epoch = g['e1'] ?? g['e2']
  return {
    name: g['name']!,
    version: `${epoch !== undefined && epoch !== '0' ? `${epoch}:` : ''}${g['version']}-${g['release']}`,
    arch: g['arch']!,
  }
}

// fileaction strings of yum/rpmtrans.py → the normalized action; the version is the new one for
// installs/updates and the removed one for erase/obsolete/cleanup.
const YUM_ACTIONS: Record<string, { action: PackageActionType; side: 'to' | 'from' }> = {
  Installed: { action: 'install', side: 'to' },
  Updated: { action: 'upgrade', side: 'to' },
  Erased: { action: 'remove', side: 'from' },
  Obsoleted: { action: 'cleanup', side: 'from' },
  Cleanup: { action: 'cleanup', side: 'from' },
}

// Oct 01 01:16:31 Erased: 32:bind-utils-9.11.4-9.P2.el7.x86_64
const YUM_LINE = new RegExp(String.raw`^${YEARLESS_STAMP} (?<action>[A-Z][A-Za-z-]*): (?<pkg>\S+)\s*$`)
// Anything that begins like a yum.log line (for the detector and for telling torn lines apart).
const YUM_STAMP_ONLY = new RegExp(String.raw`^${YEARLESS_STAMP}`)

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const clock = new YearlessClock(ctx)
  const held: { event: MaskEvent; mark: YearlessMark }[] = []
  for await (const { line, text, tooLong } of input.lines()) {
    if (tooLong) {
      ctx.warn('LINE_TOO_LONG', line, `line of ${tooLong.length} bytes exceeds the line limit; skipped`, excerptOf(text))
      count.line(false)
      continue
    }
    if (text.trim() === '') {
      count.line(true)
      continue
    }
    const m = YUM_LINE.exec(text)
    if (!m?.groups) {
      const why = YUM_STAMP_ONLY.test(text) ? 'not "<action>: <package>"' : 'no "Mon DD HH:MM:SS" timestamp'
      ctx.warn('RECORD_INVALID', line, `not a yum.log line (${why})`, excerptOf(text))
      count.line(false)
      continue
    }
    const g = m.groups
    const wall = yearlessWall(g)
    if (wall === null) {
      ctx.warn('TIMESTAMP_INVALID', line, 'timestamp out of range', excerptOf(text))
      count.line(false)
      continue
    }
    const kind = YUM_ACTIONS[g['action']!]
    const nevra = splitNevra(g['pkg']!)
    if (kind === undefined || nevra === null) {
      ctx.warn('RECORD_INVALID', line, kind === undefined ? `unknown yum action "${g['action']}"` : 'package is not name-version-release.arch', excerptOf(text))
      count.line(false)
      continue
    }
    count.line(true)
    const mark = clock.observe(wall)
    const event: MaskEvent = {
      kind: 'package-action',
      ...(clock.now(mark) ?? { timeUs: null, timeBasis: 'unknown', timeZone: null, timeZoneSource: null, timeNote: null }),
      host: null,
      path: ctx.path,
      line,
      cursor: null,
      parser: NAME,
      text,
      tool: 'yum',
      transactionId: null,
      package: nevra.name,
      arch: nevra.arch,
      action: kind.action,
      fromVersion: kind.side === 'from' ? nevra.version : null,
      toVersion: kind.side === 'to' ? nevra.version : null,
      state: null,
    }
    if (clock.mode !== 'backward') {
      yield event
      continue
    }
    held.push({ event, mark })
    if (held.length > MAX_HELD) {
      clock.giveUp()
      ctx.warn('TIMESTAMP_MISSING', null, `more than ${MAX_HELD} year-less entries: times left unknown (use --year)`, undefined, 'warning')
      for (const h of held.splice(0)) yield Object.assign(h.event, clock.resolve(h.mark))
    }
  }
  clock.finish()
  for (const h of held) yield Object.assign(h.event, clock.resolve(h.mark))
}

export default {
  name: NAME,
  title: 'yum 3 log (/var/log/yum.log, year-less local time)',
  paths: [/(^|\/)yum\.log$/],
  detect(head: string): boolean {
    const lines = head.split('\n').filter((l) => l.trim() !== '').slice(0, 20)
    const first = lines[0]
    if (first === undefined) return false
    // Every early line must be a yum action line (a year-less dnf.rpm.log has a level word instead).
    return lines.slice(0, Math.min(lines.length, 5)).every((l) => {
      const g = YUM_LINE.exec(l)?.groups
      return g !== undefined && g['action']! in YUM_ACTIONS && yearlessWall(g) !== null
    })
  },
  parse,
} satisfies Parser
