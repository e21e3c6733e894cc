// The CLI keeps V8's young generation at its initial size (src/heap-policy.ts), also once worker threads
// have started, which reset V8's flags: without that, it grows with the run's length (bench/memory.ts).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeJournalJson } from '../bench/generate-journal.ts'

const PROBE = new URL('./helpers/young-generation-probe.ts', import.meta.url).pathname

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
})
