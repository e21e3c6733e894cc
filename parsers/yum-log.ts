// https://github.com/rpm-software-management/yum/blob/master/yum/logginglevels.py
/**
 * yum 3 `/var/log/yum.log` (RHEL/CentOS ≤ 7): one line per package action,
 * `logging.Formatter("%(asctime)s %(message)s", "%b %d %H:%M:%S")` — local time **without a year**
 * (../shared/FORMATS.md §7c). Messages are `'%s: %s' % (fileaction, package)` from
 * `yum/rpmtrans.py`; the epoch, when there is one, is written before the name.
 *
 * The year is inferred by YearlessClock (src/formats/yearless.ts): from `--year`, a dateext
 * rotation suffix (`yum.log-20200101`) or the file's mtime, in that order. For the last two the
 * year is only known at the end of the file, so events are held until then (at most MAX_HELD; yum
 * writes one short line per package and rotates yearly). Without any hint the time is unknown: a
 * year is never invented.
 * yum.log has no run markers, so its package actions carry no transaction id.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent, PackageActionType } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { eventBase, readableLines, UNKNOWN_TIME } from '../src/parse-kit.ts'
import { MAX_HELD, YEARLESS_STAMP, YearlessClock, yearlessWall, type YearlessMark } from '../src/formats/yearless.ts'
import { splitNevra } from '../src/formats/nevra.ts'

const NAME = 'yum-log'

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
  for await (const { line, text } of readableLines(input, ctx, count)) {
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
      ...eventBase(ctx, NAME, line, text, clock.now(mark) ?? UNKNOWN_TIME),
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
