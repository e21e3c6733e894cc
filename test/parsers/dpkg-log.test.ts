import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import dpkgList from '../../parsers/dpkg-list.ts'
import dpkgLog from '../../parsers/dpkg-log.ts'
import dpkgStatus from '../../parsers/dpkg-status.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dpkg/', import.meta.url).pathname
const PLASO = `${SHARED}corpus/public/plaso/dpkg.log`
const DEBIAN11 = `${SHARED}corpus/public/debian11-armhf-rootfs/var/log/dpkg.log`

/** One reviewable line per event (times left out: the fixture is regenerated with the real clock). */
function summary(e: MaskEvent): string {
  switch (e.kind) {
    case 'package-transaction':
      return `${e.line} transaction ${e.outcome}`
    case 'package-action':
      return `${e.line} ${e.action} ${e.package}${e.arch ? `:${e.arch}` : ''} ${e.fromVersion} ${e.toVersion} ${e.state}`
    case 'package-note':
      return `${e.line} note ${e.note} ${e.package}`
    default:
      return `${e.line} ${e.kind}`
  }
}

const notes = (events: MaskEvent[]): string[] => events.filter((e) => e.kind === 'package-note').map(summary)
const runs = (events: MaskEvent[]) =>
  events.filter((e) => e.kind === 'package-transaction').sort((a, b) => a.line - b.line)

describe('dpkg-log: fixture made by test/fixtures/dpkg/make.sh (real dpkg 1.21)', async () => {
  const r = await parseFile(dpkgLog, `${FIXTURES}dpkg.log`, { path: 'var/log/dpkg.log' })

  it('reads every line, with no diagnostics', () => {
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 30, linesParsed: 30, linesSkipped: 0, eventsKept: 31 })
  })

  it('one transaction per startup line: completed, failed postinst, completed remove, killed', () => {
    const t = runs(r.events)
    assert.deepEqual(t.map(summary), [
      '1 transaction completed',
      '14 transaction interrupted',
      '20 transaction completed',
      '26 transaction interrupted',
    ])
    assert.match(t[1]!.kind === 'package-transaction' ? t[1]!.outcomeReason : '', /^left brokenpost:all half-configured, never settled/)
    assert.match(t[3]!.kind === 'package-transaction' ? t[3]!.outcomeReason : '', /^left slow:all half-installed/)
    // Actions carry the id of the run they happened in.
    const ids = new Set(r.events.filter((e) => e.kind === 'package-action').map((e) => e.kind === 'package-action' && e.transactionId))
    assert.deepEqual([...ids], t.map((e) => e.kind === 'package-transaction' && e.transactionId))
  })

  it('reports the half-configured and half-installed packages, and the remove without purge', () => {
    assert.deepEqual(notes(r.events), ['22 note removed-not-purged oldmask', '19 note left-broken brokenpost', '28 note left-broken slow'])
  })

  it('reads actions and status lines with versions as written', () => {
    const byLine = new Map(r.events.filter((e) => e.kind === 'package-action').map((e) => [e.line, summary(e)]))
    assert.equal(byLine.get(2), '2 install demo:all null 1.0 null')
    assert.equal(byLine.get(19), '19 status brokenpost:all null 2.0-1 half-configured')
    assert.equal(byLine.get(22), '22 remove oldmask:all 1.0 null null')
  })
})

describe('dpkg-log: runs and package states', () => {
  // The sequence of ../shared/FORMATS.md §5c (verified with dpkg and an old-style postrm).
  const S5C = [
    '2026-11-24 19:35:54 startup packages remove',
    '2026-11-24 19:35:54 status installed oldmask:all 1.0',
    '2026-11-24 19:35:54 remove oldmask:all 1.0 <none>',
    '2026-11-24 19:35:54 status half-configured oldmask:all 1.0',
    '2026-11-24 19:35:54 status half-installed oldmask:all 1.0',
    '2026-11-24 19:35:54 status config-files oldmask:all 1.0',
    '2026-11-24 19:35:59 startup archives install',
    '2026-11-24 19:35:59 install oldmask:all 1.0 1.1',
    '2026-11-24 19:35:59 status half-installed oldmask:all 1.0',
    '2026-11-24 19:35:59 status unpacked oldmask:all 1.1',
    '2026-11-24 19:35:59 configure oldmask:all 1.1 1.1',
    '2026-11-24 19:35:59 status half-configured oldmask:all 1.1',
    '2026-11-24 19:35:59 startup packages purge',
    '2026-11-24 19:35:59 status half-configured oldmask:all 1.1',
    '2026-11-24 19:35:59 remove oldmask:all 1.1 <none>',
    '2026-11-24 19:35:59 status half-installed oldmask:all 1.1',
    '2026-11-24 19:35:59 status config-files oldmask:all 1.1',
    '2026-11-24 19:35:59 purge oldmask:all 1.1 <none>',
    '2026-11-24 19:35:59 status not-installed oldmask:all <none>',
    '',
  ].join('\n')

  it('a run that left a package half-configured and was repaired later is an error; same-second runs get distinct ids', async () => {
    const r = await parseText(dpkgLog, S5C)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 19, linesParsed: 19, linesSkipped: 0, eventsKept: 19 })
    const t = runs(r.events).map((e) => e.kind === 'package-transaction' && [e.line, e.transactionId, e.outcome, e.outcomeReason])
    assert.deepEqual(t, [
      [1, 'dpkg@2026-11-24 19:35:54', 'completed', 'every package the run touched ended installed, config-files or not-installed'],
      [7, 'dpkg@2026-11-24 19:35:59', 'error', 'left oldmask:all half-configured (a maintainer script failed, or dpkg stopped); all settled again by line 17'],
      [13, 'dpkg@2026-11-24 19:35:59#2', 'completed', 'every package the run touched ended installed, config-files or not-installed'],
    ])
    // Purged in the end: neither left broken nor removed-not-purged.
    assert.deepEqual(notes(r.events), [])
  })

  it('a remove followed by nothing is removed-not-purged; a reinstall or purge clears it', async () => {
    const text = [
      '2024-05-01 10:00:00 startup packages remove',
      '2024-05-01 10:00:00 remove oldmask:all 1.0 <none>',
      '2024-05-01 10:00:00 status config-files oldmask:all 1.0',
      '2024-05-01 10:00:01 remove other:amd64 2.0 <none>',
      '2024-05-01 10:00:01 status config-files other:amd64 2.0',
      '2024-05-02 09:00:00 startup archives install',
      '2024-05-02 09:00:00 install other:amd64 2.0 2.1',
      '2024-05-02 09:00:00 status unpacked other:amd64 2.1',
      '2024-05-02 09:00:00 configure other:amd64 2.1 <none>',
      '2024-05-02 09:00:00 status installed other:amd64 2.1',
    ].join('\n')
    const r = await parseText(dpkgLog, text)
    assert.deepEqual(r.counters, { linesRead: 10, linesParsed: 10, linesSkipped: 0, eventsKept: 11 })
    assert.deepEqual(notes(r.events), ['2 note removed-not-purged oldmask'])
  })

  it('a package left half-configured at the end of the input: left-broken at its last status line, run interrupted', async () => {
    const text = [
      '2024-05-01 10:00:00 startup packages configure',
      '2024-05-01 10:00:00 configure svc:amd64 1.0 <none>',
      '2024-05-01 10:00:00 status unpacked svc:amd64 1.0',
      '2024-05-01 10:00:01 status half-configured svc:amd64 1.0',
      '',
    ].join('\n')
    const r = await parseText(dpkgLog, text)
    assert.deepEqual(r.counters, { linesRead: 4, linesParsed: 4, linesSkipped: 0, eventsKept: 5 })
    assert.deepEqual(runs(r.events).map(summary), ['1 transaction interrupted'])
    const note = r.events.find((e) => e.kind === 'package-note')
    assert.deepEqual(note, {
      kind: 'package-note',
      timeUs: Date.UTC(2024, 4, 1, 10, 0, 1) * 1000,
      timeBasis: 'local',
      timeZone: 'UTC',
      timeZoneSource: 'test',
      timeNote: null,
      host: null,
      path: 'input',
      line: 4,
      cursor: null,
      parser: 'dpkg-log',
      text: '2024-05-01 10:00:01 status half-configured svc:amd64 1.0',
      tool: 'dpkg',
      note: 'left-broken',
      package: 'svc',
      transactionId: 'dpkg@2024-05-01 10:00:00',
    })
  })

  it('one action event in full', async () => {
    const r = await parseText(dpkgLog, '2016-08-03 15:25:53 startup archives install\n2016-08-06 17:35:39 install base-passwd:amd64 <none> 3.5.33\n', {
      path: 'var/log/dpkg.log',
      localZone: { zone: 'Europe/Berlin', source: 'etc/timezone' },
    })
    assert.deepEqual(r.events[0], {
      kind: 'package-action',
      timeUs: Date.UTC(2016, 7, 6, 15, 35, 39) * 1000,
      timeBasis: 'local',
      timeZone: 'Europe/Berlin',
      timeZoneSource: 'etc/timezone',
      timeNote: null,
      host: null,
      path: 'var/log/dpkg.log',
      line: 2,
      cursor: null,
      parser: 'dpkg-log',
      text: '2016-08-06 17:35:39 install base-passwd:amd64 <none> 3.5.33',
      tool: 'dpkg',
      transactionId: 'dpkg@2016-08-03 15:25:53',
      package: 'base-passwd',
      arch: 'amd64',
      action: 'install',
      fromVersion: null,
      toVersion: '3.5.33',
      state: null,
    })
  })

  it('flags a DST-ambiguous and a nonexistent local time (Europe/Berlin)', async () => {
    const text = [
      '2024-10-27 02:30:00 status installed a:amd64 1',
      '2024-03-31 02:30:00 status installed b:amd64 1',
      '2024-10-27 03:30:00 status installed c:amd64 1',
    ].join('\n')
    const r = await parseText(dpkgLog, text, { localZone: { zone: 'Europe/Berlin', source: '--tz' } })
    assert.deepEqual(r.diagnostics, [])
    const times = r.events.map((e) => [e.timeUs, e.timeNote])
    assert.deepEqual(times, [
      // 02:30 happened twice; the earlier (CEST, +02:00) instant is used.
      [Date.UTC(2024, 9, 27, 0, 30) * 1000, 'ambiguous local time in Europe/Berlin (clocks went back): the earlier instant is used'],
      [Date.UTC(2024, 2, 31, 1, 30) * 1000, 'local time does not exist in Europe/Berlin (clocks went forward): read with the offset before the change'],
      [Date.UTC(2024, 9, 27, 2, 30) * 1000, null],
    ])
  })

  it('an arch-less line (dpkg upgrading itself) is the same package as name:arch', async () => {
    const text = [
      '2023-01-15 05:11:00 startup archives install',
      '2023-01-15 05:11:00 upgrade dpkg 1.20.12 1.20.12',
      '2023-01-15 05:11:00 status half-installed dpkg 1.20.12',
      '2023-01-15 05:11:01 status unpacked dpkg:armhf 1.20.12',
      '2023-01-15 05:11:01 status installed dpkg:armhf 1.20.12',
    ].join('\n')
    const r = await parseText(dpkgLog, text)
    assert.deepEqual(runs(r.events).map(summary), ['1 transaction completed'])
    assert.deepEqual(notes(r.events), [])
    const upgrade = r.events.find((e) => e.line === 2)
    assert.ok(upgrade?.kind === 'package-action')
    assert.equal(upgrade.arch, null)
  })

  it('apt unpack runs leave packages unpacked and triggers pending on purpose', async () => {
    const text = [
      '2023-01-15 05:19:15 startup archives unpack',
      '2023-01-15 05:19:15 install libdbus-1-3:armhf <none> 1.12.24',
      '2023-01-15 05:19:15 status triggers-pending libc-bin:armhf 2.31',
      '2023-01-15 05:19:15 status unpacked libdbus-1-3:armhf 1.12.24',
      '2023-01-15 05:20:48 startup packages configure',
      '2023-01-15 05:20:48 configure libdbus-1-3:armhf 1.12.24 <none>',
      '2023-01-15 05:20:48 status installed libdbus-1-3:armhf 1.12.24',
      '2023-01-15 05:20:48 trigproc libc-bin:armhf 2.31 <none>',
      '2023-01-15 05:20:48 status installed libc-bin:armhf 2.31',
    ].join('\n')
    const r = await parseText(dpkgLog, text)
    assert.deepEqual(runs(r.events).map(summary), ['1 transaction completed', '5 transaction completed'])
    assert.equal(summary(r.events.find((e) => e.line === 8)!), '8 trigger libc-bin:armhf 2.31 null null')
  })

  it('conffile and update-alternatives lines are parsed without events; blank lines count as parsed', async () => {
    const text = [
      '2009-02-25 11:45:23 conffile /etc/X11/Xsession keep',
      '',
      'update-alternatives 2022-10-04 22:32:23: run with --install /usr/bin/editor editor /usr/bin/vim.basic 30',
      '2022-10-04 22:32:23 update-alternatives: using /usr/bin/vim.basic to provide /usr/bin/editor (editor) in auto mode',
      '2022-10-04 22:32:24 conffile /etc/with space.conf install',
    ].join('\r\n')
    const r = await parseText(dpkgLog, text)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 5, linesParsed: 5, linesSkipped: 0, eventsKept: 0 })
  })
})

describe('dpkg-log: malformed input', () => {
  const GOOD_BEFORE = '2024-05-01 10:00:00 status installed before:amd64 1.0'
  const GOOD_AFTER = '2024-05-01 10:00:02 status installed after:amd64 1.0'
  const invalid = [
    { bad: '2016-08-06 17:35:39 instal foo:amd64 1 2', code: 'RECORD_INVALID' },
    { bad: '2016-08-06 17:35:39 install foo:amd64 <none>', code: 'RECORD_INVALID' },
    { bad: '2016-08-06 17:35:39 status broken-state foo:amd64 1.0', code: 'RECORD_INVALID' },
    { bad: '2016-08-06 17:35:39 install foo:bar:baz <none> 1.0', code: 'RECORD_INVALID' },
    { bad: '2016-08-06 17:35:39 startup archives', code: 'RECORD_INVALID' },
    { bad: '2016-08-06 17:3', code: 'RECORD_INVALID' },
    { bad: 'random text from another program', code: 'RECORD_INVALID' },
    { bad: '\0\0\0\0\0\0\0\0', code: 'RECORD_INVALID' },
    { bad: '2016-13-06 17:35:39 install foo:amd64 <none> 1.0', code: 'TIMESTAMP_INVALID' },
    { bad: '2023-02-29 17:35:39 install foo:amd64 <none> 1.0', code: 'TIMESTAMP_INVALID' },
    { bad: '2016-08-06 24:00:00 install foo:amd64 <none> 1.0', code: 'TIMESTAMP_INVALID' },
    { bad: 'update-alternatives 2022-10-04 25:32:23: run with --install x', code: 'TIMESTAMP_INVALID' },
  ] as const
  for (const { bad, code } of invalid) {
    it(`${code} at line 2: ${JSON.stringify(bad)}; the lines around it are kept`, async () => {
      const r = await parseText(dpkgLog, `${GOOD_BEFORE}\n${bad}\n${GOOD_AFTER}\n`, { path: 'var/log/dpkg.log' })
      assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), [{ line: 2, code }])
      assert.deepEqual(r.counters, { linesRead: 3, linesParsed: 2, linesSkipped: 1, eventsKept: 2 })
      assert.deepEqual(r.events.map((e) => e.line), [1, 3])
    })
  }
})

describe('dpkg-log: real public files', () => {
  it('plaso test_data/dpkg.log (4 lines, out of order, conffile before startup): no diagnostics', { skip: existsSync(PLASO) ? false : `shared corpus not found at ${PLASO}` }, async () => {
    const r = await parseFile(dpkgLog, PLASO)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 4, linesParsed: 4, linesSkipped: 0, eventsKept: 4 })
    assert.deepEqual(r.events.map(summary), [
      '3 install base-passwd:amd64 null 3.5.33 null',
      '4 status base-passwd:amd64 null 3.5.33 half-installed',
      '2 transaction interrupted',
      '4 note left-broken base-passwd',
    ])
  })

  it('debian11-armhf-rootfs var/log/dpkg.log (1,942 lines, 15 runs): no diagnostics, every run completed', { skip: existsSync(DEBIAN11) ? false : `shared corpus not found at ${DEBIAN11}` }, async () => {
    const r = await parseFile(dpkgLog, DEBIAN11)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 1942, linesParsed: 1942, linesSkipped: 0, eventsKept: 1942 })
    const t = runs(r.events)
    assert.equal(t.length, 15)
    assert.deepEqual([...new Set(t.map((e) => e.kind === 'package-transaction' && e.outcome))], ['completed'])
    assert.deepEqual(notes(r.events), [])
  })
})

describe('dpkg-log: detection', () => {
  const read = (p: string): string => readFileSync(p, 'utf8')
  it('detects its fixture and real dpkg.log heads', () => {
    assert.equal(dpkgLog.detect(read(`${FIXTURES}dpkg.log`)), true)
    assert.equal(dpkgLog.detect('2016-08-06 17:35:39 install base-passwd:amd64 <none> 3.5.33'), true)
    if (existsSync(DEBIAN11)) assert.equal(dpkgLog.detect(read(DEBIAN11).slice(0, 65536)), true)
  })
  it('does not claim the status database, a file list, apt history.log, term.log, alternatives.log or journal JSON', () => {
    assert.equal(dpkgLog.detect(read(`${FIXTURES}status`)), false)
    assert.equal(dpkgLog.detect(read(`${FIXTURES}info/demo.list`)), false)
    assert.equal(dpkgLog.detect('Start-Date: 2019-07-11  12:25:24\nCommandline: apt-get install -y docker-ce\nEnd-Date: 2019-07-11  12:26:07\n'), false)
    assert.equal(dpkgLog.detect('\nLog started: 2024-05-01  10:00:00\nSelecting previously unselected package foo.\n'), false)
    assert.equal(dpkgLog.detect('update-alternatives 2022-10-04 22:32:23: run with --install /usr/bin/x x /t 10\n'), false)
    assert.equal(dpkgLog.detect('{"__CURSOR":"s=1;i=1","__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":"hi"}\n'), false)
    assert.equal(dpkgLog.detect('Nov 24 20:33:08 host systemd[1]: Started foo.service.\n'), false)
  })
  it('claims dpkg.log paths, rotated ones after the core strips .N/.gz', () => {
    assert.ok(dpkgLog.paths.some((re) => re.test('var/log/dpkg.log')))
    assert.ok(dpkgLog.paths.some((re) => re.test('dpkg.log')))
    assert.ok(!dpkgLog.paths.some((re) => re.test('var/log/apt/history.log')))
  })
  it('none of the three dpkg parsers claims the other formats\' fixtures or real files (apt, journal, dnf, syslog)', () => {
    const foreign = [
      new URL('../fixtures/apt/history.log', import.meta.url).pathname,
      new URL('../fixtures/apt/term.log', import.meta.url).pathname,
      new URL('../fixtures/journal/journal.json', import.meta.url).pathname,
      new URL('../fixtures/journal/journal.pretty.json', import.meta.url).pathname,
      `${SHARED}corpus/public/plaso/apt_history.log`,
      `${SHARED}corpus/public/plaso/syslog`,
      `${SHARED}corpus/public/lnav/logfile_journald.json`,
      `${SHARED}corpus/public/debian11-armhf-rootfs/var/log/apt/history.log`,
      `${SHARED}corpus/public/debian11-armhf-rootfs/var/log/apt/term.log`,
    ].filter((f) => existsSync(f))
    for (const f of foreign) {
      const head = readFileSync(f).subarray(0, 65536).toString('utf8')
      for (const p of [dpkgLog, dpkgStatus, dpkgList]) assert.equal(p.detect(head), false, `${p.name} claims ${f}`)
    }
  })
})
