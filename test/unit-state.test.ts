import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import fsp from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { effectiveEntries, lookupUnit, maskedEntries, readUnitState, templateOf, type UnitState } from '../src/unit-state.ts'
import { parseDirectives } from '../src/unit-state/directives.ts'
import { resolveInRoot } from '../src/fs/confined.ts'
import { makeTree, snapshot } from './helpers/tree.ts'

const CORPUS = new URL('../../shared/corpus/public/', import.meta.url)

/** Somewhere outside every evidence root: a FIFO (opening it for reading would hang) and a unit file that must never be read. */
const OUTSIDE = mkdtempSync(path.join(tmpdir(), 'maskwhy-outside-'))
writeFileSync(path.join(OUTSIDE, 'escape.service'), '[Unit]\nRequires=leaked.service\n')
const fifo = spawnSync('mkfifo', [path.join(OUTSIDE, 'evil.conf')])
after(() => rmSync(OUTSIDE, { recursive: true, force: true }))

const APP = '[Unit]\nDescription=App\nRequires=db.service\nWants=a.service \\\n  b.service\n\n[Service]\nExecStart=/bin/true\nRequires=not-unit-section.service\n'

/** A split-/usr machine (real lib/ directory) with every kind of entry the reader must tell apart. */
function machine(): string {
  return makeTree({
    'etc/systemd/system/abs.service': { link: '/dev/null' },
    'etc/systemd/system/rel.service': { link: '../../../dev/null' },
    'etc/systemd/system/empty.service': '',
    'run/systemd/system/rt.service': { link: '/dev/null' },
    'lib/systemd/system/rt.service': '[Unit]\nDescription=runtime-masked\n',
    'lib/systemd/system/vendormask.service': { link: '/dev/null' },
    // an admin mask shadowing a vendor unit
    'etc/systemd/system/nginx.service': { link: '/dev/null' },
    'lib/systemd/system/nginx.service': '[Unit]\nRequires=never-read.service\n',
    // a real admin file shadowing a vendor mask: NOT masked
    'etc/systemd/system/hwclock.service': '[Unit]\nDescription=mine\n',
    'lib/systemd/system/hwclock.service': { link: '/dev/null' },
    // an admin link to a vendor mask: masked for systemd (chain), though the link itself points elsewhere
    'etc/systemd/system/chain.service': { link: '/lib/systemd/system/chain-vendor.service' },
    'lib/systemd/system/chain-vendor.service': { link: '/dev/null' },
    // dependencies
    'lib/systemd/system/app.service': APP,
    'etc/systemd/system/app.service.d/10-deps.conf': '[Unit]\nRequires=\nRequires=nginx.service\n',
    'lib/systemd/system/app.service.d/20-more.conf': '# vendor drop-in\n[Unit]\nWants=c.service\n',
    'lib/systemd/system/app.service.d/30-hidden.conf': '[Unit]\nWants=hidden.service\n',
    'etc/systemd/system/app.service.d/30-hidden.conf': { link: '/dev/null' },
    'etc/systemd/system/app.service.d/40-evil.conf': { link: path.join(OUTSIDE, 'evil.conf') },
    'etc/systemd/system/multi-user.target.wants/app.service': { link: '/lib/systemd/system/app.service' },
    'etc/systemd/system/multi-user.target.wants/nginx.service': { link: '/lib/systemd/system/nginx.service' },
    'etc/systemd/system/local-fs.target.requires/data.mount': { link: '../data.mount' },
    'etc/systemd/system/data.mount': '[Mount]\nWhat=/dev/sdb1\nWhere=/data\n',
    // deb-systemd-helper made this mask
    'etc/systemd/system/pkgmask.service': { link: '/dev/null' },
    'var/lib/systemd/deb-systemd-helper-masked/pkgmask.service': '',
    'var/lib/systemd/deb-systemd-helper-enabled/app.service.dsh-also': '/etc/systemd/system/multi-user.target.wants/app.service\n',
    'var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/app.service': '',
    // templates
    'lib/systemd/system/getty@.service': '[Unit]\nWants=getty-pre.target\n',
    'etc/systemd/system/getty.target.wants/getty@tty1.service': { link: '/lib/systemd/system/getty@.service' },
    // links that must not be followed: out of the root, and a loop
    'etc/systemd/system/escape.service': { link: `../../../../../../../../../..${path.join(OUTSIDE, 'escape.service')}` },
    'etc/systemd/system/escape-abs.service': { link: path.join(OUTSIDE, 'escape.service') },
    'etc/systemd/system/loop-a.service': { link: 'loop-b.service' },
    'etc/systemd/system/loop-b.service': { link: 'loop-a.service' },
    // an alias, and not-unit names that are ignored
    'etc/systemd/system/syslog.service': { link: '/lib/systemd/system/rsyslog.service' },
    'lib/systemd/system/rsyslog.service': '[Unit]\nWants=network.target\n',
    'etc/systemd/system/README': 'not a unit\n',
    'etc/systemd/system/.hidden.service': { link: '/dev/null' },
    // user units
    'etc/systemd/user/pulseaudio.service': { link: '/dev/null' },
    'usr/lib/systemd/user/pulseaudio.service': '[Unit]\nDescription=Sound\n',
    'home/alice/.config/systemd/user/foo.service': { link: '/dev/null' },
    'root/.config/systemd/user/bar.service': '',
  })
}

function masked(state: UnitState): string[] {
  return maskedEntries(state).map((f) => `${f.scope}${f.user ? `:${f.user}` : ''} ${f.path}`)
}

/** `systemctl --root=DIR list-unit-files` for masked states, as unit → state. */
function systemctlMasked(root: string, scopeFlag: '--system' | '--global'): Record<string, string> {
  const run = spawnSync('systemctl', [`--root=${root}`, scopeFlag, 'list-unit-files', '--state=masked,masked-runtime', '-o', 'json', '--no-pager'], {
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_LOG_LEVEL: 'err' },
  })
  // systemctl exits 1 when no unit matches (printing nothing, or [] with -o json)
  const out = run.stdout.trim()
  assert.ok(run.status === 0 || (run.status === 1 && (out === '' || out === '[]')), `systemctl failed: ${run.stderr}`)
  const list = out === '' ? [] : (JSON.parse(out) as { unit_file: string; state: string }[])
  return Object.fromEntries(list.map((u) => [u.unit_file, u.state]))
}

const HAS_SYSTEMCTL = spawnSync('systemctl', ['--version']).status === 0

describe('readUnitState on a split-/usr machine', () => {
  let root: string
  let state: UnitState
  let before_: Record<string, string>
  const accessed: string[] = []
  before(async () => {
    root = machine()
    before_ = snapshot(root)
    // Record every path the reader hands to the file system (fs/promises is what it uses).
    const spied = ['lstat', 'readlink', 'readdir', 'open', 'realpath', 'stat', 'readFile', 'opendir', 'access'] as const
    const originals = new Map<string, unknown>()
    const api = fsp as unknown as Record<string, (...args: unknown[]) => unknown>
    for (const name of spied) {
      const original = api[name]!
      originals.set(name, original)
      api[name] = (p: unknown, ...rest: unknown[]) => {
        accessed.push(`${name} ${String(p)}`)
        return original(p, ...rest)
      }
    }
    syncBuiltinESMExports()
    try {
      state = await readUnitState(root)
    } finally {
      for (const [name, original] of originals) api[name] = original as (...args: unknown[]) => unknown
      syncBuiltinESMExports()
    }
  })
  after(() => rmSync(root, { recursive: true, force: true }))

  it('writes nothing and touches nothing outside the evidence root', () => {
    assert.deepEqual(snapshot(root), before_)
    const realRoot = realpathSync(root)
    assert.ok(accessed.length > 20, `the spy saw the reader (${accessed.length} calls)`)
    const outside = accessed.filter((a) => {
      const p = a.slice(a.indexOf(' ') + 1)
      return !(p === root || p === realRoot || p.startsWith(realRoot + path.sep))
    })
    assert.deepEqual(outside, [])
    assert.equal(accessed.filter((a) => a.startsWith('stat ') || a.startsWith('readFile ')).length, 0, 'lstat only, never stat')
  })

  it('classifies masks by kind, and only the first directory holding a name counts', () => {
    assert.equal(state.hasFilesystem, true)
    const byPath = new Map(state.files.map((f) => [f.path, f]))
    const pick = (p: string) => {
      const f = byPath.get(p)
      assert.ok(f, p)
      return { kind: f.kind, layer: f.layer, effective: f.effective, masked: f.masked, linkTarget: f.linkTarget, size: f.size }
    }
    assert.deepEqual(pick('etc/systemd/system/abs.service'), { kind: 'masked-link', layer: 'admin', effective: true, masked: true, linkTarget: '/dev/null', size: null })
    assert.deepEqual(pick('etc/systemd/system/rel.service'), { kind: 'masked-link', layer: 'admin', effective: true, masked: true, linkTarget: '../../../dev/null', size: null })
    assert.deepEqual(pick('etc/systemd/system/empty.service'), { kind: 'empty-file', layer: 'admin', effective: true, masked: true, linkTarget: null, size: 0 })
    assert.deepEqual(pick('run/systemd/system/rt.service'), { kind: 'masked-link', layer: 'runtime', effective: true, masked: true, linkTarget: '/dev/null', size: null })
    assert.equal(pick('lib/systemd/system/rt.service').effective, false)
    assert.deepEqual(pick('lib/systemd/system/vendormask.service'), { kind: 'masked-link', layer: 'vendor', effective: true, masked: true, linkTarget: '/dev/null', size: null })
    assert.equal(pick('etc/systemd/system/nginx.service').effective, true)
    assert.deepEqual(pick('lib/systemd/system/nginx.service'), { kind: 'unit-file', layer: 'vendor', effective: false, masked: false, linkTarget: null, size: 35 })
    assert.deepEqual(pick('etc/systemd/system/hwclock.service'), { kind: 'unit-file', layer: 'admin', effective: true, masked: false, linkTarget: null, size: 24 })
    assert.deepEqual(pick('lib/systemd/system/hwclock.service'), { kind: 'masked-link', layer: 'vendor', effective: false, masked: true, linkTarget: '/dev/null', size: null })
    // a link to a vendor mask: kind says link, systemd (and `masked`) say masked
    assert.deepEqual(pick('etc/systemd/system/chain.service'), { kind: 'link', layer: 'admin', effective: true, masked: true, linkTarget: '/lib/systemd/system/chain-vendor.service', size: null })
    assert.equal(byPath.get('etc/systemd/system/chain.service')!.linkResolved, '/dev/null')
    assert.equal(byPath.get('etc/systemd/system/syslog.service')!.linkResolved, '/lib/systemd/system/rsyslog.service')
    // not units: README, hidden files, .wants/.requires/.d contents
    assert.ok(!state.files.some((f) => /README|\.hidden|\.wants\/|\.requires\/|\.d\//.test(f.path)))
    const mtime = byPath.get('etc/systemd/system/abs.service')!.mtimeUs
    assert.ok(mtime !== null && Math.abs(mtime / 1000 - Date.now()) < 600_000)
  })

  it('lists the effective masks, system scope first', () => {
    assert.deepEqual(masked(state), [
      'system etc/systemd/system/abs.service',
      'system etc/systemd/system/chain.service',
      'system etc/systemd/system/empty.service',
      'system etc/systemd/system/nginx.service',
      'system etc/systemd/system/pkgmask.service',
      'system etc/systemd/system/rel.service',
      'system run/systemd/system/rt.service',
      'system lib/systemd/system/chain-vendor.service',
      'system lib/systemd/system/vendormask.service',
      'user etc/systemd/user/pulseaudio.service',
      'user:alice home/alice/.config/systemd/user/foo.service',
      'user:root root/.config/systemd/user/bar.service',
    ])
    assert.deepEqual(effectiveEntries(state), state.files.filter((f) => f.effective))
    assert.equal(new Set(effectiveEntries(state).map((f) => `${f.scope} ${f.user} ${f.unit}`)).size, effectiveEntries(state).length)
    assert.equal(state.files.find((f) => f.path === 'usr/lib/systemd/user/pulseaudio.service')!.effective, false)
  })

  it('matches systemctl --root list-unit-files', { skip: HAS_SYSTEMCTL ? false : 'systemctl is not installed (apt-get install systemd)' }, () => {
    const system = systemctlMasked(root, '--system')
    assert.deepEqual(
      Object.keys(system).sort(),
      maskedEntries(state).filter((f) => f.scope === 'system').map((f) => f.unit).sort(),
    )
    // /run masks are masked-runtime for systemctl, and live in the runtime layer here
    assert.deepEqual(
      Object.entries(system).filter(([, s]) => s === 'masked-runtime').map(([u]) => u),
      maskedEntries(state).filter((f) => f.layer === 'runtime').map((f) => f.unit),
    )
    const global = systemctlMasked(root, '--global')
    assert.deepEqual(Object.keys(global).sort(), maskedEntries(state).filter((f) => f.scope === 'user' && f.user === null).map((f) => f.unit).sort())
    // the brief's masked definition (kind only) differs from systemctl by exactly the chained link
    const byKind = effectiveEntries(state).filter((f) => f.scope === 'system' && (f.kind === 'masked-link' || f.kind === 'empty-file')).map((f) => f.unit)
    assert.deepEqual(Object.keys(system).filter((u) => !byKind.includes(u)), ['chain.service'])
  })

  it('reads dependencies from the effective file, drop-ins and .wants/.requires links', () => {
    // `shadowed` ones are what the overridden vendor file says: not in systemd's graph (test/unit-state-activation.test.ts)
    const deps = state.dependencies.filter((d) => d.scope === 'system' && !d.shadowed).map((d) => `${d.from} ${d.type} ${d.to} @ ${d.source}`)
    assert.deepEqual(deps.filter((d) => d.startsWith('app.service ')), [
      // Requires=db.service from the unit file was reset by the drop-in's empty Requires=
      'app.service Requires nginx.service @ etc/systemd/system/app.service.d/10-deps.conf:3',
      'app.service Wants a.service @ lib/systemd/system/app.service:4',
      'app.service Wants b.service @ lib/systemd/system/app.service:4',
      'app.service Wants c.service @ lib/systemd/system/app.service.d/20-more.conf:3',
    ])
    for (const d of [
      'multi-user.target wants-link app.service @ etc/systemd/system/multi-user.target.wants/app.service',
      'multi-user.target wants-link nginx.service @ etc/systemd/system/multi-user.target.wants/nginx.service',
      'local-fs.target requires-link data.mount @ etc/systemd/system/local-fs.target.requires/data.mount',
      'getty.target wants-link getty@tty1.service @ etc/systemd/system/getty.target.wants/getty@tty1.service',
      'getty@.service Wants getty-pre.target @ lib/systemd/system/getty@.service:2',
      'rsyslog.service Wants network.target @ lib/systemd/system/rsyslog.service:2',
    ]) assert.ok(deps.includes(d), d)
    // masked units load nothing; nothing outside the root was read
    assert.ok(!deps.some((d) => /never-read|leaked|hidden\.service|not-unit-section/.test(d)), deps.join('\n'))
    assert.ok(!deps.some((d) => d.startsWith('syslog.service ')), 'an alias is read as its target unit')
  })

  it('keeps deb-systemd-helper markers', () => {
    assert.deepEqual(
      state.helperMasked.map((m) => [m.unit, m.path, m.role, m.scope]),
      [['pkgmask.service', 'var/lib/systemd/deb-systemd-helper-masked/pkgmask.service', 'mask', 'system']],
    )
    assert.ok(state.helperMasked[0]!.mtimeUs !== null)
    assert.deepEqual(
      state.helperEnabled.map((m) => [m.unit, m.role, m.linkPath, m.alsoLinks]),
      [
        ['app.service', 'dsh-also', null, ['/etc/systemd/system/multi-user.target.wants/app.service']],
        ['app.service', 'link', '/etc/systemd/system/multi-user.target.wants/app.service', []],
      ],
    )
  })

  it('reports link loops and does not follow links out of the root', () => {
    const problems = state.problems.map((p) => `${p.path}: ${p.message}`)
    assert.deepEqual(problems.filter((p) => /loop-a|loop-b/.test(p)).length, 2, problems.join('\n'))
    assert.match(problems.find((p) => p.startsWith('etc/systemd/system/loop-a.service'))!, /symlink loop/)
    const escape = state.files.find((f) => f.unit === 'escape.service')!
    // `..` stops at the evidence root, as in a chroot: the target is looked up inside the evidence, where it is absent
    assert.equal(escape.kind, 'link')
    assert.equal(escape.linkResolved, path.join(OUTSIDE, 'escape.service'))
    assert.equal(state.files.find((f) => f.unit === 'escape-abs.service')!.linkResolved, path.join(OUTSIDE, 'escape.service'))
    assert.equal(fifo.status, 0, 'mkfifo made the trap')
    assert.deepEqual(problems.filter((p) => !/loop-a|loop-b/.test(p)), [])
  })

  it('resolves template instances to their template', () => {
    assert.equal(templateOf('getty@tty1.service'), 'getty@.service')
    assert.equal(templateOf('getty@.service'), null)
    assert.equal(templateOf('nginx.service'), null)
    const hit = lookupUnit(state, 'getty@tty1.service')
    assert.equal(hit?.entry.path, 'lib/systemd/system/getty@.service')
    assert.equal(hit?.viaTemplate, true)
    assert.equal(lookupUnit(state, 'nginx.service')?.entry.kind, 'masked-link')
    assert.equal(lookupUnit(state, 'foo.service', 'user', 'alice')?.entry.masked, true)
    assert.equal(lookupUnit(state, 'pulseaudio.service', 'user', 'alice')?.entry.path, 'etc/systemd/user/pulseaudio.service')
    assert.equal(lookupUnit(state, 'nope.service'), null)
  })
})

describe('readUnitState edge cases', () => {
  it('reads a merged-/usr machine once (lib -> usr/lib), whichever way the link is written', async () => {
    for (const link of ['usr/lib', '/usr/lib']) {
      const root = makeTree({
        lib: { link },
        'usr/lib/systemd/system/x11-common.service': { link: '/dev/null' },
        'usr/lib/systemd/system/ssh.service': '[Unit]\nWants=network.target\n',
        'etc/systemd/system/multi-user.target.wants/ssh.service': { link: '/lib/systemd/system/ssh.service' },
      })
      const state = await readUnitState(root)
      assert.deepEqual(state.files.map((f) => [f.path, f.dir, f.layer, f.effective]), [
        ['usr/lib/systemd/system/ssh.service', 'usr/lib/systemd/system', 'vendor', true],
        ['usr/lib/systemd/system/x11-common.service', 'usr/lib/systemd/system', 'vendor', true],
      ])
      assert.equal(state.dependencies.filter((d) => d.type === 'Wants').length, 1)
      assert.deepEqual(state.problems, [])
      // systemctl --root opens <root>/lib with the host's kernel, so an absolute `lib -> /usr/lib` shows the
      // analyst's own /usr/lib (on Debian 12: cryptdisks, hwclock, rc, rcS… masks). Compare the relative link only.
      if (HAS_SYSTEMCTL && link === 'usr/lib') assert.deepEqual(Object.keys(systemctlMasked(root, '--system')), ['x11-common.service'])
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('never follows a unit directory link out of the root, and reports directory loops', async () => {
    const root = makeTree({
      // `..` past the root stays at the root: etc/systemd/system -> <root>/<OUTSIDE>, absent in the evidence
      'etc/systemd/system': { link: `../../../../../../../../..${OUTSIDE}` },
      'lib/systemd/system': { link: 'system' },
      'var/log/syslog': 'x\n',
    })
    const state = await readUnitState(root)
    assert.equal(state.hasFilesystem, false)
    assert.deepEqual(state.files, [])
    assert.deepEqual(state.problems.map((p) => p.path), ['lib/systemd/system'])
    assert.match(state.problems[0]!.message, /symlink loop/)
    rmSync(root, { recursive: true, force: true })
  })

  it('has no filesystem for a copied /var/log, a single file, or a missing path; never throws', async () => {
    const logs = makeTree({ 'syslog': 'x\n', 'apt/history.log': '\n' })
    const none = await readUnitState(logs)
    assert.deepEqual(none, { hasFilesystem: false, files: [], helperMasked: [], helperEnabled: [], generators: [], dependencies: [], problems: [] })
    assert.equal((await readUnitState(path.join(logs, 'syslog'))).hasFilesystem, false)
    const missing = await readUnitState(path.join(logs, 'no-such-dir'))
    assert.equal(missing.hasFilesystem, false)
    assert.equal(missing.problems.length, 1)
    rmSync(logs, { recursive: true, force: true })
  })

  it('reports over-large unit files instead of reading them, and works from a relative root', async () => {
    const root = makeTree({
      'etc/systemd/system/huge.service': Buffer.alloc(1024 * 1024 + 1, 0x23),
      'etc/systemd/system/ok.service': '[Unit]\nBindsTo=dev-sda.device\nRequisite=x.target\nBindTo=old.service\n',
    })
    const state = await readUnitState(path.relative(process.cwd(), root))
    assert.deepEqual(state.problems, [{ path: 'etc/systemd/system/huge.service', message: '1048577 bytes, more than the 1048576-byte limit for unit files; not read' }])
    assert.deepEqual(state.dependencies.map((d) => `${d.type} ${d.to} ${d.source}`), [
      'BindsTo dev-sda.device etc/systemd/system/ok.service:2',
      'BindsTo old.service etc/systemd/system/ok.service:4',
      'Requisite x.target etc/systemd/system/ok.service:3',
    ])
    rmSync(root, { recursive: true, force: true })
  })

  it('resolves paths inside the root like a chroot', async () => {
    const root = makeTree({ 'a/b': { link: '../c' }, 'c/d': 'x', 'up': { link: '../../..' } })
    assert.deepEqual(await resolveInRoot(root, '', 'a/b/d').then((r) => r.ok && r.rel), 'c/d')
    assert.deepEqual(await resolveInRoot(root, 'a', '../../../../c').then((r) => r.ok && r.rel), 'c')
    assert.deepEqual(await resolveInRoot(root, '', 'up/c/d').then((r) => r.ok && r.rel), 'c/d')
    assert.deepEqual(await resolveInRoot(root, 'x/y', '/dev/null').then((r) => r.ok && [r.rel, r.info]), ['dev/null', null])
    rmSync(root, { recursive: true, force: true })
  })
})

describe('dependency directives', () => {
  it('reads [Unit] lists with continuations and comments, and empty assignments', () => {
    assert.deepEqual(
      parseDirectives('[Unit]\n# Requires=commented.service\nRequires=a.service\\\n# comment inside\n b.service\nWants=\n[Install]\nWantedBy=multi-user.target\n'),
      [
        { type: 'Requires', units: ['a.service', 'b.service'], line: 3 },
        { type: 'Wants', units: [], line: 6 },
      ],
    )
    assert.deepEqual(parseDirectives('Requires=outside-any-section.service\n[Service]\nWants=x.service\n'), [])
  })
})

describe('public corpus', () => {
  const tarball = (name: string): string => new URL(name, CORPUS).pathname
  const skip = existsSync(new URL('.', CORPUS)) ? false : '../shared/corpus/public is absent'

  function extract(file: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'maskwhy-corpus-'))
    execFileSync('tar', ['-xzf', file, '-C', dir])
    return dir
  }

  it('RHEL 8 EC2: systemd-timedated.service masked in /etc', { skip }, async () => {
    const root = extract(tarball('rhel8-ec2-rootfs/etc-systemd.tar.gz'))
    const state = await readUnitState(root)
    assert.equal(state.hasFilesystem, true)
    assert.deepEqual(
      maskedEntries(state).map((f) => [f.path, f.kind, f.effective, f.linkTarget]),
      [['etc/systemd/system/systemd-timedated.service', 'masked-link', true, '/dev/null']],
    )
    assert.ok(state.dependencies.some((d) => d.from === 'multi-user.target' && d.to === 'sshd.service' && d.type === 'wants-link'))
    assert.deepEqual(state.problems, [])
    if (HAS_SYSTEMCTL) assert.deepEqual(systemctlMasked(root, '--system'), { 'systemd-timedated.service': 'masked' })
    rmSync(root, { recursive: true, force: true })
  })

  it('Debian 11 armhf: no mask; deb-systemd-helper-enabled entries', { skip }, async () => {
    const root = extract(tarball('debian11-armhf-rootfs/etc-systemd-and-var-lib-systemd.tar.gz'))
    const state = await readUnitState(root)
    assert.equal(state.hasFilesystem, true)
    assert.deepEqual(maskedEntries(state), [])
    assert.deepEqual(state.helperMasked, [])
    assert.equal(state.helperEnabled.length, 38)
    assert.equal(state.helperEnabled.filter((m) => m.role === 'dsh-also').length, 18)
    const ssh = state.helperEnabled.find((m) => m.role === 'dsh-also' && m.unit === 'ssh.service')!
    assert.ok(ssh.alsoLinks.includes('/etc/systemd/system/multi-user.target.wants/ssh.service'))
    assert.ok(
      state.helperEnabled.some(
        (m) => m.role === 'link' && m.unit === 'ssh.service' && m.linkPath === '/etc/systemd/system/multi-user.target.wants/ssh.service',
      ),
    )
    assert.ok(state.helperEnabled.some((m) => m.role === 'link' && m.unit === 'sshd.service' && m.linkPath === '/etc/systemd/system/sshd.service'))
    assert.deepEqual(state.problems, [])
    if (HAS_SYSTEMCTL) assert.deepEqual(systemctlMasked(root, '--system'), {})
    rmSync(root, { recursive: true, force: true })
  })
})

