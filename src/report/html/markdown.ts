/** `maskwhy report --format markdown`: the explain Markdown, framed by the report's header, inputs and diagnostics. No SVG. */
import { locationOf } from '../../diagnostics.ts'
import { formatInstant } from '../../time.ts'
import { escapeControl } from '../escape.ts'
import { codeSpan, renderExplainMarkdown } from '../explain-markdown.ts'
import type { ReportModel } from './model.ts'

/** Plain text in a table cell or a list item: Markdown and HTML specials neutralised. */
function cell(text: string): string {
  return escapeControl(text).replace(/([\\`*_{}[\]<>|#!&])/g, '\\$1')
}

export function renderReportMarkdown(m: ReportModel): string {
  const out = ['# maskwhy report', '']
  const span = m.span === null ? 'no event has a time' : `${formatInstant(m.span.startUs, m.displayTz)} — ${formatInstant(m.span.endUs, m.displayTz)}`
  out.push(`- **Evidence:** ${m.evidence.map(codeSpan).join(', ')}`)
  out.push(`- **Hosts:** ${m.hosts.length ? m.hosts.map(cell).join(', ') : 'not named by the evidence'}`)
  out.push(`- **Evidence time span:** ${span}${m.eventsWithoutTime ? ` (${m.eventsWithoutTime} event(s) without a time)` : ''}`)
  out.push(`- **Times shown in:** ${cell(m.displayTz)}`)
  if (m.zones.length === 0) out.push('- **Evidence time zones:** none needed')
  for (const z of m.zones) out.push(`- **Evidence time zone:** ${codeSpan(z.evidence)}: ${cell(z.zone)} — ${cell(z.source)}`)
  out.push(`- **Unit directories:** ${m.unitDirectories}`)
  out.push(`- **Generated:** ${formatInstant(m.generatedAtUs, 'UTC').replace(/\.\d{6}Z$/, 'Z')} by maskwhy ${cell(m.version)}`, '')

  // The explain document's own title gives way to the report's; its unit headings stay at level 2.
  const explain = renderExplainMarkdown(m.units, m.displayTz, m.brokenPackages ?? []).replace(/^# maskwhy explain\n\n/, '')
  out.push('## Summary', '', explain.trimEnd(), '')

  const t = m.inputs.reduce((a, r) => ({ lines: a.lines + r.linesRead, skipped: a.skipped + r.linesSkipped, events: a.events + r.eventsKept }), { lines: 0, skipped: 0, events: 0 })
  out.push('## Inputs', '', `${m.inputs.length} input(s); ${t.lines} lines read, ${t.skipped} skipped; ${t.events} events kept${m.duplicatesDropped ? `; ${m.duplicatesDropped} duplicate journal entries dropped` : ''}. SHA-256 of the bytes as stored.`, '')
  out.push('| Path | Parser | Status | Lines read | Skipped | Events | Bytes | SHA-256 |', '|---|---|---|---:|---:|---:|---:|---|')
  for (const r of m.inputs) {
    out.push(`| ${codeSpan(r.path)} | ${cell(r.parser ?? '')} | ${r.status} | ${r.linesRead} | ${r.linesSkipped} | ${r.eventsKept} | ${r.bytes} | ${r.sha256 ?? cell(r.hashNote ?? 'not hashed')} |`)
  }
  out.push('', '## Diagnostics', '')
  const d = m.diagnostics
  if (d.total === 0 && m.unitDirectoryProblems.length === 0) out.push('None: every line of every recognised input was read.')
  if (d.total > 0) {
    const counts = [...d.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    out.push(`${d.total} diagnostic(s): ${counts.map(([c, k]) => `${c} ${k}`).join(', ')}`, '')
    out.push('| Severity | Code | Location | Message | Excerpt |', '|---|---|---|---|---|')
    for (const x of d.examples) out.push(`| ${x.severity} | ${x.code} | ${codeSpan(locationOf(x))} | ${cell(x.message)} | ${x.excerpt === null ? '' : codeSpan(x.excerpt)} |`)
  }
  for (const p of m.unitDirectoryProblems) out.push(`- unit directories: ${cell(p)}`)
  return `${out.join('\n')}\n`
}
