// journalctl's short text output read by the syslog parser, as a sosreport holds it
// (sos_commands/logs/journalctl_--no-pager…). Fixtures: test/fixtures/journalctl/make.sh (real journalctl 247/252).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import syslog from '../../parsers/syslog.ts'
import type { MaskEvent } from '../../src/events.ts'
import { formatInstant } from '../../src/time.ts'
import { SOS_JOURNAL_TEXT } from '../../src/sos/layout.ts'
import { parseFile, parseText } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/journalctl/', import.meta.url).pathname
const SOS_PATH = 'sos_commands/logs/journalctl_--no-pager'
const BERLIN = { zone: 'Europe/Berlin', source: 'test' }
// sos wrote the file on 2024-03-04 (the mtime a tar extraction keeps)
const MTIME = Date.UTC(2024, 2, 4, 8, 0, 0) * 1000

const summary = (e: MaskEvent): string => `${e.line} ${formatInstant(e.timeUs)} ${e.kind} ${'unit' in e ? e.unit : 'units' in e ? e.units.join(',') : ''}`.trimEnd()

// The machine's zone is Europe/Berlin (CET, UTC+1): 11:02:13 local is 10:02:13Z. Dec 31 → Jan 1 is a new year.
const EXPECTED = [
  '1 2023-12-31T22:59:58.000000Z unit-started nginx.service',
  '5 2024-03-01T10:02:13.000000Z admin-command nginx.service',
  '6 2024-03-01T10:02:13.000000Z daemon-reload',
  '7 2024-03-01T10:15:00.000000Z unit-masked cups.service',
  '8 2024-03-01T10:30:04.000000Z mask-refused nginx.service',
  '12 2024-03-02T06:00:14.000000Z unit-started ssh.service',
]
const shifted = (by: number): string[] => EXPECTED.map((l) => l.replace(/^\d+/, (n) => String(Number(n) + by)))

describe('syslog: journalctl short output (real journalctl, test/fixtures/journalctl/make.sh)', () => {
  const cases = [
    { file: 'short.v252.txt', what: 'v252: `-- Boot <id> --` between boots, a 3-line message', lines: 12, expected: EXPECTED },
    { file: 'short.v247.txt', what: 'v247: `-- Journal begins at …, ends at … --` header', lines: 13, expected: shifted(1) },
    {
      file: 'catalog-c.v252.txt',
      what: '--catalog in the C locale (sos 3): `-- Subject: …` explanations',
      lines: 26,
      expected: ['1', '12', '13', '14', '15', '19'].map((n, i) => EXPECTED[i]!.replace(/^\d+/, n)),
    },
    {
      file: 'catalog-utf8.v252.txt',
      what: '--catalog in C.UTF-8 (sos 4): `░░ Subject: …` explanations',
      lines: 26,
      expected: ['1', '12', '13', '14', '15', '19'].map((n, i) => EXPECTED[i]!.replace(/^\d+/, n)),
    },
    { file: 'no-entries.v252.txt', what: 'nothing matched: `-- No entries --`', lines: 1, expected: [] },
  ]
  for (const c of cases) {
    it(`${c.what}: every line read, journalctl's own lines kept out, local times in the machine's zone`, async () => {
      const r = await parseFile(syslog, `${FIXTURES}${c.file}`, { path: SOS_PATH, localZone: BERLIN, fileMtimeUs: MTIME })
      assert.deepEqual(r.diagnostics, [])
      assert.deepEqual(r.counters, { linesRead: c.lines, linesParsed: c.lines, linesSkipped: 0, eventsKept: c.expected.length })
      assert.deepEqual(r.events.map(summary), c.expected)
      assert.ok(r.events.every((e) => e.timeBasis === 'inferred' && e.timeZone === 'Europe/Berlin' && e.host === 'web1'))
    })
  }

  it('a collection time known better than the mtime (ctx.writtenAt) gives the year, and the note says where it came from', async () => {
    // the mtime was reset by a later copy (2031): the collection time still dates the entries
    const r = await parseFile(syslog, `${FIXTURES}short.v252.txt`, {
      path: SOS_PATH,
      localZone: BERLIN,
      fileMtimeUs: Date.UTC(2031, 0, 1) * 1000,
      writtenAt: { us: Date.UTC(2024, 2, 4, 8, 0, 0) * 1000, source: 'sos_commands/date/date_--utc' },
    })
    assert.deepEqual(r.events.map(summary), EXPECTED)
    assert.equal(
      r.events[1]!.timeNote,
      'year inferred: the file was written when the evidence was collected (2024-03-04, Europe/Berlin; sos_commands/date/date_--utc), after its last entry',
    )
  })

  it('entries logged while sos ran, after its `date --utc`, stay in the collection year', async () => {
    const text = 'Mar 04 09:00:00 web1 sudo[1]: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl mask x.service\n'
    const writtenAt = { us: Date.UTC(2024, 2, 4, 7, 59, 0) * 1000, source: 'sos_commands/date/date_--utc' }
    const r = await parseText(syslog, text, { path: SOS_PATH, localZone: BERLIN, writtenAt })
    assert.deepEqual(r.events.map(summary), ['1 2024-03-04T08:00:00.000000Z admin-command x.service'])
  })

  it("journalctl's own lines are only accepted in journalctl text: in a syslog file they stay errors", async () => {
    const text = 'Mar  1 11:02:13 web1 systemd[1]: Reloading.\n-- Boot 8e7d6c5b4a39281706f5e4d3c2b1a098 --\n'
    const plain = await parseText(syslog, text, { path: 'var/log/syslog', localZone: BERLIN, yearHint: 2024 })
    assert.deepEqual(plain.diagnostics.map((d) => `${d.line} ${d.code}`), ['2 RECORD_INVALID'])
    const saved = await parseText(syslog, text, { path: 'evidence/journalctl.txt', localZone: BERLIN, yearHint: 2024 })
    assert.deepEqual(saved.diagnostics, [])
    const headed = await parseText(syslog, `-- Logs begin at Fri 2024-03-01 09:00:00 CET, end at Fri 2024-03-01 12:00:00 CET. --\n${text}`, {
      path: 'stdin',
      localZone: BERLIN,
      yearHint: 2024,
    })
    assert.deepEqual(headed.diagnostics, [])
    assert.deepEqual(headed.counters, { linesRead: 3, linesParsed: 3, linesSkipped: 0, eventsKept: 1 })
  })

  it('content detection sees through the header (journalctl output piped in)', () => {
    assert.equal(syslog.detect(readFileSync(`${FIXTURES}short.v247.txt`, 'utf8')), true)
    assert.equal(syslog.detect(readFileSync(`${FIXTURES}short.v252.txt`, 'utf8')), true)
  })

  it("routes every name sos gives the journal's text to the syslog parser, and no other journalctl output", () => {
    const text = [
      'sos_commands/logs/journalctl_--no-pager',
      'sos_commands/logs/journalctl_--no-pager_--boot',
      'sos_commands/logs/journalctl_--no-pager_--boot_-1',
      'sos_commands/logs/journalctl_--no-pager_--catalog_--boot',
      'sos_commands/logs/journalctl_--no-pager_--catalog_--boot_-1',
      'sos_commands/logs/journalctl_--no-pager_--since_-3days',
      'sos_commands/logs/journalctl_--all_--this-boot_--no-pager',
      'sosreport-web1-2024-03-04-abcdefg/sos_commands/logs/journalctl_--no-pager',
    ]
    const other = [
      'sos_commands/logs/journalctl_--disk-usage',
      'sos_commands/logs/journalctl_--all_--this-boot_--no-pager_-o_verbose',
      'sos_commands/systemd/journalctl_--list-boots',
      'sos_commands/docker/journalctl_--no-pager_--unit_docker',
    ]
    for (const p of text) assert.ok(syslog.paths.some((re) => re.test(p)) && SOS_JOURNAL_TEXT.test(p), p)
    for (const p of other) assert.ok(!syslog.paths.some((re) => re.test(p)), p)
  })
})
