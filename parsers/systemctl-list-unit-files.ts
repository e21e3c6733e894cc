// https://www.freedesktop.org/software/systemd/man/latest/systemctl.html#list-unit-files%20PATTERN%E2%80%A6
/**
 * `systemctl list-unit-files` captured into a file — a sosreport's
 * `sos_commands/systemd/systemctl_list-unit-files` (sos runs it piped: no pager, no colour, full width).
 * One `unit-file-state` per row: systemd's verdict over every unit directory of the live machine when
 * the listing was made, so it has no time of its own (`timeUs` null).
 *
 * Every layout systemd has printed:
 *  - ≤ v244 (RHEL 7's v219, RHEL 8's v239): `UNIT FILE  STATE`, rows padded with trailing spaces
 *    (`printf("%-*s %-*s\n")`), names longer than the 80-column fallback width ellipsized with `...`;
 *  - v245–v251: a third column `VENDOR PRESET`; v252+: `PRESET` (Debian 11's v247, Debian 12's v252,
 *    bookworm-backports' v254 were run to make test/fixtures/systemctl/);
 *  - v256+: `-` in the preset column for alias, static, generated and transient;
 *  - the footer `N unit files listed.` after a blank line; `--no-legend` drops header and footer.
 * ANSI colours (a listing copied from a terminal) are removed before reading. An ellipsized name cannot be
 * matched to a unit: it is reported and left out.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { eventBase, readableLines, UNKNOWN_TIME } from '../src/parse-kit.ts'

const NAME = 'systemctl-list-unit-files'

// UNIT FILE                          STATE           VENDOR PRESET
const HEADER = /^UNIT FILE +STATE(?: +(?:VENDOR PRESET|PRESET))? *$/
// nginx.service                      masked          enabled        (v219: `nginx.service   masked  `)
const ROW = /^(?<unit>\S+) +(?<state>[a-z]+(?:-[a-z]+)*)(?: +(?<preset>[a-z]+(?:-[a-z]+)*|-))? *$/
// 258 unit files listed.
const FOOTER = /^(?<n>\d+) unit files listed\.$/
// A unit name: name.type, with systemd's escapes (\x2d), instances (getty@tty1) and `-.mount`.
const UNIT = /^[^\s/]+\.(?:service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/
// SGR colour and underline sequences, as systemctl prints them on a terminal.
const ANSI = /\x1b\[[0-9;]*m/g

const TIME_NOTE = 'state when systemctl listed the unit files (for a sosreport: when it was collected); the listing has no time of its own'

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  let sawHeader = false
  let footer: { line: number; n: number } | null = null
  let rows = 0
  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    const verbatim = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    const text = verbatim.replace(ANSI, '')
    const reject = (why: string): void => {
      ctx.warn('RECORD_INVALID', line, why, excerptOf(verbatim))
      count.line(false)
    }
    if (text.trim() === '') {
      count.line(true)
      continue
    }
    if (footer !== null) {
      reject('text after the "N unit files listed." line')
      continue
    }
    if (HEADER.test(text)) {
      if (sawHeader || rows > 0) reject('a second header line')
      else {
        sawHeader = true
        count.line(true)
      }
      continue
    }
    const end = FOOTER.exec(text)
    if (end?.groups) {
      footer = { line, n: Number(end.groups['n']) }
      count.line(true)
      continue
    }
    const row = ROW.exec(text)?.groups
    if (!row) {
      reject('not a "UNIT FILE  STATE  [PRESET]" row of systemctl list-unit-files')
      continue
    }
    rows++
    const unit = row['unit']!
    if (unit.includes('...') || unit.includes('…')) {
      reject('unit name shortened by systemctl to fit 80 columns: the unit cannot be identified')
      continue
    }
    if (!UNIT.test(unit)) {
      reject(`"${unit}" is not a unit name`)
      continue
    }
    count.line(true)
    const preset = row['preset'] === undefined || row['preset'] === '-' ? null : row['preset']
    const base = eventBase(ctx, NAME, line, verbatim, { ...UNKNOWN_TIME, timeNote: TIME_NOTE })
    yield { kind: 'unit-file-state', ...base, unit, state: row['state']!, preset }
  }
  if (footer !== null && footer.n !== rows) {
    const why = `the listing says ${footer.n} unit files but has ${rows} rows: it is incomplete or was edited`
    ctx.warn('RECORD_INVALID', null, why, undefined, 'warning')
  } else if (footer === null && sawHeader) {
    ctx.warn('RECORD_UNTERMINATED', null, 'no "N unit files listed." line after the rows: the listing may be cut off', undefined, 'warning')
  }
}

export default {
  name: NAME,
  title: 'systemctl list-unit-files output (sosreport sos_commands/systemd/systemctl_list-unit-files)',
  paths: [/(^|\/)sos_commands\/systemd\/systemctl_list-unit-files$/],
  detect(head: string): boolean {
    const first = head.replace(ANSI, '').split('\n').find((l) => l.trim() !== '')
    return first !== undefined && HEADER.test(first.replace(/\r$/, ''))
  },
  parse,
} satisfies Parser
