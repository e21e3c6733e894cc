// The timeline's spilling sorter gives exactly what sorting everything in memory gives.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collectEvents } from '../src/run.ts'
import { buildTimeline, type TimelineFilter } from '../src/timeline.ts'
import { TimelineStore } from '../src/timeline-store.ts'
import type { MaskEvent } from '../src/events.ts'
import { writeJournalJson } from '../bench/generate-journal.ts'

const SAMPLES = new URL('../samples/', import.meta.url).pathname

async function viaStore(
  evidence: string[],
  filter: TimelineFilter,
  maxInMemory: number,
  maxBytes?: number,
): Promise<{ events: MaskEvent[]; unknown: number; spilled: number }> {
  const store = new TimelineStore(filter, { maxInMemory, ...(maxBytes !== undefined && { maxBytes }) })
  try {
    await collectEvents({ evidence, formatOf: [], store })
    const events: MaskEvent[] = []
    for await (const e of store.sorted()) events.push(e)
    return { events, unknown: store.unknownTimeExcluded, spilled: store.spilled }
  } finally {
    store.close()
  }
}

describe('timeline store', () => {
  let dir = ''
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maskwhy-store-'))
    await writeJournalJson(join(dir, 'journal.json'), { bytes: 2 * 1024 * 1024, seed: 5, host: 'web1' })
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const filters: [string, TimelineFilter][] = [
    ['default', {}],
    ['a time window (unknown times left out and counted)', { sinceUs: 1_709_251_800_000_000, untilUs: 1_709_300_000_000_000 }],
    ['kinds, boots included', { kinds: ['boot', 'unit-started', 'unit-masked', 'login-session'] }],
    ['a unit', { units: ['nginx*'] }],
  ]

  it('spilling to files and merging gives the in-memory order, for every sample, several inputs and a generated journal', async () => {
    const evidence = [
      ...readdirSync(SAMPLES).map((s) => [join(SAMPLES, s, 'evidence')]),
      [join(SAMPLES, 'admin-mask', 'evidence'), join(SAMPLES, 'masked-then-unmasked', 'evidence')],
      [join(dir, 'journal.json')],
    ]
    let spilled = 0
    for (const paths of evidence) {
      const all = (await collectEvents({ evidence: paths, formatOf: [] })).events
      for (const [name, filter] of filters) {
        const expected = buildTimeline(all, filter)
        for (const maxInMemory of [1, 7, 1_000_000]) {
          const got = await viaStore(paths, filter, maxInMemory)
          assert.deepEqual(got.events, expected.events, `${paths.join(' ')}: ${name}, ${maxInMemory} in memory`)
          assert.equal(got.unknown, expected.unknownTimeExcluded, `${paths.join(' ')}: ${name}`)
          spilled += got.spilled
        }
      }
    }
    assert.ok(spilled > 100, `the files were used: ${spilled}`)
  })

  it('spills on its byte budget too, and takes an event larger than the whole budget', async () => {
    const paths = [join(dir, 'journal.json')]
    const all = (await collectEvents({ evidence: paths, formatOf: [] })).events
    const expected = buildTimeline(all, {})
    for (const maxBytes of [1, 2048]) {
      const got = await viaStore(paths, {}, 1_000_000, maxBytes)
      assert.deepEqual(got.events, expected.events, `${maxBytes} bytes in memory`)
      // 1 byte: every event alone, so as many files as events but the last
      if (maxBytes === 1) assert.equal(got.spilled, expected.events.length - 1)
      else assert.ok(got.spilled > 1 && got.spilled < expected.events.length / 2, `${maxBytes} bytes: ${got.spilled} files for ${expected.events.length} events`)
    }
  })

  it('removes its temporary files', async () => {
    const ours = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('maskwhy-timeline-'))
    const already = new Set(ours())
    const store = new TimelineStore({}, { maxInMemory: 2 })
    await collectEvents({ evidence: [join(dir, 'journal.json')], formatOf: [], store })
    assert.ok(store.spilled > 2)
    const made = ours().filter((f) => !already.has(f))
    assert.equal(made.length, 1)
    for await (const _ of store.sorted()) void _
    store.close()
    assert.equal(existsSync(join(tmpdir(), made[0]!)), false)
  })
})
