/** Timeline as a terminal table (cli-table3), fitted to the terminal width, log text escaped. */
import Table from 'cli-table3'
import type { MaskEvent } from '../events.ts'
import { formatInstant } from '../time.ts'
import { describeEvent, sourceOf, subjectOf } from './describe.ts'
import { escapeControl } from './escape.ts'

export interface TableOptions {
  zone: string
  /** Total width in columns. */
  width: number
}

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n))

/**
 * Wraps at spaces and breaks words longer than the width: a table cell must never drop text
 * (cli-table3's own word wrap truncates long words with "…", and evidence paths are long words).
 */
export function wrapText(text: string, width: number): string {
  const out: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    let rest = word
    if (line !== '' && line.length + 1 + rest.length <= width) {
      line += ` ${rest}`
      continue
    }
    if (line !== '') out.push(line)
    while (rest.length > width) {
      out.push(rest.slice(0, width))
      rest = rest.slice(width)
    }
    line = rest
    if (out.length > MAX_CELL_LINES) break
  }
  out.push(line)
  if (out.length <= MAX_CELL_LINES) return out.join('\n')
  // cli-table3 0.6.5 takes time cubic in a cell's size (its debug preview re-measures the whole cell
  // once per character, for every line: cli-table/cli-table3#362), so one 27 KB log line took hours.
  // Whoever wrote the log chose its length: the cell says what it left out; jsonl and json have it all.
  const kept = out.slice(0, MAX_CELL_LINES - 1)
  const shown = kept.reduce((n, l) => n + l.length + 1, 0)
  kept.push(`… ${Math.max(0, text.length - shown)} more characters`.slice(0, Math.max(1, width)))
  return kept.join('\n')
}

/** Lines of one table cell at most (see wrapText); real cells (a long dnf command line) need ~15. */
export const MAX_CELL_LINES = 24
const longest = (values: string[], header: string): number => Math.max(header.length, ...values.map((v) => v.length))

export function renderTimelineTable(events: readonly MaskEvent[], options: TableOptions): string {
  if (events.length === 0) return 'No matching events.\n'
  const rows = events.map((e) => ({
    time: formatInstant(e.timeUs, options.zone),
    host: escapeControl(e.host ?? ''),
    kind: e.kind,
    subject: escapeControl(subjectOf(e)),
    what: escapeControl(describeEvent(e)),
    source: escapeControl(sourceOf(e)),
  }))
  // Each column's width includes one space of padding on both sides.
  const time = longest(rows.map((r) => r.time), 'Time') + 2
  const kind = longest(rows.map((r) => r.kind), 'Kind') + 2
  const host = clamp(longest(rows.map((r) => r.host), 'Host') + 2, 6, 20)
  const subject = clamp(longest(rows.map((r) => r.subject), 'Unit') + 2, 6, 30)
  const source = clamp(longest(rows.map((r) => r.source), 'Source') + 2, 8, 40)
  const borders = 7
  const what = Math.max(24, options.width - borders - time - kind - host - subject - source)
  const withHost = rows.some((r) => r.host !== '')
  const widths = withHost ? [time, host, kind, subject, what, source] : [time, kind, subject, what + host, source]
  const table = new Table({
    head: withHost ? ['Time', 'Host', 'Kind', 'Unit', 'What happened', 'Source'] : ['Time', 'Kind', 'Unit', 'What happened', 'Source'],
    colWidths: widths,
    style: { head: [], border: [] },
  })
  for (const r of rows) {
    const cells = withHost ? [r.time, r.host, r.kind, r.subject, r.what, r.source] : [r.time, r.kind, r.subject, r.what, r.source]
    table.push(cells.map((c, i) => wrapText(c, widths[i]! - 2)))
  }
  return `${table.toString()}\n`
}
