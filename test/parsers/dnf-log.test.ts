import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import dnfLog from '../../parsers/dnf-log.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dnf/', import.meta.url).pathname
const RHEL8 = `${SHARED}corpus/public/rhel8-ec2-rootfs/var/log/dnf.log`

test('dnf.log from real dnf 4.14: completed, error and interrupted runs (+hhmm era)', async () => {
  const r = await parseFile(dnfLog, `${FIXTURES}real/dnf.log`, { path: 'var/log/dnf.log' })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 150, linesParsed: 150, linesSkipped: 0, eventsKept: 3 })
  assert.deepEqual(
    r.events.map((e) => (e.kind === 'package-transaction' ? [e.line, e.transactionId, e.outcome] : null)),
    [
      [1, 'dnf:2026-11-24T21:34:02+0100', 'completed'],
      [50, 'dnf:2026-11-24T21:34:02+0100#2', 'error'],
      [112, 'dnf:2026-11-24T21:34:03+0100', 'interrupted'],
    ],
  )
  assert.deepEqual(r.events[2], {
    kind: 'package-transaction',
    timeUs: Date.UTC(2026, 10, 24, 20, 34, 3) * 1000,
    timeBasis: 'utc',
    timeZone: null,
    timeZoneSource: null,
    timeNote: null,
    host: null,
    path: 'var/log/dnf.log',
    line: 112,
    cursor: null,
    parser: 'dnf-log',
    text: '2026-11-24T21:34:03+0100 INFO --- logging initialized ---',
    tool: 'dnf',
    transactionId: 'dnf:2026-11-24T21:34:03+0100',
    commandLine:
      'dnf -y --installroot=/tmp/WORK/root --releasever=1 --nogpgcheck --setopt=reposdir=/nonexistent --setopt=install_weak_deps=False --repofrompath=local,file:///tmp/WORK/repo2 --repo=local upgrade maskdemo',
    actor: null,
    outcome: 'interrupted',
    outcomeReason:
      'no "RPM transaction over."/"Complete!" before the end of the log: interrupted, or still running when the evidence was copied; installroot /tmp/WORK/root (not the host\'s own root)',
    endUs: Date.UTC(2026, 10, 24, 20, 34, 3) * 1000,
  })
  const error = r.events[1]!
  assert.equal(error.kind === 'package-transaction' && error.outcomeReason.startsWith('dnf reported "Error: Transaction failed"'), true)
})

const ZULU = `2020-10-31T05:09:35Z INFO --- logging initialized ---
2020-10-31T05:09:35Z DEBUG YUM version: 4.2.23
2020-10-31T05:09:35Z DDEBUG Command: yum -C -y --noplugins remove linux-firmware 
2020-10-31T05:09:36Z INFO Running transaction
2020-10-31T05:09:36Z DDEBUG RPM transaction start.
2020-10-31T05:09:37Z DDEBUG RPM transaction over.
2020-10-31T05:09:37Z INFO 
Removed:
  linux-firmware-20200619-99.git3890db36.el8.noarch                             

2020-10-31T05:09:37Z INFO Complete!
`

const YEARLESS = `Dec 31 23:58:01 INFO --- logging initialized ---
Dec 31 23:58:01 DEBUG DNF version: 1.1.10
Dec 31 23:58:01 DDEBUG Command: dnf -y install maskdemo 
Dec 31 23:58:02 INFO Running transaction
Dec 31 23:58:02 DDEBUG RPM transaction start.
Jan 01 00:00:01 DDEBUG RPM transaction over.
Jan 01 00:00:01 INFO Complete!
`

test('the three dnf4 timestamp eras', async () => {
  const zulu = await parseText(dnfLog, ZULU)
  assert.deepEqual(zulu.counters, { linesRead: 11, linesParsed: 11, linesSkipped: 0, eventsKept: 1 })
  const z = zulu.events[0]!
  assert.equal(z.kind === 'package-transaction' && z.tool, 'yum', 'YUM version: means dnf invoked as yum')
  assert.deepEqual([z.timeUs, z.timeBasis], [Date.UTC(2020, 9, 31, 5, 9, 35) * 1000, 'utc'])

  const offset = await parseText(dnfLog, ZULU.replaceAll('Z INFO', '+0530 INFO').replaceAll('Z D', '+0530 D'))
  assert.deepEqual(offset.diagnostics, [])
  assert.equal(offset.events[0]!.timeUs, Date.UTC(2020, 9, 30, 23, 39, 35) * 1000)
  const short = await parseText(dnfLog, ZULU.replaceAll('Z ', '+00 '))
  assert.equal(short.events[0]!.timeUs, Date.UTC(2020, 9, 31, 5, 9, 35) * 1000)

  // Year-less (dnf < 2.7.2): the year comes from --year (first entry) or the mtime (last entry).
  const hinted = await parseText(dnfLog, YEARLESS, { yearHint: 2016, localZone: { zone: 'Europe/Berlin', source: 'test' } })
  assert.deepEqual(hinted.diagnostics, [])
  const h = hinted.events[0]!
  assert.deepEqual(
    [h.timeUs, h.timeBasis, h.timeZone, h.timeNote, h.kind === 'package-transaction' ? h.endUs : null],
    [Date.UTC(2016, 11, 31, 22, 58, 1) * 1000, 'inferred', 'Europe/Berlin', "year from --year 2016 (the first entry's year)", Date.UTC(2016, 11, 31, 23, 0, 1) * 1000],
  )
  const byMtime = await parseText(dnfLog, YEARLESS, { fileMtimeUs: Date.UTC(2017, 0, 1, 0, 5) * 1000 })
  assert.equal(byMtime.events[0]!.timeUs, Date.UTC(2016, 11, 31, 23, 58, 1) * 1000)
  assert.match(byMtime.events[0]!.timeNote ?? '', /modification time \(2017-01-01, UTC\).*minus 1 year rollover/)
  const none = await parseText(dnfLog, YEARLESS)
  assert.deepEqual([none.events[0]!.timeUs, none.events[0]!.timeBasis], [null, 'unknown'])
  assert.match(none.events[0]!.timeNote ?? '', /^Dec 31 23:58:01: no year in the timestamp and no hint/)
})

const INVALID: { name: string; input: string; diagnostics: { line: number; code: string }[]; counters: object }[] = [
  {
    name: 'text before the first record',
    input: `garbage\n${ZULU}`,
    diagnostics: [{ line: 1, code: 'RECORD_INVALID' }],
    counters: { linesRead: 12, linesParsed: 11, linesSkipped: 1, eventsKept: 1 },
  },
  {
    name: 'month 13',
    input: ZULU.replace('2020-10-31T05:09:36Z INFO Running', '2020-13-31T05:09:36Z INFO Running'),
    diagnostics: [{ line: 4, code: 'TIMESTAMP_INVALID' }],
    counters: { linesRead: 11, linesParsed: 10, linesSkipped: 1, eventsKept: 1 },
  },
  {
    name: 'torn line (timestamp only) and NUL block',
    input: `${ZULU}2020-10-31T05:09:38Z\n\0\0\0\0\n`,
    diagnostics: [
      { line: 12, code: 'RECORD_INVALID' },
      { line: 13, code: 'RECORD_INVALID' },
    ],
    counters: { linesRead: 13, linesParsed: 11, linesSkipped: 2, eventsKept: 1 },
  },
  {
    name: 'unknown level',
    input: ZULU.replace('DDEBUG RPM transaction over.', 'NOISE RPM transaction over.'),
    diagnostics: [{ line: 6, code: 'RECORD_INVALID' }],
    counters: { linesRead: 11, linesParsed: 10, linesSkipped: 1, eventsKept: 1 },
  },
]

for (const c of INVALID) {
  test(`malformed dnf.log: ${c.name}`, async () => {
    const r = await parseText(dnfLog, c.input)
    assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), c.diagnostics)
    assert.deepEqual(r.counters, c.counters)
    assert.equal(r.events[0]!.kind === 'package-transaction' && r.events[0]!.outcome, 'completed', 'the run around the bad line survives')
  })
}

test('real RHEL 8.3 dnf.log parses without diagnostics', { skip: existsSync(RHEL8) ? false : `shared corpus absent: ${RHEL8}` }, async () => {
  const r = await parseFile(dnfLog, RHEL8)
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 1115, linesParsed: 1115, linesSkipped: 0, eventsKept: 7 })
  // `yum update -y` (line 141) logs "RPM transaction start." and nothing more before the next run.
  assert.deepEqual(
    r.events.map((e) => (e.kind === 'package-transaction' ? `${e.line}:${e.tool}:${e.outcome}` : e.kind)),
    ['1:yum:completed', '45:yum:completed', '141:yum:interrupted', '510:yum:completed', '618:yum:completed', '873:yum:completed', '1030:yum:completed'],
  )
})
