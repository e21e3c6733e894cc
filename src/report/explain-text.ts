/** `maskwhy explain` for a terminal: a summary table, then one section per unit. Log text is escaped. */
import Table from 'cli-table3'
import type { BrokenPackage, UnitExplanation } from '../correlate/types.ts'
import { formatInstant } from '../time.ts'
import { escapeControl } from './escape.ts'
import { wrapText } from './table.ts'

const cite = (path: string, line: number | null): string => (line === null ? path : `${path}:${line}`)

export function renderExplainText(units: readonly UnitExplanation[], options: { zone: string; width: number }, broken: readonly BrokenPackage[] = []): string {
  if (units.length === 0) return `No masked units, no mask history and no blocked units in the evidence.\n${brokenSection(broken, options.zone).map((l) => `${l}\n`).join('')}`
  const widths = [30, 16, 29, 25, 12]
  const actorWidth = Math.max(16, options.width - widths.reduce((a, b) => a + b, 0) - 7)
  const table = new Table({
    head: ['Unit', 'State', 'Masked at', 'Cause', 'Confidence', 'Actor'],
    colWidths: [...widths, actorWidth],
    style: { head: [], border: [] },
  })
  for (const x of units) {
    const blocked = x.blockedBy.length > 0 ? 'blocked' : ''
    const cells = [
      escapeControl(x.unit),
      x.state === 'not-masked' && blocked ? 'not-masked, blocked' : x.state,
      x.maskedAtUs === null ? (x.cause ? 'unknown' : '') : formatInstant(x.maskedAtUs, options.zone),
      x.cause ?? '',
      x.confidence ?? '',
      escapeControl(x.actor ?? (x.cause ? 'unknown' : '')),
    ]
    table.push(cells.map((c, i) => wrapText(c, [...widths, actorWidth][i]! - 2)))
  }
  const out = [table.toString(), '']
  for (const x of units) out.push(...section(x, options.zone))
  out.push(...brokenSection(broken, options.zone))
  return `${out.join('\n')}\n`
}

/** Packages left half-way, each with the transaction that left it so and how to recover. */
function brokenSection(broken: readonly BrokenPackage[], zone: string): string[] {
  if (broken.length === 0) return []
  const lines = ['== Broken packages (the next masked unit is often one of theirs)']
  for (const b of broken) {
    lines.push(`${b.manager} ${escapeControl(b.package ?? '(no package named)')}: ${escapeControl(b.state)} — as of ${escapeControl(b.asOf)}`)
    if (b.units.length > 0) lines.push(`  Units: ${b.units.join(', ')}`)
    const t = b.transaction
    if (t) {
      lines.push(
        `  Transaction: ${t.manager} ${escapeControl(t.id)} at ${formatInstant(t.startUs, zone)}, ${t.outcome} (${escapeControl(t.outcomeReason)})` +
          (t.command ? `; command: ${escapeControl(t.command)}` : ''),
      )
    }
    for (const e of b.evidence) lines.push(`  ${escapeControl(cite(e.path, e.line))}  (${e.role})`, `    | ${escapeControl(e.text)}`)
    lines.push('  Recovery (advice; maskwhy runs nothing):', ...b.recovery.map((r) => `    - ${escapeControl(r)}`))
  }
  lines.push('')
  return lines
}

function section(x: UnitExplanation, zone: string): string[] {
  const from =
    x.stateFrom === 'events'
      ? ' (from the logs: no unit directories in the evidence)'
      : x.stateFrom === 'listing'
        ? ' (from systemctl list-unit-files: the copied unit directories cannot say)'
        : ''
  const lines = [`== ${escapeControl(x.unit)} — ${x.state}${from}`]
  lines.push(escapeControl(x.summary))
  if (x.cause) {
    lines.push(`Masked at: ${x.maskedAtUs === null ? 'unknown' : formatInstant(x.maskedAtUs, zone)} — ${escapeControl(x.maskedAtFrom)}`)
  }
  if (x.transaction) {
    const t = x.transaction
    lines.push(
      `Transaction: ${t.manager} ${escapeControl(t.id)}, ${t.outcome} (${escapeControl(t.outcomeReason)})` +
        (t.command ? `; command: ${escapeControl(t.command)}` : '') +
        (t.requestedBy ? `; requested by ${escapeControl(t.requestedBy)}` : ''),
    )
  }
  if (x.history.length > 0) {
    lines.push('History:')
    for (const h of x.history) lines.push(`  ${formatInstant(h.timeUs, zone)}  ${h.action.padEnd(20)} ${escapeControl(h.by)}  [${escapeControl(h.source)}]`)
  }
  for (const b of x.blockedBy) lines.push(`Blocked by: ${escapeControl(b.unit)} (${b.dependency}, ${escapeControl(b.source)}; from ${escapeControl(b.origin)})`)
  for (const b of x.blockedUnits) lines.push(`Blocks: ${escapeControl(b.unit)} (${b.dependency}, ${escapeControl(b.source)}; from ${escapeControl(b.origin)})`)
  for (const t of x.triggeredBy) lines.push(`Activated by: ${escapeControl(t.unit)} (${escapeControl(t.origin)}, ${escapeControl(t.source)})`)
  if (x.afterUnmask) lines.push(`After unmask: ${escapeControl(x.afterUnmask.note)}`)
  if (x.evidence.length > 0) {
    lines.push('Evidence:')
    for (const e of x.evidence) lines.push(`  ${escapeControl(cite(e.path, e.line))}  (${e.role})`, `    | ${escapeControl(e.text)}`)
  }
  for (const c of x.conflicts) lines.push(`Conflict: ${escapeControl(c)}`)
  if (x.fix.length > 0) {
    lines.push('Fix (advice; maskwhy runs nothing):')
    for (const f of x.fix) lines.push(`  - ${escapeControl(f)}`)
  }
  lines.push('')
  return lines
}
