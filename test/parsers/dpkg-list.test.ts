import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import dpkgList from '../../parsers/dpkg-list.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseFile, parseText } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dpkg/', import.meta.url).pathname

const owners = (events: MaskEvent[]): string[] =>
  events.map((e) => (e.kind === 'unit-file-owner' ? `${e.line} ${e.package} ${e.unit} ${e.unitPath}` : `${e.line} ${e.kind}`))

describe('dpkg-list: fixtures made by test/fixtures/dpkg/make.sh (real dpkg 1.21)', () => {
  it('demo.list: the one unit file among ten paths', async () => {
    const r = await parseFile(dpkgList, `${FIXTURES}info/demo.list`, { path: 'var/lib/dpkg/info/demo.list' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 10, linesParsed: 10, linesSkipped: 0, eventsKept: 1 })
    assert.deepEqual(r.events[0], {
      kind: 'unit-file-owner',
      timeUs: null,
      timeBasis: 'unknown',
      timeZone: null,
      timeZoneSource: null,
      timeNote: 'ownership when the evidence was copied (dpkg info/*.list); no time of its own',
      host: null,
      path: 'var/lib/dpkg/info/demo.list',
      line: 5,
      cursor: null,
      parser: 'dpkg-list',
      text: '/lib/systemd/system/demo.service',
      tool: 'dpkg',
      package: 'demo',
      unit: 'demo.service',
      unitPath: '/lib/systemd/system/demo.service',
    })
  })

  it('brokenpost.list: a timer; oldmask.list (removed, not purged): only its conffile is left, no unit', async () => {
    const b = await parseFile(dpkgList, `${FIXTURES}info/brokenpost.list`, { path: 'var/lib/dpkg/info/brokenpost.list' })
    assert.deepEqual(owners(b.events), ['5 brokenpost brokenpost.timer /lib/systemd/system/brokenpost.timer'])
    const o = await parseFile(dpkgList, `${FIXTURES}info/oldmask.list`, { path: 'var/lib/dpkg/info/oldmask.list' })
    assert.deepEqual(o.counters, { linesRead: 3, linesParsed: 3, linesSkipped: 0, eventsKept: 0 })
  })
})

describe('dpkg-list: unit paths', () => {
  it('system and user unit directories, /usr-merged or not; not wants links, drop-ins or other suffixes', async () => {
    const text = [
      '/.',
      '/lib/systemd/system/a.service',
      '/usr/lib/systemd/system/b.socket',
      '/etc/systemd/system/c.timer',
      '/usr/lib/systemd/user/d.service',
      '/usr/lib/systemd/system/getty@.service',
      '/usr/lib/systemd/system/e.target',
      '/usr/lib/systemd/system/f.path',
      '/usr/lib/systemd/system/-.mount',
      '/usr/lib/systemd/system/multi-user.target.wants/a.service',
      '/usr/lib/systemd/system/a.service.d/override.conf',
      '/usr/lib/systemd/system-preset/90-a.preset',
      '/usr/share/doc/a/example.service',
      '/lib/systemd/system/notaunit.conf',
      '',
      '/usr/lib/systemd/system/with space.service',
    ].join('\n')
    const r = await parseText(dpkgList, text, { path: 'var/lib/dpkg/info/libfoo1:amd64.list' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 16, linesParsed: 16, linesSkipped: 0, eventsKept: 9 })
    assert.deepEqual(owners(r.events), [
      '2 libfoo1 a.service /lib/systemd/system/a.service',
      '3 libfoo1 b.socket /usr/lib/systemd/system/b.socket',
      '4 libfoo1 c.timer /etc/systemd/system/c.timer',
      '5 libfoo1 d.service /usr/lib/systemd/user/d.service',
      '6 libfoo1 getty@.service /usr/lib/systemd/system/getty@.service',
      '7 libfoo1 e.target /usr/lib/systemd/system/e.target',
      '8 libfoo1 f.path /usr/lib/systemd/system/f.path',
      '9 libfoo1 -.mount /usr/lib/systemd/system/-.mount',
      '16 libfoo1 with space.service /usr/lib/systemd/system/with space.service',
    ])
  })
})

describe('dpkg-list: malformed input', () => {
  const invalid = [
    { bad: 'lib/systemd/system/relative.service', code: 'RECORD_INVALID' },
    { bad: '\0\0\0\0', code: 'RECORD_INVALID' },
    { bad: ' /lib/systemd/system/leading-space.service', code: 'RECORD_INVALID' },
  ] as const
  for (const { bad, code } of invalid) {
    it(`${code} at line 2: ${JSON.stringify(bad)}; the lines around it are kept`, async () => {
      const r = await parseText(dpkgList, `/lib/systemd/system/x.service\n${bad}\n/lib/systemd/system/y.service\n`, { path: 'var/lib/dpkg/info/x.list' })
      assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), [{ line: 2, code }])
      assert.deepEqual(r.counters, { linesRead: 3, linesParsed: 2, linesSkipped: 1, eventsKept: 2 })
    })
  }
  it('a file not named <package>.list: one whole-input warning, the file name is the package', async () => {
    const r = await parseText(dpkgList, '/lib/systemd/system/x.service\n', { path: 'x.txt' })
    assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), [{ line: null, code: 'RECORD_INVALID' }])
    assert.deepEqual(r.counters, { linesRead: 1, linesParsed: 1, linesSkipped: 0, eventsKept: 1 })
    assert.deepEqual(owners(r.events), ['1 x.txt x.service /lib/systemd/system/x.service'])
  })
})

describe('dpkg-list: detection', () => {
  const read = (p: string): string => readFileSync(p, 'utf8')
  it('detects its fixtures', () => {
    for (const f of ['demo.list', 'brokenpost.list', 'oldmask.list']) assert.equal(dpkgList.detect(read(`${FIXTURES}info/${f}`)), true, f)
  })
  it('does not claim dpkg.log, the status database, apt history.log, journal JSON or a single path', () => {
    assert.equal(dpkgList.detect(read(`${FIXTURES}dpkg.log`)), false)
    assert.equal(dpkgList.detect(read(`${FIXTURES}status`)), false)
    assert.equal(dpkgList.detect('Start-Date: 2019-07-11  12:25:24\nCommandline: apt-get install -y docker-ce\nEnd-Date: 2019-07-11  12:26:07\n'), false)
    assert.equal(dpkgList.detect('{"__CURSOR":"s=1;i=1","__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":"hi"}\n'), false)
    assert.equal(dpkgList.detect('/etc/passwd\n'), false)
    assert.equal(dpkgList.detect('/usr/bin/a\n/etc/b\n'), false)
  })
  it('claims info/*.list by path, including name:arch', () => {
    assert.ok(dpkgList.paths.some((re) => re.test('var/lib/dpkg/info/libc6:armhf.list')))
    assert.ok(!dpkgList.paths.some((re) => re.test('var/lib/dpkg/info/libc6:armhf.md5sums')))
    assert.ok(!dpkgList.paths.some((re) => re.test('etc/apt/sources.list')))
  })
})
