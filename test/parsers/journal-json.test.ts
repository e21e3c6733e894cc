import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import journalJson, { decodeJournalValue } from '../../parsers/journal-json.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseBytes, parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/journal/', import.meta.url).pathname

/** A compact, reviewable line per event: line, kind and the fields that identify it. */
function summary(e: MaskEvent): string {
  switch (e.kind) {
    case 'admin-command':
      return `${e.line} ${e.kind} ${e.via} ${e.actor} ${e.succeeded ? 'ok' : 'refused'} ${e.verb} ${e.units.join(',')} [${e.flags.join(' ')}]`
    case 'daemon-reload':
      return `${e.line} ${e.kind} ${e.method} ${e.requesterPid} ${e.requesterComm} ${e.requesterUnit}`
    case 'boot':
      return `${e.line} ${e.kind} ${e.bootId}`
    case 'login-session':
      return `${e.line} ${e.kind} ${e.session} ${e.user}`
    case 'unit-masked':
    case 'unit-unmasked':
      return `${e.line} ${e.kind} ${e.unit} ${e.linkPath} runtime=${e.runtime} ${e.actorComm} ${e.actorUnit}`
    case 'masked-dependency':
      return `${e.line} ${e.kind} ${e.unit} ${e.requiredBy}`
    case 'mask-refused':
      return `${e.line} ${e.kind} ${e.unit} ${e.operation}`
    case 'unit-failed':
      return `${e.line} ${e.kind} ${e.unit} ${e.result}`
    case 'unit-started':
    case 'unit-stopped':
    case 'dependency-failed':
      return `${e.line} ${e.kind} ${e.unit} ${e.scope}`
    case 'unit-enabled':
    case 'unit-disabled':
      return `${e.line} ${e.kind} ${e.unit} ${e.linkPath}`
    default:
      return `${e.line} ${e.kind}`
  }
}

// Reviewed against test/fixtures/journal/scenario.mjs: one line per recognised record, in emission order
// (boots come last: each is emitted at the earliest entry of its boot once the input is read).
const EXPECTED = [
  '2 unit-started nginx.service system',
  '3 login-session 3 alice',
  '4 admin-command sudo alice ok mask nginx.service [--now]',
  '5 admin-command audit uid 1000 ok mask nginx.service [--now]',
  '6 daemon-reload reload 2346 systemctl session-3.scope',
  '9 unit-stopped nginx.service system',
  '10 mask-refused nginx.service start',
  '11 unit-failed deploy.service exit-code',
  '12 unit-failed deploy.service failed',
  '13 dependency-failed app.service system',
  '15 unit-masked apache2.service /etc/systemd/system/apache2.service runtime=false systemctl cloud-final.service',
  '16 unit-masked bar.service /run/systemd/system/bar.service runtime=true systemctl cloud-final.service',
  '17 unit-masked old.service /etc/systemd/system/old.service runtime=false systemctl cloud-final.service',
  '18 unit-unmasked legacy.service /etc/systemd/system/legacy.service runtime=false systemctl cloud-final.service',
  '19 unit-disabled foo.service /etc/systemd/system/multi-user.target.wants/foo.service',
  '20 unit-enabled foo.service /etc/systemd/system/multi-user.target.wants/foo.service',
  '21 mask-refused nginx.service enable',
  '22 admin-command sudo mallory refused unmask nginx.service []',
  '24 admin-command sudo alice ok stop cups.service []',
  '24 admin-command sudo alice ok mask cups.socket []',
  '25 admin-command pkexec bob ok mask bluetooth.service []',
  '26 admin-command polkit carol ok mask cups.service [--runtime]',
  '27 admin-command audit uid 1001 ok unmask nginx.service []',
  '28 daemon-reload reload null null null',
  '32 masked-dependency NetworkManager-wait-online.service null',
  '33 masked-dependency rsync.service null',
  '34 unit-started pipewire.service user',
  '35 daemon-reload reexec 256457 systemctl null',
  '1 boot 6c7c6013a26343b29e964691ff25d04c',
  '31 boot a1b2c3d4e5f60718293a4b5c6d7e8f90',
]

describe('journal-json parser', () => {
  it('recognises every record form in a real journalctl -o json export', async () => {
    const r = await parseFile(journalJson, `${FIXTURES}journal.json`, { path: 'journal.json' })
    assert.deepEqual(r.events.map(summary), EXPECTED)
    assert.deepEqual(r.counters, { linesRead: 35, linesParsed: 35, linesSkipped: 0, eventsKept: 30 })
    assert.deepEqual(r.diagnostics, [])
  })

  it('keeps provenance: UTC µs time, host, path:line, cursor, verbatim text', async () => {
    const r = await parseFile(journalJson, `${FIXTURES}journal.json`, { path: 'journal.json' })
    const sudo = r.events.find((e) => e.kind === 'admin-command' && e.via === 'sudo')
    assert.deepEqual(sudo, {
      timeUs: 1709287320000100,
      timeBasis: 'utc',
      timeZone: null,
      timeZoneSource: null,
      timeNote: null,
      host: 'web1',
      path: 'journal.json',
      line: 4,
      cursor: sudo?.cursor,
      parser: 'journal-json',
      text: 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl mask --now nginx.service',
      kind: 'admin-command',
      via: 'sudo',
      actor: 'alice',
      runAs: 'root',
      tty: 'pts/0',
      session: null,
      succeeded: true,
      command: '/usr/bin/systemctl mask --now nginx.service',
      verb: 'mask',
      units: ['nginx.service'],
      flags: ['--now'],
    })
    assert.match(sudo.cursor ?? '', /^s=[0-9a-f]{32};i=4;b=6c7c6013a26343b29e964691ff25d04c;/)
  })

  it('decodes byte-array messages (ANSI colour, CR) and keeps their text verbatim', async () => {
    const r = await parseFile(journalJson, `${FIXTURES}journal.json`)
    const refused = r.events.find((e) => e.line === 10)
    assert.equal(refused?.text, '\u001b[0;1;31mFailed to start nginx.service: Unit nginx.service is masked.\u001b[0m')
    const runtime = r.events.find((e) => e.line === 16)
    assert.equal(runtime?.text, 'Created symlink /run/systemd/system/bar.service -> /dev/null.\r')
  })

  it('reads json-seq and json-pretty exports of the same journal to the same events', async () => {
    const lines = (await parseFile(journalJson, `${FIXTURES}journal.json`)).events.map((e) => summary(e).replace(/^\d+ /, ''))
    const seq = await parseFile(journalJson, `${FIXTURES}journal.json-seq`)
    assert.deepEqual(seq.events.map((e) => summary(e).replace(/^\d+ /, '')), lines)
    assert.deepEqual(seq.diagnostics, [])
    const pretty = await parseFile(journalJson, `${FIXTURES}journal.pretty.json`)
    assert.deepEqual(pretty.events.map((e) => summary(e).replace(/^\d+ /, '')), lines)
    assert.equal(pretty.counters.linesSkipped, 0)
    assert.equal(pretty.counters.linesRead, readFileSync(`${FIXTURES}journal.pretty.json`, 'utf8').split('\n').length - 1)
    // json-pretty records are cited at the line of their opening brace
    assert.equal(pretty.events[0]?.line, readFileSync(`${FIXTURES}journal.pretty.json`, 'utf8').split('\n').indexOf('{', 1) + 1)
  })

  it('gives the same result whatever the chunk boundaries', async () => {
    const data = readFileSync(`${FIXTURES}journal.json`)
    const whole = await parseBytes(journalJson, data)
    const chunked = await parseBytes(journalJson, data, { chunkSize: 7 })
    assert.deepEqual(chunked, whole)
  })

  it('reads the old spaced JSON style (lnav corpus, systemd 2018)', async (t) => {
    const file = `${SHARED}corpus/public/lnav/logfile_journald.json`
    if (!existsSync(file)) return t.skip(`shared corpus absent: ${file}`)
    const r = await parseFile(journalJson, file)
    assert.deepEqual(r.counters, { linesRead: 2, linesParsed: 2, linesSkipped: 0, eventsKept: 1 })
    assert.deepEqual(r.events.map(summary), ['1 boot 0dc874d3fbd44bdbb6fbcfaa27481492'])
    assert.equal(r.events[0]?.host, 'imx6ul-medusa')
    assert.equal(r.events[0]?.timeUs, 1534860261221373)
  })
})

describe('journal-json value forms', () => {
  const cases: [unknown, string | undefined][] = [
    ['plain', 'plain'],
    [[97, 98, 99, 7, 255], 'abc\u0007\ufffd'],
    [['first', 'second'], 'first'],
    [[null, 'second'], 'second'],
    [[[104, 105], 'x'], 'hi'],
    [null, undefined],
    [[], ''],
    [1, '1'],
  ]
  for (const [value, expected] of cases) {
    it(`decodes ${JSON.stringify(value)}`, () => assert.equal(decodeJournalValue(value), expected))
  }
})

describe('journal-json malformed input', () => {
  const pid1 = '"_PID":"1","__REALTIME_TIMESTAMP":"1700000000000000"'
  const cases = [
    { name: 'truncated object', input: `{${pid1},"MESSAGE":"Reloading."}\n{"MESSAGE":"Rel\n`, diagnostics: [{ line: 2, code: 'JSON_INVALID' }], events: 1 },
    { name: 'not an object', input: `[1,2]\n"x"\n{${pid1},"MESSAGE":"Reloading."}\n`, diagnostics: [{ line: 1, code: 'RECORD_NOT_OBJECT' }, { line: 2, code: 'RECORD_NOT_OBJECT' }], events: 1 },
    { name: 'NUL garbage between records', input: `{${pid1},"MESSAGE":"Reloading."}\n\u0000\u0000\u0000\n{${pid1},"MESSAGE":"Reloading."}\n`, diagnostics: [{ line: 2, code: 'JSON_INVALID' }], events: 2 },
    { name: 'missing timestamp on a kept record', input: `{"_PID":"1","MESSAGE":"Reloading."}\n`, diagnostics: [{ line: 1, code: 'TIMESTAMP_MISSING' }], events: 1 },
    { name: 'non-numeric timestamp', input: `{"_PID":"1","__REALTIME_TIMESTAMP":"soon","MESSAGE":"Reloading."}\n`, diagnostics: [{ line: 1, code: 'TIMESTAMP_INVALID' }], events: 1 },
    { name: 'json-pretty cut off', input: `{\n\t"_PID" : "1",\n\t"MESSAGE" : "Reloading."\n`, diagnostics: [{ line: 1, code: 'RECORD_UNTERMINATED' }], events: 0 },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const r = await parseText(journalJson, c.input)
      assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), c.diagnostics)
      assert.equal(r.events.filter((e) => e.kind !== 'boot').length, c.events)
      assert.equal(r.counters.linesRead, r.counters.linesParsed + r.counters.linesSkipped)
    })
  }

  it('an over-long line is one skipped line and later line numbers stay exact', async () => {
    const good = `{${pid1},"MESSAGE":"Reloading."}\n`
    const huge = Buffer.alloc(64 * 1024 * 1024 + 10, 0x61)
    const data = Buffer.concat([Buffer.from(good), huge, Buffer.from(`\n${good}`)])
    const r = await parseBytes(journalJson, data, { chunkSize: 1024 * 1024 })
    assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), [{ line: 2, code: 'LINE_TOO_LONG' }])
    assert.deepEqual(r.events.map((e) => e.line), [1, 3])
    assert.deepEqual(r.counters, { linesRead: 3, linesParsed: 2, linesSkipped: 1, eventsKept: 2 })
  })

  it('a time missing on an unrecognised record is not worth a diagnostic', async () => {
    const r = await parseText(journalJson, '{"MESSAGE":"hello"}\n')
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 1, linesParsed: 1, linesSkipped: 0, eventsKept: 0 })
  })
})

describe('journal-json detection', () => {
  it('claims journal exports in every framing', () => {
    for (const f of ['journal.json', 'journal.json-seq', 'journal.pretty.json']) {
      assert.equal(journalJson.detect(readFileSync(`${FIXTURES}${f}`, 'utf8').slice(0, 65536)), true, f)
    }
  })
  it('does not claim other JSON or text logs', () => {
    assert.equal(journalJson.detect('{"name":"maskwhy","version":"0.1.0"}\n'), false)
    assert.equal(journalJson.detect('Start-Date: 2024-03-01  10:00:00\nCommandline: apt install nginx\n'), false)
    assert.equal(journalJson.detect('2024-03-01 10:00:00 startup archives unpack\n'), false)
  })
})
