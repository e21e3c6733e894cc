// Archives that attack the reader: names and links out of the root, loops, special files, a
// decompression bomb, a cut-off archive, an archive on stdin. Made with the real GNU tar.
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs, { cpSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { explainCommand } from '../src/cli/explain.ts'
import { UsageError } from '../src/discovery.ts'
import { collectEvents, type Collected } from '../src/run.ts'
import { scratch, tar } from './helpers/archive.ts'
import { REPO } from './helpers/cli.ts'
import { snapshot } from './helpers/tree.ts'

const JOURNAL = readFileSync(`${REPO}samples/admin-mask/evidence/var/log/journal-export.json`)
const work = scratch('hostile')
after(() => rmSync(work, { recursive: true, force: true }))

const codes = (c: Collected): string[] => c.diagnostics.examples.map((d) => `${d.code} ${d.path}`).sort()
const explainJson = async (evidence: string): Promise<{ units: { unit: string; cause: string }[] }> =>
  JSON.parse((await explainCommand({ evidence: [evidence], unit: [], tz: null, displayTz: 'UTC', year: null, format: 'json', formatOf: [], width: 140, failOnMasked: false })).stdout)

/** Records every path handed to the file system while `run` runs. */
async function spyPaths(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = []
  const restore: (() => void)[] = []
  const spy = (api: Record<string, unknown>, names: string[]): void => {
    for (const name of names) {
      const original = api[name] as (...args: unknown[]) => unknown
      api[name] = (p: unknown, ...rest: unknown[]) => {
        seen.push(String(p))
        return original(p, ...rest)
      }
      restore.push(() => (api[name] = original))
    }
  }
  spy(fsp as unknown as Record<string, unknown>, ['lstat', 'stat', 'readlink', 'readdir', 'open', 'realpath', 'readFile', 'opendir', 'access'])
  spy(fs as unknown as Record<string, unknown>, ['createReadStream', 'openSync', 'readFileSync', 'statSync', 'lstatSync', 'readdirSync', 'existsSync', 'readlinkSync'])
  syncBuiltinESMExports()
  try {
    await run()
  } finally {
    for (const r of restore) r()
    syncBuiltinESMExports()
  }
  return seen
}

describe('a hostile archive', () => {
  // outside/ is what escaping names and links would reach; tree/ is the machine that was archived
  const base = join(work, 'hostile')
  const tree = join(base, 'tree')
  const absMember = join(base, 'outside/abs/reload.json')
  mkdirSync(join(base, 'outside/etc'), { recursive: true })
  mkdirSync(join(base, 'outside/abs'), { recursive: true })
  writeFileSync(join(base, 'outside/etc/passwd'), 'stolen:x:0:0:must never be read\n')
  writeFileSync(absMember, '{"__CURSOR":"s=abc;i=1","__REALTIME_TIMESTAMP":"1709280000000000","_PID":"1","MESSAGE":"Reloading."}\n')
  mkdirSync(join(tree, 'var/log'), { recursive: true })
  mkdirSync(join(tree, 'etc/systemd/system'), { recursive: true })
  writeFileSync(join(tree, 'var/log/good.json'), JOURNAL)
  linkSync(join(tree, 'var/log/good.json'), join(tree, 'var/log/again.json'))
  linkSync(join(base, 'outside/etc/passwd'), join(tree, 'var/log/hard-escape.json'))
  symlinkSync('/etc/shadow', join(tree, 'var/log/abs.json'))
  // an absolute target is a path on the archived machine: the absolute member, inside the archive
  symlinkSync(absMember, join(tree, 'var/log/abs-inside.json'))
  symlinkSync('../../../../../../etc/passwd', join(tree, 'var/log/rel-escape.json'))
  symlinkSync('loop-b', join(tree, 'var/log/loop-a'))
  symlinkSync('loop-a', join(tree, 'var/log/loop-b'))
  symlinkSync('..', join(tree, 'var/log/up'))
  symlinkSync('/srv/nowhere', join(tree, 'var/log/sub'))
  execFileSync('mkfifo', [join(tree, 'var/log/fifo')])
  symlinkSync('/dev/null', join(tree, 'etc/systemd/system/nginx.service'))
  const plain = join(base, 'hostile.tar')
  const members = ['good.json', 'again.json', 'hard-escape.json', 'abs.json', 'abs-inside.json', 'rel-escape.json', 'loop-a', 'loop-b', 'up', 'sub', 'fifo'].map((n) => `var/log/${n}`)
  // -P keeps `../outside/etc/passwd` and the absolute name as written; hard-escape.json's target is that first name
  tar(['-P', '--format=gnu', '-cf', plain, '../outside/etc/passwd', absMember, ...members, 'etc'], tree)
  // then a member stored below the symlink var/log/sub (tar -r appends it as another archive would)
  rmSync(join(tree, 'var/log/sub'))
  mkdirSync(join(tree, 'var/log/sub'))
  writeFileSync(join(tree, 'var/log/sub/planted.json'), JOURNAL)
  tar(['-rf', plain, 'var/log/sub/planted.json'], tree)
  const archive = join(base, 'hostile.tar.gz')
  writeFileSync(archive, gzipSync(readFileSync(plain)))
  // only the archive stays (the tree held a FIFO, which would block a reader; outside/ must not be needed)
  for (const p of [tree, plain, join(base, 'outside')]) rmSync(p, { recursive: true, force: true })

  it('holds the hostile members (checked with tar -tP)', () => {
    const listing = tar(['-tvPzf', archive])
    const expected = [
      '../outside/etc/passwd',
      `${absMember}\n`,
      'var/log/hard-escape.json link to ../outside/etc/passwd',
      'var/log/again.json link to var/log/good.json',
      'var/log/rel-escape.json -> ../../../../../../etc/passwd',
      'var/log/sub/planted.json',
    ]
    for (const member of expected) {
      assert.ok(listing.includes(member), `${member} in\n${listing}`)
    }
    assert.match(listing, /^p.* var\/log\/fifo$/m)
  })

  it('reads only what is inside, reports every escape, loop and special file, and touches nothing else', async () => {
    const before = snapshot(base)
    let collected: Collected | undefined
    const touched = await spyPaths(async () => (collected = await collectEvents({ evidence: [archive] })))
    const c = collected!
    assert.deepEqual(c.inventory.map((i) => [i.path, i.status, i.linesRead]), [
      [`hostile.tar.gz!${absMember}`, 'parsed', 1],
      ['hostile.tar.gz!/var/log/good.json', 'parsed', 21],
    ])
    assert.deepEqual(codes(c), [
      'ARCHIVE_MEMBER_IGNORED hostile.tar.gz!/var/log/fifo',
      'ARCHIVE_MEMBER_IGNORED hostile.tar.gz!/var/log/sub/planted.json',
      'ARCHIVE_MEMBER_OUTSIDE_ROOT hostile.tar.gz!/../outside/etc/passwd',
      'ARCHIVE_MEMBER_OUTSIDE_ROOT hostile.tar.gz!/var/log/hard-escape.json',
      'SYMLINK_BROKEN hostile.tar.gz!/var/log/abs.json',
      'SYMLINK_BROKEN hostile.tar.gz!/var/log/loop-a',
      'SYMLINK_BROKEN hostile.tar.gz!/var/log/loop-b',
      'SYMLINK_BROKEN hostile.tar.gz!/var/log/sub',
      'SYMLINK_OUTSIDE_ROOT hostile.tar.gz!/var/log/rel-escape.json',
    ])
    // the hard link again.json is good.json read once: no duplicate entries
    assert.equal(c.duplicatesDropped, 0)
    assert.ok(!JSON.stringify(c).includes('stolen'))
    assert.ok(touched.length > 0 && touched.every((p) => p === archive), `touched: ${[...new Set(touched)].join(', ')}`)
    assert.deepEqual(snapshot(base), before)
  })

  it('still explains the mask it holds', async () => {
    const out = await explainJson(archive)
    assert.deepEqual(out.units.map((u) => [u.unit, u.cause]), [['nginx.service', 'admin-command']])
  })
})

describe('damage and bounds', () => {
  it('a decompression bomb (2 GiB of zeros in 2 MB) is stopped early and reported; what came before is kept', async () => {
    const dir = join(work, 'bomb')
    mkdirSync(join(dir, 'src/var/log'), { recursive: true })
    writeFileSync(join(dir, 'src/var/log/journal.json'), JOURNAL)
    // real tar headers; the zeros come from concatenated gzip members (valid gzip), so nothing big is ever written
    const good = execFileSync('tar', ['--format=gnu', '-cf', '-', '-C', join(dir, 'src'), 'var/log/journal.json']).subarray(0, 512 + Math.ceil(JOURNAL.length / 512) * 512)
    execFileSync('truncate', ['-s', '2G', join(dir, 'zeros.log')])
    const header = execFileSync('sh', ['-c', `tar --format=gnu -cf - --transform 's,^,var/log/,' zeros.log 2>/dev/null | head -c 512`], { cwd: dir })
    rmSync(join(dir, 'zeros.log'))
    const mebibyteOfZeros = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 })
    const bomb = join(dir, 'bomb.tar.gz')
    writeFileSync(bomb, Buffer.concat([gzipSync(good), gzipSync(header), ...Array<Buffer>(2048).fill(mebibyteOfZeros), gzipSync(Buffer.alloc(1024))]))
    assert.ok(statSync(bomb).size < 3 * 1024 * 1024)
    const started = Date.now()
    const c = await collectEvents({ evidence: [bomb] })
    const seconds = (Date.now() - started) / 1000
    assert.ok(seconds < 60, `took ${seconds}s`)
    assert.deepEqual(c.inventory.map((i) => [i.path, i.status, i.linesRead]), [
      ['bomb.tar.gz!/var/log/journal.json', 'parsed', 21],
      ['bomb.tar.gz!/var/log/zeros.log', 'unreadable', 0],
    ])
    const limit = c.diagnostics.examples.find((d) => d.code === 'ARCHIVE_LIMIT')!
    assert.equal(limit.path, 'bomb.tar.gz')
    assert.match(limit.message, /in member "var\/log\/zeros\.log".*over 200:1.*decompression bomb/)
    assert.ok(c.events.some((e) => e.kind === 'admin-command'))
  })

  for (const [flag, name] of [['-z', 'tar.gz'], ['-J', 'tar.xz']] as const) {
    it(`a cut-off ${name} keeps every complete member and the start of the cut one, and says where`, async () => {
      const dir = join(work, `cut-${name}`)
      cpSync(`${REPO}samples/package-removal/evidence`, join(dir, 'src'), { recursive: true, verbatimSymlinks: true })
      writeFileSync(join(dir, 'src/var/log/zz-journal.json'), JOURNAL)
      const whole = join(dir, `whole.${name}`)
      // the journal last, so the cut falls inside it
      tar(['--format=gnu', flag, '-cf', whole, 'etc', 'var/lib', 'var/log/apt', 'var/log/dpkg.log', 'var/log/zz-journal.json'], join(dir, 'src'))
      const cut = join(dir, `cut.${name}`)
      const bytes = readFileSync(whole)
      writeFileSync(cut, bytes.subarray(0, bytes.length - Math.floor(JOURNAL.length / 30)))
      const c = await collectEvents({ evidence: [cut] })
      const rows = new Map(c.inventory.map((i) => [i.path.replace(/^.*!\//, ''), i]))
      assert.equal(rows.get('var/log/dpkg.log')?.linesRead, 16)
      assert.equal(rows.get('var/log/apt/term.log')?.linesRead, 14)
      const journal = rows.get('var/log/zz-journal.json')!
      assert.ok(journal.linesRead > 0 && journal.linesRead < 21, `salvaged ${journal.linesRead} of 21 lines`)
      const damage = c.diagnostics.examples.find((d) => d.code === 'ARCHIVE_DAMAGED')!
      assert.equal(damage.path, `cut.${name}`)
      assert.match(damage.message, /in member "var\/log\/zz-journal\.json" \(data at byte \d+ of the tar stream\)/)
      assert.ok((damage.offset ?? 0) > 0)
      const stopped = c.diagnostics.examples.find((d) => d.code === 'READ_ERROR' || d.code === 'COMPRESSED_DATA_DAMAGED')!
      assert.equal(stopped.path, `cut.${name}!/var/log/zz-journal.json`)
      assert.equal(stopped.line, journal.linesRead)
    })
  }

  it('a .gz that is one log (not a tar) is read as before; a file named .tar.gz that is no archive says so', async () => {
    const dir = join(work, 'not-tar')
    mkdirSync(dir)
    writeFileSync(join(dir, 'journal.json.1.gz'), gzipSync(JOURNAL))
    const c = await collectEvents({ evidence: [join(dir, 'journal.json.1.gz')] })
    assert.deepEqual(c.inventory.map((i) => [i.path, i.status, i.linesRead]), [['journal.json.1.gz', 'parsed', 21]])
    writeFileSync(join(dir, 'fake.tar.gz'), gzipSync('just text, no tar header\n'))
    const fake = await collectEvents({ evidence: [join(dir, 'fake.tar.gz')] })
    assert.deepEqual(fake.inventory.map((i) => [i.path, i.status]), [['fake.tar.gz', 'unrecognised']])
    assert.match(fake.diagnostics.examples.find((d) => d.code === 'ARCHIVE_DAMAGED')!.message, /named like a tar archive, but no tar header/)
  })

  it('an archive on stdin is refused with a usage error (it would have to be read twice)', async () => {
    const dir = join(work, 'stdin')
    mkdirSync(join(dir, 'var/log'), { recursive: true })
    writeFileSync(join(dir, 'var/log/j.json'), JOURNAL)
    const tgz = execFileSync('tar', ['-czf', '-', '-C', dir, 'var'])
    await assert.rejects(collectEvents({ evidence: ['-'], stdin: Readable.from([tgz]) }), (e: Error) => e instanceof UsageError && /stdin holds a tar archive/.test(e.message))
  })
})
