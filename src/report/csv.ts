/**
 * `timeline --format csv`: one event per row, for spreadsheets and tools that want a flat table.
 *
 * RFC 4180: a header row, CRLF after every record (the last included), a field is quoted when it holds
 * `"`, `,`, CR or LF, and a `"` inside it is doubled. UTF-8 without a byte-order mark: a BOM becomes
 * part of the first header name for csvkit, pandas, Python's csv module and Timesketch's CSV import, and
 * the file would no longer be byte-identical to the other outputs' text. (Excel guesses the encoding
 * without a BOM; use Data → From Text/CSV → UTF-8 there.)
 */
import type { MaskEvent } from '../events.ts'
import { formatInstant } from '../time.ts'
import { describeEvent, sourceOf, subjectOf } from './describe.ts'
import { escapeControl } from './escape.ts'

export const CSV_COLUMNS = [
  'time',
  'kind',
  'host',
  'subject',
  'summary',
  'source',
  'cursor',
  'parser',
  'timeBasis',
  'timeZone',
  'timeNote',
  'text',
] as const

/**
 * Control characters other than TAB, CR and LF (C0, DEL, C1) are written escaped, the way the terminal
 * output shows them (`\e`, `\x07`, `\x9b`…). RFC 4180 allows none of them in a field, spreadsheet
 * programs drop or choke on them (they are not valid in XLSX's XML), and an ESC sequence in a CSV that
 * someone `cat`s or opens in `less -R` drives the terminal. TAB, CR and LF are ordinary CSV content
 * (quoted when needed). The exact bytes stay available in `--format jsonl`/`json`.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

/**
 * CSV (formula) injection: log text is written by whoever controlled the machine, and a spreadsheet runs
 * a cell starting with `=`, `+`, `-` or `@` (and, in some programs, TAB or CR before one) as a formula —
 * `=cmd|' /C calc'!A0` is the classic. Following OWASP's CSV Injection guidance, every cell — log text,
 * paths, host names, summaries, all of them — whose first character is one of these is prefixed with a
 * single quote `'`, which spreadsheets display as text. The cell is then quoted per RFC 4180 as usual.
 * The price: a value such as `-2` reads `'-2` in the CSV; the JSON formats are untouched.
 */
const FORMULA_START = /^[=+\-@\t\r]/

/** One cell: control characters escaped, formula starts neutralised, then RFC 4180 quoting. */
export function csvCell(value: string | number | null): string {
  if (value === null) return ''
  let cell = String(value).replace(CONTROL, escapeControl)
  if (FORMULA_START.test(cell)) cell = `'${cell}`
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell
}

export function csvRow(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

/** Times as in `eventRecord` (`unknown` when the time is not known; events are never dropped here). */
export function eventRow(e: MaskEvent, zone: string): (string | null)[] {
  return [
    formatInstant(e.timeUs, zone),
    e.kind,
    e.host,
    subjectOf(e),
    describeEvent(e),
    sourceOf(e),
    e.cursor,
    e.parser,
    e.timeBasis,
    e.timeZone,
    e.timeNote,
    e.text,
  ]
}

/** The header, then a row per event; `header: false` for the pieces after the first of a long timeline. */
export function renderTimelineCsv(events: readonly MaskEvent[], zone: string, { header = true }: { header?: boolean } = {}): string {
  return (header ? csvRow(CSV_COLUMNS) : '') + events.map((e) => csvRow(eventRow(e, zone))).join('')
}
