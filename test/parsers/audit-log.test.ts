import { describe, it, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import auditLog from '../../parsers/audit-log.ts'
import { PARSERS } from '../../parsers/index.ts'
import { excerptOf } from '../../src/diagnostics.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname
const FIXTURE = `${FIXTURES}audit/audit.log`
const CORPUS = `${SHARED}corpus/public/`
const RHEL8 = `${CORPUS}rhel8-ec2-rootfs/var/log/audit/audit.log`
const PLASO = `${CORPUS}plaso/audit_enriched.log`
const absent = (f: string): false | string => (existsSync(f) ? false : `absent: ${f}`)
const GS = '\x1d'

/** One reviewable line per event. */
function summary(e: MaskEvent): string {
  switch (e.kind) {
    case 'admin-command':
      return `${e.line} ${e.verb} ${e.units.join(',')} [${e.flags.join(' ')}] actor=${e.actor} runAs=${e.runAs} tty=${e.tty} ses=${e.session} ok=${e.succeeded}${e.host ? ` host=${e.host}` : ''}`
    case 'unit-started':
    case 'unit-stopped':
      return `${e.line} ${e.kind} ${e.unit} ${e.scope}`
    case 'unit-failed':
      return `${e.line} ${e.kind} ${e.unit} ${e.scope} ${e.result}`
    default:
      return `${e.line} ${e.kind}`
  }
}

describe('audit-log: test/fixtures/audit/audit.log (see its README)', async () => {
  const r = await parseFile(auditLog, FIXTURE, { path: 'var/log/audit/audit.log' })

  it('reads every line, with no diagnostics', () => {
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 14, linesParsed: 14, linesSkipped: 0, eventsKept: 8 })
  })

  it('keeps unit commands from USER_CMD and PID 1 service records, nothing else', () => {
    assert.deepEqual(r.events.map(summary), [
      '2 unit-started foo.service system',
      '3 mask foo.service [] actor=alice runAs=root tty=pts/0 ses=3 ok=true',
      '4 unit-stopped foo.service system',
      '5 mask bar.service [--now] actor=alice runAs=root tty=pts/0 ses=3 ok=false',
      '6 mask baz.service [ln -s] actor=uid 1001 runAs=uid 0 tty=pts/1 ses=4 ok=true',
      '7 unmask foo.service [] actor=null runAs=root tty=null ses=null ok=true',
      '9 unit-failed getty@tty1.service system failed',
      '14 enable qux.service [--now] actor=alice runAs=root tty=pts/0 ses=3 ok=true host=web1',
    ])
  })

  it('gives the hex-decoded systemctl mask in full', () => {
    const text = readFileSync(FIXTURE, 'utf8').split('\n')[2]!
    assert.deepEqual(r.events[1], {
      timeUs: 1709290800873000,
      timeBasis: 'utc',
      timeZone: null,
      timeZoneSource: null,
      timeNote: null,
      host: null,
      path: 'var/log/audit/audit.log',
      line: 3,
      cursor: null,
      parser: 'audit-log',
      text,
      kind: 'admin-command',
      via: 'audit',
      actor: 'alice',
      runAs: 'root',
      tty: 'pts/0',
      session: '3',
      succeeded: true,
      command: 'systemctl mask foo.service',
      verb: 'mask',
      units: ['foo.service'],
      flags: [],
    })
    assert.ok(text.includes('cmd=73797374656D63746C206D61736B20666F6F2E73657276696365 '))
    assert.ok(text.includes(`${GS}UID="root" AUID="alice"`))
  })

  it('reads the same events when fed in small chunks', async () => {
    const chunked = await parseFile(auditLog, FIXTURE, { path: 'var/log/audit/audit.log', chunkSize: 7 })
    assert.deepEqual(chunked, r)
  })
})

describe('audit-log: malformed input', () => {
  const good =
    "type=USER_CMD msg=audit(1709290800.873:1310): pid=4101 uid=0 auid=1000 ses=3 msg='cwd=\"/\" cmd=73797374656D63746C206D61736B20666F6F2E73657276696365 exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'"
  const cases: { name: string; line: string; code: string | null }[] = [
    { name: 'free text', line: 'hello world', code: 'RECORD_INVALID' },
    { name: 'syslog-wrapped audit (not audit.log)', line: 'Mar  2 08:02:57 host kernel: audit: type=1130 audit(1614672177.873:142): pid=1', code: 'RECORD_INVALID' },
    { name: 'time not a number', line: 'type=USER_CMD msg=audit(abc.873:142): pid=1', code: 'RECORD_INVALID' },
    { name: 'no serial', line: 'type=USER_CMD msg=audit(1614672177.873): pid=1', code: 'RECORD_INVALID' },
    { name: 'cut off', line: 'type=USER_CMD msg=audit(1614672177.873:14', code: 'RECORD_INVALID' },
    { name: 'lower-case type', line: 'type=user_cmd msg=audit(1614672177.873:142): pid=1', code: 'RECORD_INVALID' },
    {
      name: 'USER_CMD without cmd=',
      line: "type=USER_CMD msg=audit(1614672177.873:142): pid=5 uid=0 auid=0 ses=1 msg='cwd=\"/\" exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'",
      code: 'RECORD_INVALID',
    },
    { name: 'blank line', line: '   ', code: null },
    { name: 'unknown record type', line: 'type=UNKNOWN[1334] msg=audit(1614672177.873:142): prog-id=12 op=LOAD', code: null },
    { name: 'record with an empty body', line: 'type=EOE msg=audit(1614672177.873:142): ', code: null },
  ]
  for (const c of cases) {
    it(`${c.name} → ${c.code ?? 'counted, no diagnostic'}; the run goes on`, async () => {
      const r = await parseText(auditLog, `${c.line}\n${good}\n`, { path: 'var/log/audit/audit.log' })
      assert.deepEqual(
        r.diagnostics.map((d) => [d.code, d.line, d.excerpt]),
        c.code === null ? [] : [[c.code, 1, excerptOf(c.line)]],
      )
      const bad = c.code === null ? 0 : 1
      assert.deepEqual(r.counters, { linesRead: 2, linesParsed: 2 - bad, linesSkipped: bad, eventsKept: 1 })
      assert.equal(r.events[0]!.line, 2)
    })
  }

  it('sub-millisecond digits and CRLF do not upset the time', async () => {
    const r = await parseText(auditLog, good.replace('1709290800.873:', '1709290800.8731:') + '\r\n')
    assert.equal(r.events[0]!.timeUs, 1709290800873100)
    assert.equal(r.events[0]!.kind === 'admin-command' && r.events[0]!.tty, 'pts/0')
  })
})

describe('audit-log: real RHEL 8 enriched audit.log (corpus, read in place)', { skip: absent(RHEL8) }, async () => {
  const r = existsSync(RHEL8) ? await parseFile(auditLog, RHEL8, { path: 'var/log/audit/audit.log' }) : null

  it('reads all 582 records with no diagnostics', () => {
    assert.deepEqual(r!.diagnostics, [])
    assert.deepEqual(r!.counters, { linesRead: 582, linesParsed: 582, linesSkipped: 0, eventsKept: 108 })
  })

  it('of the 16 USER_CMD records (sudo), keeps only `systemctl restart sshd`, by ec2-user as root', () => {
    const admin = r!.events.filter((e) => e.kind === 'admin-command')
    assert.deepEqual(admin.map(summary), ['169 restart sshd.service [] actor=ec2-user runAs=root tty=pts/0 ses=1 ok=true'])
    assert.equal(admin[0]!.kind === 'admin-command' && admin[0]!.command, 'systemctl restart sshd')
    assert.equal(admin[0]!.timeUs, 1614672244049000)
  })

  it('PID 1 service records: 72 started, 34 stopped, sshd failed once', () => {
    const byKind = (k: string): number => r!.events.filter((e) => e.kind === k).length
    assert.deepEqual([byKind('unit-started'), byKind('unit-stopped'), byKind('unit-failed')], [72, 34, 1])
    assert.deepEqual(r!.events.filter((e) => e.kind === 'unit-failed').map(summary), ['52 unit-failed sshd.service system failed'])
  })
})

test('audit-log: plaso audit_enriched.log (Apache-2.0, read in place): `cmd="true"` is counted, not kept', { skip: absent(PLASO) }, async () => {
  const r = await parseFile(auditLog, PLASO)
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 29, linesParsed: 29, linesSkipped: 0, eventsKept: 0 })
})

/** Every fixture and corpus text file, with the path it would have in evidence. */
function textFiles(): { file: string; rel: string }[] {
  const out: { file: string; rel: string }[] = []
  const walk = (dir: string, root: string): void => {
    if (!existsSync(dir)) return
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name)
      if (statSync(file).isDirectory()) walk(file, root)
      else if (!/\.(gz|zip|sqlite|sqlite-shm|md|sh|mjs)$/.test(name)) out.push({ file, rel: relative(root, file) })
    }
  }
  walk(FIXTURES, FIXTURES)
  walk(CORPUS, CORPUS)
  return out
}

describe('audit-log: detection against every parser in the registry', () => {
  const isAudit = (f: string): boolean => f === FIXTURE || f === RHEL8 || f === PLASO
  for (const { file, rel } of textFiles()) {
    it(`${rel}: ${isAudit(file) ? 'claimed by audit-log alone' : 'not claimed by audit-log'}`, () => {
      const head = readFileSync(file).subarray(0, 64 * 1024).toString('utf8')
      const bySniff = Object.values(PARSERS).filter((p) => p.detect(head)).map((p) => p.name)
      const byPath = Object.values(PARSERS).filter((p) => p.paths.some((re) => re.test(rel))).map((p) => p.name)
      if (isAudit(file)) {
        assert.deepEqual(bySniff, ['audit-log'])
        if (rel.endsWith('audit/audit.log')) assert.deepEqual(byPath, ['audit-log'])
      } else {
        assert.ok(!bySniff.includes('audit-log') && !byPath.includes('audit-log'), `${bySniff} ${byPath}`)
      }
    })
  }

  it('path pattern: audit/audit.log at any depth, nothing else', () => {
    const route = (p: string): boolean => auditLog.paths.some((re) => re.test(p))
    assert.deepEqual(
      ['var/log/audit/audit.log', 'audit/audit.log', 'evidence/var/log/audit/audit.log', 'var/log/audit.log', 'var/log/audit/audit.log.bak', 'var/log/myaudit/audit.log'].map(route),
      [true, true, true, false, false, false],
    )
  })
})
