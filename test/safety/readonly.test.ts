/**
 * Evidence is read-only: every command, in every output format, leaves every file of the evidence
 * exactly as it was (content, mode, owner, size, mtime, ctime, link count; links by their target)
 * and creates nothing in it. Runs the built CLI (dist/) over copies of every sample's evidence.
 */
import { describe, it, before } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, lstatSync, mkdtempSync, readdirSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maskwhy, REPO } from '../helpers/cli.ts'
import { changes, fingerprint } from './fingerprint.ts'

const SAMPLES = readdirSync(join(REPO, 'samples')).filter((s) => lstatSync(join(REPO, 'samples', s, 'evidence'), { throwIfNoEntry: false })?.isDirectory())

/** Every command and output format, over the evidence of every sample at once. */
const COMMANDS: { name: string; args: (evidence: string[], out: string) => string[] }[] = [
  { name: 'explain (table)', args: (e) => ['explain', ...e, '--format', 'table'] },
  { name: 'explain --format json', args: (e) => ['explain', ...e, '--format', 'json'] },
  { name: 'explain --format markdown', args: (e) => ['explain', ...e, '--format', 'markdown'] },
  { name: 'explain --unit nginx --fail-on-masked', args: (e) => ['explain', ...e, '--unit', 'nginx', '--fail-on-masked'] },
  { name: 'timeline (table)', args: (e) => ['timeline', ...e, '--format', 'table'] },
  { name: 'timeline --format jsonl', args: (e) => ['timeline', ...e, '--format', 'jsonl'] },
  { name: 'timeline --format json', args: (e) => ['timeline', ...e, '--format', 'json'] },
  { name: 'timeline --format csv', args: (e) => ['timeline', ...e, '--format', 'csv'] },
  { name: 'timeline --format timesketch', args: (e) => ['timeline', ...e, '--format', 'timesketch'] },
  { name: 'report -o (html)', args: (e, out) => ['report', ...e, '-o', join(out, 'report.html'), '--generated-at', '2024-03-01T00:00:00Z'] },
  { name: 'report --format markdown', args: (e) => ['report', ...e, '--format', 'markdown', '--generated-at', '2024-03-01T00:00:00Z'] },
]

describe('evidence is never written to (every command, every format)', () => {
  const root = mkdtempSync(join(tmpdir(), 'maskwhy-readonly-'))
  const evidence = SAMPLES.map((s) => join(root, s))
  const out = mkdtempSync(join(tmpdir(), 'maskwhy-readonly-out-'))
  let pristine: Map<string, string>

  before(() => {
    for (const s of SAMPLES) cpSync(join(REPO, 'samples', s, 'evidence'), join(root, s), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
    pristine = fingerprint(root)
  })

  it('copies every sample (the test covers them all)', () => {
    assert.ok(SAMPLES.length >= 10, `only ${SAMPLES.length} samples found`)
    assert.ok(pristine.size > 50, `only ${pristine.size} paths copied`)
  })

  for (const c of COMMANDS) {
    it(`${c.name}: every file unchanged, nothing created`, async () => {
      const run = await maskwhy(c.args(evidence, out), { cwd: root })
      assert.ok(run.exitCode === 0 || run.exitCode === 1, `exit ${run.exitCode}: ${run.stderr}`)
      assert.ok(run.stdout.length > 0 || c.name.startsWith('report -o'), 'no output')
      assert.deepEqual(changes(pristine, fingerprint(root)), [])
    })
  }

  it('output does not depend on access times (reading may change them; nothing relies on them)', async () => {
    const setAtimes = (seconds: number): void => {
      for (const rel of pristine.keys()) {
        const full = join(root, rel)
        const s = lstatSync(full)
        if (s.isFile()) utimesSync(full, seconds, s.mtime)
      }
    }
    setAtimes(0)
    const old = await maskwhy(['explain', ...evidence, '--format', 'json'], { cwd: root })
    setAtimes(4_102_444_800) // 2100-01-01
    const future = await maskwhy(['explain', ...evidence, '--format', 'json'], { cwd: root })
    assert.equal(old.exitCode, 0)
    assert.equal(future.stdout, old.stdout)
    // utimes() itself moves ctime; content, modes and mtimes are still the copies'.
    const strip = (m: Map<string, string>): string[] => [...m].map(([k, v]) => `${k} ${v.replace(/ ctime=\d+/, '')}`)
    assert.deepEqual(strip(fingerprint(root)), strip(pristine))
  })
})
