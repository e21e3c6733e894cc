import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runExplain } from '../../src/cli/explain.ts'
import { collectEvents } from '../../src/run.ts'
import { buildTimeline } from '../../src/timeline.ts'
import { FIXTURES, fixture } from '../helpers/journal-binary.ts'
import { makeTree, snapshot } from '../helpers/tree.ts'

const MACHINE = 'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6'

describe('binary journals in the pipeline', () => {
  it('reads every file of a machine directory (rotated, disposed ~, gzip) and merges them into one timeline by time', async () => {
    const root = makeTree({
      [`${MACHINE}/system@0f6b3a1e5c2d4b7a9e8f7a6b5c4d3e2f-0000000000000001-000613a0b1c2d3e4.journal~`]: fixture('system'),
      [`${MACHINE}/user-1000.journal.gz`]: readFileSync(join(FIXTURES, 'user-1000.journal.gz')),
      'etc/systemd/system/nginx.service': { link: '/dev/null' },
    })
    const before = snapshot(root)
    const r = await collectEvents({ evidence: [root] })
    assert.deepEqual(
      r.inventory.map((i) => [i.path.split('/').pop(), i.parser, i.routedBy, i.status, i.linesRead, i.linesSkipped]),
      [
        ['system@0f6b3a1e5c2d4b7a9e8f7a6b5c4d3e2f-0000000000000001-000613a0b1c2d3e4.journal~', 'journal-binary', 'path', 'parsed', 55, 0],
        ['user-1000.journal.gz', 'journal-binary', 'path', 'parsed', 4, 0],
      ],
    )
    assert.equal(r.diagnostics.total, 0)
    // alice's sudo line (user-1000.journal) comes between the login (system) and the reload it caused (system).
    const fileOf = (path: string): string => path.split('/').pop()!.split('@')[0]!
    const story = buildTimeline(r.events, { units: ['nginx'] }).events.map((e) => [e.kind, fileOf(e.path)])
    assert.deepEqual(story, [
      ['unit-started', 'system'],
      ['admin-command', 'user-1000.journal.gz'],
      ['unit-stopped', 'system'],
      ['mask-refused', 'system'],
    ])
    // Each file reports the boots it saw at its earliest entry; one boot per boot id remains, at its real first entry.
    assert.deepEqual(
      r.events.filter((e) => e.kind === 'boot').map((e) => [fileOf(e.path), e.line, e.timeUs]),
      [
        ['system', 1, 1709280842118204],
        ['system', 47, 1709359211330218],
      ],
    )
    const all = buildTimeline(r.events).events
    assert.deepEqual(
      all.map((e) => e.timeUs),
      all.map((e) => e.timeUs).sort((a, b) => a! - b!),
    )
    const explained = await runExplain({ evidence: [root], unit: ['nginx.service'], tz: null, year: null, formatOf: [] })
    const nginx = explained.units.find((u) => u.unit === 'nginx.service')
    assert.deepEqual(
      [nginx?.state, nginx?.cause, nginx?.confidence, nginx?.maskedAtUs],
      ['masked', 'admin-command', 'high', 1709287333250871],
    )
    assert.deepEqual(snapshot(root), before, 'nothing was written into the evidence')
  })

  it('counts an entry read both from a binary file and from its journalctl -o json once, and says how many were dropped', async () => {
    const root = makeTree({
      'system.journal': fixture('system'),
      'system.json': readFileSync(join(FIXTURES, 'system.json')),
    })
    const both = await collectEvents({ evidence: [root] })
    const one = await collectEvents({ evidence: [join(root, 'system.journal')] })
    assert.deepEqual(
      both.inventory.map((i) => [i.path, i.parser, i.linesRead]),
      [
        ['system.journal', 'journal-binary', 55],
        ['system.json', 'journal-json', 55],
      ],
    )
    assert.equal(one.events.length, 12)
    assert.deepEqual(
      both.events.map((e) => [e.kind, e.cursor]),
      one.events.map((e) => [e.kind, e.cursor]),
    )
    // 12 events come from 12 distinct entries (the two boots are the entries 1 and 47): each was seen twice.
    assert.equal(both.duplicatesDropped, 12)
  })

  it('reports a truncated journal at byte offsets and keeps what it salvaged', async () => {
    const root = makeTree({ [`${MACHINE}/system.journal`]: fixture('truncated') })
    const r = await collectEvents({ evidence: [root] })
    assert.deepEqual(
      r.inventory.map((i) => [i.linesRead, i.linesParsed, i.linesSkipped]),
      [[55, 25, 30]],
    )
    assert.ok(r.events.length > 0)
    assert.ok(r.diagnostics.examples.every((d) => d.line === null && typeof d.offset === 'number' && d.path === `${MACHINE}/system.journal`))
    assert.deepEqual([...r.diagnostics.counts.keys()].sort(), ['JOURNAL_SALVAGED', 'JOURNAL_TRUNCATED'])
  })
})
