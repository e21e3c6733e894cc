import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import syslog, { classifyLine } from '../../parsers/syslog.ts'
import { PARSERS } from '../../parsers/index.ts'
import type { Parser } from '../../src/parser.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseSudo } from '../../src/messages.ts'
import { parseFile, parseText, SHARED, type ParseResult } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/syslog/', import.meta.url).pathname
const ALL_FIXTURES = new URL('../fixtures/', import.meta.url).pathname
const CORPUS = `${SHARED}corpus/public/`
const RHEL8 = `${CORPUS}rhel8-ec2-rootfs/var/log/`
const BERLIN = { zone: 'Europe/Berlin', source: 'etc/localtime' }

const years = (r: ParseResult): (number | null)[] => r.events.map((e) => (e.timeUs === null ? null : new Date(e.timeUs / 1000).getUTCFullYear()))
/** The gist of each event: kind, line and what it is about. */
function gist(e: MaskEvent): string {
  switch (e.kind) {
    case 'admin-command':
      return `${e.line} admin-command ${e.via} ${e.actor} ${e.verb} ${e.units.join(',')}${e.succeeded ? '' : ' REJECTED'}`
    case 'daemon-reload':
      return `${e.line} daemon-reload ${e.method} ${e.requesterComm ?? '-'} ${e.requesterUnit ?? '-'}`
    case 'login-session':
      return `${e.line} login-session ${e.session} ${e.user}`
    case 'unit-failed':
      return `${e.line} unit-failed ${e.unit} ${e.result}`
    case 'mask-refused':
    case 'masked-dependency':
    case 'unit-masked':
    case 'unit-unmasked':
    case 'unit-started':
    case 'unit-stopped':
    case 'dependency-failed':
      return `${e.line} ${e.kind} ${e.unit}`
    default:
      return `${e.line} ${e.kind}`
  }
}

test('auth.log fixture: sudo (incl. a rejected one), pkexec, polkit, logind, v253 reload, Dec → Jan', async () => {
  const r = await parseFile(syslog, `${FIXTURES}auth.log`, {
    path: 'var/log/auth.log',
    localZone: BERLIN,
    fileMtimeUs: Date.UTC(2024, 0, 2) * 1000,
  })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 13, linesParsed: 13, linesSkipped: 0, eventsKept: 7 })
  assert.deepEqual(r.events.map(gist), [
    '2 login-session 3 alice',
    '3 admin-command sudo alice mask nginx.service',
    // The v253+ "Reloading..." follow-up (line 6) is the same reload: not counted twice.
    "5 daemon-reload reload systemctl session-3.scope",
    '9 admin-command sudo bob unmask nginx.service REJECTED',
    '10 admin-command pkexec alice unmask nginx.service',
    '11 admin-command polkit alice mask foo.service',
    '12 admin-command sudo alice unmask nginx.service',
  ])
  // Local Berlin time: "Jan  1 00:00:05" (2024, after the rollover) is 23:00:05 UTC on Dec 31.
  assert.deepEqual(
    r.events.map((e) => e.timeUs! / 1000),
    [[2023, 11, 31, 22, 58, 1], [2023, 11, 31, 22, 59, 10], [2023, 11, 31, 22, 59, 10], [2023, 11, 31, 23, 0, 5], [2023, 11, 31, 23, 1, 0], [2023, 11, 31, 23, 2, 0], [2023, 11, 31, 23, 3, 0]].map(
      ([y, mo, d, h, mi, sec]) => Date.UTC(y!, mo!, d!, h!, mi!, sec!),
    ),
  )
  assert.deepEqual(r.events[1], {
    timeUs: Date.UTC(2023, 11, 31, 22, 59, 10) * 1000,
    timeBasis: 'inferred',
    timeZone: 'Europe/Berlin',
    timeZoneSource: 'etc/localtime',
    timeNote:
      "year inferred: the file's modification time (2024-01-02, Europe/Berlin) is not before its last entry, minus 1 year rollover(s) after this entry (weak: a copy without -p resets mtime; pass --year if you know the year)",
    host: 'web1',
    path: 'var/log/auth.log',
    line: 3,
    cursor: null,
    parser: 'syslog',
    text: 'Dec 31 23:59:10 web1 sudo[2301]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl mask --now nginx.service',
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
  const reload = r.events[2]!
  assert.ok(reload.kind === 'daemon-reload')
  assert.deepEqual([reload.scope, reload.requesterPid, reload.host], ['system', 2303, 'web1'])
})

test('year-less: --year, then rotation suffix, then mtime; none → unknown, never invented', async () => {
  const file = `${FIXTURES}auth.log`
  const hinted = await parseFile(syslog, file, { yearHint: 2019, fileMtimeUs: 0 })
  assert.deepEqual(years(hinted), [2019, 2019, 2019, 2020, 2020, 2020, 2020])
  assert.equal(hinted.events[3]!.timeNote, "year from --year 2019 (the first entry's year) + 1 year rollover(s) in the file")
  assert.deepEqual(years(await parseFile(syslog, file, { path: 'var/log/auth.log-20210107.gz', fileMtimeUs: 0 })), [2020, 2020, 2020, 2021, 2021, 2021, 2021])
  const none = await parseFile(syslog, file)
  assert.deepEqual(years(none), [null, null, null, null, null, null, null])
  assert.deepEqual(
    { basis: none.events[0]!.timeBasis, note: none.events[0]!.timeNote },
    { basis: 'unknown', note: 'Dec 31 23:58:01: no year in the timestamp and no hint (no --year, no dated rotation suffix, no file mtime)' },
  )
  // Fractional seconds (seen in plaso's sample) are kept.
  const frac = await parseText(syslog, 'Mar 23 23:01:18.123 h sudo[1]: root : TTY=x ; PWD=/ ; USER=root ; COMMAND=/bin/systemctl stop a\n', { yearHint: 2020 })
  assert.equal(frac.events[0]!.timeUs, Date.UTC(2020, 2, 23, 23, 1, 18, 123) * 1000)
})

test('RFC 3339 (rsyslog) fixture: exact times, systemctl output from any program, PID 1 jobs only when they name a unit', async () => {
  const r = await parseFile(syslog, `${FIXTURES}syslog`, { path: 'var/log/syslog', fileMtimeUs: 0 })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 16, linesParsed: 16, linesSkipped: 0, eventsKept: 10 })
  assert.deepEqual(r.events.map(gist), [
    '1 unit-started nginx.service',
    '2 unit-masked nginx.service',
    '3 daemon-reload reload systemctl deploy.service',
    '6 unit-stopped nginx.service',
    '7 mask-refused nginx.service',
    '8 masked-dependency nginx.service',
    // line 9 "Started Session 3 of User alice." and 13 "Failed to start Bar daemon." name no unit: kept nothing.
    "10 unit-failed bar.service exit-code",
    '11 unit-failed bar.service failed',
    '12 dependency-failed baz.service',
    // 14 `myapp[1]: Reloading.` is not PID 1's systemd; 15 `systemd[4711]:` may be a user manager: not believed.
    '16 unit-unmasked nginx.service',
  ])
  assert.deepEqual(r.events[1], {
    timeUs: Date.UTC(2024, 2, 1, 9, 5, 40) * 1000 + 100,
    timeBasis: 'utc',
    timeZone: null,
    timeZoneSource: null,
    timeNote: null,
    host: 'web1',
    path: 'var/log/syslog',
    line: 2,
    cursor: null,
    parser: 'syslog',
    text: '2024-03-01T10:05:40.000100+01:00 web1 deploy.sh[2400]: Created symlink /etc/systemd/system/nginx.service → /dev/null.',
    kind: 'unit-masked',
    unit: 'nginx.service',
    form: 'symlink-message',
    linkPath: '/etc/systemd/system/nginx.service',
    runtime: false,
    actorComm: 'deploy.sh',
    actorUnit: null,
    package: null,
    transactionId: null,
  })
})

test('RFC 5424: structured data, NILVALUEs, BOM; exact times', async () => {
  const text = [
    '<86>1 2024-03-01T10:02:13Z web1 sudo 2345 - - alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl mask foo.service',
    '<30>1 2024-03-01T10:02:14.5+01:00 web1 systemd 1 - [meta sequenceId="7" note="a \\"]\\" b"] \uFEFFReloading.',
    '<30>1 - - systemd-logind 612 - - New session 9 of user bob.',
    '',
  ].join('\n')
  const r = await parseText(syslog, text, { fileMtimeUs: 0 })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 3, linesParsed: 3, linesSkipped: 0, eventsKept: 3 })
  assert.deepEqual(r.events.map(gist), ['1 admin-command sudo alice mask foo.service', '2 daemon-reload reload - -', '3 login-session 9 bob'])
  assert.deepEqual(
    r.events.map((e) => [e.timeUs, e.timeBasis, e.host]),
    [
      [Date.UTC(2024, 2, 1, 10, 2, 13) * 1000, 'utc', 'web1'],
      [Date.UTC(2024, 2, 1, 9, 2, 14, 500) * 1000, 'utc', 'web1'],
      [null, 'unknown', null],
    ],
  )
})

test("sudo's over-long command split over several lines is joined", async () => {
  const text = [
    'Mar  2 08:04:04 h sudo[5110]:    alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl mask a.service',
    'Mar  2 08:04:04 h sudo[5110]:    alice : (command continued) b.service c.service',
    'Mar  2 08:04:04 h sudo[5110]: pam_unix(sudo:session): session opened for user root by alice(uid=1000)',
    '',
  ].join('\n')
  const r = await parseText(syslog, text, { yearHint: 2021 })
  assert.deepEqual(r.counters, { linesRead: 3, linesParsed: 3, linesSkipped: 0, eventsKept: 1 })
  const e = r.events[0]!
  assert.ok(e.kind === 'admin-command')
  assert.deepEqual([e.line, e.units, e.command], [1, ['a.service', 'b.service', 'c.service'], '/usr/bin/systemctl mask a.service b.service c.service'])
  assert.equal(e.text, text.split('\n').slice(0, 2).join('\n'))
})

test('"last message repeated", comments, continuation lines, host-less and tag-less lines keep nothing and are not errors', async () => {
  const text = [
    'Mar  2 08:00:00 web1 last message repeated 3 times',
    'Mar  2 08:00:01: --- last message repeated 5 times ---',
    '2020-05-31T00:00:45.698463+00:00 localhost rsyslogd:  message repeated 76 times: [-- MARK --]',
    'Mar  2 08:00:02 kernel: [997.390602] sda2: rw=0, want=65, limit=2',
    '\tindented continuation of the previous message',
    '',
  ].join('\n')
  const r = await parseText(syslog, text, { yearHint: 2021 })
  assert.deepEqual(r, { events: [], diagnostics: [], counters: { linesRead: 5, linesParsed: 5, linesSkipped: 0, eventsKept: 0 } })
})

const INVALID = [
  { name: 'bogus month', line: 'MMM 22 07:54:32 h anacron[29782]: Normal exit (1 job run)', code: 'RECORD_INVALID' },
  { name: 'hour 24', line: 'Mar  2 24:04:04 h sudo[1]: x', code: 'TIMESTAMP_INVALID' },
  { name: 'nothing after the timestamp', line: 'Mar  2 08:04:04 ', code: 'RECORD_INVALID' },
  { name: 'not syslog at all', line: '{"MESSAGE":"Reloading."}', code: 'RECORD_INVALID' },
  { name: 'RFC 3339 month 13', line: '2024-13-01T10:02:13Z h sudo[1]: x', code: 'TIMESTAMP_INVALID' },
  { name: 'RFC 3339 Feb 30', line: '2024-02-30T10:02:13+01:00 h sudo[1]: x', code: 'TIMESTAMP_INVALID' },
  { name: 'RFC 5424 bad timestamp', line: '<13>1 2024-03-01 h app - - - msg', code: 'TIMESTAMP_INVALID' },
  { name: 'RFC 5424 unclosed structured data', line: '<13>1 2024-03-01T10:02:13Z h app - - [id a="1" msg', code: 'RECORD_INVALID' },
  { name: 'torn line', line: 'Mar  2 08:0', code: 'RECORD_INVALID' },
]
for (const c of INVALID) {
  test(`malformed syslog: ${c.name}`, async () => {
    const good = 'Mar  2 08:04:05 h polkitd[7]: Operator of unix-session:3 successfully authenticated as unix-user:a to gain TEMPORARY authorization for action x for y [systemctl mask foo.service] (owned by unix-user:a)'
    const r = await parseText(syslog, `${c.line}\n${good}\n`, { yearHint: 2021 })
    assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), [{ line: 1, code: c.code }])
    assert.deepEqual(r.counters, { linesRead: 2, linesParsed: 1, linesSkipped: 1, eventsKept: 1 })
  })
}

const hasRhel8 = existsSync(`${RHEL8}secure`)
const skipRhel8 = hasRhel8 ? false : `shared corpus absent: ${RHEL8}`

test('real RHEL 8 secure: 16 sudo lines, one unit-changing command', { skip: skipRhel8 }, async () => {
  const file = `${RHEL8}secure`
  const r = await parseFile(syslog, file, { yearHint: 2021 })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 120, linesParsed: 120, linesSkipped: 0, eventsKept: 1 })
  const sudoCommands = readFileSync(file, 'utf8')
    .split('\n')
    .map(classifyLine)
    .filter((c) => c.kind === 'record' && c.tag === 'sudo' && parseSudo(c.message) !== null)
  assert.equal(sudoCommands.length, 16)
  const e = r.events[0]!
  assert.ok(e.kind === 'admin-command')
  assert.deepEqual(
    [e.line, e.actor, e.runAs, e.tty, e.verb, e.units, e.timeUs, e.host],
    [43, 'root', 'root', 'pts/0', 'restart', ['sshd.service'], Date.UTC(2021, 2, 2, 8, 4, 4) * 1000, 'ip-172-31-34-102'],
  )
})

test('real RHEL 8 messages (systemd 239): reloads, logind, jobs only where the text is a unit name', { skip: skipRhel8 }, async () => {
  const r = await parseFile(syslog, `${RHEL8}messages`, { yearHint: 2021 })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 2078, linesParsed: 2078, linesSkipped: 0, eventsKept: 34 })
  const byKind: Record<string, number> = {}
  for (const e of r.events) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1
  // 15 "Reloading." + 1 "Reexecuting."; v239 job lines carry the Description, so only units
  // without one ("Started man-db-cache-update.service.") and "x.service: Failed with result" count.
  assert.deepEqual(byKind, { 'kernel-command-line': 1, 'daemon-reload': 16, 'unit-started': 8, 'unit-failed': 1, 'unit-stopped': 2, 'login-session': 6 })
  // The kernel logs its command line twice at boot (lines 2 and 78, same text): one event; no systemd.mask= on it.
  const cmdline = r.events.find((e) => e.kind === 'kernel-command-line')
  assert.ok(cmdline?.kind === 'kernel-command-line')
  assert.deepEqual([cmdline.line, cmdline.origin, cmdline.masks], [2, 'kernel-log', []])
  const first = r.events.find((e) => e.kind === 'daemon-reload')!
  assert.deepEqual([first.line, first.text], [419, 'Mar  2 07:57:54 ip-172-31-34-102 systemd[1]: Reloading.'])
  const failed = r.events.find((e) => e.kind === 'unit-failed')
  assert.ok(failed?.kind === 'unit-failed')
  assert.deepEqual([failed.unit, failed.result], ['sshd.service', 'exit-code'])
})

test('plaso syslog samples (copied, Apache-2.0): only the bogus-month line is rejected', async () => {
  const r = await parseFile(syslog, `${FIXTURES}plaso-syslog`, { yearHint: 2012 })
  // Expected: line 8 "MMM 22 07:54:32 …" has no month. Everything else (the continuation line, the
  // "Feb 29 …: --- … ---" comments, fractional seconds, the host-less kernel line) is well-formed.
  assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), [{ line: 8, code: 'RECORD_INVALID' }])
  assert.deepEqual(r.counters, { linesRead: 18, linesParsed: 17, linesSkipped: 1, eventsKept: 0 })
  const rs = await parseFile(syslog, `${FIXTURES}plaso-syslog_rsyslog`)
  // "Started Rotate log files." is a Description (no unit name): nothing kept.
  assert.deepEqual(rs, { events: [], diagnostics: [], counters: { linesRead: 5, linesParsed: 5, linesSkipped: 0, eventsKept: 0 } })
})

/** Text files to sniff: every fixture, and the corpus's text logs. */
function textFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && !/\.(gz|zip|sqlite[^/]*|journal)$/.test(f))
}
const head = (f: string): string => readFileSync(f).subarray(0, 65_536).toString('utf8')
// journalctl short output is syslog text too (its --catalog variant is mostly explanations: routed by path instead).
const SYSLOG_LIKE = /(^|\/)(syslog\/(auth\.log|syslog|plaso-syslog|plaso-syslog_rsyslog)|plaso\/syslog(_rsyslog)?|rhel8-ec2-rootfs\/var\/log\/(secure|messages|cron)|hostile\/auth\.log|journalctl\/(short\.v24\d|short\.v252|boot\.v252)\.txt)$/

test('detection: claims syslog text, nothing else under test/fixtures or the corpus; no other parser claims syslog', () => {
  const files = [...textFiles(ALL_FIXTURES), ...textFiles(CORPUS)]
  assert.ok(files.length > 20)
  const claimed = files.filter((f) => syslog.detect(head(f))).map((f) => f.replace(/^.*\/(fixtures|public)\//, ''))
  const expected = files.filter((f) => SYSLOG_LIKE.test(f)).map((f) => f.replace(/^.*\/(fixtures|public)\//, ''))
  assert.deepEqual(claimed.sort(), expected.sort())
  for (const f of files.filter((x) => SYSLOG_LIKE.test(x))) {
    const others = (Object.values(PARSERS) as Parser[]).filter((p) => p.name !== 'syslog' && p.detect(head(f))).map((p) => p.name)
    assert.deepEqual(others, [], f)
  }
  // yum.log lines look year-less too, but have no host and no `prog[pid]:` tag.
  assert.equal(syslog.detect('Oct 01 01:16:31 Installed: a-1-1.noarch\nOct 01 01:16:32 Erased: b-1-1.noarch\nOct 01 01:16:33 Updated: c-1-1.noarch\n'), false)
  assert.equal(syslog.detect(''), false)
})

test('paths: the traditional names and their rotations, no other parser shares them', () => {
  const ours = ['var/log/auth.log', 'var/log/secure', 'var/log/messages', 'var/log/syslog', 'var/log/daemon.log', 'var/log/user.log', 'syslog']
  const notOurs = ['var/log/yum.log', 'var/log/dnf.log', 'var/log/kern.log.old', 'var/log/secure.d/x', 'var/log/mysyslog']
  for (const p of ours) {
    assert.ok(syslog.paths.some((re) => re.test(p)), p)
    const others = (Object.values(PARSERS) as Parser[]).filter((x) => x.name !== 'syslog' && x.paths.some((re) => re.test(p)))
    assert.deepEqual(others, [], p)
  }
  for (const p of notOurs) assert.ok(!syslog.paths.some((re) => re.test(p)), p)
})
