// `maskwhy journal` against the real journalctl 252 (Debian 12): same entries, same bytes. Journals are
// built at test time with systemd-journal-remote in a temporary directory outside the repository.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { CLI, REPO } from './helpers/cli.ts'
import { SHARED } from './helpers/parse.ts'

const FIXTURE_EXPORT = `${REPO}test/fixtures/journal-export/journal.export`
const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote'
const VELOCIRAPTOR = `${SHARED}corpus/public/velociraptor/system.journal.zip`
/** Entries in the fixture (one per line of its journalctl -o json twin). */
const ENTRIES = readFileSync(`${REPO}test/fixtures/journal-export/journal.json`, 'utf8').split('\n').length - 1

interface Run {
  stdout: Buffer
  stderr: string
  status: number | null
}

function maskwhy(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, 'journal', ...args], { cwd: REPO, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 })
  return { stdout: r.stdout, stderr: r.stderr.toString('utf8'), status: r.status }
}

/** journalctl itself; TZ is what it reads local times (--since, short-iso) in. */
function journalctl(args: string[], tz = 'UTC'): Buffer {
  return execFileSync('journalctl', args, { env: { ...process.env, TZ: tz, SYSTEMD_COLORS: '0' }, maxBuffer: 1 << 28 })
}

function jsonLines(out: Buffer): unknown[] {
  return out
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l))
}

/** Splits export data into entries (binary-safe: walks the framing). */
function exportEntries(data: Buffer): Buffer[] {
  const entries: Buffer[] = []
  let start = 0
  let at = 0
  while (at < data.length) {
    const nl = data.indexOf(0x0a, at)
    if (nl === at) {
      entries.push(data.subarray(start, nl + 1))
      start = at = nl + 1
    } else if (data.subarray(at, nl).includes(0x3d)) at = nl + 1
    else at = nl + 1 + 8 + Number(data.readBigUInt64LE(nl + 1)) + 1
  }
  return entries
}

let dir = ''
const path = (name: string): string => join(dir, name)

function buildJournal(exportFile: string, journal: string): void {
  execFileSync(JOURNAL_REMOTE, [`--output=${journal}`, exportFile], { stdio: 'ignore' })
}

before(() => {
  assert.ok(existsSync(JOURNAL_REMOTE), 'these tests need the real tools: apt-get install systemd-journal-remote')
  dir = mkdtempSync(join(tmpdir(), 'maskwhy-journal-'))
  buildJournal(FIXTURE_EXPORT, path('all.journal'))
  writeFileSync(path('all.export'), journalctl(['--file', path('all.journal'), '-o', 'export']))
  // Two journals with alternate entries (different seqnum ids, interleaved in time), for merging.
  const entries = exportEntries(readFileSync(FIXTURE_EXPORT))
  writeFileSync(path('odd.in'), Buffer.concat(entries.filter((_, i) => i % 2 === 0)))
  writeFileSync(path('even.in'), Buffer.concat(entries.filter((_, i) => i % 2 === 1)))
  buildJournal(path('odd.in'), path('odd.journal'))
  buildJournal(path('even.in'), path('even.journal'))
})

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

describe('maskwhy journal = journalctl 252', () => {
  it('-o json matches journalctl -o json --all entry for entry (binary input)', () => {
    const ours = maskwhy([path('all.journal'), '-o', 'json'])
    assert.equal(ours.status, 0)
    assert.equal(ours.stderr, '')
    const theirs = jsonLines(journalctl(['--file', path('all.journal'), '-o', 'json', '--all']))
    assert.equal(theirs.length, ENTRIES)
    assert.deepEqual(jsonLines(ours.stdout), theirs)
    // key order is fixed (journalctl's changes from run to run): metadata first
    assert.match(ours.stdout.toString('utf8'), /^\{"__CURSOR":"s=[0-9a-f]{32};i=1;[^"]+","__REALTIME_TIMESTAMP":"\d+","__MONOTONIC_TIMESTAMP":"\d+","_BOOT_ID":"[0-9a-f]{32}",/)
  })

  it('-o json from export input matches journalctl -o json --all of the journal it came from', () => {
    const ours = maskwhy([path('all.export'), '-o', 'json'])
    assert.equal(ours.status, 0)
    assert.deepEqual(jsonLines(ours.stdout), jsonLines(journalctl(['--file', path('all.journal'), '-o', 'json', '--all'])))
  })

  it('-o export is byte-identical to journalctl -o export, from binary and from export input', () => {
    const theirs = readFileSync(path('all.export'))
    assert.ok(maskwhy([path('all.journal'), '-o', 'export']).stdout.equals(theirs))
    assert.ok(maskwhy([path('all.export'), '-o', 'export']).stdout.equals(theirs))
  })

  it('-o short-iso (the default) is byte-identical to journalctl -o short-iso, in UTC and in --tz', () => {
    const utc = maskwhy([path('all.journal')])
    assert.equal(utc.stdout.toString('utf8'), journalctl(['--file', path('all.journal'), '-o', 'short-iso']).toString('utf8'))
    assert.match(utc.stdout.toString('utf8'), /^2024-03-01T09:59:58\+0000 web1 systemd\[1\]: systemd 255/)
    assert.match(utc.stdout.toString('utf8'), /\n-- Boot a1b2c3d4e5f60718293a4b5c6d7e8f90 --\n/)
    for (const tz of ['Asia/Kolkata', 'America/St_Johns']) {
      const zoned = maskwhy([path('all.export'), '--tz', tz])
      assert.equal(zoned.stdout.toString('utf8'), journalctl(['--file', path('all.journal'), '-o', 'short-iso'], tz).toString('utf8'), tz)
    }
  })

  it('merges several journals as journalctl --file A --file B does, and shows an entry read twice once', () => {
    const theirs = jsonLines(journalctl(['--file', path('odd.journal'), '--file', path('even.journal'), '-o', 'json', '--all']))
    const ours = maskwhy([path('odd.journal'), path('even.journal'), '-o', 'json'])
    assert.deepEqual(jsonLines(ours.stdout), theirs)
    writeFileSync(path('odd.export'), journalctl(['--file', path('odd.journal'), '-o', 'export']))
    const twice = maskwhy([path('odd.journal'), path('even.journal'), path('odd.export'), '-o', 'json'])
    assert.deepEqual(jsonLines(twice.stdout), theirs)
    assert.match(twice.stderr, /\b20 duplicate entries dropped/)
    assert.equal(twice.status, 0)
  })

  it('reads a directory like journalctl -D: every *.journal below it, each entry once', () => {
    // all.journal holds every entry of odd.journal and even.journal (other seqnum ids, same boot, time
    // and xor_hash): journalctl 252 shows each once, and so must we.
    const ours = maskwhy([dir, '-o', 'json'])
    const theirs = jsonLines(journalctl(['--file', path('all.journal'), '--file', path('even.journal'), '--file', path('odd.journal'), '-o', 'json', '--all']))
    assert.equal(theirs.length, ENTRIES)
    assert.deepEqual(jsonLines(ours.stdout), theirs)
    assert.match(ours.stderr, new RegExp(`; ${ENTRIES} duplicate entries dropped`))
  })

  // (short-iso is compared for two of them only: each run of the CLI costs a Node start-up)
  const filters: { name: string; ours: string[]; theirs: string[]; short?: boolean }[] = [
    { name: '--since/--until', ours: ['--since', '2024-03-01 10:05:00', '--until', '2024-03-01T10:09:00Z'], theirs: ['--since', '2024-03-01 10:05:00', '--until', '2024-03-01 10:09:00'] },
    { name: '--unit (a name without suffix means .service)', ours: ['--unit', 'nginx'], theirs: ['-u', 'nginx'] },
    { name: '--unit with a glob, twice', ours: ['-u', 'cloud-*', '-u', 'deploy.service'], theirs: ['-u', 'cloud-*', '-u', 'deploy.service'] },
    { name: '--boot', ours: ['--boot', 'a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90'], theirs: ['-b', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'] },
    { name: '--lines', ours: ['-n', '4'], theirs: ['-n', '4'], short: true },
    { name: 'all together', ours: ['-u', 'deploy.service', '-b', '6c7c6013a26343b29e964691ff25d04c', '--since', '2024-03-01 10:05:00'], theirs: ['-u', 'deploy.service', '-b', '6c7c6013a26343b29e964691ff25d04c', '--since', '2024-03-01 10:05:00'], short: true },
  ]
  for (const f of filters) {
    it(`filters like journalctl: ${f.name}`, () => {
      const theirs = journalctl(['--file', path('all.journal'), '-o', 'json', '--all', ...f.theirs])
      const ours = maskwhy([path('all.journal'), '-o', 'json', ...f.ours])
      assert.equal(ours.status, 0)
      assert.ok(jsonLines(theirs).length > 0, 'the filter must select something')
      assert.ok(jsonLines(theirs).length < ENTRIES, 'the filter must leave something out')
      assert.deepEqual(jsonLines(ours.stdout), jsonLines(theirs))
      if (f.short === true) {
        const short = maskwhy([path('all.export'), ...f.ours])
        assert.equal(short.stdout.toString('utf8'), journalctl(['--file', path('all.journal'), '-o', 'short-iso', ...f.theirs]).toString('utf8'))
      }
    })
  }

  it('reads real Ubuntu 20.04 (LZ4) and 24.04 (compact, ZSTD) journals like journalctl', () => {
    const files = unzipSync(readFileSync(VELOCIRAPTOR), { filter: (f) => f.name === '2004.journal' || f.name === '2404.journal' })
    for (const [name, data] of Object.entries(files)) {
      writeFileSync(path(`velo-${name}`), data)
      const file = path(`velo-${name}`)
      assert.deepEqual(jsonLines(maskwhy([file, '-o', 'json']).stdout), jsonLines(journalctl(['--file', file, '-o', 'json', '--all'])), name)
      assert.ok(maskwhy([file, '-o', 'export']).stdout.equals(journalctl(['--file', file, '-o', 'export'])), name)
      assert.equal(maskwhy([file]).stdout.toString('utf8'), journalctl(['--file', file, '-o', 'short-iso']).toString('utf8'), name)
    }
  })
})

/** Journal Export Format of one entry; every value binary-framed (journal-remote accepts both forms). */
function exportEntry(at: number, fields: [string, string | Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from(`__REALTIME_TIMESTAMP=${1700000000000000 + at * 1000000}\n__MONOTONIC_TIMESTAMP=${1000000 + at}\n`)]
  parts.push(Buffer.from('_BOOT_ID=6c7c6013a26343b29e964691ff25d04c\n'))
  for (const [name, value] of fields) {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8')
    const length = Buffer.alloc(8)
    length.writeBigUInt64LE(BigInt(bytes.length))
    parts.push(Buffer.from(`${name}\n`), length, bytes, Buffer.from('\n'))
  }
  return Buffer.concat([...parts, Buffer.from('\n')])
}

describe('maskwhy journal = journalctl 252 on the odd values', () => {
  it('writes tabs, colours, CRs, OSC links, blobs, long or unprintable names and source times exactly as journalctl', () => {
    const entries: [string, string | Buffer][][] = [
      [['MESSAGE', 'tab\there'], ['_PID', '1'], ['SYSLOG_IDENTIFIER', 'systemd'], ['_HOSTNAME', 'web1']],
      [['MESSAGE', 'source time'], ['_SOURCE_REALTIME_TIMESTAMP', '1600000000123456'], ['_COMM', 'sudo'], ['SYSLOG_PID', '77']],
      [['MESSAGE', 'bad source time'], ['_SOURCE_REALTIME_TIMESTAMP', 'abc']],
      [['MESSAGE', ''], ['SYSLOG_IDENTIFIER', 'x'], ['_PID', '5'], ['SYSLOG_PID', '6']],
      [['MESSAGE', 'a\n\nb\n'], ['SYSLOG_IDENTIFIER', 'ident'], ['_HOSTNAME', 'h'.repeat(300)]],
      [['MESSAGE', 'a\nb\n\n'], ['SYSLOG_IDENTIFIER', 'idént'], ['_HOSTNAME', 'h'.repeat(299)]],
      [['MESSAGE', 'no name\nsecond line'], ['_COMM', Buffer.from('co\u0001mm')], ['SYSLOG_IDENTIFIER', Buffer.from('bad\u0001')]],
      [['MESSAGE', 'first'], ['MESSAGE', 'second'], ['_PID', '1'], ['_PID', '2']],
      [['NO_MESSAGE', 'x']],
      [['MESSAGE', 'abc\r\ndef\r']],
      [['MESSAGE', 'a\rb']],
      [['MESSAGE', '\u001b]8;;http://x\u0007link\u001b]8;;\u0007 end']],
      [['MESSAGE', '\u001b[1;31mred\u001b[0m\ttab'], ['SYSLOG_IDENTIFIER', 'i'.repeat(300)], ['_COMM', 'c']],
      [['MESSAGE', '\u001b[2Jclear']],
      [['MESSAGE', Buffer.alloc(1023, 1)]],
      [['MESSAGE', Buffer.alloc(1500, 1)]],
      [['MESSAGE', Buffer.alloc(1248576, 1)]],
      [['MESSAGE', 'é→ "q" \\ / \u2028'], ['C1', 'a\u0085b'], ['DEL', 'a\u007fb'], ['NUL', Buffer.from('a\u0000b')]],
      [['MESSAGE', 'x'], ['SURROGATE', Buffer.from([0xed, 0xa0, 0x80])], ['OVERLONG', Buffer.from([0xc0, 0x80])], ['NONCHAR', Buffer.from([0xef, 0xbf, 0xbf])]],
      [['MESSAGE', 'y'], ['ABOVE_MAX', Buffer.from([0xf4, 0x90, 0x80, 0x80])], ['EMPTY', ''], ['BIG', 'z'.repeat(5000)]],
    ]
    writeFileSync(path('odd.in'), Buffer.concat(entries.map((fields, i) => exportEntry(i, fields))))
    buildJournal(path('odd.in'), path('oddities.journal'))
    const file = path('oddities.journal')
    assert.equal(maskwhy([file]).stdout.toString('utf8'), journalctl(['--file', file, '-o', 'short-iso']).toString('utf8'))
    assert.equal(maskwhy([file, '--tz', 'Asia/Kolkata']).stdout.toString('utf8'), journalctl(['--file', file, '-o', 'short-iso'], 'Asia/Kolkata').toString('utf8'))
    assert.deepEqual(jsonLines(maskwhy([file, '-o', 'json']).stdout), jsonLines(journalctl(['--file', file, '-o', 'json', '--all'])))
    assert.ok(maskwhy([file, '-o', 'export']).stdout.equals(journalctl(['--file', file, '-o', 'export'])))
  })
})

describe('maskwhy journal on bad input', () => {
  it('says what it could not read and goes on: garbage, a damaged export (path:line), a truncated journal (path@byte)', () => {
    writeFileSync(path('notes.txt'), 'hello\nworld\n')
    const data = readFileSync(path('all.export'))
    // corrupt the first binary field's 64-bit length (journalctl writes MESSAGE\n + length for the colour-coded line)
    const damaged = Buffer.from(data)
    const at = damaged.indexOf('\nMESSAGE\n') + 9
    damaged.writeBigUInt64LE(0xffffffffffn, at)
    writeFileSync(path('damaged.export'), damaged)
    const line = data.subarray(0, at).toString('latin1').split('\n').length - 1
    const r = maskwhy([path('notes.txt'), path('damaged.export'), '-o', 'json'])
    assert.equal(r.status, 0)
    assert.match(r.stderr, /warning\[FORMAT_UNKNOWN\]: .*\n {2}--> .*notes\.txt\n/)
    assert.match(r.stderr, new RegExp(`error\\[RECORD_INVALID\\]: binary field MESSAGE claims \\d+ bytes .*\\n {2}--> .*damaged\\.export:${line}\\n`))
    const shown = jsonLines(r.stdout)
    // the damaged entry keeps its fields before the bad one; every other entry is intact
    assert.equal(shown.length, ENTRIES)

    const truncated = unzipSync(readFileSync(VELOCIRAPTOR), { filter: (f) => f.name === 'system.journal' })['system.journal']!
    writeFileSync(path('system.journal'), truncated)
    const salvaged = maskwhy([path('system.journal'), '-o', 'json'])
    assert.equal(salvaged.status, 0)
    assert.ok(jsonLines(salvaged.stdout).length > 0, 'entries inside the file are salvaged (journalctl 252 refuses the file)')
    assert.match(salvaged.stderr, /--> .*system\.journal@byte \d+/)
  })

  it('prints "-- No entries --" when nothing matches, like journalctl', () => {
    const r = maskwhy([path('all.journal'), '--since', '2030-01-01'])
    assert.equal(r.stdout.toString('utf8'), '-- No entries --\n')
    assert.equal(r.stderr, '')
    assert.equal(r.status, 0)
  })

  it('exits 2 on a path that does not exist, a bad --boot, a bad time or zone', () => {
    for (const args of [[path('missing.journal')], [path('all.journal'), '--boot', 'last'], [path('all.journal'), '--since', 'yesterday'], [path('all.journal'), '--tz', 'Mars/Olympus']]) {
      const r = maskwhy(args)
      assert.equal(r.status, 2, args.join(' '))
      assert.match(r.stderr, /^maskwhy: /)
      assert.equal(r.stdout.length, 0)
    }
  })
})
