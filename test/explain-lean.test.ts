/**
 * explain keeps only the events the correlator uses (KINDS_EXPLAIN_SKIPS are counted, not stored), so
 * its memory does not grow with the journal: leaving them out must change no explanation.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KINDS_EXPLAIN_SKIPS, runExplain } from '../src/cli/explain.ts'
import { writeJournalJson } from '../bench/generate-journal.ts'

const SAMPLES = new URL('../samples/', import.meta.url).pathname

async function both(evidence: string): Promise<[Awaited<ReturnType<typeof runExplain>>, Awaited<ReturnType<typeof runExplain>>]> {
  const args = { evidence: [evidence], unit: [], tz: null, year: null, formatOf: [] }
  return [await runExplain(args), await runExplain({ ...args, lean: true })]
}

describe('explain keeps only what the correlator uses', () => {
  let dir = ''
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maskwhy-lean-'))
    await writeJournalJson(join(dir, 'journal.json'), { bytes: 2 * 1024 * 1024, seed: 3, host: 'web1' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('gives the same explanations, inventory and diagnostics for every sample and a generated journal', async () => {
    const evidence = [...readdirSync(SAMPLES).map((s) => join(SAMPLES, s, 'evidence')), join(dir, 'journal.json')]
    let skipped = 0
    for (const e of evidence) {
      const [all, lean] = await both(e)
      assert.deepEqual(lean.units, all.units, e)
      assert.deepEqual(lean.brokenPackages, all.brokenPackages, e)
      assert.deepEqual(lean.collected.inventory, all.collected.inventory, e)
      assert.deepEqual(lean.collected.diagnostics, all.collected.diagnostics, e)
      assert.equal(lean.collected.duplicatesDropped, all.collected.duplicatesDropped, e)
      assert.deepEqual(
        lean.collected.events,
        all.collected.events.filter((x) => !KINDS_EXPLAIN_SKIPS.has(x.kind)),
        e,
      )
      skipped += all.collected.events.length - lean.collected.events.length
    }
    // the generated journal is mostly timer jobs: the check is about something
    assert.ok(skipped > 50, `only ${skipped} events left out`)
  })
})
