/** The closing summary a person reads on stderr: what was read, what was skipped, and why (compiler-style). */
import { locationOf, type DiagnosticLog } from '../diagnostics.ts'
import type { InventoryRow } from '../run.ts'
import { escapeControl } from './escape.ts'

const SHOWN = 10

export interface RunTotals {
  inputs: number
  parsed: number
  unrecognised: number
  linesRead: number
  linesSkipped: number
  eventsKept: number
}

export function totalsOf(inventory: readonly InventoryRow[]): RunTotals {
  const t: RunTotals = { inputs: inventory.length, parsed: 0, unrecognised: 0, linesRead: 0, linesSkipped: 0, eventsKept: 0 }
  for (const r of inventory) {
    if (r.status === 'parsed') t.parsed++
    else if (r.status === 'unrecognised') t.unrecognised++
    t.linesRead += r.linesRead
    t.linesSkipped += r.linesSkipped
    t.eventsKept += r.eventsKept
  }
  return t
}

export function renderSummary(
  inventory: readonly InventoryRow[],
  diagnostics: DiagnosticLog,
  extra: { shown: number; duplicatesDropped: number; unknownTimeExcluded: number },
  shownLabel = 'shown',
): string {
  const t = totalsOf(inventory)
  const out: string[] = []
  for (const d of diagnostics.examples.slice(0, SHOWN)) {
    out.push(`${d.severity}[${d.code}]: ${escapeControl(d.message)}`)
    out.push(`  --> ${escapeControl(locationOf(d))}`)
    if (d.excerpt !== null) out.push(`   | ${escapeControl(d.excerpt)}`)
  }
  if (diagnostics.total > SHOWN) out.push(`… and ${diagnostics.total - SHOWN} more diagnostics (all counted in --format json)`)
  const unrec = t.unrecognised > 0 ? `, ${t.unrecognised} not recognised` : ''
  out.push(
    `maskwhy: ${t.inputs} input(s), ${t.parsed} parsed${unrec}; ${t.linesRead} lines read, ${t.linesSkipped} skipped; ` +
      `${t.eventsKept} events kept, ${extra.shown} ${shownLabel}; ${diagnostics.total} diagnostic(s)` +
      (extra.duplicatesDropped > 0 ? `; ${extra.duplicatesDropped} duplicate journal entries dropped` : '') +
      (extra.unknownTimeExcluded > 0 ? `; ${extra.unknownTimeExcluded} events with unknown time left out by --since/--until` : ''),
  )
  return `${out.join('\n')}\n`
}
