/**
 * `maskwhy report`: one self-contained HTML file (no external anything; CSP allows only inline styles,
 * data: images and the one hashed script). Complete and readable with JavaScript off.
 * Every evidence-derived string goes through h(); ids and fragments go through idFor().
 */
import type { BrokenPackage, UnitExplanation } from '../../correlate/types.ts'
import { locationOf } from '../../diagnostics.ts'
import { formatInstant } from '../../time.ts'
import { CSP, SCRIPT, STYLE } from './assets.ts'
import { h, idFor } from './escape.ts'
import type { ReportModel } from './model.ts'
import { renderTimelineSvg } from './svg-timeline.ts'

const table = (id: string | null, head: string[], rows: string[]): string =>
  `<div class="scroll"><table${id ? ` id="${id}"` : ''}><thead><tr>${head.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`

const code = (text: string): string => `<code>${h(text)}</code>`

function maskedAt(x: UnitExplanation, zone: string): string {
  if (x.maskedAtUs !== null) return formatInstant(x.maskedAtUs, zone)
  return x.cause ? 'unknown' : ''
}

function header(m: ReportModel): string {
  const span = m.span === null ? 'no event has a time' : `${formatInstant(m.span.startUs, m.displayTz)} — ${formatInstant(m.span.endUs, m.displayTz)}`
  const undated = m.eventsWithoutTime > 0 ? ` <span class="muted">(${m.eventsWithoutTime} event(s) without a time)</span>` : ''
  const zones =
    m.zones.length === 0
      ? '<span class="muted">none needed (no input with zone-less local times)</span>'
      : m.zones.length === 1
        ? zoneText(m.zones[0]!)
        : `<ul>${m.zones.map((z) => `<li>${code(z.evidence)}: ${zoneText(z)}</li>`).join('')}</ul>`
  const generated = formatInstant(m.generatedAtUs, 'UTC').replace(/\.\d{6}Z$/, 'Z')
  return [
    '<header>',
    '<h1>maskwhy report</h1>',
    '<dl class="meta">',
    `<dt>Evidence</dt><dd>${m.evidence.map(code).join(', ')}</dd>`,
    `<dt>Hosts</dt><dd>${m.hosts.length ? m.hosts.map(h).join(', ') : '<span class="muted">not named by the evidence</span>'}</dd>`,
    `<dt>Evidence time span</dt><dd>${h(span)}${undated}</dd>`,
    `<dt>Times shown in</dt><dd>${h(m.displayTz)}</dd>`,
    `<dt>Evidence time zones</dt><dd>${zones}</dd>`,
    `<dt>Unit directories</dt><dd>${{ read: 'read from the copied filesystem', absent: 'none in the evidence directory: state from the logs', none: 'not given (files or stdin only): state from the logs' }[m.unitDirectories]}</dd>`,
    `<dt>Generated</dt><dd><time datetime="${h(generated)}">${h(generated)}</time> by maskwhy ${h(m.version)}</dd>`,
    '</dl>',
    '</header>',
  ].join('\n')
}

function summaryTable(m: ReportModel, ids: Map<UnitExplanation, string>): string {
  if (m.units.length === 0) {
    return '<p id="no-units">No masked units, no mask history and no blocked units in the evidence.</p>\n' + table('summary', ['Unit', 'State', 'Masked at', 'Cause', 'Confidence', 'Actor'], [])
  }
  const rows = m.units.map((x) => {
    const state = `<span class="badge ${h(x.state)}">${h(x.state)}</span>${x.blockedBy.length ? ' <span class="badge blocked">blocked</span>' : ''}`
    const conf = x.confidence ? `<span class="badge ${h(x.confidence)}">${h(x.confidence)}</span>` : ''
    return (
      `<tr data-unit="${h(x.unit)}"><td class="unit"><a href="#${ids.get(x)}">${h(x.unit)}</a></td><td>${state}</td>` +
      `<td class="time">${h(maskedAt(x, m.displayTz))}</td><td>${h(x.cause ?? '')}</td><td>${conf}</td><td>${h(x.actor ?? '')}</td></tr>`
    )
  })
  return table('summary', ['Unit', 'State', 'Masked at', 'Cause', 'Confidence', 'Actor'], rows)
}

const LEGEND = [
  '<ul class="legend">',
  '<li><svg class="tl" width="14" height="14" aria-hidden="true"><circle class="mask" cx="7" cy="7" r="5.5"/></svg>mask</li>',
  '<li><svg class="tl" width="14" height="14" aria-hidden="true"><circle class="unmask" cx="7" cy="7" r="5.5"/></svg>unmask</li>',
  '<li><svg class="tl" width="14" height="14" aria-hidden="true"><path class="refused" d="M7 1l5 6l-5 6l-5 -6z"/></svg>start refused / masked dependency</li>',
  '<li><svg class="tl" width="24" height="12" aria-hidden="true"><rect class="masked" x="1" y="1" width="22" height="10"/></svg>masked (to the right edge: still masked when copied)</li>',
  '<li><svg class="tl" width="24" height="12" aria-hidden="true"><rect class="masked unknown-start" x="1" y="1" width="22" height="10"/></svg>masked, start or end unknown</li>',
  '<li><svg class="tl" width="24" height="12" aria-hidden="true"><rect class="transaction" x="1" y="1" width="22" height="10"/></svg>package transaction</li>',
  '<li><svg class="tl" width="24" height="12" aria-hidden="true"><rect class="transaction interrupted" x="1" y="1" width="22" height="10"/></svg>interrupted (never ended)</li>',
  '<li><svg class="tl" width="14" height="14" aria-hidden="true"><line class="boot" x1="7" y1="0" x2="7" y2="14"/></svg>boot</li>',
  '</ul>',
].join('')

function unitSection(x: UnitExplanation, id: string, zone: string): string {
  const out: string[] = [`<section class="unit" id="${id}" data-unit="${h(x.unit)}">`]
  const blocked = x.blockedBy.length ? ' <span class="badge blocked">blocked</span>' : ''
  out.push(`<h2>${h(x.unit)} <span class="badge ${h(x.state)}">${h(x.state)}</span>${blocked}</h2>`)
  out.push(`<p class="narrative">${h(x.summary)}</p>`)
  const facts: string[] = []
  const fact = (name: string, html: string): number => facts.push(`<dt>${name}</dt><dd>${html}</dd>`)
  if (x.host !== null) fact('Host', h(x.host))
  fact('State', `${h(x.state)} <span class="muted">(from ${h(x.stateFrom)})</span>${x.path ? ` — ${code(x.path)}` : ''}`)
  if (x.cause) {
    fact('Masked at', `${h(maskedAt(x, zone))} <span class="muted">— ${h(x.maskedAtFrom)}</span>`)
    fact('Cause', `<strong>${h(x.cause)}</strong>${x.actor ? ` by ${h(x.actor)}` : ''}`)
  }
  if (x.confidence) fact('Confidence', `<span class="badge ${h(x.confidence)}">${h(x.confidence)}</span> ${h(x.confidenceReason)}`)
  if (x.transaction) {
    const t = x.transaction
    const parts = [
      `${h(t.manager)} ${code(t.id)}, <strong>${h(t.outcome)}</strong> <span class="muted">(${h(t.outcomeReason)})</span>`,
      `started ${h(formatInstant(t.startUs, zone))}${t.endUs === null ? '' : `, ended ${h(formatInstant(t.endUs, zone))}`}`,
      ...(t.command ? [`command ${code(t.command)}`] : []),
      ...(t.requestedBy ? [`requested by ${h(t.requestedBy)}`] : []),
    ]
    fact('Transaction', parts.join('; '))
  }
  for (const b of x.blockedBy) fact('Blocked by', `${h(b.unit)} (${h(b.dependency)}, ${code(b.source)}; from ${h(b.origin)})`)
  for (const b of x.blockedUnits) fact('Blocks', `${h(b.unit)} (${h(b.dependency)}, ${code(b.source)}; from ${h(b.origin)})`)
  for (const t of x.triggeredBy) fact('Activated by', `${h(t.unit)} (${h(t.origin)}, ${code(t.source)})`)
  if (x.afterUnmask) fact('After unmask', h(x.afterUnmask.note))
  for (const c of x.conflicts) fact('Conflict', `<span class="conflict">${h(c)}</span>`)
  out.push(`<dl>${facts.join('')}</dl>`)
  if (x.history.length > 0) {
    out.push('<h3>History</h3>')
    out.push(
      table(
        null,
        ['Time', 'Action', 'By', 'Source', 'Text'],
        x.history.map(
          (i) =>
            `<tr class="history ${h(i.action)}"><td class="time">${h(formatInstant(i.timeUs, zone))}</td><td class="nowrap">${h(i.action)}</td><td class="by">${h(i.by)}</td><td class="source">${code(i.source)}</td><td class="text">${code(i.text)}</td></tr>`,
        ),
      ),
    )
  }
  if (x.evidence.length > 0) {
    out.push('<h3>Evidence</h3>', '<ul class="evidence">')
    for (const e of x.evidence) {
      const where = e.line === null ? e.path : `${e.path}:${e.line}`
      // A filesystem fact's time is the file's own mtime (weak evidence, changed by a checkout or cp -r).
      const when = e.timeUs === null ? '' : e.line === null ? ` <span class="mtime">file mtime ${h(formatInstant(e.timeUs, zone))}</span>` : ` <span class="muted">${h(formatInstant(e.timeUs, zone))}</span>`
      const cursor = e.cursor === null ? '' : ` <span class="muted cursor" title="journal cursor">${h(e.cursor)}</span>`
      out.push(`<li><code class="source">${h(where)}</code> <span class="role">(${h(e.role)})</span>${when}${cursor}<pre><code class="text">${h(e.text)}</code></pre></li>`)
    }
    out.push('</ul>')
  }
  if (x.fix.length > 0) {
    out.push('<h3>Fix <span class="muted">(advice; maskwhy runs nothing)</span></h3>', `<ol class="fix">${x.fix.map((f) => `<li>${h(f)}</li>`).join('')}</ol>`)
  }
  out.push('</section>')
  return out.join('\n')
}

/** Packages left half-way when copied: each with the transaction that left it so and the recovery commands. */
function brokenPackagesSection(broken: readonly BrokenPackage[], zone: string): string[] {
  if (broken.length === 0) return []
  const out = ['<section id="broken-packages">', '<h2>Broken packages</h2>', '<p class="muted">The next masked unit is often one of theirs.</p>']
  for (const b of broken) {
    const t = b.transaction
    const facts = [
      `<dt>State</dt><dd>${h(b.state)} <span class="muted">(as of ${h(b.asOf)})</span></dd>`,
      ...(b.units.length ? [`<dt>Units</dt><dd>${b.units.map(code).join(', ')}</dd>`] : []),
      ...(t ? [`<dt>Transaction</dt><dd>${h(t.manager)} ${code(t.id)}, <strong>${h(t.outcome)}</strong> <span class="muted">(${h(t.outcomeReason)})</span>; started ${h(formatInstant(t.startUs, zone))}${t.command ? `; command ${code(t.command)}` : ''}</dd>`] : []),
    ]
    out.push(`<h3>${h(b.manager)} ${h(b.package ?? '(no package named)')}</h3>`, `<dl>${facts.join('')}</dl>`, '<ul class="evidence">')
    for (const e of b.evidence) out.push(`<li><code class="source">${h(e.line === null ? e.path : `${e.path}:${e.line}`)}</code> <span class="role">(${h(e.role)})</span><pre><code class="text">${h(e.text)}</code></pre></li>`)
    out.push('</ul>', `<ol class="fix">${b.recovery.map((r) => `<li>${h(r)}</li>`).join('')}</ol>`)
  }
  out.push('</section>')
  return [out.join('\n')]
}

function inventory(m: ReportModel): string {
  const rows = m.inputs.map((r) => {
    const hash = r.sha256 ?? `<span class="muted">${h(r.hashNote ?? 'not hashed')}</span>`
    return (
      `<tr><td class="source">${code(r.path)}</td><td>${h(r.parser ?? '')}${r.routedBy ? ` <span class="muted">(${h(r.routedBy)})</span>` : ''}</td><td>${h(r.status)}${r.compression ? ` <span class="muted">${h(r.compression)}</span>` : ''}</td>` +
      `<td class="num">${r.linesRead}</td><td class="num">${r.linesSkipped}</td><td class="num">${r.eventsKept}</td><td class="num">${r.bytes}</td><td class="hash">${hash}</td></tr>`
    )
  })
  const t = m.inputs.reduce((a, r) => ({ lines: a.lines + r.linesRead, skipped: a.skipped + r.linesSkipped, events: a.events + r.eventsKept }), { lines: 0, skipped: 0, events: 0 })
  const dup = m.duplicatesDropped > 0 ? `; ${m.duplicatesDropped} duplicate journal entries dropped` : ''
  return [
    '<section id="inventory">',
    '<h2>Inputs</h2>',
    `<p>${m.inputs.length} input(s); ${t.lines} lines read, ${t.skipped} skipped; ${t.events} events kept${dup}. SHA-256 is of the bytes as stored (a <code>.gz</code> file: its compressed bytes), read again, read-only, for this report.</p>`,
    table(null, ['Path', 'Parser', 'Status', 'Lines read', 'Skipped', 'Events', 'Bytes', 'SHA-256'], rows),
    '</section>',
  ].join('\n')
}

function diagnostics(m: ReportModel): string {
  const out = ['<section id="diagnostics">', '<h2>Diagnostics</h2>']
  const d = m.diagnostics
  if (d.total === 0 && m.unitDirectoryProblems.length === 0) out.push('<p>None: every line of every recognised input was read.</p>')
  if (d.total > 0) {
    const counts = [...d.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    out.push(`<p>${d.total} diagnostic(s): ${counts.map(([c, k]) => `${code(c)} ${k}`).join(', ')}${d.examples.length < d.total ? ` (the first ${d.examples.length} are listed)` : ''}.</p>`)
    out.push(
      table(
        null,
        ['Severity', 'Code', 'Location', 'Message', 'Excerpt'],
        d.examples.map(
          (x) =>
            `<tr><td class="sev-${h(x.severity)}">${h(x.severity)}</td><td>${code(x.code)}</td><td>${code(locationOf(x))}</td><td>${h(x.message)}</td><td>${x.excerpt === null ? '' : code(x.excerpt)}</td></tr>`,
        ),
      ),
    )
  }
  if (m.unitDirectoryProblems.length > 0) {
    out.push('<h3>Unit directories</h3>', `<ul>${m.unitDirectoryProblems.map((p) => `<li>${h(p)}</li>`).join('')}</ul>`)
  }
  out.push('</section>')
  return out.join('\n')
}

export function renderReportHtml(m: ReportModel): string {
  const taken = new Set<string>()
  const ids = new Map(m.units.map((x) => [x, idFor('unit-', x.unit, taken)] as const))
  const title = `maskwhy report${m.hosts.length ? ` — ${m.hosts.join(', ')}` : ''}`
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="maskwhy ${h(m.version)}">`,
    `<title>${h(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    header(m),
    '<main>',
    '<section id="units-summary">',
    '<h2>Summary</h2>',
    summaryTable(m, ids),
    '</section>',
    '<section id="timeline-section">',
    '<h2>Timeline</h2>',
    `<div class="scroll">${renderTimelineSvg({ units: m.units, transactions: m.transactions, boots: m.boots, zone: m.displayTz })}</div>`,
    LEGEND,
    '</section>',
    ...m.units.map((x) => unitSection(x, ids.get(x)!, m.displayTz)),
    ...brokenPackagesSection(m.brokenPackages ?? [], m.displayTz),
    inventory(m),
    diagnostics(m),
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** `Europe/Berlin — etc/localtime → /usr/share/zoneinfo/Europe/Berlin` */
function zoneText(z: { zone: string; source: string }): string {
  return `<strong>${h(z.zone)}</strong> — ${h(z.source)}`
}
