/**
 * Log text is written by whoever controlled the machine. Every payload of
 * test/fixtures/hostile-payloads.json (terminal escapes, CR overwrites, C1 controls, bidi overrides,
 * zero-width characters, markup, Markdown, CSV formulas, invalid UTF-8, NUL, a long line) is pushed
 * through every output format of explain, timeline and report — in log messages, unit names, user and
 * host names, file names and diagnostics excerpts — and every format must keep it inert:
 *  - terminal formats (tables, `journal` short output, stderr summaries): no control character but `\n`,
 *    no bidi or zero-width character; all shown escaped;
 *  - JSON, JSON Lines, Timesketch, `journal -o json`: parse, valid UTF-8, the text kept exactly (bad bytes
 *    as U+FFFD, or byte arrays as journalctl writes them);
 *  - CSV: RFC 4180, no cell that a spreadsheet would run as a formula, no control character;
 *  - Markdown: no markup, link, image or table breakout outside code spans;
 *  - HTML: no element, attribute or URL from the logs (the browser test, test/report-browser.test.ts,
 *    opens samples/hostile-log in Chromium and checks nothing runs).
 * The evidence is test/fixtures/hostile/ (made by its make.sh with systemd-journal-remote and journalctl).
 */
import { describe, it, before } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, REPO } from '../helpers/cli.ts'
import { MAX_CELL_LINES, wrapText } from '../../src/report/table.ts'

interface Payload {
  name: string
  text?: string
  hex?: string
  repeat?: { text: string; times: number }
}
const { payloads } = JSON.parse(readFileSync(join(REPO, 'test/fixtures/hostile-payloads.json'), 'utf8')) as { payloads: Payload[] }
const FIXTURES = join(REPO, 'test/fixtures/hostile')

/** Control characters, bidi controls, zero-width and separator characters: none may reach a terminal unescaped. */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u

function run(args: string[]): { stdout: Buffer; stderr: Buffer; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, TZ: 'UTC', COLUMNS: '160', NO_COLOR: '1' }, maxBuffer: 1 << 28, timeout: 120_000 })
  return { stdout: r.stdout, stderr: r.stderr, status: r.status }
}

function utf8(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    assert.fail(`${what} is not valid UTF-8`)
  }
}

/** C0 (but TAB) and C1 controls: what journalctl itself never prints raw (it shows "[N blob data]"). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u

function assertTerminalSafe(text: string, what: string, unsafe: RegExp = TERMINAL_UNSAFE): void {
  const lines = text.split('\n')
  const bad = lines.findIndex((l) => unsafe.test(l))
  if (bad !== -1) {
    const c = unsafe.exec(lines[bad]!)![0]
    assert.fail(`${what}, line ${bad + 1}: raw U+${c.codePointAt(0)!.toString(16).padStart(4, '0')} in ${JSON.stringify(lines[bad]!.slice(0, 160))}`)
  }
}

/** RFC 4180 records and fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  while (i < text.length) {
    let field = ''
    if (text[i] === '"') {
      i++
      for (;;) {
        const q = text.indexOf('"', i)
        assert.ok(q !== -1, 'unterminated quoted CSV field')
        field += text.slice(i, q)
        i = q + 1
        if (text[i] === '"') {
          field += '"'
          i++
        } else break
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/)
      field = end === -1 ? text.slice(i) : text.slice(i, i + end)
      assert.ok(!/["\r\n]/.test(field), `bare CR, LF or quote in an unquoted CSV field: ${JSON.stringify(field)}`)
      i = end === -1 ? text.length : i + end
    }
    row.push(field)
    if (text.startsWith('\r\n', i)) {
      rows.push(row)
      row = []
      i += 2
    } else if (text[i] === ',') i++
    else assert.equal(i, text.length, `unexpected ${JSON.stringify(text.slice(i, i + 10))} after a CSV field`)
  }
  assert.equal(row.length, 0, 'CSV does not end with CRLF')
  return rows
}

/** Markdown with code spans blanked out (CommonMark: a run of n backticks ends at the next run of exactly n). */
function outsideCodeSpans(line: string): string {
  let out = ''
  let i = 0
  while (i < line.length) {
    const open = /`+/.exec(line.slice(i))
    if (open === null) return out + line.slice(i)
    const start = i + open.index
    const fence = open[0]
    out += line.slice(i, start)
    let close = -1
    for (let j = start + fence.length; j < line.length; ) {
      const run = /`+/.exec(line.slice(j))
      if (run === null) break
      if (run[0].length === fence.length) {
        close = j + run.index
        break
      }
      j += run.index + run[0].length
    }
    if (close === -1) return out + line.slice(start)
    out += ' '.repeat(close + fence.length - start)
    i = close + fence.length
  }
  return out
}

function assertMarkdownInert(text: string, what: string): void {
  assertTerminalSafe(text, what)
  let columns: number | null = null
  for (const [n, line] of text.split('\n').entries()) {
    const plain = outsideCodeSpans(line).replace(/\\./g, '  ')
    const where = `${what}, line ${n + 1}: ${line.slice(0, 160)}`
    assert.doesNotMatch(plain, /<[A-Za-z/!?]/, `raw HTML in ${where}`)
    assert.doesNotMatch(plain, /\]\(|!\[|<https?:/, `a link or image in ${where}`)
    assert.ok(!plain.includes('`'), `an unbalanced backtick in ${where}`)
    if (line.startsWith('|')) {
      const cells = plain.split('|').length
      if (/^\|[-:|]+\|$/.test(line)) columns = cells
      else if (columns !== null) assert.equal(cells, columns, `a table row with another number of cells: ${where}`)
    } else columns = null
  }
}

function payloadTexts(): string[] {
  return payloads.filter((p) => p.text !== undefined).map((p) => p.text!)
}

describe('table cells stay bounded', () => {
  it('a 27 KB log line fills at most MAX_CELL_LINES lines of a cell, and says what it left out', () => {
    const cell = wrapText('A<script>'.repeat(3000), 28)
    const lines = cell.split('\n')
    assert.equal(lines.length, MAX_CELL_LINES)
    assert.ok(lines.every((l) => l.length <= 28))
    assert.match(lines.at(-1)!, /^… 26\d{3} more characters$/)
    assert.equal(wrapText('short text', 28), 'short text')
  })
})

describe('hostile log text stays inert in every output format', () => {
  const root = mkdtempSync(join(tmpdir(), 'maskwhy-hostile-'))
  const evidence = join(root, 'evidence')
  const outputs = new Map<string, { stdout: Buffer; stderr: Buffer; status: number | null }>()

  before(() => {
    mkdirSync(join(evidence, 'var/log/apt'), { recursive: true })
    mkdirSync(join(evidence, 'etc/systemd/system'), { recursive: true })
    copyFileSync(join(FIXTURES, 'journal.json'), join(evidence, 'var/log/journal.json'))
    copyFileSync(join(FIXTURES, 'auth.log'), join(evidence, 'var/log/auth.log'))
    copyFileSync(join(FIXTURES, 'term.log'), join(evidence, 'var/log/apt/term.log'))
    // File and unit names are log text too: a journal under a hostile name, masks under hostile names.
    copyFileSync(join(REPO, 'test/fixtures/journal/journal.json'), join(evidence, 'var/log', 'x\u001b[2J\u001b]8;;javascript:alert(1)\u0007\u202e<script>.json'))
    for (const [i, t] of payloadTexts().entries()) {
      if (t.includes('/') || t.includes('\0') || Buffer.byteLength(t) > 200) continue
      symlinkSync('/dev/null', join(evidence, 'etc/systemd/system', `m${i}${t}.service`))
    }
    const at = ['--generated-at', '2024-05-02T00:00:00Z']
    const commands: Record<string, string[]> = {
      'explain table': ['explain', evidence, '--format', 'table'],
      'explain json': ['explain', evidence, '--format', 'json'],
      'explain markdown': ['explain', evidence, '--format', 'markdown'],
      'timeline table': ['timeline', evidence, '--format', 'table'],
      'timeline jsonl': ['timeline', evidence, '--format', 'jsonl'],
      'timeline json': ['timeline', evidence, '--format', 'json'],
      'timeline csv': ['timeline', evidence, '--format', 'csv'],
      'timeline timesketch': ['timeline', evidence, '--format', 'timesketch'],
      'report html': ['report', evidence, ...at],
      'report markdown': ['report', evidence, '--format', 'markdown', ...at],
      'journal short-iso': ['journal', join(FIXTURES, 'journal.export')],
      'journal json': ['journal', join(FIXTURES, 'journal.export'), '-o', 'json'],
    }
    for (const [name, args] of Object.entries(commands)) outputs.set(name, run(args))
  })

  const out = (name: string): { stdout: string; stderr: string } => {
    const r = outputs.get(name)!
    assert.equal(r.status, 0, `${name} exited ${r.status}: ${r.stderr.toString().slice(0, 400)}`)
    return { stdout: utf8(r.stdout, `${name} stdout`), stderr: utf8(r.stderr, `${name} stderr`) }
  }

  it('the hostile evidence really reaches the outputs (units, actors, hosts, paths, diagnostics)', () => {
    const doc = JSON.parse(out('timeline json').stdout) as { events: { text: string; host: string | null; source: string }[]; diagnostics: unknown }
    const texts = doc.events.map((e) => e.text).join('\n')
    for (const p of payloadTexts()) assert.ok(texts.includes(p), `payload not in any event text: ${JSON.stringify(p).slice(0, 80)}`)
    assert.ok(doc.events.some((e) => e.host?.includes('\u001b[2J')), 'no hostile host name')
    assert.ok(doc.events.some((e) => e.source.includes('\u202e<script>')), 'no hostile file name')
    assert.ok(JSON.stringify(doc.diagnostics).includes('\\u001b[2J'), 'no hostile diagnostic excerpt')
    const explain = JSON.parse(out('explain json').stdout) as { units: { unit: string }[] }
    assert.ok(explain.units.some((u) => u.unit.includes('\u001b[1;32mOK')), 'no hostile unit name')
  })

  it('terminal formats and every stderr summary: control, bidi and zero-width characters shown escaped', () => {
    for (const name of ['explain table', 'timeline table']) assertTerminalSafe(out(name).stdout, `${name} stdout`)
    // `maskwhy journal` prints what journalctl prints: controls never (a blob note instead); bidi and
    // zero-width characters as they are, as journalctl does.
    assertTerminalSafe(out('journal short-iso').stdout, 'journal short-iso stdout', CONTROLS)
    for (const name of outputs.keys()) assertTerminalSafe(out(name).stderr, `${name} stderr`)
    const table = out('timeline table').stdout
    assert.match(table, /\\e\[2J/, 'the clear-screen sequence is shown as \\e[2J')
    assert.match(table, /\\u202e/, 'the bidi override is shown as \\u202e')
  })

  it('JSON, JSON Lines and Timesketch: valid documents, valid UTF-8, text kept exactly', () => {
    const all = [JSON.parse(out('explain json').stdout), JSON.parse(out('timeline json').stdout)]
    for (const name of ['timeline jsonl', 'timeline timesketch', 'journal json']) {
      const lines = out(name).stdout.split('\n').filter((l) => l !== '')
      assert.ok(lines.length > 100, `${name}: ${lines.length} lines`)
      for (const l of lines) all.push(JSON.parse(l))
    }
    const strings = JSON.stringify(all)
    for (const p of payloadTexts()) assert.ok(strings.includes(JSON.stringify(p).slice(1, -1)), `not kept exactly: ${p.slice(0, 60)}`)
    // Invalid UTF-8 from the logs arrives as U+FFFD, never as broken bytes.
    assert.ok(strings.includes('\ufffd'))
  })

  it('CSV: RFC 4180, every formula start neutralised, no control character', () => {
    const rows = parseCsv(out('timeline csv').stdout)
    assert.ok(rows.length > 100)
    for (const row of rows) {
      assert.equal(row.length, rows[0]!.length)
      for (const cell of row) {
        assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a spreadsheet would run ${JSON.stringify(cell.slice(0, 60))}`)
        assert.doesNotMatch(cell, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/, `raw control character in ${JSON.stringify(cell.slice(0, 60))}`)
      }
    }
    assert.ok(rows.some((r) => r.some((c) => c.startsWith("'=cmd|"))), 'the DDE payload is present, prefixed with a quote')
  })

  it('Markdown (explain and report): no HTML, link, image or table breakout outside code spans', () => {
    assertMarkdownInert(out('explain markdown').stdout, 'explain markdown')
    assertMarkdownInert(out('report markdown').stdout, 'report markdown')
  })

  it('HTML report: no element, attribute, URL or control character from the logs', () => {
    const html = out('report html').stdout
    assertTerminalSafe(html.replace(/\n/g, ' '), 'report html')
    // Every `<` that starts markup is the report's own (evidence text has `&lt;`): only the elements the
    // sample reports use, no event-handler attribute, no link or source that leaves the page.
    const allowed = new Set<string>()
    for (const sample of readdirSync(join(REPO, 'samples'))) {
      const golden = join(REPO, 'samples', sample, 'expected/report.html')
      if (existsSync(golden)) for (const m of readFileSync(golden, 'utf8').matchAll(/<([a-zA-Z][\w:-]*)/g)) allowed.add(m[1]!.toLowerCase())
    }
    assert.ok(allowed.size > 20)
    const tags = [...html.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)]
    assert.ok(tags.length > 500)
    for (const [tag, name, attrs] of tags) {
      assert.ok(allowed.has(name!.toLowerCase()), `element <${name}> is not one the report makes: ${tag.slice(0, 120)}`)
      for (const [, attr, raw] of attrs!.matchAll(/([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
        const value = (raw ?? '').replace(/^["']|["']$/g, '')
        assert.doesNotMatch(attr!, /^on/i, `event handler attribute: ${tag.slice(0, 120)}`)
        if (/^(?:href|src|xlink:href|action|formaction)$/i.test(attr!)) assert.match(value, /^#[A-Za-z0-9._@:-]*$/, `link out of the page: ${tag.slice(0, 120)}`)
        assert.doesNotMatch(value, /^\s*(?:javascript|data|vbscript):/i, `a URL scheme in ${tag.slice(0, 120)}`)
      }
    }
    assert.equal(tags.filter(([, name]) => name!.toLowerCase() === 'script').length, 1, 'the report has one script of its own, no other')
    assert.ok(html.includes('&lt;script&gt;window.__pwned=11&lt;/script&gt;'), 'the script payload is shown as text')
  })
})
