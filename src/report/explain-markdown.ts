/** `maskwhy explain --format markdown`: for tickets and wikis. GitHub-flavoured tables; log text in safe code spans. */
import type { BrokenPackage, UnitExplanation } from '../correlate/types.ts'
import { formatInstant } from '../time.ts'
import { escapeControl } from './escape.ts'

/** Inline code that no backtick run, pipe or control character in `text` can break out of. */
export function codeSpan(text: string): string {
  const clean = escapeControl(text).replace(/\|/g, '\\|')
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length))
  const fence = '`'.repeat(longest + 1)
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : ''
  return `${fence}${pad}${clean}${pad}${fence}`
}

/** Plain table-cell text: Markdown and HTML specials neutralised. */
function cell(text: string): string {
  return escapeControl(text).replace(/([\\`*_{}[\]<>|#])/g, '\\$1')
}

export function renderExplainMarkdown(units: readonly UnitExplanation[], zone: string, broken: readonly BrokenPackage[] = []): string {
  const out = ['# maskwhy explain', '']
  if (units.length === 0) {
    out.push('No masked units, no mask history and no blocked units in the evidence.', ...brokenMarkdown(broken, zone))
    return `${out.join('\n')}\n`
  }
  out.push('| Unit | State | Masked at | Cause | Confidence | Actor |', '|---|---|---|---|---|---|')
  for (const x of units) {
    const at = x.maskedAtUs === null ? (x.cause ? 'unknown' : '') : formatInstant(x.maskedAtUs, zone)
    out.push(`| ${cell(x.unit)} | ${x.state}${x.blockedBy.length ? ', blocked' : ''} | ${at} | ${x.cause ?? ''} | ${x.confidence ?? ''} | ${cell(x.actor ?? '')} |`)
  }
  for (const x of units) {
    out.push('', `## ${cell(x.unit)}`, '', cell(x.summary), '')
    if (x.cause) out.push(`- **Masked at:** ${x.maskedAtUs === null ? 'unknown' : formatInstant(x.maskedAtUs, zone)} — ${cell(x.maskedAtFrom)}`)
    if (x.transaction) out.push(`- **Transaction:** ${cell(`${x.transaction.manager} ${x.transaction.id}, ${x.transaction.outcome}`)}${x.transaction.command ? ` — ${codeSpan(x.transaction.command)}` : ''}`)
    for (const b of x.blockedBy) out.push(`- **Blocked by:** ${cell(b.unit)} (${cell(b.dependency)}, ${codeSpan(b.source)}; from ${cell(b.origin)})`)
    for (const b of x.blockedUnits) out.push(`- **Blocks:** ${cell(b.unit)} (${cell(b.dependency)}, ${codeSpan(b.source)}; from ${cell(b.origin)})`)
    for (const t of x.triggeredBy) out.push(`- **Activated by:** ${cell(t.unit)} (${cell(t.origin)}, ${codeSpan(t.source)})`)
    if (x.afterUnmask) out.push(`- **After unmask:** ${cell(x.afterUnmask.note)}`)
    for (const c of x.conflicts) out.push(`- **Conflict:** ${cell(c)}`)
    if (x.history.length > 0) {
      out.push('', '| Time | Action | By | Source |', '|---|---|---|---|')
      for (const h of x.history) out.push(`| ${formatInstant(h.timeUs, zone)} | ${h.action} | ${cell(h.by)} | ${codeSpan(h.source)} |`)
    }
    if (x.evidence.length > 0) {
      out.push('', '**Evidence**', '')
      for (const e of x.evidence) out.push(`- ${codeSpan(e.line === null ? e.path : `${e.path}:${e.line}`)} (${cell(e.role)}): ${codeSpan(e.text)}`)
    }
    if (x.fix.length > 0) {
      out.push('', '**Fix** (advice; maskwhy runs nothing)', '')
      for (const f of x.fix) out.push(`- ${cell(f)}`)
    }
  }
  out.push(...brokenMarkdown(broken, zone))
  return `${out.join('\n')}\n`
}

function brokenMarkdown(broken: readonly BrokenPackage[], zone: string): string[] {
  if (broken.length === 0) return []
  const out = ['', '## Broken packages', '', '| Manager | Package | State | As of | Transaction |', '|---|---|---|---|---|']
  for (const b of broken) {
    const t = b.transaction ? `${b.transaction.manager} ${b.transaction.id} (${formatInstant(b.transaction.startUs, zone)}, ${b.transaction.outcome})` : ''
    out.push(`| ${b.manager} | ${cell(b.package ?? '')} | ${cell(b.state)} | ${cell(b.asOf)} | ${cell(t)} |`)
  }
  for (const b of broken) {
    out.push('', `### ${cell(`${b.manager} ${b.package ?? '(no package named)'}`)}`, '')
    if (b.units.length > 0) out.push(`- **Units:** ${b.units.map(cell).join(', ')}`)
    for (const e of b.evidence) out.push(`- ${codeSpan(e.line === null ? e.path : `${e.path}:${e.line}`)} (${cell(e.role)}): ${codeSpan(e.text)}`)
    out.push('', '**Recovery** (advice; maskwhy runs nothing)', '', ...b.recovery.map((r) => `- ${cell(r)}`))
  }
  return out
}
