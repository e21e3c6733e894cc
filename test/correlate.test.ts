import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { explainMasking } from '../src/correlate/explain.ts'
import type { UnitExplanation } from '../src/correlate/types.ts'
import { Story, T0 } from './helpers/events.ts'

const one = (xs: UnitExplanation[], unit: string): UnitExplanation => {
  const x = xs.find((e) => e.unit === unit)
  assert.ok(x, `no explanation for ${unit}: ${xs.map((e) => e.unit).join(', ')}`)
  return x
}
const brief = (x: UnitExplanation) => ({ state: x.state, cause: x.cause, confidence: x.confidence, actor: x.actor, maskedAtUs: x.maskedAtUs })

describe('explainMasking: admin commands', () => {
  it('sudo and audit of one command are one act, cited twice; dated by the record', () => {
    const s = new Story()
      .admin(13, 'mask', 'nginx.service')
      .admin(13.0001, 'mask', 'nginx.service', { via: 'audit', actor: 'uid 1000', runAs: 'uid 0', session: '3', command: 'systemctl mask nginx.service' })
      .onDisk('nginx.service')
    const x = one(explainMasking(s.events, s.fs()), 'nginx.service')
    assert.deepEqual(brief(x), { state: 'masked', cause: 'admin-command', confidence: 'high', actor: 'alice (as root) via sudo on pts/0', maskedAtUs: T0 + 13_000_000 })
    assert.equal(x.path, 'etc/systemd/system/nginx.service')
    assert.deepEqual(x.evidence.map((e) => `${e.path}:${e.line ?? '-'} ${e.role}`), [
      'etc/systemd/system/nginx.service:- the mask on disk',
      'journal.json:1 the command that masked it',
      'journal.json:2 the command that masked it',
    ])
    assert.deepEqual(x.history.map((h) => h.action), ['masked'])
    assert.ok(x.fix.includes('systemctl unmask nginx.service'))
  })

  it('a refused sudo attempt is history, not the cause', () => {
    const s = new Story().admin(10, 'mask', 'a.service', { succeeded: false }).onDisk('a.service')
    const x = one(explainMasking(s.events, s.fs()), 'a.service')
    assert.equal(x.cause, 'unknown')
    assert.deepEqual(x.history.map((h) => h.action), ['mask-attempt-refused'])
  })

  it('a runtime mask names the admin and says it will not survive a reboot', () => {
    const s = new Story().admin(5, 'mask', 'cups.service', { flags: ['--runtime'] }).onDisk('cups.service', { layer: 'runtime' })
    const x = one(explainMasking(s.events, s.fs()), 'cups.service')
    assert.deepEqual(brief(x), { state: 'masked-runtime', cause: 'runtime-mask', confidence: 'high', actor: 'alice (as root) via sudo on pts/0', maskedAtUs: T0 + 5_000_000 })
  })
})

describe('explainMasking: packages', () => {
  it('a mask printed inside a completed transaction is the package script', () => {
    const s = new Story().transaction(0, 'apt@1', 'completed').linkMessage(0, 'legacy.service', { package: 'webcache', transactionId: 'apt@1' }).onDisk('legacy.service')
    const x = one(explainMasking(s.events, s.fs()), 'legacy.service')
    assert.deepEqual(brief(x), { state: 'masked', cause: 'package-script', confidence: 'high', actor: "package webcache's maintainer script", maskedAtUs: T0 })
    assert.equal(x.transaction?.id, 'apt@1')
    assert.equal(x.transaction?.requestedBy, 'ops')
  })
  it('inside an interrupted transaction it is the interrupted transaction', () => {
    const s = new Story().transaction(0, 'apt@2', 'interrupted').linkMessage(0, 'warmup.service', { package: 'webcache', transactionId: 'apt@2' }).onDisk('warmup.service')
    const x = one(explainMasking(s.events, s.fs()), 'warmup.service')
    assert.equal(x.cause, 'interrupted-transaction')
    assert.match(x.fix.join(' | '), /dpkg --configure -a/)
  })
  it('after the package is removed (not purged) in the same transaction it is package-removal', () => {
    const s = new Story()
      .transaction(0, 'apt@3', 'completed')
      .action(0, 'apt@3', 'webcache', 'remove')
      .linkMessage(0, 'webcache.service', { package: 'webcache', transactionId: 'apt@3' })
      .onDisk('webcache.service')
    const x = one(explainMasking(s.events, s.fs()), 'webcache.service')
    assert.equal(x.cause, 'package-removal')
    assert.deepEqual(x.evidence.map((e) => e.role), ['the mask on disk', "maintainer script's systemctl output", 'the package was being removed'])
    assert.deepEqual(x.fix, ['apt-get purge webcache (drops the mask with the package\'s leftovers)', 'or apt-get install webcache to use it again (its postinst unmasks the unit)'])
  })
  it('a deb-systemd-helper marker and a removed-not-purged package, with no log of the act', () => {
    const s = new Story().owner('webcache', '/lib/systemd/system/webcache.service').removedNotPurged('webcache').onDisk('webcache.service')
    s.helperMasked.push({ unit: 'webcache.service', path: 'var/lib/systemd/deb-systemd-helper-masked/webcache.service', mtimeUs: null })
    const x = one(explainMasking(s.events, s.fs()), 'webcache.service')
    assert.deepEqual(brief(x), { state: 'masked', cause: 'package-removal', confidence: 'high', actor: "package webcache's maintainer script (deb-systemd-helper)", maskedAtUs: T0 + 100_000_000 })
    assert.match(x.maskedAtFrom, /^inferred: deb-systemd-helper masks in the postrm's remove step; the time of the removal \(var\/log\/dpkg\.log:1\)$/)
  })
  it('after remove, dpkg keeps only conffiles in the list: the install-time script output ties unit and package', () => {
    const s = new Story().linkMessage(0, 'fleet.service', { package: 'fleetagent', transactionId: 'apt@0', kind: 'unit-enabled' } as never).removedNotPurged('fleetagent').onDisk('fleet.service')
    s.helperMasked.push({ unit: 'fleet.service', path: 'var/lib/systemd/deb-systemd-helper-masked/fleet.service', mtimeUs: null })
    const x = one(explainMasking(s.events, s.fs()), 'fleet.service')
    assert.deepEqual([x.cause, x.confidence], ['package-removal', 'high'])
    assert.match(x.confidenceReason, /its maintainer script acted on fleet\.service \(var\/log\/apt\/term\.log:1\)/)
  })
  it('a marker with no package record is medium', () => {
    const s = new Story().onDisk('orphan.service')
    s.helperMasked.push({ unit: 'orphan.service', path: 'var/lib/systemd/deb-systemd-helper-masked/orphan.service', mtimeUs: null })
    const x = one(explainMasking(s.events, s.fs()), 'orphan.service')
    assert.deepEqual([x.cause, x.confidence, x.maskedAtUs], ['package-removal', 'medium', null])
  })
})

describe('explainMasking: the disk alone', () => {
  it('a vendor /dev/null link owned by a package is vendor-default', () => {
    const s = new Story().owner('x11-common', '/lib/systemd/system/x11-common.service').onDisk('x11-common.service', { layer: 'vendor' })
    const x = one(explainMasking(s.events, s.fs()), 'x11-common.service')
    assert.deepEqual(brief(x), { state: 'masked', cause: 'vendor-default', confidence: 'high', actor: 'package x11-common', maskedAtUs: null })
  })
  it('an empty unit file', () => {
    const s = new Story().onDisk('backup.service', { kind: 'empty-file', linkTarget: null })
    const x = one(explainMasking(s.events, s.fs()), 'backup.service')
    assert.equal(x.cause, 'empty-unit-file')
    assert.deepEqual(x.fix.slice(0, 2), ['rm /etc/systemd/system/backup.service (or restore it from a backup)', 'systemctl daemon-reload'])
  })
  it('no evidence at all: unknown, low, never an invented time or actor', () => {
    const s = new Story().onDisk('systemd-timedated.service')
    const x = one(explainMasking(s.events, s.fs()), 'systemd-timedated.service')
    assert.deepEqual(brief(x), { state: 'masked', cause: 'unknown', confidence: 'low', actor: null, maskedAtUs: null })
    assert.match(x.confidenceReason, /searched: sudo/)
  })
})

describe('explainMasking: history, conflicts, logs only, dependencies', () => {
  it('masked then unmasked: not masked now, with its history', () => {
    const s = new Story().admin(1, 'mask', 'nginx.service').admin(60, 'unmask', 'nginx.service', { actor: 'bob' })
    s.files.push({ unit: 'nginx.service', path: 'lib/systemd/system/nginx.service', scope: 'system', layer: 'vendor', kind: 'unit-file', linkTarget: null, mtimeUs: null, effective: true })
    const x = one(explainMasking(s.events, s.fs()), 'nginx.service')
    assert.deepEqual([x.state, x.cause, x.history.map((h) => `${h.action} ${h.by}`)], [
      'not-masked', null, ['masked alice (as root) via sudo on pts/0', 'unmasked bob (as root) via sudo on pts/0'],
    ])
    assert.match(x.summary, /nginx\.service is not masked\. History: masked by alice .* then unmasked by bob/)
  })
  it('disk says masked after a logged unmask: both shown, the disk wins', () => {
    const s = new Story().admin(1, 'mask', 'a.service').admin(2, 'unmask', 'a.service').onDisk('a.service')
    const x = one(explainMasking(s.events, s.fs()), 'a.service')
    assert.equal(x.cause, 'unknown')
    assert.equal(x.conflicts.length, 1)
    assert.match(x.conflicts[0]!, /the filesystem wins/)
  })
  it('logs only: the state comes from the last logged change, and says so', () => {
    const s = new Story().admin(1, 'mask', 'a.service')
    const x = one(explainMasking(s.events, null), 'a.service')
    assert.deepEqual([x.state, x.stateFrom, x.cause, x.path], ['masked', 'events', 'admin-command', null])
  })
  it('a unit that Requires= a masked unit is blocked, and the masked unit lists it', () => {
    const s = new Story().admin(1, 'mask', 'postgresql.service').onDisk('postgresql.service')
    s.dependencies.push({ from: 'app.service', to: 'postgresql.service', type: 'Requires', source: 'lib/systemd/system/app.service:3' })
    s.dependencies.push({ from: 'multi-user.target', to: 'postgresql.service', type: 'wants-link', source: 'etc/systemd/system/multi-user.target.wants/postgresql.service' })
    const xs = explainMasking(s.events, s.fs())
    assert.deepEqual(one(xs, 'postgresql.service').blockedUnits.map((b) => `${b.unit} ${b.dependency}`), [
      'app.service Requires', 'multi-user.target wants-link (weak: the unit still starts)',
    ])
    const app = one(xs, 'app.service')
    assert.deepEqual([app.state, app.blockedBy.map((b) => b.unit)], ['not-masked', ['postgresql.service']])
    assert.equal(xs.some((x) => x.unit === 'multi-user.target'), false)
  })
})
