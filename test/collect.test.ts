// `maskwhy collect --root` end to end: a small Debian-like root filesystem built in a temporary
// directory is collected, and the bundle is checked with the real tar and sha256sum.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, lutimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { $ } from 'zx'
import xz from 'xz-decompress'
import { CLI, maskwhy, REPO } from './helpers/cli.ts'
import { planCollection } from '../src/collect/walk.ts'
import { SOURCES } from '../src/collect/sources.ts'
import { refuseLiveOutput } from '../src/cli/collect.ts'
import { changes, fingerprint } from './safety/fingerprint.ts'

const { XzReadableStream } = xz
const FIXTURES = `${REPO}test/fixtures/collect/`
const MACHINE_ID = '0123456789abcdef0123456789abcdef'

interface ManifestFile { path: string; type: string; size: number; mtime: string; sha256?: string; linkTarget?: string; generatedFrom?: string }
interface Manifest {
  tool: string
  command: string[]
  host: string
  targetHost: string | null
  collectedAt: string
  root: string
  live: boolean
  bundleRoot: string
  files: ManifestFile[]
  absent: string[]
  omitted: { source: string; reason: string }[]
  skipped: { path: string; reason: string }[]
  notFollowed: { path: string; linkTarget: string; note: string }[]
  errors: { path: string | null; message: string }[]
}

async function unxz(file: string): Promise<Buffer> {
  const stream = new XzReadableStream(new Blob([readFileSync(file)]).stream())
  return Buffer.from(await new Response(stream).arrayBuffer())
}

/** package-mask's copied machine (real apt/dpkg/systemctl output), plus what a real root holds around it. */
async function buildRoot(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'maskwhy-collect-root-'))
  cpSync(`${REPO}samples/package-mask/evidence`, root, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true })
  const file = (rel: string, content: string | Buffer): void => {
    mkdirSync(join(root, rel, '..'), { recursive: true })
    writeFileSync(join(root, rel), content)
  }
  const link = (rel: string, target: string): void => {
    mkdirSync(join(root, rel, '..'), { recursive: true })
    symlinkSync(target, join(root, rel))
  }
  file('etc/hostname', 'web1\n')
  file('etc/machine-id', `${MACHINE_ID}\n`)
  // admin-mask's journal export under a name no path rule knows: collected because a parser recognises its content
  file('var/log/exported-journal.json', readFileSync(`${REPO}samples/admin-mask/evidence/var/log/journal-export.json`))
  link('etc/systemd/system/nginx.service', '/dev/null')
  file('usr/lib/systemd/system/nginx.service', '[Unit]\nDescription=nginx\n[Service]\nExecStart=/usr/sbin/nginx\n')
  const dpkgLine = '2026-11-24 21:40:00 status installed base-files:amd64 12.4\n'
  file('var/log/dpkg.log.1', dpkgLine)
  file('var/log/dpkg.log.2.gz', gzipSync(dpkgLine))
  file(`var/log/journal/${MACHINE_ID}/system.journal`, await unxz(`${FIXTURES}system.journal.xz`))
  file('var/log/nginx/access.log', '203.0.113.9 - - [24/Nov/2026:21:00:00 +0000] "GET / HTTP/1.1" 200 612\n')
  file('var/lib/dpkg/info/webcache.postinst', '#!/bin/sh\nsystemctl mask webcache-legacy.service\n')
  file('run/systemd/system/runtime-only.service', '[Service]\nExecStart=/bin/true\n')
  link('var/log/apt/escape', '../../../../../../etc/passwd')
  execFileSync('mkfifo', [join(root, 'var/log/apt/pipe')])
  // sub-second mtimes, on files and on links, that the bundle must keep exactly
  lutimesSync(join(root, 'etc/systemd/system/nginx.service'), 1795550100.25, 1795550100.123456)
  lutimesSync(join(root, 'var/log/dpkg.log.1'), 1795550000.5, 1795540000.987654)
  return root
}

const run = async (args: string[], cwd?: string) => maskwhy(['collect', ...args], cwd === undefined ? {} : { cwd })

/** Member names of a .tar.gz, read by GNU tar. */
const members = (bundle: string): string[] => execFileSync('tar', ['-tzf', bundle], { encoding: 'utf8' }).split('\n').filter((l) => l !== '')

function extract(bundle: string): { dir: string; root: string; manifest: Manifest } {
  const dir = mkdtempSync(join(tmpdir(), 'maskwhy-collect-x-'))
  execFileSync('tar', ['-xzf', bundle, '-C', dir])
  const [top, ...rest] = readdirSync(dir)
  assert.equal(rest.length, 0, 'one top-level directory')
  const root = join(dir, top!)
  return { dir, root, manifest: JSON.parse(readFileSync(join(root, 'MANIFEST.json'), 'utf8')) as Manifest }
}

interface Explained { units: unknown[]; inputs: { path: string; status: string }[] }
async function explainJson(evidence: string): Promise<Explained> {
  const out = await maskwhy(['explain', evidence, '--format', 'json'])
  assert.equal(out.exitCode, 0, out.stderr)
  return JSON.parse(out.stdout) as Explained
}

/** Paths cited from inside an archive (`bundle.tar.gz!…`, the bundle's top-level directory) as they are in the directory. */
const withoutArchivePrefix = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value).replace(/[^\s"(]*\.tar\.gz!\/?/g, '').replace(/maskwhy-collect-[A-Za-z0-9._-]+\//g, ''))

describe('maskwhy collect --root', () => {
  let root: string
  let work: string
  let bundle: string
  let before_: Map<string, string>
  let collected: Awaited<ReturnType<typeof run>>
  let x: ReturnType<typeof extract>

  before(async () => {
    root = await buildRoot()
    work = mkdtempSync(join(tmpdir(), 'maskwhy-collect-out-'))
    bundle = join(work, 'bundle.tar.gz')
    before_ = fingerprint(root)
    collected = await run(['--root', root, '-o', bundle])
    x = extract(bundle)
  })
  after(() => {
    for (const dir of [root, work, x.dir]) rmSync(dir, { recursive: true, force: true })
  })

  it('writes one bundle under one top-level directory, MANIFEST.json last', () => {
    assert.equal(collected.exitCode, 0, collected.stderr)
    assert.match(collected.stderr, /^maskwhy: collected \d+ entries \(\d+ bytes of files\) into .*bundle\.tar\.gz$/m)
    const names = members(bundle)
    assert.match(x.manifest.bundleRoot, /^maskwhy-collect-web1-\d{8}T\d{6}Z$/)
    assert.ok(names.every((n) => n.startsWith(`${x.manifest.bundleRoot}/`)), names.join('\n'))
    assert.equal(names.at(-1), `${x.manifest.bundleRoot}/MANIFEST.json`)
    assert.equal(lstatSync(bundle).mode & 0o777, 0o600)
  })

  it('holds what maskwhy reads and nothing else', () => {
    const paths = new Set(x.manifest.files.map((f) => f.path))
    for (const p of [
      'etc/systemd/system/webcache-legacy.service',
      'etc/systemd/system/multi-user.target.wants/webcache.service',
      'etc/systemd/system/nginx.service',
      'lib/systemd/system/webcache.service',
      'usr/lib/systemd/system/nginx.service',
      'etc/localtime',
      'etc/timezone',
      'etc/hostname',
      'etc/machine-id',
      'var/log/apt/history.log',
      'var/log/apt/term.log',
      'var/log/apt/escape',
      'var/log/dpkg.log',
      'var/log/dpkg.log.1',
      'var/log/dpkg.log.2.gz',
      'var/log/exported-journal.json',
      `var/log/journal/${MACHINE_ID}/system.journal`,
      'var/lib/dpkg/status',
      'var/lib/dpkg/info/webcache.list',
    ]) {
      assert.ok(paths.has(p), `${p} is in the bundle`)
    }
    for (const p of ['var/log/nginx', 'var/log/nginx/access.log', 'var/lib/dpkg/info/webcache.postinst', 'run', 'var/log/apt/pipe']) {
      assert.ok(!paths.has(p), `${p} is not in the bundle`)
    }
    // every member but the manifest is listed in it, and nothing else
    const listed = members(bundle).map((n) => n.slice(x.manifest.bundleRoot.length + 1).replace(/\/$/, '')).filter((n) => n !== 'MANIFEST.json')
    assert.deepEqual([...paths].sort(), listed.sort())
  })

  it('keeps symlinks verbatim (never followed) and mtimes to the nanosecond', () => {
    const byPath = new Map(x.manifest.files.map((f) => [f.path, f]))
    for (const [p, target] of [
      ['etc/systemd/system/nginx.service', '/dev/null'],
      ['etc/localtime', '/usr/share/zoneinfo/Europe/Berlin'],
      ['etc/systemd/system/multi-user.target.wants/webcache.service', '/lib/systemd/system/webcache.service'],
      ['var/log/apt/escape', '../../../../../../etc/passwd'],
    ]) {
      assert.equal(readlinkSync(join(x.root, p!)), target, p)
      assert.deepEqual([byPath.get(p!)?.type, byPath.get(p!)?.linkTarget], ['symlink', target])
    }
    let compared = 0
    for (const f of x.manifest.files) {
      const original = lstatSync(join(root, f.path), { bigint: true })
      const copy = lstatSync(join(x.root, f.path), { bigint: true })
      assert.equal(copy.mtimeNs, original.mtimeNs, f.path)
      compared++
    }
    assert.ok(compared > 20)
    assert.match(byPath.get('etc/systemd/system/nginx.service')!.mtime, /^2026-11-24T\d\d:\d\d:\d\d\.12345\d*Z$/)
    for (const f of x.manifest.files) assert.equal(f.mtime, isoNs(lstatSync(join(root, f.path), { bigint: true }).mtimeNs), f.path)
  })

  it('MANIFEST.json hashes verify with sha256sum, and match the files on the target', () => {
    const files = x.manifest.files.filter((f) => f.type === 'file')
    assert.ok(files.length > 15)
    const list = files.map((f) => `${f.sha256}  ${f.path}\n`).join('')
    const checked = execFileSync('sha256sum', ['--strict', '-c', '-'], { cwd: x.root, input: list, encoding: 'utf8' })
    assert.equal(checked.split('\n').filter((l) => l.endsWith(': OK')).length, files.length)
    const onTarget = execFileSync('sha256sum', ['--', ...files.map((f) => f.path)], { cwd: root, encoding: 'utf8' })
    assert.equal(onTarget, list)
    for (const f of files) assert.equal(f.size, lstatSync(join(root, f.path)).size, f.path)
  })

  it('records the command, the hosts, what is absent, left out or not followed', () => {
    const m = x.manifest
    assert.deepEqual([m.tool, m.root, m.live, m.targetHost], ['maskwhy', root, false, 'web1'])
    assert.deepEqual(m.command, ['maskwhy', 'collect', '--root', root, '-o', bundle])
    assert.ok(!Number.isNaN(Date.parse(m.collectedAt)))
    for (const absent of ['etc/kernel/cmdline', 'home/*/.config/systemd/user', 'var/lib/systemd/deb-systemd-*', 'etc/os-release']) {
      assert.ok(m.absent.includes(absent), absent)
    }
    for (const present of ['etc/systemd/system', 'lib/systemd/system', 'var/log', 'var/log/journal', 'etc/localtime', 'var/lib/dpkg']) {
      assert.ok(!m.absent.includes(present), present)
    }
    assert.ok(m.omitted.some((o) => o.source === 'run/systemd/system' && /running system/.test(o.reason)))
    assert.deepEqual(m.skipped, [{ path: 'var/log/apt/pipe', reason: 'FIFO: not a regular file; not archived' }])
    // etc/localtime and the /dev/null masks lead to nothing in this root; the .wants link leads into the bundle
    assert.deepEqual(m.notFollowed, [{ path: 'var/log/apt/escape', linkTarget: '../../../../../../etc/passwd', note: 'climbs out of the root' }])
    assert.deepEqual(m.errors, [])
  })

  it('explains the extracted bundle exactly as the root it came from', async () => {
    const [fromRoot, fromBundle] = [await explainJson(root), await explainJson(x.root)]
    assert.ok(fromRoot.units.length >= 3)
    assert.deepEqual(fromBundle.units, fromRoot.units)
    const read = (e: Explained) => e.inputs.filter((i) => i.status !== 'unrecognised')
    assert.deepEqual(read(fromBundle), read(fromRoot))
  })

  it('explain reads the bundle.tar.gz itself like the root it came from', async () => {
    const [fromRoot, fromArchive] = [await explainJson(root), await explainJson(bundle)]
    assert.deepEqual(withoutArchivePrefix(fromArchive.units), fromRoot.units)
  })

  it('--journal-export adds journalctl -D ROOT/var/log/journal -o export output', async () => {
    const out = join(work, 'with-export.tar.gz')
    const r = await run(['--root', root, '-o', out, '--journal-export', '--include', '/var/log/nginx/'])
    assert.equal(r.exitCode, 0, r.stderr)
    const y = extract(out)
    try {
      const expected = execFileSync('journalctl', ['--directory', join(root, 'var/log/journal'), '-o', 'export'])
      assert.ok(expected.length > 0)
      assert.deepEqual(readFileSync(join(y.root, 'journal.export')), expected)
      const entry = y.manifest.files.find((f) => f.path === 'journal.export')
      assert.equal(entry?.generatedFrom, `journalctl --directory ${join(root, 'var/log/journal')} -o export`)
      // --include: a log no rule names
      assert.ok(y.manifest.files.some((f) => f.path === 'var/log/nginx/access.log'))
    } finally {
      rmSync(y.dir, { recursive: true, force: true })
    }
  })

  it('--no-journal leaves the binary journal out and says so; -o - writes the bundle to stdout', async () => {
    const out = join(work, 'stdout.tar.gz')
    const r = await $({ nothrow: true, quiet: true })`node ${CLI} collect --root ${root} --no-journal -o - > ${out}`
    assert.equal(r.exitCode, 0, r.stderr)
    const y = extract(out)
    try {
      assert.ok(!y.manifest.files.some((f) => f.path.startsWith('var/log/journal')))
      assert.ok(y.manifest.omitted.some((o) => o.source === 'var/log/journal' && o.reason === '--no-journal'))
      assert.ok(y.manifest.files.some((f) => f.path === 'var/log/dpkg.log'))
    } finally {
      rmSync(y.dir, { recursive: true, force: true })
    }
  })

  it('refuses, with exit 2 and nothing written: an output inside the root, an existing output, --since alone, a missing root', async () => {
    const inside = join(root, 'var/tmp-bundle.tar.gz')
    const cases: [string[], RegExp][] = [
      [['--root', root, '-o', inside], /inside --root/],
      [['--root', root, '-o', join(root, 'var/log/x.tar.gz')], /inside --root/],
      [['--root', root, '-o', bundle], /exists; collect never overwrites/],
      [['--root', root, '-o', join(work, 'since.tar.gz'), '--since', '2024-01-01'], /--since applies to the journal export/],
      [['--root', join(work, 'nowhere'), '-o', join(work, 'n.tar.gz')], /cannot read --root/],
      [['--root', root, '-o', join(work, 'n.tar.gz'), '--journal-export', '--since', ''], /--since needs a time/],
    ]
    for (const [args, message] of cases) {
      const r = await run(args)
      assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
    }
    // the default name lands in the current directory: inside the root, refused too
    const r = await run(['--root', root], join(root, 'etc'))
    assert.equal(r.exitCode, 2, r.stderr)
    assert.match(r.stderr, /inside --root/)
    for (const file of [inside, join(work, 'since.tar.gz'), join(work, 'n.tar.gz')]) assert.ok(!existsSync(file), file)
  })

  it('never changes the root: every file, link and directory hashes and stats the same afterwards', () => {
    assert.deepEqual(changes(before_, fingerprint(root)), [])
  })
})

describe('collect plan', () => {
  it('on the running system, refuses an output inside what is collected, not beside it', async () => {
    const root = await buildRoot()
    try {
      const plan = await planCollection(root, SOURCES, { live: true, journal: true })
      for (const rel of ['var/log/b.tar.gz', 'var/log/apt/b.tar.gz', 'etc/systemd/b.tar.gz', 'var/lib/dpkg/b.tar.gz', 'etc/hostname']) {
        assert.throws(() => refuseLiveOutput(join(root, rel), root, plan, rel), /is being collected/, rel)
      }
      for (const rel of ['var/tmp/b.tar.gz', 'root/b.tar.gz', 'b.tar.gz', 'etc/b.tar.gz']) refuseLiveOutput(join(root, rel), root, plan, rel)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('gathers run/ (runtime units, generator output, the volatile journal) only from the running system', async () => {
    const root = await buildRoot()
    try {
      const live = await planCollection(root, SOURCES, { live: true, journal: true })
      const mounted = await planCollection(root, SOURCES, { live: false, journal: true })
      assert.equal(live.entries.get('run/systemd/system/runtime-only.service'), 'file')
      assert.ok(!mounted.entries.has('run/systemd/system/runtime-only.service'))
      assert.ok(![...mounted.entries.keys()].some((p) => p === 'run' || p.startsWith('run/')))
      assert.deepEqual(live.omitted, [])
      assert.ok(mounted.omitted.every((o) => o.source.startsWith('run/')))
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe('collect, then explain, for the samples', () => {
  for (const sample of ['admin-mask', 'blocked-dependency', 'rpm-scriptlet-mask']) {
    it(`${sample}: the extracted bundle explains like samples/${sample}/evidence`, async () => {
      const evidence = `${REPO}samples/${sample}/evidence`
      const work = mkdtempSync(join(tmpdir(), 'maskwhy-collect-sample-'))
      let y: ReturnType<typeof extract> | null = null
      try {
        const r = await run(['--root', evidence, '-o', join(work, 'b.tar.gz')])
        assert.equal(r.exitCode, 0, r.stderr)
        y = extract(join(work, 'b.tar.gz'))
        const [fromSample, fromBundle] = [await explainJson(evidence), await explainJson(y.root)]
        assert.ok(fromSample.units.length > 0)
        assert.deepEqual(fromBundle.units, fromSample.units)
        const read = (e: Explained) => e.inputs.filter((i) => i.status !== 'unrecognised')
        assert.deepEqual(read(fromBundle), read(fromSample))
      } finally {
        for (const dir of [work, y?.dir]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
      }
    })
  }
})

/** A lstat mtime in ns as the manifest writes it. */
function isoNs(ns: bigint): string {
  const seconds = ns / 1_000_000_000n
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '')
  const whole = new Date(Number(seconds) * 1000).toISOString().replace(/\.000Z$/, '')
  return `${whole}${fraction === '' ? '' : `.${fraction}`}Z`
}
