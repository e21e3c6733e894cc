// `maskwhy report`: escaping of hostile evidence text, CSP, determinism, timeline structure, the -o guard.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { UnitExplanation } from '../src/correlate/types.ts'
import { DiagnosticLog } from '../src/diagnostics.ts'
import type { Boot, PackageTransaction } from '../src/events.ts'
import { escapeHtml, h, idFor } from '../src/report/html/escape.ts'
import type { ReportModel } from '../src/report/html/model.ts'
import { renderReportHtml } from '../src/report/html/page.ts'
import { renderTimelineSvg } from '../src/report/html/svg-timeline.ts'
import { maskwhy, REPO } from './helpers/cli.ts'

const sample = (name: string): string => `${REPO}samples/${name}/`
const T = Date.UTC(2024, 2, 1, 10, 0, 0) * 1000
const HOSTILE = [`<script>alert(1)</script>`, `"><img src=x onerror=alert(2)>`, `'><svg onload=alert(3)>`, `</svg><script>alert(4)</script>`, `javascript:alert(5)`, `a&b`, '\u001b[2J\u202e']
const hostile = HOSTILE.join(' ')

function base(text: string, line: number, timeUs: number | null) {
  return { timeUs, timeBasis: 'utc' as const, timeZone: null, timeZoneSource: null, timeNote: null, host: hostile, path: `var/log/${hostile}`, line, cursor: null, parser: 'test', text }
}

function unit(name: string, o: Partial<UnitExplanation> = {}): UnitExplanation {
  return {
    unit: name, host: hostile, state: 'masked', stateFrom: 'filesystem', path: `etc/systemd/system/${name}`, maskedAtUs: T, maskedAtFrom: hostile,
    cause: 'admin-command', confidence: 'high', confidenceReason: hostile, actor: hostile,
    transaction: { manager: 'apt', id: hostile, startUs: T, endUs: null, command: hostile, requestedBy: hostile, outcome: 'interrupted', outcomeReason: hostile },
    history: [
      { timeUs: T, action: 'masked', by: hostile, source: `${hostile}:1`, text: hostile },
      { timeUs: T + 60e6, action: 'unmasked', by: hostile, source: `${hostile}:2`, text: hostile },
      { timeUs: T + 120e6, action: 'masked', by: hostile, source: `${hostile}:3`, text: hostile },
      { timeUs: T + 150e6, action: 'mask-refused', by: hostile, source: `${hostile}:4`, text: hostile },
    ],
    blockedUnits: [{ unit: hostile, dependency: 'Requires', source: hostile, origin: hostile }], blockedBy: [], triggeredBy: [], afterUnmask: null, summary: hostile,
    evidence: [{ path: hostile, line: 7, cursor: hostile, timeUs: T, role: hostile, text: hostile }], fix: [hostile], conflicts: [hostile], ...o,
  }
}

function model(o: Partial<ReportModel> = {}): ReportModel {
  const diagnostics = new DiagnosticLog()
  diagnostics.add({ code: 'JSON_INVALID', severity: 'error', path: hostile, line: 3, message: hostile, excerpt: hostile })
  const transactions: PackageTransaction[] = [
    { ...base(hostile, 1, T - 30e6), kind: 'package-transaction', tool: 'apt', transactionId: hostile, commandLine: hostile, actor: hostile, outcome: 'completed', outcomeReason: hostile, endUs: T - 20e6 },
    { ...base(hostile, 9, T + 90e6), kind: 'package-transaction', tool: 'apt', transactionId: 'second', commandLine: hostile, actor: null, outcome: 'interrupted', outcomeReason: 'no End-Date', endUs: null },
  ]
  const boots: Boot[] = [{ ...base(hostile, 1, T - 60e6), kind: 'boot', bootId: hostile }]
  return {
    version: '0.0.0-test', generatedAtUs: Date.UTC(2025, 0, 1) * 1000, displayTz: 'UTC', evidence: [hostile], hosts: [hostile],
    span: { startUs: T - 60e6, endUs: T + 150e6 }, eventsWithoutTime: 0, zones: [{ evidence: hostile, zone: 'UTC', source: hostile }],
    unitDirectories: 'read', unitDirectoryProblems: [hostile],
    units: [unit(`${hostile}.service`), unit('plain.service', { history: [], maskedAtUs: null, cause: 'unknown', transaction: null })],
    transactions, boots,
    inputs: [{ path: hostile, parser: 'journal-json', routedBy: 'path', status: 'parsed', compression: null, linesRead: 3, linesParsed: 2, linesSkipped: 1, eventsKept: 2, bytes: 10, sha256: 'ab'.repeat(32), hashNote: null }],
    diagnostics, duplicatesDropped: 0, ...o,
  }
}

const count = (text: string, re: RegExp): number => (text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)) ?? []).length
const timelineOf = (html: string): string => /<svg id="timeline"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? ''

/** Every tag name and attribute the page is allowed to contain: anything else came from the evidence. */
function assertOnlyOwnMarkup(html: string): void {
  const allowed = new Set([
    'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'dl', 'dt', 'dd', 'ul', 'ol', 'li', 'strong', 'span', 'code', 'pre', 'time',
    'main', 'section', 'div', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'p', 'script', 'svg', 'defs', 'pattern', 'rect', 'line', 'g', 'text', 'circle', 'path',
  ])
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)) assert.ok(allowed.has(m[1]!.toLowerCase()), `unexpected element <${m[1]}>`)
  assert.equal(count(html, /<script/i), 1, 'exactly one script element')
  // Evidence text cannot open a tag (every < is escaped), so each tag found here is the report's own:
  // its attribute names (values blanked) must be harmless, and links in-page fragments.
  const names = new Set<string>()
  for (const [tag] of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const m of tag.replace(/"[^"]*"/g, '""').matchAll(/\s([^\s=>/]+)=/g)) names.add(m[1]!.toLowerCase())
    for (const m of tag.matchAll(/\shref="([^"]*)"/g)) assert.match(m[1]!, /^#unit-[A-Za-z0-9._@:-]+$/, 'links are in-page fragments only')
  }
  for (const name of names) assert.ok(!/^on|^(src|srcdoc|xlink:href|action|formaction|style)$/.test(name), `attribute ${name}`)
  assert.doesNotMatch(html, /[\u001b\u202e]/, 'control and bidi characters are shown escaped')
}

describe('report HTML escaping', () => {
  it('escapeHtml and h() cover &<>"\' and control characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
    assert.equal(h('\u001b[2J\u202e'), '\\e[2J\\u202e')
    assert.equal(h('\ud800x'), '\ufffdx')
    const taken = new Set<string>()
    assert.equal(idFor('unit-', `"><x`, taken), 'unit----x')
    assert.equal(idFor('unit-', `"><x`, taken), 'unit----x-2')
  })

  it('hostile strings render as text everywhere: element text, attributes and the SVG', () => {
    const html = renderReportHtml(model())
    assertOnlyOwnMarkup(html)
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
    assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'))
    assert.ok(html.includes('&lt;/svg&gt;&lt;script&gt;alert(4)&lt;/script&gt;'))
    // In attribute values: data-unit on the summary row, the lane and the section.
    const attr = `data-unit="${escapeHtml(`${hostile.replace('\u001b', '\\e').replace('\u202e', '\\u202e')}.service`)}"`
    assert.equal(count(html, new RegExp(attr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))), 3)
    const svg = timelineOf(html)
    assert.ok(svg.endsWith('</svg>') && count(svg, /<\/svg>/) === 1, 'the SVG is closed only by its own tag')
    assert.ok(svg.includes('&lt;/svg&gt;'))
    assert.doesNotMatch(svg, /<script|<img/)
  })

  it('CLI: a hostile host name, user and path in a journal stay text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskwhy-report-'))
    try {
      const evidence = join(dir, 'evidence')
      cpSync(`${sample('admin-mask')}evidence`, evidence, { recursive: true, verbatimSymlinks: true })
      const journal = join(evidence, 'var/log/journal-export.json')
      const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>)
      for (const e of lines) {
        e['_HOSTNAME'] = `web1"><img src=x onerror=alert(1)>`
        if (e['SYSLOG_IDENTIFIER'] === 'sudo') e['MESSAGE'] = e['MESSAGE']!.replace('PWD=/home/alice', `PWD=/tmp/</svg><script>alert(2)</script>`)
      }
      writeFileSync(journal, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
      const run = await maskwhy(['report', evidence, '--generated-at', '2025-01-01T00:00:00Z'])
      assert.equal(run.exitCode, 0, run.stderr)
      assertOnlyOwnMarkup(run.stdout)
      assert.ok(run.stdout.includes('web1&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'))
      assert.ok(run.stdout.includes('PWD=/tmp/&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('report HTML structure', () => {
  it('CSP is present, first in <head>, and names the hash of the one inline script', () => {
    const html = renderReportHtml(model())
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)
    assert.ok(csp, 'CSP meta')
    assert.ok(html.indexOf(csp[0]) < html.indexOf('<style>') && html.indexOf(csp[0]) < html.indexOf('<script>'))
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!
    const hash = createHash('sha256').update(script, 'utf8').digest('base64')
    assert.equal(csp[1], `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'`)
    assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/2000\/svg")/, 'no external URL (only the SVG namespace)')
  })

  it('one lane, one summary row and one section per explained unit, plus the packages lane', () => {
    const html = renderReportHtml(model())
    const svg = timelineOf(html)
    assert.equal(count(svg, /<g class="lane" data-unit="/), 2)
    assert.equal(count(svg, /<g class="lane" data-lane="packages"/), 1)
    assert.equal(count(html, /<tr data-unit="/), 2)
    assert.equal(count(html, /<section class="unit" id="unit-/), 2)
    for (const id of ['summary', 'inventory', 'diagnostics']) assert.match(html, new RegExp(`id="${id}"`))
    assert.equal(count(svg, /<circle class="mask"/), 2)
    assert.equal(count(svg, /<circle class="unmask"/), 1)
    assert.equal(count(svg, /<line class="boot"[^>]*><title>/), 1)
    assert.match(svg, /<circle class="mask"[^>]*><title>masked at 2024-03-01T10:00:00\.000000Z/)
    // masked 10:00–10:01 (closed), then from 10:02 on, still masked: open to the right edge (x + width = 980).
    const rects = [...svg.matchAll(/<rect class="(masked[^"]*)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ cls: m[1], right: Number(m[2]) + Number(m[3]) }))
    assert.deepEqual(rects.map((r) => r.cls), ['masked', 'masked open', 'masked open unknown-start'])
    assert.ok(Math.abs(rects[1]!.right - 980) < 0.2 && rects[0]!.right < 980)
  })

  it('an interrupted transaction is open-ended and hatched; a completed one is not', () => {
    const svg = renderTimelineSvg({ units: [], transactions: model().transactions, boots: [], zone: 'UTC' })
    const bars = [...svg.matchAll(/<rect class="(transaction[^"]*)" data-outcome="(\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)]
    assert.deepEqual(bars.map((b) => [b[1], b[2]]), [['transaction', 'completed'], ['transaction interrupted open', 'interrupted']])
    assert.ok(Math.abs(Number(bars[1]![3]) + Number(bars[1]![4]) - 980) < 0.2)
    assert.ok(Number(bars[0]![3]) + Number(bars[0]![4]) < 900)
    assert.match(svg, /rect\.transaction\.interrupted|url\(#hatch\)|id="hatch"/)
  })

  it('samples/package-mask: two unit lanes, an interrupted transaction to the right edge, hashes of every input', async () => {
    const run = await maskwhy(['report', 'evidence', '--generated-at', '2025-01-01T00:00:00Z'], { cwd: sample('package-mask') })
    assert.equal(run.exitCode, 0, run.stderr)
    const svg = timelineOf(run.stdout)
    assert.deepEqual([...svg.matchAll(/<g class="lane" data-unit="([^"]+)"/g)].map((m) => m[1]), ['webcache-legacy.service', 'webcache-warmup.service'])
    assert.ok(count(svg, /<rect class="transaction interrupted open"/) >= 1)
    const hashes = [...run.stdout.matchAll(/<td class="source"><code>([^<]+)<\/code><\/td>.*?<td class="hash">([0-9a-f]{64})<\/td>/g)]
    assert.equal(hashes.length, 5)
    for (const [, path, hash] of hashes) {
      assert.equal(hash, createHash('sha256').update(readFileSync(`${sample('package-mask')}evidence/${path}`)).digest('hex'), path)
    }
  })
})

describe('maskwhy report (CLI)', () => {
  it('is deterministic with --generated-at; only the generation time changes without it', async () => {
    const args = ['report', 'evidence', '--generated-at', '2025-01-01T00:00:00Z']
    const [a, b] = await Promise.all([maskwhy(args, { cwd: sample('admin-mask') }), maskwhy(args, { cwd: sample('admin-mask') })])
    assert.equal(a.exitCode, 0, a.stderr)
    assert.equal(a.stdout, b.stdout)
    assert.match(a.stdout, /<time datetime="2025-01-01T00:00:00Z">/)
    const now = await maskwhy(['report', 'evidence'], { cwd: sample('admin-mask') })
    const strip = (s: string): string => s.replace(/<time datetime="[^"]*">[^<]*<\/time>/, '')
    assert.equal(strip(now.stdout), strip(a.stdout))
  })

  it('refuses -o inside an evidence directory (exit 2, nothing written), also through a symlink', async () => {
    const target = `${sample('admin-mask')}evidence/var/log/report.html`
    const run = await maskwhy(['report', 'evidence', '-o', 'evidence/var/log/report.html'], { cwd: sample('admin-mask') })
    assert.equal(run.exitCode, 2)
    assert.match(run.stderr, /inside the evidence/)
    assert.equal(existsSync(target), false)
    const dir = mkdtempSync(join(tmpdir(), 'maskwhy-report-'))
    try {
      symlinkSync(`${sample('admin-mask')}evidence/var`, join(dir, 'link'))
      const viaLink = await maskwhy(['report', `${sample('admin-mask')}evidence`, '-o', join(dir, 'link/r.html')])
      assert.equal(viaLink.exitCode, 2)
      assert.equal(existsSync(`${sample('admin-mask')}evidence/var/r.html`), false)
      const onFile = await maskwhy(['report', `${sample('admin-mask')}evidence/var/log/journal-export.json`, '-o', `${sample('admin-mask')}evidence/var/log/journal-export.json`])
      assert.equal(onFile.exitCode, 2)
      const ok = await maskwhy(['report', `${sample('admin-mask')}evidence`, '-o', join(dir, 'r.html'), '--generated-at', '2025-01-01T00:00:00Z'])
      assert.equal(ok.exitCode, 0, ok.stderr)
      assert.equal(ok.stdout, '')
      assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /^<!DOCTYPE html>/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects a bad --generated-at as a usage error', async () => {
    const run = await maskwhy(['report', 'evidence', '--generated-at', 'yesterday'], { cwd: sample('admin-mask') })
    assert.equal(run.exitCode, 2)
  })

  it('stdin is hashed from the bytes read', async () => {
    const input = readFileSync(`${sample('admin-mask')}evidence/var/log/journal-export.json`)
    const run = await maskwhy(['report', '-', '--generated-at', '2025-01-01T00:00:00Z'], { input })
    assert.equal(run.exitCode, 0, run.stderr)
    assert.ok(run.stdout.includes(`<td class="hash">${createHash('sha256').update(input).digest('hex')}</td>`))
  })

  it('--format markdown: header, explanation, inputs with SHA-256, diagnostics; no SVG or HTML', async () => {
    const run = await maskwhy(['report', 'evidence', '--format', 'markdown', '--generated-at', '2025-01-01T00:00:00Z'], { cwd: sample('admin-mask') })
    assert.equal(run.exitCode, 0, run.stderr)
    assert.match(run.stdout, /^# maskwhy report\n/)
    for (const s of ['## Summary', '## nginx.service', '## Inputs', '## Diagnostics', '- **Generated:** 2025-01-01T00:00:00Z']) assert.ok(run.stdout.includes(s), s)
    assert.match(run.stdout, /\| [0-9a-f]{64} \|/)
    assert.doesNotMatch(run.stdout, /<svg|<table|# maskwhy explain/)
  })
})
