import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import dnfRpmLog from '../../parsers/dnf-rpm-log.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dnf/', import.meta.url).pathname
const RHEL8 = `${SHARED}corpus/public/rhel8-ec2-rootfs/var/log/dnf.rpm.log`

test('dnf.rpm.log from real dnf 4.14: mask by a scriptlet, failed %pre, interrupted upgrade', async () => {
  const r = await parseFile(dnfRpmLog, `${FIXTURES}real/dnf.rpm.log`, { path: 'var/log/dnf.rpm.log' })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 13, linesParsed: 13, linesSkipped: 0, eventsKept: 7 })
  assert.deepEqual(
    r.events.map((e) => [e.line, e.kind, 'package' in e ? e.package : null, 'action' in e ? e.action : 'note' in e ? e.note : null]),
    [
      [2, 'package-action', 'fakesh', 'install'],
      [3, 'package-action', 'maskdemo', 'install'],
      [4, 'unit-masked', 'maskdemo', null],
      [7, 'package-action', 'failpre', 'install'],
      [11, 'package-note', 'failpre', 'scriptlet-failed'],
      [13, 'package-action', 'maskdemo', 'upgrade'],
      [13, 'package-note', 'maskdemo', 'left-broken'],
    ],
  )
  assert.deepEqual(r.events[2], {
    kind: 'unit-masked',
    timeUs: Date.UTC(2026, 10, 24, 20, 34, 2) * 1000,
    timeBasis: 'utc',
    timeZone: null,
    timeZoneSource: null,
    timeNote: null,
    host: null,
    path: 'var/log/dnf.rpm.log',
    line: 4,
    cursor: null,
    parser: 'dnf-rpm-log',
    text: '2026-11-24T21:34:02+0100 INFO Created symlink /etc/systemd/system/maskdemo.service → /dev/null.',
    unit: 'maskdemo.service',
    form: 'helper',
    linkPath: '/etc/systemd/system/maskdemo.service',
    runtime: false,
    actorComm: null,
    actorUnit: null,
    package: 'maskdemo',
    transactionId: 'dnf:2026-11-24T21:34:02+0100',
  })
})

test('epochs, upgrade pairs and masks on continuation lines', async () => {
  const text = `2021-03-02T08:05:30Z INFO --- logging initialized ---
2021-03-02T08:05:31Z SUBDEBUG Upgrade: openssl-libs-1:1.1.1g-12.el8_3.x86_64
2021-03-02T08:05:31Z INFO Created symlink /etc/systemd/system/a.service → /dev/null.
Created symlink /run/systemd/system/b.service -> /dev/null.

2021-03-02T08:05:32Z SUBDEBUG Upgraded: openssl-libs-1:1.1.1g-11.el8.x86_64
2021-03-02T08:05:33Z SUBDEBUG Erase: nftables-1:0.9.3-16.el8.x86_64
`
  const r = await parseText(dnfRpmLog, text)
  assert.deepEqual(r.counters, { linesRead: 7, linesParsed: 7, linesSkipped: 0, eventsKept: 5 })
  assert.deepEqual(
    r.events.map((e) =>
      e.kind === 'package-action' ? `${e.action} ${e.package} ${e.fromVersion ?? ''}>${e.toVersion ?? ''}` : e.kind === 'unit-masked' ? `mask ${e.unit} runtime=${e.runtime} by ${e.package}` : e.kind,
    ),
    [
      'upgrade openssl-libs >1:1.1.1g-12.el8_3',
      'mask a.service runtime=false by openssl-libs',
      'mask b.service runtime=true by openssl-libs',
      'cleanup openssl-libs 1:1.1.1g-11.el8>',
      'remove nftables 1:0.9.3-16.el8>',
    ],
  )
})

const INVALID = [
  {
    name: 'action without a nevra',
    input: '2021-03-02T08:05:30Z INFO --- logging initialized ---\n2021-03-02T08:05:31Z SUBDEBUG Installed: foo\n2021-03-02T08:05:31Z SUBDEBUG Installed: bar-1-1.noarch\n',
    diagnostics: [{ line: 2, code: 'RECORD_INVALID' }],
    counters: { linesRead: 3, linesParsed: 2, linesSkipped: 1, eventsKept: 1 },
  },
  {
    name: 'hour 25',
    input: '2021-03-02T25:05:31Z SUBDEBUG Installed: foo-1-1.noarch\n2021-03-02T08:05:31Z SUBDEBUG Installed: bar-1-1.noarch\n',
    diagnostics: [{ line: 1, code: 'TIMESTAMP_INVALID' }],
    counters: { linesRead: 2, linesParsed: 1, linesSkipped: 1, eventsKept: 1 },
  },
  {
    name: 'torn last line',
    input: '2021-03-02T08:05:31Z SUBDEBUG Installed: bar-1-1.noarch\n2021-03-02T08:05:3',
    diagnostics: [{ line: 2, code: 'RECORD_INVALID' }],
    counters: { linesRead: 2, linesParsed: 1, linesSkipped: 1, eventsKept: 1 },
  },
]

for (const c of INVALID) {
  test(`malformed dnf.rpm.log: ${c.name}`, async () => {
    const r = await parseText(dnfRpmLog, c.input)
    assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), c.diagnostics)
    assert.deepEqual(r.counters, c.counters)
    const last = r.events.at(-1)!
    assert.equal(last.kind === 'package-action' && last.package, 'bar', 'the valid line after the bad one is kept')
  })
}

test('real RHEL 8.3 dnf.rpm.log parses without diagnostics', { skip: existsSync(RHEL8) ? false : `shared corpus absent: ${RHEL8}` }, async () => {
  const r = await parseFile(dnfRpmLog, RHEL8)
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 234, linesParsed: 234, linesSkipped: 0, eventsKept: 213 })
  const chroot = r.events.find((e) => e.kind === 'package-note')!
  assert.deepEqual(chroot.kind === 'package-note' && [chroot.line, chroot.note, chroot.package], [5, 'chroot-ignored', 'firewalld'])
  // Every Upgrade: has its Upgraded: here, so no left-broken note.
  assert.equal(r.events.filter((e) => e.kind === 'package-note').length, 1)
})
