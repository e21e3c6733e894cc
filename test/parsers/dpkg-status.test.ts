import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import dpkgStatus from '../../parsers/dpkg-status.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dpkg/', import.meta.url).pathname
const DEBIAN11 = `${SHARED}corpus/public/debian11-armhf-rootfs/var/lib/dpkg/status`

function summary(e: MaskEvent): string {
  switch (e.kind) {
    case 'package-state':
      return `${e.line} state ${e.package} ${e.arch} ${e.version} ${e.want} ${e.errorFlag} ${e.status}`
    case 'package-note':
      return `${e.line} note ${e.note} ${e.package}`
    default:
      return `${e.line} ${e.kind}`
  }
}

describe('dpkg-status: fixture made by test/fixtures/dpkg/make.sh (real dpkg 1.21)', () => {
  it('one package-state per stanza; notes for half-configured, reinstreq half-installed and config-files', async () => {
    const r = await parseFile(dpkgStatus, `${FIXTURES}status`, { path: 'var/lib/dpkg/status' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 38, linesParsed: 38, linesSkipped: 0, eventsKept: 7 })
    assert.deepEqual(r.events.map(summary), [
      '1 state brokenpost all 2.0-1 install ok half-configured',
      '1 note left-broken brokenpost',
      '11 state demo all 1.0 install ok installed',
      '21 state oldmask all 1.0 deinstall ok config-files',
      '21 note removed-not-purged oldmask',
      '34 state slow all 0.1 install reinstreq half-installed',
      '34 note left-broken slow',
    ])
  })

  it('one event in full', async () => {
    const r = await parseFile(dpkgStatus, `${FIXTURES}status`, { path: 'var/lib/dpkg/status' })
    assert.deepEqual(r.events[0], {
      kind: 'package-state',
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
      text: 'Package: brokenpost Status: install ok half-configured',
      tool: 'dpkg',
      package: 'brokenpost',
      arch: 'all',
      version: '2.0-1',
      want: 'install',
      errorFlag: 'ok',
      status: 'half-configured',
    })
  })

  it('status-old says it is the previous copy', async () => {
    const r = await parseFile(dpkgStatus, `${FIXTURES}status-old`, { path: 'var/lib/dpkg/status-old' })
    assert.deepEqual(r.diagnostics, [])
    assert.equal(r.events.length > 0, true)
    assert.match(r.events[0]!.timeNote ?? '', /status-old/)
  })
})

describe('dpkg-status: stanza structure', () => {
  it('continuation lines (Description, Conffiles) never start a stanza, even when they look like fields', async () => {
    const text = [
      'Package: a',
      'Status: install ok installed',
      'Conffiles:',
      ' /etc/a.conf 0123456789abcdef0123456789abcdef',
      'Description: first line',
      ' Package: not-a-package',
      ' .',
      ' Status: purge ok not-installed',
      '',
      '',
      'Package: b',
      'Status: hold ok unpacked',
      'Version: 1:2.0~rc1-3',
    ].join('\n')
    const r = await parseText(dpkgStatus, text)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 13, linesParsed: 13, linesSkipped: 0, eventsKept: 3 })
    assert.deepEqual(r.events.map(summary), ['1 state a null null install ok installed', '11 state b null 1:2.0~rc1-3 hold ok unpacked', '11 note left-broken b'])
  })
})

describe('dpkg-status: malformed input', () => {
  const invalid = [
    {
      name: 'a stanza without Status: all its lines skipped, one diagnostic at its first line',
      input: 'Package: good\nStatus: install ok installed\n\nPackage: nostatus\nVersion: 1\n\nPackage: after\nStatus: install ok installed\n',
      diagnostics: [{ line: 4, code: 'RECORD_INVALID' }],
      counters: { linesRead: 8, linesParsed: 6, linesSkipped: 2, eventsKept: 2 },
    },
    {
      name: 'a Status with an unknown state: diagnostic at the Status line, stanza skipped',
      input: 'Package: good\nStatus: install ok installed\n\nPackage: bad\nArchitecture: amd64\nStatus: install ok broken\n\nPackage: after\nStatus: install ok installed\n',
      diagnostics: [{ line: 6, code: 'RECORD_INVALID' }],
      counters: { linesRead: 9, linesParsed: 6, linesSkipped: 3, eventsKept: 2 },
    },
    {
      name: 'a Status with two words',
      input: 'Package: bad\nStatus: install installed\n\nPackage: after\nStatus: install ok installed\n',
      diagnostics: [{ line: 2, code: 'RECORD_INVALID' }],
      counters: { linesRead: 5, linesParsed: 3, linesSkipped: 2, eventsKept: 1 },
    },
    {
      name: 'a continuation line outside any stanza',
      input: 'Package: good\nStatus: install ok installed\n\n orphan continuation\n\nPackage: after\nStatus: install ok installed\n',
      diagnostics: [{ line: 4, code: 'RECORD_INVALID' }],
      counters: { linesRead: 7, linesParsed: 6, linesSkipped: 1, eventsKept: 2 },
    },
    {
      name: 'a garbage line inside a stanza: that line skipped, the stanza kept',
      input: 'Package: good\ngarbage without a colon\nStatus: install ok installed\n',
      diagnostics: [{ line: 2, code: 'RECORD_INVALID' }],
      counters: { linesRead: 3, linesParsed: 2, linesSkipped: 1, eventsKept: 1 },
    },
    {
      name: 'a stanza cut off by the end of the input before its Status',
      input: 'Package: good\nStatus: install ok installed\n\nPackage: cut\nMaintainer: x <x@example.invalid>\n',
      diagnostics: [{ line: 4, code: 'RECORD_UNTERMINATED' }],
      counters: { linesRead: 5, linesParsed: 3, linesSkipped: 2, eventsKept: 1 },
    },
    {
      name: 'NUL bytes where a stanza was (a damaged block)',
      input: 'Package: good\nStatus: install ok installed\n\n\0\0\0\0\n\nPackage: after\nStatus: install ok installed\n',
      diagnostics: [{ line: 4, code: 'RECORD_INVALID' }],
      counters: { linesRead: 7, linesParsed: 6, linesSkipped: 1, eventsKept: 2 },
    },
  ] as const
  for (const c of invalid) {
    it(c.name, async () => {
      const r = await parseText(dpkgStatus, c.input)
      assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), c.diagnostics)
      assert.deepEqual(r.counters, c.counters)
    })
  }
})

describe('dpkg-status: real public file', () => {
  it('debian11-armhf-rootfs var/lib/dpkg/status (264 stanzas): no diagnostics, all installed', { skip: existsSync(DEBIAN11) ? false : `shared corpus not found at ${DEBIAN11}` }, async () => {
    const r = await parseFile(dpkgStatus, DEBIAN11)
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 5965, linesParsed: 5965, linesSkipped: 0, eventsKept: 264 })
    assert.ok(r.events.every((e) => e.kind === 'package-state' && e.status === 'installed' && e.arch !== null && e.version !== null))
  })
})

describe('dpkg-status: detection', () => {
  const read = (p: string): string => readFileSync(p, 'utf8')
  it('detects its fixtures and the real status file', () => {
    assert.equal(dpkgStatus.detect(read(`${FIXTURES}status`)), true)
    assert.equal(dpkgStatus.detect(read(`${FIXTURES}status-old`)), true)
    if (existsSync(DEBIAN11)) assert.equal(dpkgStatus.detect(read(DEBIAN11).slice(0, 65536)), true)
  })
  it('does not claim dpkg.log, a file list, apt Packages/available stanzas, apt history.log or journal JSON', () => {
    assert.equal(dpkgStatus.detect(read(`${FIXTURES}dpkg.log`)), false)
    assert.equal(dpkgStatus.detect(read(`${FIXTURES}info/demo.list`)), false)
    assert.equal(dpkgStatus.detect('Package: foo\nVersion: 1.0\nArchitecture: amd64\nFilename: pool/f/foo.deb\n\nPackage: bar\n'), false)
    assert.equal(dpkgStatus.detect('Start-Date: 2019-07-11  12:25:24\nCommandline: apt-get install -y docker-ce\nEnd-Date: 2019-07-11  12:26:07\n'), false)
    assert.equal(dpkgStatus.detect('{"__CURSOR":"s=1;i=1","__REALTIME_TIMESTAMP":"1700000000000000","MESSAGE":"Package: x"}\n'), false)
  })
  it('claims status, status-old and the var/backups copies by path', () => {
    for (const p of ['var/lib/dpkg/status', 'var/lib/dpkg/status-old', 'var/backups/dpkg.status']) {
      assert.ok(dpkgStatus.paths.some((re) => re.test(p)), p)
    }
    assert.ok(!dpkgStatus.paths.some((re) => re.test('var/lib/dpkg/available')))
  })
})
