// The benchmark's package-log generator writes what the real parsers read without a complaint: every file
// routed to its parser, no line skipped, one transaction per apt block or dnf run, and every mask a
// package script printed comes out as a mask.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writePackageLogs } from '../bench/generate-packages.ts'
import { collectEvents } from '../src/run.ts'

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0

describe('bench/generate-packages.ts', () => {
  let dir = ''
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'maskwhy-packages-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const [family, parsers] of [
    ['debian', { 'var/log/apt/history.log': 'apt-history', 'var/log/apt/term.log': 'apt-term', 'var/log/dpkg.log': 'dpkg-log' }],
    ['el', { 'var/log/dnf.log': 'dnf-log', 'var/log/dnf.rpm.log': 'dnf-rpm-log' }],
  ] as const) {
    it(`${family}: parsed whole, transactions and masks as written`, async () => {
      const root = join(dir, family)
      await writePackageLogs(root, { bytes: 3 * 1024 * 1024, seed: 4, family })
      const collected = await collectEvents({ evidence: [root], formatOf: [] })
      const rows = Object.fromEntries(collected.inventory.map((row) => [row.path.replace(/^.*?var\/log/, 'var/log'), row]))
      for (const [path, parser] of Object.entries(parsers)) {
        assert.equal(rows[path]?.parser, parser, path)
        assert.equal(rows[path]!.linesSkipped, 0, path)
        assert.ok(rows[path]!.linesRead > 1000, `${path}: ${rows[path]!.linesRead} lines`)
      }
      assert.deepEqual(
        collected.diagnostics.examples.filter((d) => d.severity === 'error'),
        [],
      )
      const transactions = (parser: string): number => collected.events.filter((e) => e.kind === 'package-transaction' && e.parser === parser).length
      const masks = collected.events.filter((e) => e.kind === 'unit-masked')
      if (family === 'debian') {
        const history = readFileSync(join(root, 'var/log/apt/history.log'), 'utf8')
        const term = readFileSync(join(root, 'var/log/apt/term.log'), 'utf8')
        assert.equal(transactions('apt-history'), count(history, /^Start-Date: /gm))
        assert.equal(masks.length, count(term, /→ \/dev\/null\.\r$/gm))
      } else {
        const log = readFileSync(join(root, 'var/log/dnf.log'), 'utf8')
        const rpm = readFileSync(join(root, 'var/log/dnf.rpm.log'), 'utf8')
        assert.equal(transactions('dnf-log'), count(log, / DDEBUG Command: /g))
        assert.equal(masks.length, count(rpm, /→ \/dev\/null\.$/gm))
      }
      assert.ok(masks.length > 0, 'at least one package script masked a unit in 3 MB of logs')
    })
  }
})
