// https://www.rfc-editor.org/rfc/rfc3164  https://www.rfc-editor.org/rfc/rfc5424  https://www.rsyslog.com/doc/configuration/templates.html
/**
 * Traditional syslog text files (`/var/log/auth.log`, `secure`, `messages`, `syslog`, `daemon.log`,
 * `user.log`) in the three timestamp styles found on disk:
 *  - BSD / RFC 3164 `Mar  2 08:04:04 host sudo[5110]: msg` — local time **without a year**: the year
 *    comes from YearlessClock (`--year`, a dateext rotation suffix, the file's mtime; never invented),
 *    the zone from the evidence (ctx.localZone);
 *  - rsyslog RFC 3339 `2024-03-01T10:02:13.250871+01:00 host sudo[2345]: msg` — exact UTC;
 *  - RFC 5424 `<13>1 2024-03-01T10:02:13Z host app procid msgid [sd] msg` — exact UTC.
 * A host-less line (`Nov 18 08:30:20 kernel: …`), a tag-less one (`host last message repeated 5
 * times`), a BSD comment (`Nov 18 01:15:43: --- last message repeated 5 times ---`) and an indented
 * continuation line are well-formed and keep nothing.
 *
 * Messages are recognised by the journal's own JournalRecogniser (src/journal-entry.ts): each line is
 * presented as a journal entry (MESSAGE, SYSLOG_IDENTIFIER/_COMM = the tag, _HOSTNAME, _PID — `1`
 * only when the tag is `systemd[1]` — and __REALTIME_TIMESTAMP), so sudo, pkexec, polkit, logind,
 * PID 1's reloads and masked dependencies, and systemctl's output logged by any program become the same
 * events with the same fields. Syslog carries no UNIT=/MESSAGE_ID, so the recogniser's job events never
 * fire; PID 1's job lines are read here by text, and only when they name a unit (below).
 * sudo splits an over-long line into `user : … COMMAND=…` + `user : (command continued) …` lines;
 * consecutive pieces of one sudo pid are joined before recognition.
 * journalctl's short output (`journalctl --no-pager > f`, a sosreport's sos_commands/logs/journalctl_…) is
 * the same BSD grammar in the machine's local time; its own `-- … --` lines and --catalog text are read
 * and kept out, continuation lines of a multi-line MESSAGE are indented like syslog's.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { EventBase, MaskEvent } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { readableLines, UNKNOWN_TIME, withFields, type TimeFields } from '../src/parse-kit.ts'
import { JournalRecogniser, type JournalEntry } from '../src/journal-entry.ts'
import { MAX_HELD, YEARLESS_STAMP, YearlessClock, yearlessWall, type YearlessMark, type YearlessWall } from '../src/formats/yearless.ts'
import { SOS_JOURNAL_TEXT } from '../src/sos/layout.ts'

const NAME = 'syslog'

// <13>   an optional PRI, as written by some remote collectors
const PRI = String.raw`(?:<\d{1,3}>)?`
// Mar  2 08:04:04   Mar 23 23:01:18.123   Nov 18 01:15:43: --- comment ---
const BSD = new RegExp(String.raw`^${PRI}${YEARLESS_STAMP}(?:\.(?<frac>\d{1,6}))?(?<colon>:?) (?<rest>.*)$`)
// 2024-03-01T10:02:13.250871+01:00 rest      (rsyslog RSYSLOG_FileFormat; also …Z and +0100)
const ISO_TS = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})`
const RFC3339 = new RegExp(String.raw`^${PRI}(?<ts>${ISO_TS}) (?<rest>.*)$`)
// <13>1 2024-03-01T10:02:13Z host app procid msgid SD msg
const RFC5424 = /^<\d{1,3}>1 (?<ts>\S+) (?<host>\S+) (?<app>\S+) (?<procid>\S+) (?<msgid>\S+) (?<rest>.*)$/
const ISO_PARTS = /^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})T(?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:\.(?<f>\d{1,9}))?(?<z>Z|(?<sign>[+-])(?<oh>\d{2}):?(?<om>\d{2}))$/
// sudo[5110]:   polkitd(authority=local)[723]:   /sbin/anacron[1234]:   rsyslogd:   kernel:
const TAG = /^(?<tag>[^\s[\]:]+)(?:\[(?<pid>\d+)\])?:(?: (?<msg>.*))?$/
// sudo's pieces of an over-long line after the first: "%8s : (command continued) %s"

const SUDO_CONTINUED = /^\s*(?<user>\S+) : \(command continued\) (?<rest>.*)$/

// journalctl's own lines in its short output (a sosreport's sos_commands/logs/journalctl_--no-pager…):
// `-- Logs begin at Fri 2021-02-26 09:05:37 EST, end at … --` (≤ v245), `-- Journal begins at …, ends at … --`
// (v246–v250), `-- Boot 8e7d…a098 --`, `-- Reboot --` (older), `-- No entries --`, and --catalog text
// (`-- Subject: …` in the C locale, `░░ Subject: …` in a UTF-8 one).
const JOURNALCTL_NOTE = /^(?:--|\u2591\u2591)(?: .*)?$/
const JOURNALCTL_HEADER = /^-- (?:Logs begin at|Journal begins at) .* --$/
const JOURNALCTL_SEPARATOR = /^-- (?:Boot [0-9a-f]{32}|Reboot) --$/

// A unit name as PID 1 prints it (systemd ≥ ~249 "foo.service - Description", or the name when a unit has no Description=).
const UNIT = String.raw`(?<unit>[A-Za-z0-9:_.\\@-]+\.(?:service|socket|target|timer|path|mount|automount|swap|slice|scope|device))`
const JOB_TEXT: { re: RegExp; kind: 'unit-started' | 'unit-stopped' | 'unit-failed' | 'dependency-failed'; result: string | null }[] = [
  { re: new RegExp(String.raw`^(?:Started|Reached target) ${UNIT}(?: - .*)?\.$`), kind: 'unit-started', result: null },
  { re: new RegExp(String.raw`^Stopped(?: target)? ${UNIT}(?: - .*)?\.$`), kind: 'unit-stopped', result: null },
  { re: new RegExp(String.raw`^Failed to start ${UNIT}(?: - .*)?\.$`), kind: 'unit-failed', result: 'failed' },
  { re: new RegExp(String.raw`^Timed out starting ${UNIT}(?: - .*)?\.$`), kind: 'unit-failed', result: 'timeout' },
  { re: new RegExp(String.raw`^Dependency failed for ${UNIT}(?: - .*)?\.$`), kind: 'dependency-failed', result: null },
  // foo.service: Failed with result 'exit-code'.      (v23x+)
  { re: new RegExp(String.raw`^${UNIT}: Failed with result '(?<result>[^']+)'\.$`), kind: 'unit-failed', result: null },
  // Unit foo.service entered failed state.            (v219)
  { re: new RegExp(String.raw`^Unit ${UNIT} entered failed state\.$`), kind: 'unit-failed', result: null },
]

/** A line's time: exact µs (null when RFC 5424 says `-`), or a year-less wall time. */
type LineTime = { kind: 'exact'; us: number | null } | { kind: 'yearless'; mark: YearlessMark }

interface SyslogRecord {
  line: number
  /** Verbatim text (pieces of a split sudo line joined with "\n"). */
  text: string
  host: string | null
  tag: string | null
  pid: string | null
  message: string
  time: LineTime
}

type Split =
  | { kind: 'record'; host: string | null; tag: string | null; pid: string | null; message: string }
  | { kind: 'invalid'; why: string }

/** `host tag[pid]: msg`, `tag: msg` (no host), `host msg` (no tag). */
function splitRest(rest: string): Split {
  if (rest === '' || rest.startsWith(' ')) return { kind: 'invalid', why: 'no host or tag after the timestamp' }
  const hostless = TAG.exec(rest)
  if (hostless?.groups) return { kind: 'record', host: null, tag: hostless.groups['tag']!, pid: hostless.groups['pid'] ?? null, message: hostless.groups['msg'] ?? '' }
  const sp = rest.indexOf(' ')
  const host = sp === -1 ? rest : rest.slice(0, sp)
  const after = sp === -1 ? '' : rest.slice(sp + 1)
  const tagged = TAG.exec(after)
  if (tagged?.groups) return { kind: 'record', host, tag: tagged.groups['tag']!, pid: tagged.groups['pid'] ?? null, message: tagged.groups['msg'] ?? '' }
  return { kind: 'record', host, tag: null, pid: null, message: after }
}

/** RFC 3339 → µs since the epoch, or null when a field is out of range. */
export function rfc3339Micros(ts: string): number | null {
  const g = ISO_PARTS.exec(ts)?.groups
  if (!g) return null
  const [y, mo, d, h, mi, s] = [g['y'], g['mo'], g['d'], g['h'], g['mi'], g['s']].map(Number) as [number, number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate() || h > 23 || mi > 59 || s > 60) return null
  const offsetMin = g['z'] === 'Z' ? 0 : (g['sign'] === '-' ? -1 : 1) * (Number(g['oh']) * 60 + Number(g['om']))
  if (Math.abs(offsetMin) > 18 * 60) return null
  const micros = Number((g['f'] ?? '').padEnd(6, '0').slice(0, 6))
  return (Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000) * 1000 + micros
}

/** RFC 5424 STRUCTURED-DATA (`-` or `[id k="v" …]…`) and the MSG after it (BOM removed). */
function afterStructuredData(rest: string): string | null {
  let i = 0
  if (rest.startsWith('-')) i = 1
  else {
    while (rest[i] === '[') {
      i++
      while (i < rest.length && rest[i] !== ']') i += rest[i] === '\\' ? 2 : rest[i] === '"' ? quotedEnd(rest, i) - i : 1
      if (i >= rest.length) return null
      i++
    }
    if (i === 0) return null
  }
  if (i < rest.length && rest[i] !== ' ') return null
  return rest.slice(i + 1).replace(/^\uFEFF/, '')
}

function quotedEnd(s: string, start: number): number {
  let i = start + 1
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1
  return i + 1
}

type LineKind =
  | { kind: 'record'; host: string | null; tag: string | null; pid: string | null; message: string; time: { exact: number | null } | { wall: YearlessWall } }
  | { kind: 'blank' | 'comment' | 'continuation' }
  | { kind: 'invalid'; code: 'RECORD_INVALID' | 'TIMESTAMP_INVALID'; why: string }

/** Reads one line's framing (no recognition). Exported for the detector's tests. */
export function classifyLine(text: string): LineKind {
  if (text.trim() === '') return { kind: 'blank' }
  if (/^[ \t]/.test(text)) return { kind: 'continuation' }
  const bsd = BSD.exec(text)
  if (bsd?.groups) {
    const g = bsd.groups
    const wall = yearlessWall(g)
    if (wall === null) return { kind: 'invalid', code: 'TIMESTAMP_INVALID', why: 'timestamp out of range' }
    if (g['frac'] !== undefined) Object.assign(wall, { micros: Number(g['frac'].padEnd(6, '0')) })
    // BSD syslogd's own notes: "Nov 18 01:15:43: --- last message repeated 5 times ---"
    if (g['colon'] === ':') return { kind: 'comment' }
    const split = splitRest(g['rest']!)
    if (split.kind === 'invalid') return { kind: 'invalid', code: 'RECORD_INVALID', why: split.why }
    return withFields(split, { time: { wall } })
  }
  const rfc5424 = RFC5424.exec(text)
  if (rfc5424?.groups) {
    const g = rfc5424.groups
    const exact = g['ts'] === '-' ? null : rfc3339Micros(g['ts']!)
    if (g['ts'] !== '-' && exact === null) return { kind: 'invalid', code: 'TIMESTAMP_INVALID', why: 'RFC 5424 timestamp out of range' }
    const message = afterStructuredData(g['rest']!)
    if (message === null) return { kind: 'invalid', code: 'RECORD_INVALID', why: 'RFC 5424 structured data is malformed' }
    const nil = (v: string | undefined): string | null => (v === undefined || v === '-' ? null : v)
    const procid = nil(g['procid'])
    return { kind: 'record', host: nil(g['host']), tag: nil(g['app']), pid: procid !== null && /^\d+$/.test(procid) ? procid : null, message, time: { exact } }
  }
  const iso = RFC3339.exec(text)
  if (iso?.groups) {
    const exact = rfc3339Micros(iso.groups['ts']!)
    if (exact === null) return { kind: 'invalid', code: 'TIMESTAMP_INVALID', why: 'timestamp out of range' }
    const split = splitRest(iso.groups['rest']!)
    if (split.kind === 'invalid') return { kind: 'invalid', code: 'RECORD_INVALID', why: split.why }
    return withFields(split, { time: { exact } })
  }
  return { kind: 'invalid', code: 'RECORD_INVALID', why: 'no syslog timestamp ("Mon DD HH:MM:SS", RFC 3339 or RFC 5424)' }
}

/** PID 1's job lines by text; only when they name a unit (before ~v249 they give the Description instead). */
function jobEvents(message: string, base: EventBase): MaskEvent[] {
  for (const j of JOB_TEXT) {
    const g = j.re.exec(message.trimEnd())?.groups
    if (!g) continue
    const unit = g['unit']!
    if (j.kind === 'unit-failed') return [withFields(base, { kind: j.kind, unit, scope: 'system' as const, result: g['result'] ?? j.result })]
    return [withFields(base, { kind: j.kind, unit, scope: 'system' as const })]
  }
  return []
}

/** A stand-in µs for year-less lines, used only for the recogniser's reload pairing; real times are set after. */
function provisionalMicros(mark: YearlessMark): number {
  const w = mark.wall as YearlessMark['wall'] & { micros?: number }
  return Date.UTC(2000 + mark.rollovers, w.month - 1, w.day, w.hour, w.minute, w.second) * 1000 + (w.micros ?? 0)
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const recogniser = new JournalRecogniser()
  const clock = new YearlessClock(ctx)
  const held: { event: MaskEvent; mark: YearlessMark | null }[] = []
  let pendingSudo: SyslogRecord | null = null
  let gaveUp = false
  // journalctl text: named so (sosreport, or a saved `journalctl > journalctl.txt`), or opening with its header.
  let journalctlText = /(?:^|\/)journalctl[^/]*$/.test(ctx.path)

  const recognise = (r: SyslogRecord): { event: MaskEvent; mark: YearlessMark | null }[] => {
    const realtime = r.time.kind === 'exact' ? r.time.us : provisionalMicros(r.time.mark)
    // PID 1 is believed only from the `systemd[1]` tag: another program's pid 1 (a container) is not a manager.
    const pid = r.pid === '1' && r.tag !== 'systemd' ? undefined : (r.pid ?? undefined)
    const fields: Record<string, string | undefined> = {
      MESSAGE: r.message,
      SYSLOG_IDENTIFIER: r.tag ?? undefined,
      _COMM: r.tag ?? undefined,
      _PID: pid,
      _HOSTNAME: r.host ?? undefined,
      __REALTIME_TIMESTAMP: realtime === null ? undefined : String(realtime),
    }
    const entry: JournalEntry = { get: (name) => fields[name] }
    let { events } = recogniser.entry(entry, { path: ctx.path, line: r.line, parser: NAME })
    const time: TimeFields =
      r.time.kind === 'exact'
        ? r.time.us === null
          ? { ...UNKNOWN_TIME, timeNote: 'RFC 5424 record without a timestamp ("-")' }
          : { timeUs: r.time.us, timeBasis: 'utc', timeZone: null, timeZoneSource: null, timeNote: null }
        : (clock.now(r.time.mark) ?? UNKNOWN_TIME)
    const base: EventBase = withFields(time, { host: r.host, path: ctx.path, line: r.line, cursor: null, parser: NAME, text: r.text })
    if (events.length === 0 && r.tag === 'systemd' && r.pid === '1') events = jobEvents(r.message, base)
    const mark = r.time.kind === 'yearless' ? r.time.mark : null
    return events.map((e) => ({ event: Object.assign(e, time, { text: r.text, host: r.host }), mark }))
  }

  function* emit(items: { event: MaskEvent; mark: YearlessMark | null }[]): Generator<MaskEvent> {
    if (clock.mode !== 'backward' || gaveUp) {
      for (const i of items) yield i.event
      return
    }
    held.push(...items)
    if (held.length > MAX_HELD) {
      gaveUp = true
      clock.giveUp()
      ctx.warn('TIMESTAMP_MISSING', null, `more than ${MAX_HELD} year-less events: times left unknown (use --year)`, undefined, 'warning')
      for (const h of held.splice(0)) yield h.mark === null ? h.event : Object.assign(h.event, clock.resolve(h.mark))
    }
  }

  for await (const { line, text } of readableLines(input, ctx, count)) {
    if (line === 1 && JOURNALCTL_HEADER.test(text)) journalctlText = true
    if (journalctlText && JOURNALCTL_NOTE.test(text)) {
      count.line(true)
      continue
    }
    const c = classifyLine(text)
    if (c.kind === 'invalid') {
      ctx.warn(c.code, line, `not a syslog line (${c.why})`, excerptOf(text))
      count.line(false)
      continue
    }
    count.line(true)
    if (c.kind !== 'record') continue
    const time: LineTime = 'exact' in c.time ? { kind: 'exact', us: c.time.exact } : { kind: 'yearless', mark: clock.observe(c.time.wall) }
    if (pendingSudo !== null) {
      const more = c.tag === 'sudo' && c.pid === pendingSudo.pid && c.host === pendingSudo.host ? SUDO_CONTINUED.exec(c.message)?.groups : undefined
      if (more !== undefined && pendingSudo.message.trimStart().startsWith(`${more['user']} : `)) {
        pendingSudo.message += ` ${more['rest']}`
        pendingSudo.text += `\n${text}`
        continue
      }
      yield* emit(recognise(pendingSudo))
      pendingSudo = null
    }
    const record: SyslogRecord = { line, text, host: c.host, tag: c.tag, pid: c.pid, message: c.message, time }
    if (c.tag === 'sudo') pendingSudo = record
    else yield* emit(recognise(record))
  }
  if (pendingSudo !== null) yield* emit(recognise(pendingSudo))
  clock.finish()
  for (const h of held) yield h.mark === null ? h.event : Object.assign(h.event, clock.resolve(h.mark))
  yield* recogniser.finish()
}

/**
 * Conservative: the first line is a syslog record, nine in ten lines of the head are, and at least
 * three carry a `prog[pid]:` tag (a boot's `messages` opens with hundreds of pid-less kernel lines).
 * yum.log (`Mon DD HH:MM:SS Installed: …`) has no host and no `[pid]`; dnf/hawkey, apt, dpkg and
 * journal JSON lines do not match the grammar at all.
 */
function detect(head: string): boolean {
  const lines = head.split('\n')
  // The last line of the head may be cut off (or be the empty rest after the final newline).
  if (lines.length > 1) lines.pop()
  // journalctl's header and boot separators are not syslog records, but they say what the rest is.
  const sample = lines.slice(0, 2000).filter((l) => l.trim() !== '' && !JOURNALCTL_HEADER.test(l) && !JOURNALCTL_SEPARATOR.test(l))
  if (sample.length === 0 || classifyLine(sample[0]!).kind !== 'record') return false
  let valid = 0
  let withPid = 0
  for (const l of sample) {
    const c = classifyLine(l)
    if (c.kind === 'record' || c.kind === 'comment' || c.kind === 'continuation') valid++
    if (c.kind === 'record' && c.tag !== null && c.pid !== null) withPid++
  }
  return withPid >= Math.min(3, sample.length) && valid >= sample.length * 0.9
}

export default {
  name: NAME,
  title: 'syslog text (auth.log, secure, messages, syslog, daemon.log: BSD year-less, RFC 3339, RFC 5424; journalctl short output)',
  paths: [/(^|\/)(auth\.log|secure|messages|syslog|daemon\.log|user\.log)$/, SOS_JOURNAL_TEXT],
  detect,
  parse,
} satisfies Parser
