// `maskwhy report` in a real browser: Debian's headless Chromium (playwright-core, no browser download) opens
// the HTML reports of bundled samples from file:// and checks structure, silence (no errors, no requests) and,
// for samples/hostile-log, that none of the markup the attacker put into the logs is live. The detector is
// itself tested against a deliberately unescaped page, so a report that stopped escaping would fail here.
// Skipped (with the reason printed) only when /usr/bin/chromium is absent; .ci/run installs it.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { maskwhy } from './helpers/cli.ts'
import { activeContent, attributes, browserMissing, launchBrowser, openFile, type OpenedPage } from './helpers/browser.ts'

const GENERATED_AT = '2024-01-01T00:00:00Z'
const SAMPLES = ['admin-mask', 'package-mask', 'hostile-log'] as const
type Sample = (typeof SAMPLES)[number]

/** Screenshots for a human to look at; not compared. MASKWHY_TEST_ARTIFACTS to choose the directory. */
const ARTIFACTS = process.env['MASKWHY_TEST_ARTIFACTS'] ?? join(tmpdir(), 'maskwhy-test-artifacts')

// The strings samples/hostile-log/scenario.mjs writes into the journal (see its README).
const HOSTILE = {
  script: '<script>window.__pwned=1</script>',
  attr: '"><img src=x onerror="window.__pwned=2">',
  jsUrl: 'javascript:window.__pwned=3',
  svgBreak: '</svg><script>window.__pwned=4</script>',
  svgOnload: '<svg onload="window.__pwned=5">',
  user: '<img/src=x/onerror=window.__pwned=6>',
  anchor: '<a href="javascript:window.__pwned=7">click</a>',
}
/** Text that must be visible, as text, in the hostile report (and where). */
const MUST_SHOW: [selector: string, text: string][] = [
  ['#summary', `x${HOSTILE.script}.service`],
  ['#summary', `${HOSTILE.svgBreak}.service`],
  ['#summary', `${HOSTILE.svgOnload}.service`],
  ['#summary', `${HOSTILE.jsUrl}.service`],
  ['body', HOSTILE.script],
  ['body', HOSTILE.user],
]

async function explainedUnits(sample: Sample): Promise<string[]> {
  const run = await maskwhy(['explain', `samples/${sample}/evidence`, '--format', 'json'])
  assert.equal(run.exitCode, 0, run.stderr)
  return (JSON.parse(run.stdout) as { units: { unit: string }[] }).units.map((u) => u.unit)
}

/** Everything wrong with a page that shows hostile text; [] for a safe one. `ownScripts`: the report's own. */
async function hostileProblems(opened: OpenedPage, ownScripts: number): Promise<string[]> {
  const problems: string[] = []
  const active = await activeContent(opened.page)
  if (active.pwned !== 'undefined:undefined') problems.push(`window.__pwned is ${active.pwned}: injected script ran`)
  if (active.scripts.length !== ownScripts) {
    problems.push(`${active.scripts.length} <script> elements, the report has ${ownScripts} of its own: ${JSON.stringify(active.scripts)}`)
  }
  for (const s of active.scripts) {
    if (s.text.includes('__pwned') || (s.src !== null && !s.src.startsWith('data:'))) problems.push(`foreign script: ${JSON.stringify(s)}`)
  }
  if (active.handlers.length > 0) problems.push(`event-handler attributes: ${active.handlers.join(', ')}`)
  if (active.scriptUrls.length > 0) problems.push(`script URLs: ${active.scriptUrls.join(', ')}`)
  if (active.embeds.length > 0) problems.push(`embedded/base/meta elements: ${active.embeds.join(', ')}`)
  const foreign = opened.requests.filter((u) => u !== opened.url)
  if (foreign.length > 0) problems.push(`requests other than the file itself: ${foreign.join(', ')}`)
  if (opened.errors.length > 0) problems.push(`errors: ${opened.errors.join(' | ')}`)
  for (const [selector, text] of MUST_SHOW) {
    const shown = (await opened.page.locator(selector).count()) > 0 ? await opened.page.innerText(selector) : ''
    if (!shown.includes(text)) problems.push(`${selector} does not show ${JSON.stringify(text)} as text`)
  }
  return problems
}

const missing = browserMissing()
if (missing) console.log(`# report-browser.test.ts skipped: ${missing}`)

describe('maskwhy report in headless Chromium', { skip: missing ?? false, timeout: 180_000 }, () => {
  let browser: Browser
  let work: string
  const reports = new Map<Sample, string>()
  const units = new Map<Sample, string[]>()
  let ownScripts = -1

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'maskwhy-report-browser-'))
    mkdirSync(ARTIFACTS, { recursive: true })
    for (const sample of SAMPLES) {
      const out = join(work, `${sample}.html`)
      const run = await maskwhy(['report', `samples/${sample}/evidence`, '-o', out, '--generated-at', GENERATED_AT])
      assert.equal(run.exitCode, 0, `maskwhy report ${sample}: ${run.stderr}`)
      reports.set(sample, out)
      units.set(sample, await explainedUnits(sample))
    }
    browser = await launchBrowser()
    // The report's own scripts, counted on a benign report: the hostile one must have exactly as many.
    const benign = await openFile(browser, reports.get('package-mask')!)
    ownScripts = (await activeContent(benign.page)).scripts.length
    await benign.close()
  })
  after(async () => {
    await browser?.close()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  for (const sample of SAMPLES) {
    it(`${sample}: one summary row, one timeline lane and one section per explained unit; silent; self-contained`, async (t) => {
      const file = reports.get(sample)!
      const html = readFileSync(file, 'utf8')
      assert.match(html, /<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]+"/i, 'a CSP meta tag')
      const opened = await openFile(browser, file)
      try {
        const { page } = opened
        const expected = [...units.get(sample)!].sort()
        assert.ok(expected.length > 0, `${sample} explains no unit`)
        assert.deepEqual((await attributes(page, 'table#summary tr[data-unit]', 'data-unit')).sort(), expected)
        assert.deepEqual((await attributes(page, 'svg#timeline g.lane[data-unit]', 'data-unit')).sort(), expected)
        assert.equal(await page.locator('svg#timeline g.lane[data-lane="packages"]').count(), 1)
        assert.equal(await page.locator('section.unit').count(), expected.length)
        assert.equal(await page.locator('section#inventory').count(), 1)
        assert.equal(await page.locator('section#diagnostics').count(), 1)
        assert.deepEqual(opened.errors, [], 'console errors, page errors or failed requests')
        assert.deepEqual(opened.requests, [opened.url], 'requests other than the file itself')
        const active = await activeContent(page)
        assert.equal(active.pwned, 'undefined:undefined')
        assert.deepEqual([active.handlers, active.scriptUrls, active.embeds], [[], [], []])
        const shot = join(ARTIFACTS, `report-${sample}.png`)
        await page.screenshot({ path: shot, fullPage: true })
        t.diagnostic(`screenshot: ${shot}`)
      } finally {
        await opened.close()
      }
    })
  }

  it('hostile-log: nothing the logs say runs, renders as markup or fetches; every hostile string shows as text', async (t) => {
    const opened = await openFile(browser, reports.get('hostile-log')!)
    try {
      assert.deepEqual(await hostileProblems(opened, ownScripts), [])
      // The summary keys round-trip: attribute values are the unit names, byte for byte.
      const keys = await attributes(opened.page, 'table#summary tr[data-unit]', 'data-unit')
      for (const name of [`x${HOSTILE.script}.service`, `${HOSTILE.svgBreak}.service`, `${HOSTILE.svgOnload}.service`]) {
        assert.ok(keys.includes(name), `summary row for ${name}`)
      }
      t.diagnostic(`${ownScripts} script element(s) of the report's own`)
    } finally {
      await opened.close()
    }
  })

  it('the detector flags a page that does not escape (with and without the report’s CSP)', async (t) => {
    const raw = Object.values(HOSTILE)
    const body = (csp: string): string =>
      `<!doctype html><html><head><meta charset="utf-8">${csp}<title>unescaped</title></head><body>` +
      `<table id="summary">${raw.map((s) => `<tr data-unit="${s}"><td>${s}</td></tr>`).join('')}</table>` +
      `<svg id="timeline">${raw.map((s) => `<g class="lane" data-unit="${s}"><text>${s}</text></g>`).join('')}</svg>` +
      `<section id="diagnostics"><pre>${raw.join('\n')}</pre></section></body></html>`
    const reportCsp = /<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i.exec(readFileSync(reports.get('hostile-log')!, 'utf8'))?.[0]
    assert.ok(reportCsp, 'the hostile report has a CSP meta tag')
    for (const [name, csp] of [['no CSP', ''], ['the report’s CSP', reportCsp]] as const) {
      const file = join(work, `unescaped-${name.replace(/\W+/g, '-')}.html`)
      writeFileSync(file, body(csp))
      const opened = await openFile(browser, file)
      try {
        const problems = await hostileProblems(opened, ownScripts)
        t.diagnostic(`${name}: ${problems.length} problem(s): ${problems.map((p) => p.slice(0, 100)).join(' || ')}`)
        assert.ok(problems.some((p) => p.includes('<script> elements')), 'injected <script> elements counted')
        assert.ok(problems.some((p) => p.startsWith('event-handler attributes')), 'on* attributes found')
        assert.ok(problems.some((p) => p.startsWith('script URLs')), 'javascript: URLs found')
        assert.ok(problems.some((p) => p.includes('as text')), 'hostile strings not shown as text')
        // Without a CSP the markup runs: the detector sees window.__pwned set and the <img src=x> request.
        if (csp === '') {
          assert.ok(problems.some((p) => p.startsWith('window.__pwned is')), 'injected script ran')
          assert.ok(problems.some((p) => p.startsWith('requests other than')), 'the <img src=x> request seen')
        }
      } finally {
        await opened.close()
      }
    }
  })
})
