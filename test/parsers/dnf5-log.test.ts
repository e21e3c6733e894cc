import { test } from 'node:test'
import assert from 'node:assert/strict'
import dnf5Log from '../../parsers/dnf5-log.ts'
import { parseFile, parseText } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dnf/', import.meta.url).pathname

test('dnf5.log (hand-written from the dnf5 sources): completed, error, interrupted', async () => {
  const r = await parseFile(dnf5Log, `${FIXTURES}dnf5.log`, { path: 'var/log/dnf5.log' })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 22, linesParsed: 22, linesSkipped: 0, eventsKept: 7 })
  assert.deepEqual(
    r.events.map((e) =>
      e.kind === 'package-transaction'
        ? `${e.line} tx ${e.transactionId} ${e.outcome}`
        : e.kind === 'package-action'
          ? `${e.line} ${e.action} ${e.package} ${e.toVersion}`
          : `${e.line} ${e.kind} ${'package' in e ? e.package : ''}`,
    ),
    [
      '7 unit-masked maskdemo',
      '4 install maskdemo 1.0-1',
      '1 tx dnf5:16009@2024-03-21T10:13:25+0000 completed',
      '15 package-note failpre',
      '11 tx dnf5:16100@2024-03-21T10:20:00+0000 error',
      '20 install maskdemo 2.0-1',
      '18 tx dnf5:16200@2024-03-21T10:30:00+0000 interrupted',
    ],
  )
  assert.deepEqual(r.events[6], {
    kind: 'package-transaction',
    timeUs: Date.UTC(2024, 2, 21, 10, 30, 0) * 1000,
    timeBasis: 'utc',
    timeZone: null,
    timeZoneSource: null,
    timeNote: null,
    host: null,
    path: 'var/log/dnf5.log',
    line: 18,
    cursor: null,
    parser: 'dnf5-log',
    text: '2024-03-21T10:30:00+0000 [16200] INFO --- DNF5 launched with arguments: "dnf5 upgrade -y maskdemo" ---',
    tool: 'dnf5',
    transactionId: 'dnf5:16200@2024-03-21T10:30:00+0000',
    commandLine: 'dnf5 upgrade -y maskdemo',
    actor: null,
    outcome: 'interrupted',
    outcomeReason:
      'no "DNF5 finished" for pid 16200 before the end of the log: interrupted, or still running when the evidence was copied; %post of maskdemo-0:2.0-1.noarch scriptlet started but never stopped',
    endUs: Date.UTC(2024, 2, 21, 10, 30, 2) * 1000,
  })
})

test('dnf5: upgrade pairs, a relaunch by the same pid, Z era', async () => {
  const text = `2023-01-05T10:00:00Z [7] INFO --- DNF5 launched with arguments: "dnf5 upgrade" ---
2023-01-05T10:00:01Z [7] INFO RPM callback install start "openssl-libs-1:3.0.8-1.fc38.x86_64" total 1
2023-01-05T10:00:01Z [7] INFO RPM callback install stop "openssl-libs-1:3.0.8-1.fc38.x86_64" amount 1 total 1
2023-01-05T10:00:02Z [7] INFO RPM callback uninstall start "openssl-libs-1:3.0.7-2.fc38.x86_64" total 1
2023-01-05T10:00:02Z [7] INFO RPM callback uninstall stop "openssl-libs-1:3.0.7-2.fc38.x86_64" amount 1 total 1
2023-01-05T10:05:00Z [7] INFO --- DNF5 launched with arguments: "dnf5 makecache" ---
2023-01-05T10:05:01Z [7] INFO DNF5 finished
`
  const r = await parseText(dnf5Log, text)
  assert.deepEqual(r.counters, { linesRead: 7, linesParsed: 7, linesSkipped: 0, eventsKept: 3 })
  assert.deepEqual(
    r.events.map((e) => (e.kind === 'package-action' ? `${e.action} ${e.fromVersion}>${e.toVersion}` : e.kind === 'package-transaction' ? e.outcomeReason : e.kind)),
    ['upgrade 1:3.0.7-2.fc38>1:3.0.8-1.fc38', 'cleanup 1:3.0.7-2.fc38>null', 'no "DNF5 finished" for pid 7 before it launched again (line 6): interrupted'],
  )
})

const GOOD = '2024-03-21T10:13:25+0000 [5] INFO --- DNF5 launched with arguments: "dnf5 install x" ---\n'
const INVALID = [
  { name: 'text first', input: `junk\n${GOOD}`, diagnostics: [{ line: 1, code: 'RECORD_INVALID' }], counters: { linesRead: 2, linesParsed: 1, linesSkipped: 1, eventsKept: 0 } },
  { name: 'no [pid]', input: `${GOOD}2024-03-21T10:13:26+0000 INFO DNF5 finished\n`, diagnostics: [{ line: 2, code: 'RECORD_INVALID' }], counters: { linesRead: 2, linesParsed: 1, linesSkipped: 1, eventsKept: 0 } },
  { name: 'day 32', input: `${GOOD}2024-03-32T10:13:26+0000 [5] INFO DNF5 finished\n`, diagnostics: [{ line: 2, code: 'TIMESTAMP_INVALID' }], counters: { linesRead: 2, linesParsed: 1, linesSkipped: 1, eventsKept: 0 } },
]
for (const c of INVALID) {
  test(`malformed dnf5.log: ${c.name}`, async () => {
    const r = await parseText(dnf5Log, c.input)
    assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), c.diagnostics)
    assert.deepEqual(r.counters, c.counters)
  })
}
