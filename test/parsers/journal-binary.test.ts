import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import journalBinary from '../../parsers/journal-binary.ts'
import journalJson from '../../parsers/journal-json.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseBytes } from '../helpers/parse.ts'
import { FIXTURES, READABLE_FIXTURES, fixture, velociraptor } from '../helpers/journal-binary.ts'

/** An event without where it was read from: what must not depend on the framing. */
function withoutSource(e: MaskEvent): Omit<MaskEvent, 'path' | 'parser'> {
  const { path: _path, parser: _parser, ...rest } = e
  return rest
}

function summary(e: MaskEvent): string {
  const units = 'unit' in e ? e.unit : 'units' in e ? e.units.join(',') : ''
  return `${e.line} ${e.kind} ${units}`.trim()
}

describe('journal-binary parser: detection', () => {
  it('claims journal files by name, anywhere: system, user, rotated, disposed (~)', () => {
    const claims = (p: string): boolean => journalBinary.paths.some((re) => re.test(p))
    for (const p of [
      'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system.journal',
      'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/user-1000.journal',
      'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system@0f6b3a1e5c2d4b7a9e8f7a6b5c4d3e2f-0000000000000001-000613a0b1c2d3e4.journal',
      'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system@00053f9c9a4c1e0e-2e18a70e8b327fed.journal~',
      'run/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system.journal',
      'system.journal',
    ]) {
      assert.ok(claims(p), p)
    }
    for (const p of ['var/log/journal.json', 'system.journal.bak', 'journal', 'var/log/journal/x/system.journal.export']) assert.ok(!claims(p), p)
  })

  it('sniffs the LPKSHHRH signature, and nothing else', () => {
    assert.ok(journalBinary.detect(fixture('system').subarray(0, 65536).toString('utf8')))
    for (const head of ['', 'LPKSHHR', '{"MESSAGE":"LPKSHHRH"}', ' LPKSHHRH']) assert.ok(!journalBinary.detect(head), head)
  })
})

describe('journal-binary parser: events', () => {
  for (const name of READABLE_FIXTURES) {
    it(`${name}.journal gives exactly the events of its journalctl -o json (line = entry number, same cursors)`, async () => {
      const binary = await parseBytes(journalBinary, fixture(name), { path: `${name}.journal` })
      const json = await parseBytes(journalJson, readFileSync(join(FIXTURES, `${name}.json`)), { path: `${name}.json` })
      assert.ok(binary.events.length > 0)
      assert.deepEqual(binary.events.map(withoutSource), json.events.map(withoutSource))
      assert.deepEqual(binary.counters, json.counters)
      assert.deepEqual(binary.diagnostics, [])
      assert.ok(binary.events.every((e) => e.parser === 'journal-binary' && e.cursor !== null))
    })
  }

  it('reads the story: counts every entry, and recognises what matters (a compressed sudo line included)', async () => {
    const system = await parseBytes(journalBinary, fixture('system'), { path: 'system.journal' })
    assert.deepEqual(system.counters, { linesRead: 55, linesParsed: 55, linesSkipped: 0, eventsKept: 12 })
    assert.deepEqual(system.events.map(summary), [
      '2 unit-started nginx.service',
      '5 login-session',
      '6 daemon-reload',
      '11 unit-stopped nginx.service',
      '13 mask-refused nginx.service',
      '15 unit-failed deploy.service',
      '16 unit-failed deploy.service',
      '48 unit-started ssh.service',
      '53 daemon-reload',
      '55 unit-masked bar.service',
      '1 boot',
      '47 boot',
    ])
    const user = await parseBytes(journalBinary, fixture('user-1000'), { path: 'user-1000.journal' })
    const commands = user.events.filter((e) => e.kind === 'admin-command')
    assert.deepEqual(
      commands.map((e) => [e.line, e.actor, e.verb, e.units]),
      [
        [1, 'alice', 'mask', ['nginx.service']],
        [4, 'alice', 'mask', ['cups.service']],
      ],
    )
    assert.ok(commands[1]!.text.length > 512, 'the second sudo line was stored ZSTD-compressed')
    assert.equal(commands[0]!.cursor, user.events[0]!.cursor)
  })

  it('a truncated file journalctl refuses: salvaged entries parsed, lost ones counted skipped, diagnostics at byte offsets', async () => {
    const r = await parseBytes(journalBinary, velociraptor('compact.journal'), { path: 'compact.journal' })
    assert.deepEqual(
      { ...r.counters, eventsKept: undefined },
      { linesRead: 2241, linesParsed: 380, linesSkipped: 1861, eventsKept: undefined },
    )
    assert.ok(r.events.length > 0)
    assert.ok(r.events.every((e) => e.line >= 1 && e.line <= 380 && e.cursor?.startsWith('s=f98ff762aa50456a86ba738f3cbefa63;')))
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.line, d.offset]),
      [
        ['JOURNAL_ONLINE', null, 16],
        ['JOURNAL_TRUNCATED', null, 4096000],
        ['JOURNAL_TRUNCATED', null, 4534256],
        ['JOURNAL_TRUNCATED', null, 4095912],
        ['JOURNAL_TRUNCATED', null, 4096032],
        ['JOURNAL_SALVAGED', null, 3738768],
      ],
    )
  })

  it('a file that is not a journal despite its name: one diagnostic, nothing read', async () => {
    const r = await parseBytes(journalBinary, Buffer.from('{"MESSAGE":"hello"}\n'), { path: 'system.journal' })
    assert.deepEqual(r.counters, { linesRead: 0, linesParsed: 0, linesSkipped: 0, eventsKept: 0 })
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.offset]),
      [['JOURNAL_UNSUPPORTED', 0]],
    )
  })
})
