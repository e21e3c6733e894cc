import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import yumLog from '../../parsers/yum-log.ts'
import { parseFile, parseText, SHARED } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/dnf/', import.meta.url).pathname
const RHEL7 = `${SHARED}corpus/public/rhel7-rootfs/var/log/yum.log`
const years = (r: Awaited<ReturnType<typeof parseText>>): (number | null)[] =>
  r.events.map((e) => (e.timeUs === null ? null : new Date(e.timeUs / 1000).getUTCFullYear()))

test('year rollover, year from the dateext rotation suffix', async () => {
  const r = await parseFile(yumLog, `${FIXTURES}yum.log-20200601`, { path: 'var/log/yum.log-20200601' })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 4, linesParsed: 4, linesSkipped: 0, eventsKept: 4 })
  assert.deepEqual(years(r), [2019, 2019, 2020, 2020])
  assert.deepEqual(r.events[1], {
    kind: 'package-action',
    timeUs: Date.UTC(2019, 11, 31, 23, 59, 59) * 1000,
    timeBasis: 'inferred',
    timeZone: 'UTC',
    timeZoneSource: 'test',
    timeNote: 'year inferred: the file was rotated on 2020-06-01 (name suffix), so its last entry is before that, minus 1 year rollover(s) after this entry',
    host: null,
    path: 'var/log/yum.log-20200601',
    line: 2,
    cursor: null,
    parser: 'yum-log',
    text: 'Dec 31 23:59:59 Updated: 32:bind-utils-9.11.4-9.P2.el7.x86_64',
    tool: 'yum',
    transactionId: null,
    package: 'bind-utils',
    arch: 'x86_64',
    action: 'upgrade',
    fromVersion: null,
    toVersion: '32:9.11.4-9.P2.el7',
    state: null,
  })
})

test('year sources: --year first, then rotation suffix, then mtime; none → unknown', async () => {
  const text = 'Dec 31 23:59:59 Installed: a-1-1.noarch\nJan 01 00:00:05 Erased: b-1-1.noarch\n'
  assert.deepEqual(years(await parseText(yumLog, text, { yearHint: 2015, path: 'yum.log-20200601', fileMtimeUs: 0 })), [2015, 2016])
  // Rotated on 2018-01-01 (logrotate runs in the early morning): an entry of that day is of 2018.
  assert.deepEqual(years(await parseText(yumLog, text, { path: 'yum.log-20180101.gz', fileMtimeUs: 0 })), [2017, 2018])
  assert.deepEqual(years(await parseText(yumLog, text, { path: 'yum.log-20171231', fileMtimeUs: 0 })), [2016, 2017])
  // mtime 2017-01-01 00:00:00 UTC is before "Jan 01 00:00:05": the last entry is of 2016.
  assert.deepEqual(years(await parseText(yumLog, text, { fileMtimeUs: Date.UTC(2017, 0, 1) * 1000 })), [2015, 2016])
  assert.deepEqual(years(await parseText(yumLog, text, { fileMtimeUs: Date.UTC(2017, 0, 1, 0, 1) * 1000 })), [2016, 2017])
  const none = await parseText(yumLog, text)
  assert.deepEqual(years(none), [null, null])
  assert.equal(none.events[0]!.timeBasis, 'unknown')
})

const INVALID = [
  { name: 'unknown action', input: 'Oct 01 01:16:31 Frobbed: a-1-1.noarch\nOct 01 01:16:32 Erased: b-1-1.noarch\n', diagnostics: [{ line: 1, code: 'RECORD_INVALID' }] },
  { name: 'no nevra', input: 'Oct 01 01:16:31 Erased: b\nOct 01 01:16:32 Erased: b-1-1.noarch\n', diagnostics: [{ line: 1, code: 'RECORD_INVALID' }] },
  { name: 'hour 24', input: 'Oct 01 24:16:31 Erased: a-1-1.noarch\nOct 01 01:16:32 Erased: b-1-1.noarch\n', diagnostics: [{ line: 1, code: 'TIMESTAMP_INVALID' }] },
  { name: 'torn last line', input: 'Oct 01 01:16:32 Erased: b-1-1.noarch\nOct 01 01:1', diagnostics: [{ line: 2, code: 'RECORD_INVALID' }] },
]
for (const c of INVALID) {
  test(`malformed yum.log: ${c.name}`, async () => {
    const r = await parseText(yumLog, c.input, { yearHint: 2019 })
    assert.deepEqual(r.diagnostics.map((d) => ({ line: d.line, code: d.code })), c.diagnostics)
    assert.deepEqual(r.counters, { linesRead: 2, linesParsed: 1, linesSkipped: 1, eventsKept: 1 })
  })
}

test('real RHEL 7 yum.log parses without diagnostics', { skip: existsSync(RHEL7) ? false : `shared corpus absent: ${RHEL7}` }, async () => {
  const r = await parseFile(yumLog, RHEL7, { fileMtimeUs: Date.UTC(2020, 9, 2) * 1000 })
  assert.deepEqual(r.diagnostics, [])
  assert.deepEqual(r.counters, { linesRead: 25, linesParsed: 25, linesSkipped: 0, eventsKept: 25 })
  const bind = r.events[1]!
  assert.deepEqual(bind.kind === 'package-action' && [bind.package, bind.fromVersion, bind.action], ['bind-utils', '32:9.11.4-9.P2.el7', 'remove'])
  assert.deepEqual(new Set(years(r)), new Set([2020]))
})
