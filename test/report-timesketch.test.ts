import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { MaskEvent } from '../src/events.ts'
import { renderTimesketch, timesketchRecord, withSkippedNote } from '../src/report/timesketch.ts'
import { maskwhy, REPO } from './helpers/cli.ts'

const masked: MaskEvent = {
  kind: 'unit-masked',
  timeUs: 1709287333250871,
  timeBasis: 'local',
  timeZone: 'Europe/Berlin',
  timeZoneSource: '--tz',
  timeNote: null,
  host: 'web1',
  path: 'var/log/apt/term.log',
  line: 42,
  cursor: null,
  parser: 'apt-term',
  text: 'Created symlink /etc/systemd/system/nginx.service → /dev/null.',
  unit: 'nginx.service',
  form: 'helper',
  linkPath: '/etc/systemd/system/nginx.service',
  runtime: false,
  actorComm: null,
  actorUnit: null,
  package: 'nginx-common',
  transactionId: null,
}

const command: MaskEvent = {
  kind: 'admin-command',
  timeUs: 1709287000000000,
  timeBasis: 'utc',
  timeZone: null,
  timeZoneSource: null,
  timeNote: null,
  host: null,
  path: 'var/log/journal.json',
  line: 7,
  cursor: 's=abc;i=7',
  parser: 'journal-json',
  text: 'alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl mask a.service b.service',
  via: 'sudo',
  actor: 'alice',
  runAs: 'root',
  tty: 'pts/0',
  session: null,
  command: 'systemctl mask a.service\nb.service',
  verb: 'mask',
  units: ['a.service', 'b.service'],
  flags: [],
  succeeded: true,
}

const noTime: MaskEvent = {
  kind: 'package-note',
  timeUs: null,
  timeBasis: 'unknown',
  timeZone: null,
  timeZoneSource: null,
  timeNote: 'state when the evidence was copied (dpkg status database)',
  host: null,
  path: 'var/lib/dpkg/status',
  line: 1,
  cursor: null,
  parser: 'dpkg-status',
  text: 'Package: webcache',
  tool: 'dpkg',
  note: 'left-broken',
  package: 'webcache',
  transactionId: null,
}

describe('timesketchRecord', () => {
  it('maps an event field by field, in a fixed order, flat primitives only', () => {
    const r = timesketchRecord(masked)
    assert.ok(r)
    assert.deepEqual(Object.keys(r), [
      'message', 'datetime', 'timestamp', 'timestamp_desc', 'data_type', 'kind', 'unit', 'units', 'package', 'host',
      'source_path', 'source_line', 'cursor', 'parser', 'time_basis', 'time_zone', 'time_note', 'text',
    ])
    assert.equal(r.message, "masked: /etc/systemd/system/nginx.service → /dev/null (by package nginx-common's script)")
    assert.equal(r.datetime, '2024-03-01T10:02:13.250871+00:00')
    assert.equal(r.timestamp, 1709287333250871)
    assert.equal(r.timestamp_desc, 'Event Recorded')
    assert.equal(r.data_type, 'maskwhy:unit-masked')
    assert.equal(r.kind, 'unit-masked')
    assert.equal(r.unit, 'nginx.service')
    assert.equal(r.units, 'nginx.service')
    assert.equal(r.package, 'nginx-common')
    assert.equal(r.host, 'web1')
    assert.equal(r.source_path, 'var/log/apt/term.log')
    assert.equal(r.source_line, 42)
    assert.equal(r.cursor, '')
    assert.equal(r.parser, 'apt-term')
    assert.equal(r.time_basis, 'local')
    assert.equal(r.time_zone, 'Europe/Berlin')
    assert.equal(r.time_note, '')
    assert.equal(r.text, masked.text)
    for (const v of Object.values(r)) assert.ok(typeof v === 'string' || typeof v === 'number', `not flat: ${String(v)}`)
  })
  it('joins several units, keeps the message on one line and the text verbatim', () => {
    const r = timesketchRecord(command)
    assert.ok(r)
    assert.equal(r.unit, 'a.service')
    assert.equal(r.units, 'a.service,b.service')
    assert.equal(r.package, '')
    assert.equal(r.host, '')
    assert.equal(r.cursor, 's=abc;i=7')
    assert.equal(r.message, 'alice as root via sudo on pts/0: systemctl mask a.service\\nb.service')
    assert.ok(!r.message.includes('\n'))
  })
  it('names what the time means for transactions', () => {
    const tx: MaskEvent = { ...noTime, kind: 'package-transaction', timeUs: 1, timeBasis: 'local', tool: 'apt', transactionId: 't1', commandLine: 'apt remove x', actor: null, outcome: 'completed', outcomeReason: 'End-Date present', endUs: 2 }
    assert.equal(timesketchRecord(tx)?.timestamp_desc, 'Package Transaction Start')
    assert.equal(timesketchRecord(tx)?.datetime, '1970-01-01T00:00:00.000001+00:00')
  })
})

describe('renderTimesketch', () => {
  it('writes one JSON object per line and skips, and counts, events whose time is unknown', () => {
    const out = renderTimesketch([command, noTime, masked])
    assert.equal(out.written, 2)
    assert.equal(out.skippedUnknownTime, 1)
    const lines = out.stdout.split('\n')
    assert.equal(lines.pop(), '')
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { kind: string }).kind), ['admin-command', 'unit-masked'])
    assert.ok(!out.stdout.includes('"datetime":null') && !out.stdout.includes('unknown"'))
  })
  it('adds the skipped count to the closing summary line only when there is one', () => {
    const summary = 'warning[X]: y\n  --> a:1\nmaskwhy: 1 input(s); 3 events kept, 2 written; 0 diagnostic(s)\n'
    assert.equal(withSkippedNote(summary, 0), summary)
    assert.equal(
      withSkippedNote(summary, 1),
      'warning[X]: y\n  --> a:1\nmaskwhy: 1 input(s); 3 events kept, 2 written; 0 diagnostic(s); 1 events with unknown time not written (Timesketch needs a datetime)\n',
    )
  })
})

describe('maskwhy timeline --format timesketch', () => {
  it('skips the unknown-time event of a sample and says so on stderr', async () => {
    const dir = `${REPO}samples/package-mask/`
    const run = await maskwhy(['timeline', 'evidence', '--format', 'timesketch'], { cwd: dir })
    assert.equal(run.exitCode, 0, run.stderr)
    const jsonl = await maskwhy(['timeline', 'evidence', '--format', 'jsonl'], { cwd: dir })
    const all = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as { timeUs: number | null })
    const unknown = all.filter((e) => e.timeUs === null).length
    assert.ok(unknown >= 1)
    const lines = run.stdout.trim().split('\n')
    assert.equal(lines.length, all.length - unknown)
    assert.match(run.stderr, new RegExp(`, ${lines.length} written; .*; ${unknown} events with unknown time not written \\(Timesketch needs a datetime\\)\\n$`))
    for (const line of lines) {
      const r = JSON.parse(line) as Record<string, unknown>
      assert.match(String(r['datetime']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
      assert.equal(typeof r['message'], 'string')
      assert.equal(typeof r['timestamp_desc'], 'string')
    }
  })
})
