import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import listUnitFiles from '../../parsers/systemctl-list-unit-files.ts'
import syslog from '../../parsers/syslog.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseFile, parseText } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/systemctl/', import.meta.url).pathname
const PATH = 'sos_commands/systemd/systemctl_list-unit-files'

const rows = (events: MaskEvent[]): string[] =>
  events.map((e) => (e.kind === 'unit-file-state' ? `${e.line} ${e.unit} ${e.state} ${e.preset ?? '-'}` : `${e.line} ${e.kind}`))

// The same scratch tree listed by each systemctl (test/fixtures/systemctl/make.sh): every state there is.
const V252_ROWS = [
  '2 mnt-data.mount generated -',
  '3 session-3.scope transient -',
  '4 acme-agent.service linked enabled',
  '5 acme-helper.service linked-runtime enabled',
  '6 backup.service enabled enabled',
  '7 cups.service masked-runtime enabled',
  '8 dangling.service bad enabled',
  '9 getty@.service disabled enabled',
  '10 nginx.service masked enabled',
  '11 postgresql-cluster-maintenance-for-the-reporting-database-replica.service disabled enabled',
  '12 rsync.service indirect enabled',
  '13 ssh.service enabled enabled',
  '14 sshd.service alias -',
  '15 systemd-journald.service static -',
  '16 rsync.socket disabled enabled',
  '17 telnet.socket masked enabled',
  '18 web.socket bad enabled',
  '19 multi-user.target static -',
  '20 fstrim.timer enabled-runtime enabled',
]

describe('systemctl-list-unit-files: real systemctl output (test/fixtures/systemctl/make.sh)', () => {
  for (const version of ['v247', 'v252', 'v254']) {
    it(`${version} (${version === 'v247' ? 'VENDOR PRESET' : 'PRESET'} column): one unit-file-state per row, every state`, async () => {
      const r = await parseFile(listUnitFiles, `${FIXTURES}list-unit-files.${version}.txt`, { path: PATH })
      assert.deepEqual(r.diagnostics, [])
      assert.deepEqual(r.counters, { linesRead: 22, linesParsed: 22, linesSkipped: 0, eventsKept: 19 })
      assert.deepEqual(rows(r.events), V252_ROWS)
    })
  }

  it('one event in full: no time of its own, the row verbatim', async () => {
    const r = await parseFile(listUnitFiles, `${FIXTURES}list-unit-files.v252.txt`, { path: PATH })
    assert.deepEqual(r.events[8], {
      timeUs: null,
      timeBasis: 'unknown',
      timeZone: null,
      timeZoneSource: null,
      timeNote: 'state when systemctl listed the unit files (for a sosreport: when it was collected); the listing has no time of its own',
      host: null,
      path: PATH,
      line: 10,
      cursor: null,
      parser: 'systemctl-list-unit-files',
      text: 'nginx.service                                                             masked          enabled',
      kind: 'unit-file-state',
      unit: 'nginx.service',
      state: 'masked',
      preset: 'enabled',
    })
  })

  it('v219 layout (two columns, padded rows, an 80-column ellipsized name): the shortened name is reported, not guessed', async () => {
    const r = await parseFile(listUnitFiles, `${FIXTURES}list-unit-files.v219.txt`, { path: PATH })
    assert.deepEqual(rows(r.events), [
      '2 acme-agent.service linked -',
      '3 acme-helper.service linked-runtime -',
      '4 backup.service enabled -',
      '5 cups.service masked-runtime -',
      '6 dangling.service invalid -',
      '7 getty@.service disabled -',
      '8 nginx.service masked -',
      '10 rsync.service indirect -',
      '11 ssh.service enabled -',
      '12 systemd-journald.service static -',
      '13 rsync.socket disabled -',
      '14 telnet.socket masked -',
      '15 web.socket invalid -',
      '16 multi-user.target static -',
      '17 fstrim.timer enabled-runtime -',
    ])
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.line} ${d.code} ${d.message}`),
      ['9 RECORD_INVALID unit name shortened by systemctl to fit 80 columns: the unit cannot be identified'],
    )
    assert.deepEqual(r.counters, { linesRead: 19, linesParsed: 18, linesSkipped: 1, eventsKept: 15 })
  })
})

describe('systemctl-list-unit-files: variants and bad input', () => {
  it('--no-legend output (rows only), CRLF line ends and terminal colours are read', async () => {
    const text = 'nginx.service \x1b[0;1;31mmasked\x1b[0m  enabled\r\nssh.service   \x1b[0;1;32menabled\x1b[0m enabled\r\n'
    const r = await parseText(listUnitFiles, text, { path: PATH })
    assert.deepEqual(rows(r.events), ['1 nginx.service masked enabled', '2 ssh.service enabled enabled'])
    assert.deepEqual(r.diagnostics, [])
    // the evidence text stays verbatim, colour codes included
    assert.equal(r.events[0]!.text, 'nginx.service \x1b[0;1;31mmasked\x1b[0m  enabled')
  })

  const invalid = [
    { name: 'a line that is no row', input: 'UNIT FILE STATE\nnot a row at all here\n\n0 unit files listed.\n', diagnostics: ['2 RECORD_INVALID'] },
    { name: 'a name that is no unit', input: 'UNIT FILE STATE\nnginx masked\n\n1 unit files listed.\n', diagnostics: ['2 RECORD_INVALID'] },
    { name: 'text after the footer', input: 'UNIT FILE STATE\na.service masked\n\n1 unit files listed.\nb.service enabled\n', diagnostics: ['5 RECORD_INVALID'] },
    { name: 'a second header', input: 'UNIT FILE STATE\na.service masked\nUNIT FILE STATE\n\n1 unit files listed.\n', diagnostics: ['3 RECORD_INVALID'] },
    { name: 'a footer that does not match the rows', input: 'UNIT FILE STATE\na.service masked\n\n2 unit files listed.\n', diagnostics: ['null RECORD_INVALID'] },
    { name: 'a listing cut off before its footer', input: 'UNIT FILE STATE PRESET\na.service masked enabled\n', diagnostics: ['null RECORD_UNTERMINATED'] },
  ]
  for (const c of invalid) {
    it(`reports ${c.name} and keeps every valid row`, async () => {
      const r = await parseText(listUnitFiles, c.input, { path: PATH })
      assert.deepEqual(r.diagnostics.map((d) => `${d.line} ${d.code}`), c.diagnostics)
      const lines = c.input.split('\n').length - 1
      const skipped = c.diagnostics.filter((d) => !d.startsWith('null')).length
      assert.deepEqual(r.counters.linesRead, lines)
      assert.deepEqual(r.counters.linesSkipped, skipped)
      assert.ok(r.events.every((e) => e.kind === 'unit-file-state'))
    })
  }

  it('detects the listing by its header, and nothing else claims it', async () => {
    const { readFileSync } = await import('node:fs')
    for (const v of ['v219', 'v247', 'v252']) {
      const head = readFileSync(`${FIXTURES}list-unit-files.${v}.txt`, 'utf8')
      assert.equal(listUnitFiles.detect(head), true, v)
      assert.equal(syslog.detect(head), false, v)
    }
    assert.equal(listUnitFiles.detect('Mar  2 08:04:04 host sudo[5110]: alice : COMMAND=/bin/true\n'), false)
    assert.equal(listUnitFiles.detect('UNIT                 LOAD   ACTIVE SUB     DESCRIPTION\n'), false)
    assert.ok(listUnitFiles.paths.some((re) => re.test(PATH)))
    assert.ok(!listUnitFiles.paths.some((re) => re.test('sos_commands/systemd/systemctl_list-units')))
  })
})
