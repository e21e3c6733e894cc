// End to end: the built CLI, as a user runs it (stdout, stderr, exit code).
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { maskwhy, REPO } from './helpers/cli.ts'
import { makeTree } from './helpers/tree.ts'
import { SHARED } from './helpers/parse.ts'

const FIXTURE = `${REPO}test/fixtures/journal/journal.json`
const LNAV = `${SHARED}corpus/public/lnav/logfile_journald.json`

describe('maskwhy timeline', () => {
  for (const format of ['table', 'jsonl', 'json']) {
    it(`reads the lnav journal sample (--format ${format})`, async (t) => {
      if (!existsSync(LNAV)) return t.skip(`shared corpus absent: ${LNAV}`)
      const run = await maskwhy(['timeline', LNAV, '--format', format])
      assert.equal(run.exitCode, 0, run.stderr)
      if (format === 'jsonl') {
        const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
        assert.deepEqual(
          events.map((e) => [e['time'], e['kind'], e['bootId'], e['host'], e['source']]),
          [['2018-08-21T14:04:21.221373Z', 'boot', '0dc874d3fbd44bdbb6fbcfaa27481492', 'imx6ul-medusa', 'logfile_journald.json:1']],
        )
      } else if (format === 'json') {
        const body = JSON.parse(run.stdout) as { events: unknown[]; inventory: Record<string, unknown>[]; diagnostics: { total: number } }
        assert.equal(body.events.length, 1)
        assert.deepEqual(body.inventory.map((i) => [i['path'], i['parser'], i['linesRead'], i['linesSkipped'], i['eventsKept']]), [
          ['logfile_journald.json', 'journal-json', 2, 0, 1],
        ])
        assert.equal(body.diagnostics.total, 0)
      } else {
        assert.match(run.stdout, /2018-08-21T14:04:21\.221373Z .*│ boot /)
        assert.match(run.stdout, /logfile_journald\.json:1/)
      }
      if (format !== 'json') assert.match(run.stderr, /1 input\(s\), 1 parsed; 2 lines read, 0 skipped; 1 events kept, 1 shown; 0 diagnostic\(s\)/)
    })
  }

  it('reads journalctl output from stdin, gzip-compressed or not', async () => {
    for (const input of [readFileSync(FIXTURE), gzipSync(readFileSync(FIXTURE))]) {
      const run = await maskwhy(['timeline', '-', '--format', 'jsonl', '--kind', 'unit-masked'], { input })
      assert.equal(run.exitCode, 0, run.stderr)
      const sources = run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { source: string }).source)
      assert.deepEqual(sources, ['<stdin>:15', '<stdin>:16', '<stdin>:17'])
    }
  })

  it('filters by unit glob (with or without .service), kind, host and time', async () => {
    const run = await maskwhy([
      'timeline', FIXTURE, '--format', 'jsonl', '--unit', 'nginx', '--kind', 'admin-command', 'mask-refused',
      '--since', '2024-03-01 11:05', '--until', '2024-03-01T10:09:00Z', '--tz', 'Europe/Berlin', '--host', 'web*',
    ])
    assert.equal(run.exitCode, 0, run.stderr)
    const got = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; source: string })
    assert.deepEqual(got.map((e) => `${e.kind} ${e.source}`), ['mask-refused journal.json:10', 'mask-refused journal.json:21', 'admin-command journal.json:22'])
    const none = await maskwhy(['timeline', FIXTURE, '--format', 'jsonl', '--host', 'db*'])
    assert.equal(none.stdout, '')
  })

  it('shows hostile log text escaped in the table, never raw', async () => {
    const evil = `{"_PID":"1","__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":[70,97,105,108,101,100,32,116,111,32,115,116,97,114,116,32,120,46,115,101,114,118,105,99,101,58,32,85,110,105,116,32,27,91,50,74,120,46,115,101,114,118,105,99,101,32,105,115,32,109,97,115,107,101,100,46],"_COMM":"systemctl"}\n`
    const run = await maskwhy(['timeline', '-', '--format', 'table'], { input: evil })
    assert.equal(run.exitCode, 0, run.stderr)
    assert.ok(!run.stdout.includes('\u001b'), 'raw ESC reached the terminal')
    assert.match(run.stdout, /\\e\[2Jx\.service/)
  })

  it('reports a bad line with path:line and goes on (exit 0)', async () => {
    const root = makeTree({ 'j.json': `${readFileSync(FIXTURE, 'utf8').split('\n').slice(0, 4).join('\n')}\n{"MESSAGE": oops}\n` })
    const run = await maskwhy(['timeline', `${root}/j.json`, '--format', 'jsonl'])
    assert.equal(run.exitCode, 0)
    assert.match(run.stderr, /error\[JSON_INVALID\]: not valid JSON/)
    assert.match(run.stderr, /--> j\.json:5\n/)
    assert.match(run.stderr, /5 lines read, 1 skipped; 4 events kept/)
    assert.equal(run.stdout.trim().split('\n').length, 4)
  })

  it('puts the diagnostics into the JSON document', async () => {
    const root = makeTree({ 'j.json': '{"_PID":"1","__REALTIME_TIMESTAMP":"1","MESSAGE":"Reloading."}\n[1]\n' })
    const run = await maskwhy(['timeline', `${root}/j.json`, '--format', 'json'])
    const body = JSON.parse(run.stdout) as { diagnostics: unknown }
    assert.deepEqual(body.diagnostics, {
      total: 1,
      byCode: { RECORD_NOT_OBJECT: 1 },
      examples: [{ code: 'RECORD_NOT_OBJECT', severity: 'error', location: 'j.json:2', message: 'a journal record must be a JSON object', excerpt: '[1]' }],
    })
    assert.equal(run.stderr, '')
  })

  it('forces a parser with --format-of', async () => {
    // No journal metadata fields: content sniffing rightly declines it
    const root = makeTree({ 'odd.txt': '{"_PID":"1","MESSAGE":"Reloading."}\n' })
    const plain = await maskwhy(['timeline', `${root}/odd.txt`, '--format', 'jsonl'])
    assert.match(plain.stderr, /^maskwhy: no parser recognises .*odd\.txt\nhelp: /)
    const forced = await maskwhy(['timeline', `${root}/odd.txt`, '--format', 'jsonl', '--format-of', 'odd.txt=journal-json'])
    const event = JSON.parse(forced.stdout) as { kind: string; time: string }
    assert.deepEqual([event.kind, event.time], ['daemon-reload', 'unknown'])
    assert.match(forced.stderr, /warning\[TIMESTAMP_MISSING\]/)
  })
})

describe('usage errors exit with 2 and say why', () => {
  const cases: [string, string[], RegExp][] = [
    ['no command', [], /name a command/],
    ['no evidence', ['timeline'], /Not enough non-option arguments/],
    ['missing evidence', ['timeline', '/nonexistent/evidence'], /cannot read evidence \/nonexistent\/evidence: ENOENT/],
    ['unknown zone', ['timeline', FIXTURE, '--tz', 'Mars/Olympus'], /unknown time zone "Mars\/Olympus"/],
    ['unreadable time', ['timeline', FIXTURE, '--since', 'yesterday'], /cannot read time "yesterday"/],
    ['unknown kind', ['timeline', FIXTURE, '--kind', 'party'], /Invalid values/],
    ['unknown parser', ['timeline', FIXTURE, '--format-of', 'x=nope'], /--format-of expects PATH=PARSER/],
    ['stdin twice', ['timeline', '-', '-'], /stdin \(-\) can be given only once/],
  ]
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const run = await maskwhy(args, { input: '' })
      assert.equal(run.exitCode, 2, run.stderr)
      assert.match(run.stderr, message)
      assert.equal(run.stdout, '')
    })
  }
})
