import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import aptHistory from '../../parsers/apt-history.ts'
import aptTerm from '../../parsers/apt-term.ts'
import type { MaskEvent, PackageNote, PackageTransaction } from '../../src/events.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/apt/', import.meta.url).pathname
const PATH = 'var/log/apt/term.log'
const LINE_NOTE = "term.log has no per-line times: time of the block's Log started"

const transactions = (events: MaskEvent[]): PackageTransaction[] =>
  events.filter((e): e is PackageTransaction => e.kind === 'package-transaction')
const notes = (events: MaskEvent[]): PackageNote[] => events.filter((e): e is PackageNote => e.kind === 'package-note')
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number): number => Date.UTC(y, mo - 1, d, h, mi, s) * 1000
/** A compact view: kind, line, unit or note or action, package, transaction. */
const brief = (e: MaskEvent): string => {
  switch (e.kind) {
    case 'unit-masked':
    case 'unit-unmasked':
    case 'unit-enabled':
    case 'unit-disabled':
      return `${e.line} ${e.kind} ${e.unit} by ${e.package} in ${e.transactionId}`
    case 'package-note':
      return `${e.line} ${e.kind} ${e.note} ${e.package} in ${e.transactionId}`
    case 'package-action':
      return `${e.line} ${e.kind} ${e.action} ${e.package} ${e.fromVersion}->${e.toVersion}`
    case 'package-transaction':
      return `${e.line} ${e.kind} ${e.transactionId} ${e.outcome}`
    default:
      return `${e.line} ${e.kind}`
  }
}

describe('apt-term: real apt run through a pty (test/fixtures/apt/term.log, CRLF)', async () => {
  const r = await parseFile(aptTerm, `${FIXTURES}term.log`, { path: PATH })

  it('reads every line with no diagnostics', () => {
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 41, linesParsed: 41, linesSkipped: 0, eventsKept: 21 })
  })

  it('finds completed, error, interrupted and completed blocks with their unit changes', () => {
    assert.deepEqual(r.events.map(brief), [
      '2 package-transaction apt@2026-11-24T20:33:38 completed',
      '6 package-action unpack maskdemo null->1.0',
      '7 package-action configure maskdemo null->1.0',
      '8 unit-enabled maskdemo.service by maskdemo in apt@2026-11-24T20:33:38',
      '10 unit-masked maskdemo-legacy.service by maskdemo in apt@2026-11-24T20:33:38',
      '13 package-transaction apt@2026-11-24T20:33:40 error',
      '16 package-action unpack maskdemo 1.0->1.1',
      '17 package-action configure maskdemo null->1.1',
      '19 package-note error-processing maskdemo in apt@2026-11-24T20:33:40',
      '22 package-note errors-encountered maskdemo in apt@2026-11-24T20:33:40',
      '25 package-transaction apt@2026-11-24T20:33:41 interrupted',
      '28 package-action unpack maskdemo 1.1->1.2',
      '29 package-action configure maskdemo null->1.2',
      '30 unit-masked maskdemo-extra.service by maskdemo in apt@2026-11-24T20:33:41',
      '32 package-transaction apt@2026-11-24T20:33:45 completed',
      '34 package-action remove maskdemo 1.2->null',
      '35 unit-masked maskdemo.service by maskdemo in apt@2026-11-24T20:33:45',
      '37 package-action purge maskdemo 1.2->null',
      '38 unit-unmasked maskdemo.service by maskdemo in apt@2026-11-24T20:33:45',
      '39 unit-unmasked maskdemo-legacy.service by maskdemo in apt@2026-11-24T20:33:45',
      '40 unit-unmasked maskdemo-extra.service by maskdemo in apt@2026-11-24T20:33:45',
    ])
    const [, error, interrupted] = transactions(r.events)
    assert.equal(error!.endUs, utc(2026, 11, 24, 20, 33, 40))
    assert.equal(interrupted!.endUs, null)
    assert.equal(interrupted!.outcomeReason, 'no Log ended before the next Log started: apt was interrupted (killed, crashed or lost power)')
  })

  it('checks the mask made by the interrupted run in full', () => {
    const mask = r.events.find((e) => e.kind === 'unit-masked' && e.unit === 'maskdemo-extra.service')
    assert.deepEqual(mask, {
      kind: 'unit-masked',
      timeUs: utc(2026, 11, 24, 20, 33, 41),
      timeBasis: 'local',
      timeZone: 'UTC',
      timeZoneSource: 'test',
      timeNote: LINE_NOTE,
      host: null,
      path: PATH,
      line: 30,
      cursor: null,
      parser: 'apt-term',
      text: 'Created symlink /etc/systemd/system/maskdemo-extra.service → /dev/null.',
      unit: 'maskdemo-extra.service',
      form: 'helper',
      linkPath: '/etc/systemd/system/maskdemo-extra.service',
      runtime: false,
      actorComm: null,
      actorUnit: null,
      package: 'maskdemo',
      transactionId: 'apt@2026-11-24T20:33:41',
    })
  })

  it('shares transaction ids with history.log of the same runs', async () => {
    const h = await parseFile(aptHistory, `${FIXTURES}history.log`)
    assert.deepEqual(
      transactions(r.events).map((t) => [t.transactionId, t.outcome]),
      transactions(h.events).map((t) => [t.transactionId, t.outcome]),
    )
  })

  it('gives the same events when the input arrives in small chunks', async () => {
    assert.deepEqual(await parseFile(aptTerm, `${FIXTURES}term.log`, { path: PATH, chunkSize: 5 }), r)
  })
})

describe('apt-term: blocks by hand', () => {
  it('finds a mask line that shares its CRLF line with bare-CR progress noise', async () => {
    const text =
      '\nLog started: 2024-05-01  10:00:00\n' +
      'Setting up foo (1.0) ...\r\n' +
      '(Reading database ... \r(Reading database ... 45%\rCreated symlink /etc/systemd/system/foo.service -> /dev/null.\r\r\n' +
      '\x1b[0;1;31mCreated symlink from /run/systemd/system/bar.service to /dev/null.\x1b[0m\r\n' +
      'Removed /etc/systemd/system/multi-user.target.wants/foo.service.\r\n' +
      'Log ended: 2024-05-01  10:00:09\n'
    const r = await parseText(aptTerm, text)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 7, linesParsed: 7, linesSkipped: 0, eventsKept: 5 })
    assert.deepEqual(r.events.map(brief), [
      '2 package-transaction apt@2024-05-01T10:00:00 completed',
      '3 package-action configure foo null->1.0',
      '4 unit-masked foo.service by foo in apt@2024-05-01T10:00:00',
      '5 unit-masked bar.service by foo in apt@2024-05-01T10:00:00',
      '6 unit-disabled foo.service by foo in apt@2024-05-01T10:00:00',
    ])
    assert.equal(r.events[3]!.kind === 'unit-masked' && r.events[3]!.runtime, true)
    assert.equal(r.events[2]!.text, 'Created symlink /etc/systemd/system/foo.service -> /dev/null.')
  })

  it('reports dpkg errors (archive and package forms, two listed packages) as an error transaction', async () => {
    const text = [
      '',
      'Log started: 2024-05-01  10:00:00',
      'Preparing to unpack .../03-bar_2.0_all.deb ...\r',
      'Created symlink /etc/systemd/system/bar.service → /dev/null.\r',
      'dpkg: error processing archive /tmp/apt-dpkg-install-Ab12/03-bar_2.0_all.deb (--unpack):\r',
      ' new bar package pre-installation script subprocess returned error exit status 1\r',
      'dpkg: error processing package baz:amd64 (--configure):\r',
      'Running in chroot, ignoring request: daemon-reload\r',
      'Errors were encountered while processing:\r',
      ' /tmp/apt-dpkg-install-Ab12/03-bar_2.0_all.deb\r',
      ' baz\r',
      'Log ended: 2024-05-01  10:00:09',
      '',
    ].join('\n')
    const r = await parseText(aptTerm, text)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.events.map(brief), [
      '2 package-transaction apt@2024-05-01T10:00:00 error',
      '4 unit-masked bar.service by bar in apt@2024-05-01T10:00:00',
      '5 package-note error-processing bar in apt@2024-05-01T10:00:00',
      '7 package-note error-processing baz in apt@2024-05-01T10:00:00',
      '8 package-note chroot-ignored bar in apt@2024-05-01T10:00:00',
      '10 package-note errors-encountered bar in apt@2024-05-01T10:00:00',
      '11 package-note errors-encountered baz in apt@2024-05-01T10:00:00',
    ])
    assert.equal(notes(r.events)[0]!.timeNote, LINE_NOTE)
  })

  it('keeps a last block without Log ended as interrupted, with the EOF reason', async () => {
    const r = await parseText(aptTerm, '\nLog started: 2024-05-01  10:00:00\r\nRemoving foo (1.0) ...\r\nCreated symlink /etc/systemd/system/foo.service → /dev/null.\r\r\n')
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 4, linesParsed: 4, linesSkipped: 0, eventsKept: 3 })
    const [t] = transactions(r.events)
    assert.equal(t!.outcome, 'interrupted')
    assert.equal(t!.outcomeReason, 'no Log ended: interrupted, or still running when the evidence was copied')
    assert.equal(r.events.filter((e) => e.kind === 'unit-masked').length, 1)
  })

  it('an empty block (apt without a pty) is a completed transaction', async () => {
    const r = await parseText(aptTerm, '\nLog started: 2024-05-01  10:00:00\nLog ended: 2024-05-01  10:00:01\n')
    assert.deepEqual(r.events.map(brief), ['2 package-transaction apt@2024-05-01T10:00:00 completed'])
  })

  it('flags a DST-ambiguous Log started in Europe/Berlin', async () => {
    const r = await parseText(aptTerm, '\nLog started: 2024-10-27  02:30:00\nCreated symlink /etc/systemd/system/x.service → /dev/null.\nLog ended: 2024-10-27  02:30:05\n', {
      localZone: { zone: 'Europe/Berlin', source: 'test' },
    })
    const mask = r.events.find((e) => e.kind === 'unit-masked')!
    assert.equal(mask.timeUs, utc(2024, 10, 27, 0, 30, 0))
    assert.equal(mask.timeNote, `${LINE_NOTE}; ambiguous local time in Europe/Berlin (clocks went back): the earlier instant is used`)
  })
})

describe('apt-term: malformed input', () => {
  const S = '\nLog started: 2024-05-01  10:00:00\n'
  const E = 'Log ended: 2024-05-01  10:00:05\n'
  const MASK = 'Created symlink /etc/systemd/system/x.service → /dev/null.\n'
  const cases: { name: string; input: string; diagnostics: { line: number; code: string }[]; events: number }[] = [
    { name: 'impossible day in Log started', input: '\nLog started: 2024-02-30  10:00:00\n' + MASK + E, diagnostics: [{ line: 2, code: 'TIMESTAMP_INVALID' }], events: 2 },
    { name: 'Log ended not a time', input: S + MASK + 'Log ended: soon\n', diagnostics: [{ line: 4, code: 'TIMESTAMP_INVALID' }], events: 2 },
    { name: 'Log ended with no open block', input: S + E + E, diagnostics: [{ line: 4, code: 'RECORD_INVALID' }], events: 1 },
    // Output before any Log started (a cut-off copy): reported once, and the mask is still kept.
    { name: 'output before the first Log started', input: 'Setting up x (1) ...\n' + MASK + S + E, diagnostics: [{ line: 1, code: 'RECORD_INVALID' }], events: 3 },
    { name: 'output after Log ended', input: S + E + MASK + MASK, diagnostics: [{ line: 4, code: 'RECORD_INVALID' }], events: 3 },
  ]
  for (const c of cases) {
    it(`${c.name} → ${c.diagnostics.map((d) => `${d.code}@${d.line}`).join(', ')}`, async () => {
      const r = await parseText(aptTerm, c.input)
      assert.deepEqual(
        r.diagnostics.map((d) => ({ line: d.line, code: d.code })),
        c.diagnostics,
      )
      const lines = c.input.split('\n').length - 1
      assert.deepEqual(r.counters, { linesRead: lines, linesParsed: lines - c.diagnostics.length, linesSkipped: c.diagnostics.length, eventsKept: c.events })
    })
  }

  it('events outside any block have an unknown time and no transaction', async () => {
    const r = await parseText(aptTerm, MASK)
    const [mask] = r.events
    assert.equal(mask!.kind, 'unit-masked')
    assert.equal(mask!.timeUs, null)
    assert.equal(mask!.timeBasis, 'unknown')
    assert.equal(mask!.kind === 'unit-masked' && mask!.transactionId, null)
  })
})

describe('apt-term: detection', () => {
  const head = (file: string): string => readFileSync(file, 'utf8').slice(0, 65536)
  it('claims its own fixture and the apt term.log path', () => {
    assert.equal(aptTerm.detect(head(`${FIXTURES}term.log`)), true)
    assert.ok(aptTerm.paths.some((p) => p.test('var/log/apt/term.log')))
    assert.ok(!aptTerm.paths.some((p) => p.test('var/log/apt/history.log')))
  })
  it('does not claim history.log, journal JSON or an empty file', () => {
    assert.equal(aptTerm.detect(head(`${FIXTURES}history.log`)), false)
    assert.equal(aptTerm.detect('{"__CURSOR":"s=1;i=1","__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":"Log started: 2024-05-01  10:00:00"}\n'), false)
    assert.equal(aptTerm.detect(''), false)
  })
  it('is not claimed by apt-history', () => {
    assert.equal(aptHistory.detect(head(`${FIXTURES}term.log`)), false)
  })
})

describe('apt-term: public corpus', () => {
  const debian = `${SHARED}corpus/public/debian11-armhf-rootfs/var/log/apt/term.log`

  it('debian11 rootfs term.log (CRLF, bare CR, chroot): enable links and chroot notes, no diagnostics', async (t) => {
    if (!existsSync(debian)) return t.skip(`shared corpus absent (${debian})`)
    const r = await parseFile(aptTerm, debian)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 472, linesParsed: 472, linesSkipped: 0, eventsKept: 217 })
    assert.deepEqual(
      transactions(r.events).map((x) => [x.transactionId, x.outcome]),
      [['apt@2023-01-15T05:19:15', 'completed']],
    )
    assert.deepEqual(
      r.events.filter((e) => e.kind === 'unit-enabled' || e.kind === 'package-note').map(brief).slice(0, 5),
      [
        '353 package-note chroot-ignored dbus in apt@2023-01-15T05:19:15',
        '356 package-note chroot-ignored sudo in apt@2023-01-15T05:19:15',
        '441 unit-enabled sshd.service by openssh-server in apt@2023-01-15T05:19:15',
        '442 unit-enabled ssh.service by openssh-server in apt@2023-01-15T05:19:15',
        '443 package-note chroot-ignored openssh-server in apt@2023-01-15T05:19:15',
      ],
    )
    assert.equal(r.events.filter((e) => e.kind === 'unit-enabled').length, 9)
    assert.equal(r.events.filter((e) => e.kind === 'unit-masked').length, 0)
    assert.equal(aptTerm.detect(readFileSync(debian, 'utf8').slice(0, 65536)), true)
  })
})
