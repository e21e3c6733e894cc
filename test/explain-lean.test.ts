/**
 * explain keeps only the events the correlator uses (KINDS_EXPLAIN_SKIPS are neither stored nor, where a
 * parser can tell, even read), so its memory does not grow with the journal and its journal reading goes
 * faster: leaving them out must change no explanation, and no count but those of the kinds left out.
 * Package actions are kept only as a PackageHistory: the same explanations and broken packages again.
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
    let packageActions = 0
    for (const e of evidence) {
      const [all, lean] = await both(e)
      assert.deepEqual(lean.units, all.units, e)
      assert.deepEqual(lean.brokenPackages, all.brokenPackages, e)
      const kept = all.collected.events.filter((x) => !KINDS_EXPLAIN_SKIPS.has(x.kind) && x.kind !== 'package-action')
      // events kept counts only the kinds explain keeps: fewer where an input had others
      const withoutCount = (rows: typeof all.collected.inventory) => rows.map(({ eventsKept: _, ...row }) => row)
      assert.deepEqual(withoutCount(lean.collected.inventory), withoutCount(all.collected.inventory), e)
      all.collected.inventory.forEach((row, i) => {
        const others = all.collected.events.some((x) => x.path === row.path && KINDS_EXPLAIN_SKIPS.has(x.kind))
        const leanKept = lean.collected.inventory[i]!.eventsKept
        // (an input's events dropped as copies of another's are counted but not kept: then fewer too)
        assert.ok(others ? leanKept < row.eventsKept : leanKept <= row.eventsKept, `${e}: ${row.path}`)
      })
      assert.deepEqual(lean.collected.diagnostics, all.collected.diagnostics, e)
      assert.equal(lean.collected.duplicatesDropped, all.collected.duplicatesDropped, e)
      assert.deepEqual(lean.collected.events, kept, e)
      // package actions went to the history instead, every one of them
      const actions = all.collected.events.filter((x) => x.kind === 'package-action').length
      assert.equal(lean.packages.actions, actions, e)
      assert.equal(all.packages.actions, actions, e)
      packageActions += actions
      skipped += all.collected.events.length - lean.collected.events.length
    }
    // the generated journal is mostly timer jobs: the check is about something
    assert.ok(skipped > 50, `only ${skipped} events left out`)
    assert.ok(packageActions > 50, `only ${packageActions} package actions`)
  })
})
