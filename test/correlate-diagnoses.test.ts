// The diagnoses of issue 9: activation units, masks systemctl unmask cannot undo (kernel command line, generators),
// a fix that works (what unmasking leaves), broken packages, drop-ins and overrides. Each cause's fix is checked.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { brokenPackages } from '../src/correlate/broken-packages.ts'
import { explainMasking, type FsEntry } from '../src/correlate/explain.ts'
import type { UnitExplanation } from '../src/correlate/types.ts'
import type { CommandLineOrigin, EventBase, MaskEvent } from '../src/events.ts'
import { masksOf } from '../src/formats/kernel-cmdline.ts'
import { Story, T0 } from './helpers/events.ts'

const one = (xs: UnitExplanation[], unit: string): UnitExplanation => {
  const x = xs.find((e) => e.unit === unit)
  assert.ok(x, `no explanation for ${unit}: ${xs.map((e) => e.unit).join(', ')}`)
  return x
}
const base = (path: string, line: number, seconds: number | null, text: string): EventBase => ({
  timeUs: seconds === null ? null : T0 + seconds * 1_000_000,
  timeBasis: seconds === null ? 'unknown' : 'utc',
  timeZone: null,
  timeZoneSource: null,
  timeNote: null,
  host: 'db2',
  path,
  line,
  cursor: null,
  parser: 'test',
  text,
})
function cmdline(origin: CommandLineOrigin, path: string, line: number, seconds: number | null, commandLine: string, o: { bootId?: string; entry?: string } = {}): MaskEvent {
  return { ...base(path, line, seconds, commandLine), kind: 'kernel-command-line', origin, bootId: o.bootId ?? null, commandLine, ...masksOf(commandLine), entry: o.entry ?? null }
}
const file = (unit: string, path: string, o: Partial<FsEntry> = {}): FsEntry => ({
  unit, path, scope: 'system', layer: path.startsWith('etc/') ? 'admin' : path.startsWith('run/systemd/generator') ? 'generator' : 'vendor',
  kind: 'unit-file', linkTarget: null, mtimeUs: null, effective: true, ...o,
})
const maskLink = (unit: string, path: string, o: Partial<FsEntry> = {}): FsEntry => file(unit, path, { kind: 'masked-link', linkTarget: '/dev/null', ...o })

describe('kernel command line masks (cause kernel-cmdline)', () => {
  const boots = [
    cmdline('kernel-log', 'journal.json', 2, 0, 'BOOT_IMAGE=/vmlinuz ro quiet', { bootId: 'b1' }),
    cmdline('kernel-log', 'journal.json', 11, 100, 'BOOT_IMAGE=/vmlinuz ro quiet systemd.mask=chrony', { bootId: 'b2' }),
    cmdline('kernel-log', 'journal.json', 19, 200, 'BOOT_IMAGE=/vmlinuz ro quiet systemd.mask=chrony', { bootId: 'b3' }),
  ]
  const grubDefault = cmdline('grub-default', 'etc/default/grub', 9, null, 'quiet systemd.mask=chrony.service', { entry: 'GRUB_CMDLINE_LINUX_DEFAULT' })

  it('link in generator.early + logged boots: high, dated by the first boot with it, fix edits the boot entry', () => {
    const fs = { hasFilesystem: true, helperMasked: [], dependencies: [], files: [maskLink('chrony.service', 'run/systemd/generator.early/chrony.service'), file('chrony.service', 'lib/systemd/system/chrony.service', { effective: false })] }
    const x = one(explainMasking([...boots, grubDefault], fs), 'chrony.service')
    assert.deepEqual([x.state, x.stateFrom, x.cause, x.confidence, x.actor, x.maskedAtUs], ['masked', 'filesystem', 'kernel-cmdline', 'high', null, T0 + 100_000_000])
    assert.match(x.maskedAtFrom, /first logged boot .* \(journal\.json:11\); the boot before it \(journal\.json:2\) did not/)
    assert.deepEqual(x.history.map((h) => `${h.action} ${h.source}`), ['boot-masked journal.json:11', 'boot-masked journal.json:19'])
    assert.equal(x.afterUnmask, null, 'systemctl unmask cannot remove a generator link: no after-unmask claim')
    assert.deepEqual(x.fix.slice(0, 2), [
      'systemctl unmask chrony.service cannot undo it: systemd-debug-generator recreates /run/systemd/generator.early/chrony.service from systemd.mask=chrony.service at every boot and daemon-reload',
      'remove systemd.mask=chrony.service from GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub (line 9), then update-grub (Debian, Ubuntu) or grub2-mkconfig -o /boot/grub2/grub.cfg (RHEL, Fedora)',
    ])
    assert.ok(x.fix.includes('reboot, then check: cat /proc/cmdline; systemctl is-enabled chrony.service'))
  })

  it('a copy without run/: proc/cmdline alone says the running boot masks it (stateFrom kernel-command-line)', () => {
    const fs = { hasFilesystem: true, helperMasked: [], dependencies: [], files: [file('chrony.service', 'lib/systemd/system/chrony.service')] }
    const proc = cmdline('proc-cmdline', 'proc/cmdline', 1, null, 'ro systemd.mask=chrony.service')
    const x = one(explainMasking([proc], fs), 'chrony.service')
    assert.deepEqual([x.state, x.stateFrom, x.path, x.cause, x.confidence, x.maskedAtUs], ['masked', 'kernel-command-line', null, 'kernel-cmdline', 'high', null])
    assert.match(x.fix.join('\n'), /the evidence holds no boot-loader configuration to say which: GRUB: \/etc\/default\/grub then update-grub; BLS \(RHEL, Fedora\): grubby --update-kernel=ALL --remove-args=systemd\.mask=chrony\.service/)
  })

  it('only a grub.cfg entry: medium (no boot record says it was booted); a stale grub.cfg is regenerated', () => {
    const fs = { hasFilesystem: true, helperMasked: [], dependencies: [], files: [file('chrony.service', 'lib/systemd/system/chrony.service')] }
    const cfg = cmdline('grub-cfg', 'boot/grub/grub.cfg', 119, null, 'root=/dev/vda1 ro quiet systemd.mask=chrony.service', { entry: 'Debian GNU/Linux' })
    const cleanDefault = cmdline('grub-default', 'etc/default/grub', 9, null, 'quiet', { entry: 'GRUB_CMDLINE_LINUX_DEFAULT' })
    const x = one(explainMasking([cfg, cleanDefault], fs), 'chrony.service')
    assert.deepEqual([x.state, x.cause, x.confidence], ['masked', 'kernel-cmdline', 'medium'])
    assert.ok(x.fix.includes('/boot/grub/grub.cfg (line 119) still has systemd.mask=chrony.service, but /etc/default/grub no longer does: run update-grub (or grub2-mkconfig) to regenerate it'))
  })

  it('only etc/default/grub: not masked yet, and the explanation says it will be after update-grub and a reboot', () => {
    const fs = { hasFilesystem: true, helperMasked: [], dependencies: [], files: [file('chrony.service', 'lib/systemd/system/chrony.service')] }
    const x = one(explainMasking([grubDefault], fs), 'chrony.service')
    assert.deepEqual([x.state, x.cause], ['not-masked', null])
    assert.match(x.conflicts.join('\n'), /etc\/default\/grub:9 put systemd\.mask=chrony\.service on the command line of boot entries made from now on/)
  })

  it('an admin mask the command line repeats: the admin mask decides, and the fix says the boot entry masks it too', () => {
    const s = new Story().admin(300, 'mask', 'chrony.service').onDisk('chrony.service')
    const x = one(explainMasking([...s.events, ...boots], s.fs()), 'chrony.service')
    assert.equal(x.cause, 'admin-command')
    assert.match(x.conflicts.join('\n'), /the kernel command line masks chrony\.service as well \(journal\.json:19\)/)
    assert.equal(x.fix.at(-1), 'the kernel command line masks chrony.service too: remove systemd.mask=chrony.service from the boot entry as well')
  })
})

describe('generator masks (cause generator)', () => {
  it('a link in run/systemd/generator no command line explains: medium, a site generator is the suspect, etc/ overrides it', () => {
    const fs = {
      hasFilesystem: true, helperMasked: [], dependencies: [],
      files: [maskLink('pgbouncer.service', 'run/systemd/generator/pgbouncer.service'), file('pgbouncer.service', 'lib/systemd/system/pgbouncer.service', { effective: false })],
      generators: ['etc/systemd/system-generators/standby-guard', 'lib/systemd/system-generators/systemd-fstab-generator'],
    }
    const proc = cmdline('proc-cmdline', 'proc/cmdline', 1, null, 'ro quiet')
    const s = new Story().admin(50, 'unmask', 'pgbouncer.service', { actor: 'frank' })
    const x = one(explainMasking([proc, ...s.events], fs), 'pgbouncer.service')
    assert.deepEqual([x.state, x.cause, x.confidence, x.maskedAtUs], ['masked', 'generator', 'medium', null])
    assert.match(x.confidenceReason, /proc\/cmdline:1\) has no systemd\.mask=pgbouncer\.service, so not systemd-debug-generator/)
    assert.deepEqual(x.evidence.map((e) => e.path), ['run/systemd/generator/pgbouncer.service', 'proc/cmdline', 'etc/systemd/system-generators/standby-guard'])
    assert.match(x.conflicts[0]!, /frank \(as root\) via sudo on pts\/0 ran systemctl unmask \(journal\.json:1\), but it cannot remove run\/systemd\/generator\/pgbouncer\.service/)
    assert.ok(x.fix[0]!.startsWith('systemctl unmask pgbouncer.service cannot undo it ("Unit pgbouncer.service is masked via a generator and cannot be unmasked.")'))
    assert.ok(x.fix.some((f) => f.startsWith('start with the generator installed on this machine: /etc/systemd/system-generators/standby-guard')))
    assert.ok(x.fix.includes('or, if the generator is wrong to mask it, override it: a unit file in /etc/systemd/system comes before /run/systemd/generator: cp /lib/systemd/system/pgbouncer.service /etc/systemd/system/ && systemctl daemon-reload'))
  })
  it('in generator.early with no command line in the evidence: check /proc/cmdline first', () => {
    const fs = { hasFilesystem: true, helperMasked: [], dependencies: [], files: [maskLink('a.service', 'run/systemd/generator.early/a.service')] }
    const x = one(explainMasking([], fs), 'a.service')
    assert.equal(x.cause, 'generator')
    assert.ok(x.fix.some((f) => f.startsWith('check the kernel command line first: cat /proc/cmdline')))
    assert.ok(!x.fix.some((f) => f.includes('override it')), 'nothing in /etc overrides generator.early')
  })
})

describe('activation units', () => {
  it('a masked socket blocks the service it activates (default pairing); the service is started through its socket', () => {
    const s = new Story().admin(10, 'mask', 'ssh.socket').onDisk('ssh.socket')
    s.files.push(file('ssh.socket', 'usr/lib/systemd/system/ssh.socket', { effective: false }), file('ssh.service', 'usr/lib/systemd/system/ssh.service'))
    const xs = explainMasking(s.events, s.fs())
    assert.deepEqual(one(xs, 'ssh.socket').blockedUnits, [{
      unit: 'ssh.service', dependency: 'TriggeredBy', source: 'usr/lib/systemd/system/ssh.socket', origin: 'ssh.socket activates the service of the same name (no Service= setting)',
    }])
    const svc = one(xs, 'ssh.service')
    assert.deepEqual([svc.state, svc.blockedBy.map((b) => `${b.unit} ${b.dependency}`)], ['not-masked', ['ssh.socket TriggeredBy']])
    assert.ok(svc.fix.includes('nothing activates ssh.service while ssh.socket is masked: unmask ssh.socket (see its entry), then systemctl enable --now ssh.socket'))
    assert.match(svc.summary, /It cannot start: it is activated by ssh\.socket \(ssh\.socket activates the service of the same name/)
  })
  it('a masked socket-activated service: after unmasking, enable its socket, not the service', () => {
    const s = new Story().admin(10, 'mask', 'cups.service').onDisk('cups.service')
    s.files.push(file('cups.service', 'usr/lib/systemd/system/cups.service', { effective: false }), file('cups.socket', 'usr/lib/systemd/system/cups.socket'))
    const x = one(explainMasking(s.events, s.fs()), 'cups.service')
    assert.deepEqual(x.triggeredBy.map((t) => t.unit), ['cups.socket'])
    assert.deepEqual(x.fix, [
      'ask alice why it was masked',
      'systemctl unmask cups.service',
      'usr/lib/systemd/system/cups.service (the vendor unit) takes effect after unmasking',
      'systemctl enable --now cups.socket (cups.service is socket-activated: start and enable its socket, not the service directly)',
    ])
  })
  it('a masked service blocks its timer the other way round: systemd refuses to start an activator whose unit is masked', () => {
    const s = new Story().onDisk('backup.service', { kind: 'empty-file', linkTarget: null })
    s.files.push(file('backup.timer', 'lib/systemd/system/backup.timer'))
    const xs = explainMasking(s.events, s.fs())
    const timer = one(xs, 'backup.timer')
    assert.deepEqual([timer.state, timer.blockedBy.map((b) => `${b.unit} ${b.dependency}`)], ['not-masked', ['backup.service Triggers']])
    assert.match(timer.summary, /It cannot start: it activates backup\.service \(backup\.timer activates the service of the same name .*systemd refuses to start backup\.timer while that unit is masked\), which is masked\./)
    assert.equal(one(xs, 'backup.service').fix.at(-1), 'systemctl enable --now backup.timer (backup.service is started by it)')
  })
  it('Service=, Unit= (also from the vendor file behind a mask), Accept=yes templates and Sockets=', () => {
    const s = new Story().admin(1, 'mask', 'git.socket').onDisk('git.socket').admin(2, 'mask', 'backup.timer').onDisk('backup.timer')
    s.files.push(
      file('git.socket', 'lib/systemd/system/git.socket', { effective: false }), file('git@.service', 'lib/systemd/system/git@.service'),
      file('backup.timer', 'lib/systemd/system/backup.timer', { effective: false }), file('backup-run.service', 'lib/systemd/system/backup-run.service'),
      file('metrics.socket', 'lib/systemd/system/metrics.socket'), file('collector.service', 'lib/systemd/system/collector.service'),
    )
    s.dependencies.push(
      { from: 'git.socket', to: 'yes', type: 'Accept', source: 'lib/systemd/system/git.socket:6', shadowed: true },
      { from: 'backup.timer', to: 'backup-run.service', type: 'Unit', source: 'lib/systemd/system/backup.timer:5', shadowed: true },
      { from: 'collector.service', to: 'metrics.socket', type: 'Sockets', source: 'lib/systemd/system/collector.service:7' },
    )
    const xs = explainMasking(s.events, s.fs())
    assert.deepEqual(one(xs, 'git.socket').blockedUnits.map((b) => `${b.unit} ${b.dependency} ${b.source}`), ['git@.service TriggeredBy lib/systemd/system/git.socket:6'])
    assert.deepEqual(one(xs, 'backup.timer').blockedUnits.map((b) => `${b.unit} ${b.origin}`), ['backup-run.service Unit= in backup.timer'])
    assert.equal(xs.some((x) => x.unit === 'collector.service'), false, 'metrics.socket is not masked: collector is not blocked')
  })
  it('an instance of a masked template is masked with it, with the template cause', () => {
    const s = new Story().admin(3, 'mask', 'serial-getty@.service').onDisk('serial-getty@.service')
    s.dependencies.push({ from: 'getty.target', to: 'serial-getty@ttyS0.service', type: 'wants-link', source: 'etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service' })
    const xs = explainMasking(s.events, s.fs())
    const inst = one(xs, 'serial-getty@ttyS0.service')
    assert.deepEqual([inst.state, inst.cause, inst.path, inst.blockedBy.map((b) => b.dependency)], ['masked', 'admin-command', 'etc/systemd/system/serial-getty@.service', ['template']])
    assert.deepEqual(one(xs, 'serial-getty@.service').blockedUnits.map((b) => `${b.unit} ${b.dependency}`), ['serial-getty@ttyS0.service template'])
    assert.equal(one(xs, 'serial-getty@.service').fix.at(-1), 'systemctl start serial-getty@NAME.service for each instance in use (a template is not started itself)')
  })
})

describe('a fix that works: what systemctl unmask leaves', () => {
  it('the vendor file below the mask takes effect; a vendor mask below it keeps the unit masked', () => {
    const s = new Story().admin(1, 'mask', 'a.service').onDisk('a.service').admin(2, 'mask', 'b.service').onDisk('b.service')
    s.files.push(file('a.service', 'lib/systemd/system/a.service', { effective: false }), maskLink('b.service', 'lib/systemd/system/b.service', { effective: false }))
    const xs = explainMasking(s.events, s.fs())
    assert.deepEqual(one(xs, 'a.service').afterUnmask, { path: 'lib/systemd/system/a.service', masked: false, known: true, note: 'lib/systemd/system/a.service (the vendor unit) takes effect after unmasking' })
    const b = one(xs, 'b.service')
    assert.deepEqual([b.afterUnmask?.masked, b.fix[2]], [true, 'lib/systemd/system/b.service would take effect, and it is a mask too (shipped masked): b.service stays masked'])
  })
  it('dpkg: the package is removed (config-files): reinstall it before unmasking, or purge it', () => {
    const s = new Story().admin(1, 'mask', 'telemetryd.service').onDisk('telemetryd.service').removedNotPurged('telemetryd')
    s.files.push(file('multi-user.target', 'lib/systemd/system/multi-user.target'))
    const x = one(explainMasking(s.events, s.fs()), 'telemetryd.service')
    assert.deepEqual([x.afterUnmask?.path, x.afterUnmask?.known], [null, true])
    assert.deepEqual(x.fix.slice(1, 4), [
      'apt-get install telemetryd first: telemetryd.service\'s unit file left with the package (removed, not purged, var/log/dpkg.log:2), so unmasking alone leads straight to "Unit telemetryd.service not found."',
      'systemctl unmask telemetryd.service',
      'or, if telemetryd.service is not needed, apt-get purge telemetryd and leave it at that (the mask hides nothing)',
    ])
  })
  it('rpm: an erased package (dnf.rpm.log Erase:) is reinstalled with dnf', () => {
    const s = new Story().admin(1, 'mask', 'kdump.service').onDisk('kdump.service')
    s.events.push({ ...base('var/log/dnf.rpm.log', 9, 40, 'SUBDEBUG Erase: kdump-2.0.26-1.el9.x86_64'), kind: 'package-action', tool: 'dnf', transactionId: 'dnf:1', package: 'kdump', arch: 'x86_64', action: 'remove', fromVersion: '2.0.26-1.el9', toVersion: null, state: null })
    const x = one(explainMasking(s.events, s.fs()), 'kdump.service')
    assert.equal(x.fix[1], 'dnf install kdump first: kdump.service\'s unit file left with the package (erased, var/log/dnf.rpm.log:9), so unmasking alone leads straight to "Unit kdump.service not found."')
  })
  it('no vendor directory in the copy and no package record: no claim about what unmasking leaves', () => {
    const s = new Story().admin(1, 'mask', 'nginx.service').onDisk('nginx.service')
    const x = one(explainMasking(s.events, s.fs()), 'nginx.service')
    assert.equal(x.afterUnmask?.known, false)
    assert.deepEqual(x.fix, ['ask alice why it was masked', 'systemctl unmask nginx.service', 'systemctl start nginx.service (if it should run)'])
  })
})

describe('drop-ins and overrides: where each dependency comes from', () => {
  it('a drop-in Requires= the unit file does not have; an etc/ copy BindsTo= where the vendor file only Wants=', () => {
    const s = new Story().admin(1, 'mask', 'redis-server.service').onDisk('redis-server.service')
    s.files.push(
      file('app.service', 'lib/systemd/system/app.service'),
      file('worker.service', 'etc/systemd/system/worker.service'), file('worker.service', 'lib/systemd/system/worker.service', { effective: false }),
    )
    s.dependencies.push(
      { from: 'app.service', to: 'redis-server.service', type: 'Requires', source: 'etc/systemd/system/app.service.d/10-cache.conf:3' },
      { from: 'worker.service', to: 'redis-server.service', type: 'BindsTo', source: 'etc/systemd/system/worker.service:3' },
      { from: 'worker.service', to: 'redis-server.service', type: 'Wants', source: 'lib/systemd/system/worker.service:3', shadowed: true },
    )
    const xs = explainMasking(s.events, s.fs())
    const app = one(xs, 'app.service')
    assert.equal(app.blockedBy[0]!.origin, 'the drop-in etc/systemd/system/app.service.d/10-cache.conf (the unit file itself does not have it)')
    assert.ok(app.fix.includes('or, if app.service should start without redis-server.service: make Requires=redis-server.service a Wants= in /etc/systemd/system/app.service.d/10-cache.conf (line 3), then systemctl daemon-reload'))
    const worker = one(xs, 'worker.service')
    assert.equal(worker.blockedBy[0]!.origin, 'etc/systemd/system/worker.service, a copy that overrides lib/systemd/system/worker.service (which only has Wants=redis-server.service)')
    assert.match(worker.summary, /It cannot start: it BindsTo= redis-server\.service \(from etc\/systemd\/system\/worker\.service, a copy that overrides/)
    assert.equal(one(xs, 'redis-server.service').blockedUnits.length, 2, 'the shadowed Wants= is not in the graph')
  })
})

describe('broken packages', () => {
  const state = (pkg: string, status: string, eflag = 'ok', path = 'var/lib/dpkg/status', line = 1): MaskEvent => ({
    ...base(path, line, null, `Package: ${pkg} Status: install ${eflag} ${status}`), kind: 'package-state', tool: 'dpkg', package: pkg, arch: null, version: '1.0', want: 'install', errorFlag: eflag, status,
  })
  it('dpkg status states, each with its recovery; settled packages and older status copies are not listed', () => {
    const list = brokenPackages([
      state('a', 'half-configured'), state('b', 'half-installed', 'reinstreq', undefined, 9), state('c', 'triggers-pending', 'ok', undefined, 17),
      state('d', 'installed'), state('e', 'config-files'), state('f', 'half-configured', 'ok', 'var/lib/dpkg/status-old'),
    ])
    assert.deepEqual(list.map((b) => [b.package, b.state, b.recovery[0]]), [
      ['a', 'half-configured', 'dpkg --configure -a (runs the maintainer script of a that did not finish)'],
      ['b', 'reinstreq half-installed', 'apt-get install --reinstall b (dpkg did not finish unpacking it: its files may be incomplete)'],
      ['c', 'triggers-pending', 'dpkg --configure -a (runs the pending triggers)'],
    ])
  })
  it('the transaction that left it so: the apt run around the first dpkg run after its last settled state', () => {
    const s = new Story().transaction(0, 'apt@1', 'interrupted')
    s.events.push(
      { ...base('var/log/apt/history.log', 3, 0, 'Upgrade: m (1.2, 1.3)'), kind: 'package-action', tool: 'apt', transactionId: 'apt@1', package: 'm', arch: null, action: 'upgrade', fromVersion: '1.2', toVersion: '1.3', state: null },
      { ...base('var/log/dpkg.log', 1, -10, 'startup archives unpack'), kind: 'package-transaction', tool: 'dpkg', transactionId: 'dpkg@0', commandLine: null, actor: null, outcome: 'completed', outcomeReason: 'ok', endUs: null },
      { ...base('var/log/dpkg.log', 2, -10, 'status installed m 1.2'), kind: 'package-action', tool: 'dpkg', transactionId: 'dpkg@0', package: 'm', arch: null, action: 'status', fromVersion: null, toVersion: '1.2', state: 'installed' },
      { ...base('var/log/dpkg.log', 3, 1, 'startup archives unpack'), kind: 'package-transaction', tool: 'dpkg', transactionId: 'dpkg@1', commandLine: null, actor: null, outcome: 'interrupted', outcomeReason: 'killed', endUs: null },
      { ...base('var/log/dpkg.log', 4, 1, 'status half-installed m 1.2'), kind: 'package-action', tool: 'dpkg', transactionId: 'dpkg@1', package: 'm', arch: null, action: 'status', fromVersion: null, toVersion: '1.2', state: 'half-installed' },
      state('m', 'half-installed', 'reinstreq'),
    )
    const [m] = brokenPackages(s.events)
    assert.deepEqual([m?.package, m?.transaction?.id, m?.transaction?.command], ['m', 'apt@1', 'apt-get remove webcache'])
  })
  it('rpm: an upgrade without its cleanup is a duplicate; dnf check / dnf remove --duplicates', () => {
    const note: MaskEvent = { ...base('var/log/dnf.rpm.log', 13, 5, 'SUBDEBUG Upgrade: maskdemo-2.0-1.noarch'), kind: 'package-note', tool: 'dnf', note: 'left-broken', package: 'maskdemo', transactionId: 'dnf:x' }
    const [b] = brokenPackages([note])
    assert.deepEqual([b?.manager, b?.recovery.slice(0, 2)], ['rpm', ['dnf check (lists the duplicate)', 'dnf remove --duplicates (keeps the newest version of each)']])
  })
  it('logs only: an interrupted apt run with no dpkg database to say how it left things', () => {
    const s = new Story().transaction(0, 'apt@2', 'interrupted')
    const [b] = brokenPackages(s.events)
    assert.deepEqual([b?.package, b?.state, b?.recovery], [null, 'in a transaction that never completed', ['dpkg --configure -a', 'apt-get -f install', 'then dpkg --audit (lists what is still half-way)']])
  })
})
