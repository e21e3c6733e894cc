import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import aptHistory, { REASON_INTERRUPTED_EOF } from '../../parsers/apt-history.ts'
import aptTerm from '../../parsers/apt-term.ts'
import type { MaskEvent, PackageAction, PackageTransaction } from '../../src/events.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/apt/', import.meta.url).pathname
const PATH = 'var/log/apt/history.log'
const BERLIN = { zone: 'Europe/Berlin', source: 'test' }

const transactions = (events: MaskEvent[]): PackageTransaction[] =>
  events.filter((e): e is PackageTransaction => e.kind === 'package-transaction')
const actions = (events: MaskEvent[]): PackageAction[] => events.filter((e): e is PackageAction => e.kind === 'package-action')
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number): number => Date.UTC(y, mo - 1, d, h, mi, s) * 1000

describe('apt-history: real apt run (test/fixtures/apt/history.log)', async () => {
  const r = await parseFile(aptHistory, `${FIXTURES}history.log`, { path: PATH })

  it('reads every line with no diagnostics', () => {
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 24, linesParsed: 24, linesSkipped: 0, eventsKept: 8 })
  })

  it('has a completed, an error, an interrupted and a completed transaction, in file order', () => {
    assert.deepEqual(
      transactions(r.events).map((t) => [t.transactionId, t.outcome, t.endUs]),
      [
        ['apt@2026-11-24T20:33:38', 'completed', utc(2026, 11, 24, 20, 33, 38)],
        ['apt@2026-11-24T20:33:40', 'error', utc(2026, 11, 24, 20, 33, 40)],
        ['apt@2026-11-24T20:33:41', 'interrupted', null],
        ['apt@2026-11-24T20:33:45', 'completed', utc(2026, 11, 24, 20, 33, 45)],
      ],
    )
    assert.equal(transactions(r.events)[2]!.outcomeReason, 'no End-Date before the next Start-Date: apt was interrupted (killed, crashed or lost power)')
  })

  it('checks the error transaction in full', () => {
    assert.deepEqual(transactions(r.events)[1], {
      kind: 'package-transaction',
      timeUs: utc(2026, 11, 24, 20, 33, 40),
      timeBasis: 'local',
      timeZone: 'UTC',
      timeZoneSource: 'test',
      timeNote: null,
      host: null,
      path: PATH,
      line: 8,
      cursor: null,
      parser: 'apt-history',
      text: 'Start-Date: 2026-11-24  20:33:40',
      tool: 'apt',
      transactionId: 'apt@2026-11-24T20:33:40',
      commandLine: 'apt-get -y install ./maskdemo_1.1_all.deb',
      actor: 'cloudsdk',
      outcome: 'error',
      outcomeReason: 'Error: Sub-process /usr/bin/dpkg returned an error code (1)',
      endUs: utc(2026, 11, 24, 20, 33, 40),
    })
  })

  it('emits one package action per entry, after its transaction and tied to it', () => {
    assert.deepEqual(
      r.events.map((e) => (e.kind === 'package-action' ? `${e.transactionId} ${e.action} ${e.package}:${e.arch} ${e.fromVersion}->${e.toVersion}` : e.kind)),
      [
        'package-transaction',
        'apt@2026-11-24T20:33:38 install maskdemo:amd64 null->1.0',
        'package-transaction',
        'apt@2026-11-24T20:33:40 upgrade maskdemo:amd64 1.0->1.1',
        'package-transaction',
        'apt@2026-11-24T20:33:41 upgrade maskdemo:amd64 1.1->1.2',
        'package-transaction',
        'apt@2026-11-24T20:33:45 purge maskdemo:amd64 1.2->null',
      ],
    )
    const purge = actions(r.events)[3]!
    assert.equal(purge.text, 'Purge: maskdemo:amd64 (1.2)')
    assert.equal(purge.line, 23)
    assert.equal(purge.timeNote, "history.log has one time per transaction: time of the block's Start-Date")
  })

  it('gives the same events when the input arrives in small chunks', async () => {
    const chunked = await parseFile(aptHistory, `${FIXTURES}history.log`, { path: PATH, chunkSize: 7 })
    assert.deepEqual(chunked, r)
  })
})

describe('apt-history: transactions by hand', () => {
  it('keeps a last block without End-Date as interrupted, with the EOF reason', async () => {
    const r = await parseText(aptHistory, '\nStart-Date: 2024-05-01  10:00:00\nCommandline: apt purge foo\nPurge: foo:amd64 (1.0)\n')
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 4, linesParsed: 4, linesSkipped: 0, eventsKept: 2 })
    const [t] = transactions(r.events)
    assert.equal(t!.outcome, 'interrupted')
    assert.equal(t!.outcomeReason, REASON_INTERRUPTED_EOF)
    assert.equal(t!.outcomeReason, 'no End-Date: interrupted, or still running when the evidence was copied')
    assert.equal(t!.endUs, null)
    assert.equal(actions(r.events)[0]!.transactionId, 'apt@2024-05-01T10:00:00')
  })

  it('reads automatic installs, reinstalls, downgrades, removes, Disappeared and Comment', async () => {
    const text = [
      '',
      'Start-Date: 2024-05-01  10:00:00',
      'Commandline: apt install --comment x a',
      'Requested-By: alice (1000)',
      'Comment: x',
      'Install: a:amd64 (1:2.0~rc1+b1, automatic), b:i386 (3)',
      'Reinstall: c:all (4)',
      'Downgrade: d:amd64 (2, 1)',
      'Remove: e:amd64 (5)',
      'Disappeared: f (6), g',
      'End-Date: 2024-05-01  10:00:02',
      '',
    ].join('\n')
    const r = await parseText(aptHistory, text)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(
      actions(r.events).map((a) => [a.action, a.package, a.arch, a.fromVersion, a.toVersion]),
      [
        ['install', 'a', 'amd64', null, '1:2.0~rc1+b1'],
        ['install', 'b', 'i386', null, '3'],
        ['reinstall', 'c', 'all', null, '4'],
        ['downgrade', 'd', 'amd64', '2', '1'],
        ['remove', 'e', 'amd64', '5', null],
        ['disappear', 'f', null, '6', null],
        ['disappear', 'g', null, null, null],
      ],
    )
    assert.equal(transactions(r.events)[0]!.actor, 'alice')
  })

  it('flags a Start-Date that happened twice in Europe/Berlin (DST end) and one that never happened', async () => {
    const text = '\nStart-Date: 2024-10-27  02:30:00\nInstall: a:amd64 (1)\nEnd-Date: 2024-10-27  02:31:00\n\nStart-Date: 2024-03-31  02:30:00\nEnd-Date: 2024-03-31  03:01:00\n'
    const r = await parseText(aptHistory, text, { localZone: BERLIN })
    assert.deepEqual(r.diagnostics, [])
    const [ambiguous, gap] = transactions(r.events)
    // 02:30 CEST (UTC+2) is the earlier of the two instants.
    assert.equal(ambiguous!.timeUs, utc(2024, 10, 27, 0, 30, 0))
    assert.equal(ambiguous!.timeZone, 'Europe/Berlin')
    assert.equal(ambiguous!.timeNote, 'ambiguous local time in Europe/Berlin (clocks went back): the earlier instant is used')
    assert.equal(ambiguous!.transactionId, 'apt@2024-10-27T02:30:00')
    assert.equal(
      actions(r.events)[0]!.timeNote,
      "history.log has one time per transaction: time of the block's Start-Date; ambiguous local time in Europe/Berlin (clocks went back): the earlier instant is used",
    )
    assert.match(gap!.timeNote ?? '', /does not exist in Europe\/Berlin/)
    assert.equal(gap!.endUs, utc(2024, 3, 31, 1, 1, 0))
  })
})

describe('apt-history: malformed input', () => {
  const S = '\nStart-Date: 2024-05-01  10:00:00\n'
  const E = 'End-Date: 2024-05-01  10:00:05\n'
  const cases: { name: string; input: string; diagnostics: { line: number; code: string }[]; events: number; outcome?: string }[] = [
    { name: 'impossible month in Start-Date', input: '\nStart-Date: 2024-13-01  10:00:00\n' + E, diagnostics: [{ line: 2, code: 'TIMESTAMP_INVALID' }], events: 1, outcome: 'completed' },
    { name: 'End-Date not a time', input: S + 'End-Date: yesterday\n', diagnostics: [{ line: 3, code: 'TIMESTAMP_INVALID' }], events: 1, outcome: 'completed' },
    { name: 'list before any Start-Date', input: 'Install: foo:amd64 (1.0)\n' + S + E, diagnostics: [{ line: 1, code: 'RECORD_INVALID' }], events: 1 },
    { name: 'End-Date with no open block', input: S + E + E, diagnostics: [{ line: 4, code: 'RECORD_INVALID' }], events: 1 },
    { name: 'free text inside a block', input: S + 'garbage here\n' + E, diagnostics: [{ line: 3, code: 'RECORD_INVALID' }], events: 1, outcome: 'completed' },
    { name: 'unknown field', input: S + 'Frobnicate: x\n' + E, diagnostics: [{ line: 3, code: 'RECORD_INVALID' }], events: 1 },
    // The damaged entry is reported; the entries on both sides of it are kept.
    { name: 'damaged entry between good ones', input: S + 'Install: foo:amd64 (1.0), b@d entry (x, bar:amd64 (2.0)\n' + E, diagnostics: [{ line: 3, code: 'RECORD_INVALID' }], events: 3 },
    { name: 'damaged entry, then a good one', input: S + 'Install: foo:amd64 (1.0), what is this, bar:amd64 (2.0)\n' + E, diagnostics: [{ line: 3, code: 'RECORD_INVALID' }], events: 3 },
    { name: 'upgrade with one version', input: S + 'Upgrade: foo:amd64 (1.0), bar:amd64 (1, 2)\n' + E, diagnostics: [{ line: 3, code: 'RECORD_INVALID' }], events: 2 },
    { name: 'install without a version', input: S + 'Install: foo\n' + E, diagnostics: [{ line: 3, code: 'RECORD_INVALID' }], events: 1 },
    { name: 'empty list', input: S + 'Remove: \n' + E, diagnostics: [{ line: 3, code: 'RECORD_INVALID' }], events: 1 },
  ]
  for (const c of cases) {
    it(`${c.name} → ${c.diagnostics.map((d) => `${d.code}@${d.line}`).join(', ')}`, async () => {
      const r = await parseText(aptHistory, c.input)
      assert.deepEqual(
        r.diagnostics.map((d) => ({ line: d.line, code: d.code })),
        c.diagnostics,
      )
      const lines = c.input.split('\n').length - 1
      assert.deepEqual(r.counters, { linesRead: lines, linesParsed: lines - c.diagnostics.length, linesSkipped: c.diagnostics.length, eventsKept: c.events })
      if (c.outcome !== undefined) assert.equal(transactions(r.events)[0]!.outcome, c.outcome)
    })
  }

  it('keeps a transaction whose Start-Date is unreadable, at an unknown time', async () => {
    const r = await parseText(aptHistory, '\nStart-Date: 2024-13-01  10:00:00\nInstall: a:amd64 (1)\n' + 'End-Date: 2024-05-01  10:00:05\n', { path: 'h.log' })
    const [t] = transactions(r.events)
    assert.equal(t!.timeUs, null)
    assert.equal(t!.timeBasis, 'unknown')
    assert.equal(t!.transactionId, 'apt@h.log:2')
    assert.equal(actions(r.events)[0]!.transactionId, 'apt@h.log:2')
  })
})

describe('apt-history: detection', () => {
  const head = (file: string): string => readFileSync(file, 'utf8').slice(0, 65536)
  it('claims its own fixture and the apt history path', () => {
    assert.equal(aptHistory.detect(head(`${FIXTURES}history.log`)), true)
    assert.ok(aptHistory.paths.some((p) => p.test('var/log/apt/history.log')))
    assert.ok(!aptHistory.paths.some((p) => p.test('var/log/apt/term.log')))
  })
  it('does not claim term.log, journal JSON or an empty file', () => {
    assert.equal(aptHistory.detect(head(`${FIXTURES}term.log`)), false)
    assert.equal(aptHistory.detect('{"__CURSOR":"s=1;i=1","__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":"Start-Date: 2024-05-01  10:00:00"}\n'), false)
    assert.equal(aptHistory.detect(''), false)
    assert.equal(aptHistory.detect('\nStart-Date: not a date\n'), false)
  })
  it('is not claimed by apt-term', () => {
    assert.equal(aptTerm.detect(head(`${FIXTURES}history.log`)), false)
  })
})

describe('apt-history: public corpus', () => {
  const plaso = `${SHARED}corpus/public/plaso/apt_history.log`
  const debian = `${SHARED}corpus/public/debian11-armhf-rootfs/var/log/apt/history.log`

  it('plaso apt_history.log: 56 lines, 10 transactions, one with Error:', async (t) => {
    if (!existsSync(plaso)) return t.skip(`shared corpus absent (${plaso})`)
    const r = await parseFile(aptHistory, plaso)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 56, linesParsed: 56, linesSkipped: 0, eventsKept: 807 })
    const ts = transactions(r.events)
    assert.equal(ts.length, 10)
    assert.deepEqual(
      ts.filter((x) => x.outcome !== 'completed').map((x) => [x.transactionId, x.outcome, x.commandLine]),
      [['apt@2019-07-11T12:25:24', 'error', 'apt-get install -y docker-ce docker-ce-cli containerd.io']],
    )
    assert.equal(aptHistory.detect(readFileSync(plaso, 'utf8').slice(0, 65536)), true)
  })

  it('debian11 rootfs history.log: one completed transaction of 100 installs', async (t) => {
    if (!existsSync(debian)) return t.skip(`shared corpus absent (${debian})`)
    const r = await parseFile(aptHistory, debian)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 5, linesParsed: 5, linesSkipped: 0, eventsKept: 101 })
    assert.deepEqual(
      transactions(r.events).map((x) => [x.transactionId, x.outcome, x.actor]),
      [['apt@2023-01-15T05:19:15', 'completed', null]],
    )
    assert.ok(actions(r.events).every((a) => a.action === 'install'))
  })
})
