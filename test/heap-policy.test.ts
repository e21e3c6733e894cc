// The CLI's heap policy (src/heap-policy.ts): V8's young generation stays at its initial size, also once
// worker threads have started (their start resets V8's flags), and collectGarbage() empties the old
// generation. Without them, peak RSS grows with the length of the run (bench/memory.ts).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeJournalJson } from '../bench/generate-journal.ts'

const PROBE = new URL('./helpers/young-generation-probe.ts', import.meta.url).pathname
const OLD_SPACE_PROBE = new URL('./helpers/old-space-probe.ts', import.meta.url).pathname

function probe(file: string, mode: 'policy' | 'default'): { events: number; young: number } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', PROBE, file, String(statSync(file).size), mode], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  return JSON.parse(run.stdout) as { events: number; young: number }
}

describe('heap policy', () => {
  let dir = ''
  let file = ''
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maskwhy-heap-'))
    file = join(dir, 'journal.json')
    await writeJournalJson(file, { bytes: 2 * 1024 * 1024, seed: 3, host: 'web1' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('the young generation stays at its initial size after a worker thread started', () => {
    const kept = probe(file, 'policy')
    assert.ok(kept.events > 0, 'the journal was parsed by the thread pool')
    assert.ok(kept.young <= 4, `young generation ${kept.young} MiB`)
  })

  it('without the policy, the same run grows it (the probe can tell)', () => {
    const grown = probe(file, 'default')
    assert.ok(grown.young > 4, `young generation ${grown.young} MiB`)
  })

  it('collectGarbage() frees the old generation under the policy, and does nothing without it', () => {
    const run = (mode: string): { before: number; after: number } => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', OLD_SPACE_PROBE, mode], { encoding: 'utf8' })
      assert.equal(child.status, 0, child.stderr)
      return JSON.parse(child.stdout) as { before: number; after: number }
    }
    const lean = run('policy')
    assert.ok(lean.before - lean.after > 10, `in use ${lean.before.toFixed(1)} -> ${lean.after.toFixed(1)} MiB`)
    const plain = run('default')
    assert.ok(Math.abs(plain.before - plain.after) < 1, `in use ${plain.before.toFixed(1)} -> ${plain.after.toFixed(1)} MiB`)
  })
})
