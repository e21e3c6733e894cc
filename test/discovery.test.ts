import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { discoverEvidence, rotationOf, sortInputs } from '../src/discovery.ts'
import { collectEvents } from '../src/run.ts'
import { makeTree, snapshot } from './helpers/tree.ts'

const JOURNAL = readFileSync(new URL('./fixtures/journal/journal.json', import.meta.url))
const reload = (t: number, pid = '1'): string => `{"_PID":"${pid}","__REALTIME_TIMESTAMP":"${t}","MESSAGE":"Reloading.","__CURSOR":"s=aa;i=${t.toString(16)}"}\n`

describe('rotation order', () => {
  it('strips rotation and compression suffixes', () => {
    assert.deepEqual(rotationOf('var/log/dpkg.log.2.gz'), { base: 'var/log/dpkg.log', compression: 'gzip', age: [0, -2, ''] })
    assert.equal(rotationOf('var/log/messages-20240301').base, 'var/log/messages')
    assert.equal(rotationOf('var/log/apt/history.log').base, 'var/log/apt/history.log')
  })
  it('orders a rotated set oldest first, then the current file', () => {
    const names = ['dpkg.log', 'dpkg.log.1', 'dpkg.log.10.gz', 'dpkg.log.2.gz', 'messages', 'messages-20240301', 'messages-20240215']
    assert.deepEqual(
      sortInputs(names.map((path) => ({ path }))).map((f) => f.path),
      ['dpkg.log.10.gz', 'dpkg.log.2.gz', 'dpkg.log.1', 'dpkg.log', 'messages-20240215', 'messages-20240301', 'messages'],
    )
  })
})

describe('evidence discovery', () => {
  it('walks only log directories of a copied root filesystem, plus loose top-level files', async () => {
    const root = makeTree({
      'etc/systemd/system/nginx.service': { link: '/dev/null' },
      'usr/share/doc/x.json': JOURNAL,
      'var/log/journal.json': JOURNAL,
      'notes/export.json': JOURNAL,
    })
    const { files, problems } = await discoverEvidence([root])
    assert.deepEqual(files.map((f) => f.path), ['notes/export.json', 'var/log/journal.json'])
    assert.deepEqual(problems, [])
  })

  it('never follows a symlink out of the evidence root', async () => {
    const root = makeTree({
      'var/log/ok.json': reload(1),
      // an absolute link means a path on the copied machine: looked up inside the evidence, where it does not exist
      'var/log/apt': { link: '/var/log/apt' },
      'var/log/passwd.json': { link: '../../../../../../../../etc/passwd' },
      'var/log/loop-a': { link: 'loop-b' },
      'var/log/loop-b': { link: 'loop-a' },
      'var/log/again.json': { link: 'ok.json' },
      'var/log/up': { link: '..' },
    })
    const { files, problems } = await discoverEvidence([root])
    assert.deepEqual(files.map((f) => f.path), ['var/log/ok.json'])
    assert.deepEqual(
      problems.map((p) => `${p.code} ${p.path}`).sort(),
      // var/log/apt -> /var/log/apt means itself on the copied machine: a loop, never the analyst's /var/log/apt
      ['SYMLINK_BROKEN var/log/apt', 'SYMLINK_BROKEN var/log/loop-a', 'SYMLINK_BROKEN var/log/loop-b', 'SYMLINK_OUTSIDE_ROOT var/log/passwd.json'],
    )
    assert.match(problems.find((p) => p.path === 'var/log/passwd.json')!.message, /climbs out of the evidence root; not followed/)
    assert.match(problems.find((p) => p.path === 'var/log/apt')!.message, /symlink loop/)
  })

  it('follows an absolute link that leads inside the evidence (as the copied machine saw it)', async () => {
    const root = makeTree({ 'var/log/archive/j.json': reload(5), 'var/log/current.json': { link: '/var/log/archive/j.json' } })
    const { files } = await discoverEvidence([root])
    // the same file reached twice is read once
    assert.deepEqual(files.map((f) => f.path), ['var/log/archive/j.json'])
  })

  it('reads rotated .gz inputs transparently and reports a truncated one without losing what came before', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => reload(1_700_000_000_000_000 + i)).join('')
    const gz = gzipSync(Buffer.from(lines))
    const root = makeTree({ 'j.json.2.gz': gz, 'j.json.1.gz': gz.subarray(0, Math.floor(gz.length / 2)) })
    const r = await collectEvents({ evidence: [root] })
    assert.deepEqual(r.inventory.map((i) => [i.path, i.status, i.compression]), [['j.json.2.gz', 'parsed', 'gzip'], ['j.json.1.gz', 'parsed', 'gzip']])
    assert.equal(r.inventory[0]?.linesRead, 400)
    const cut = r.inventory[1]!
    assert.ok(cut.linesRead > 10 && cut.linesRead < 400, `salvaged ${cut.linesRead} lines`)
    assert.deepEqual([...r.diagnostics.counts], [['COMPRESSED_DATA_DAMAGED', 1]])
    assert.equal(r.diagnostics.examples[0]?.path, 'j.json.1.gz')
  })

  it('names the candidates when the content is ambiguous and obeys --format-of', async () => {
    const root = makeTree({ 'plain.log': '{"_PID":"1","MESSAGE":"Reloading."}\n' })
    const unforced = await collectEvents({ evidence: [`${root}/plain.log`] })
    assert.equal(unforced.inventory[0]?.status, 'unrecognised')
    assert.deepEqual([...unforced.diagnostics.counts.keys()], ['FORMAT_UNKNOWN'])
    const forced = await collectEvents({ evidence: [`${root}/plain.log`], formatOf: [{ pattern: '*.log', parser: 'journal-json' }] })
    assert.equal(forced.inventory[0]?.routedBy, 'forced')
    assert.deepEqual(forced.events.map((e) => e.kind), ['daemon-reload'])
  })

  it('counts an entry read from two overlapping exports once', async () => {
    const root = makeTree({ 'a.json': JOURNAL, 'b.json': JOURNAL })
    const r = await collectEvents({ evidence: [root] })
    // 29 entries of b.json yield events (entry 24 yields two); all were already read from a.json
    assert.equal(r.duplicatesDropped, 29)
    assert.equal(r.events.filter((e) => e.kind !== 'boot').length, 28)
  })

  it('reads the evidence zone from etc/localtime, and warns when etc/timezone disagrees', async () => {
    const root = makeTree({ 'etc/localtime': { link: '/usr/share/zoneinfo/Europe/Berlin' }, 'etc/timezone': 'America/New_York\n', 'var/log/j.json': reload(7) })
    const r = await collectEvents({ evidence: [root] })
    assert.deepEqual(r.zones, [{ evidence: '.', zone: 'Europe/Berlin', source: 'etc/localtime → /usr/share/zoneinfo/Europe/Berlin' }])
    assert.deepEqual([...r.diagnostics.counts], [['TIMEZONE_CONFLICT', 1]])
  })

  it('never writes into the evidence', async () => {
    const root = makeTree({
      'var/log/j.json': JOURNAL,
      'var/log/old.json.1.gz': gzipSync(JOURNAL),
      'etc/localtime': { link: '/usr/share/zoneinfo/UTC' },
      'var/log/out': { link: '/etc' },
    })
    const before = snapshot(root)
    await collectEvents({ evidence: [root] })
    assert.deepEqual(snapshot(root), before)
  })
})

describe('package databases in a copied root filesystem', () => {
  it('reads dpkg status, its backups and the *.list files, and nothing else of var/lib/dpkg', async () => {
    const root = makeTree({
      'var/log/dpkg.log': '2024-03-01 10:00:00 startup archives unpack\n',
      'var/lib/dpkg/status': 'Package: a\nStatus: install ok installed\n',
      'var/lib/dpkg/status-old': 'Package: a\nStatus: install ok installed\n',
      'var/lib/dpkg/info/nginx.list': '/lib/systemd/system/nginx.service\n',
      'var/lib/dpkg/info/nginx.postinst': '#!/bin/sh\n',
      'var/lib/dpkg/info/nginx.md5sums': 'x\n',
      'var/lib/dpkg/available': 'Package: a\n',
      'var/backups/dpkg.status.1.gz': gzipSync('Package: a\nStatus: install ok installed\n'),
      'var/backups/passwd.bak': 'root:x:0:0\n',
    })
    const { files } = await discoverEvidence([root])
    assert.deepEqual(files.map((f) => f.path), [
      'var/backups/dpkg.status.1.gz',
      'var/lib/dpkg/info/nginx.list',
      'var/lib/dpkg/status',
      'var/lib/dpkg/status-old',
      'var/log/dpkg.log',
    ])
  })
})
