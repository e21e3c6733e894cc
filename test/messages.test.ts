import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  decodeAuditValue,
  parseAuditUserCmd,
  parseLinkChange,
  parseMaskedDependency,
  parseMaskRefusal,
  parsePkexec,
  parsePolkit,
  parseReload,
  parseSudo,
} from '../src/messages.ts'

describe('systemctl change lines, every wording era (FORMATS.md §4b)', () => {
  const cases: [string, string | null][] = [
    ['Created symlink /etc/systemd/system/foo.service → /dev/null.', 'mask foo.service /etc/systemd/system/foo.service'],
    ['Created symlink /etc/systemd/system/foo.service -> /dev/null.', 'mask foo.service /etc/systemd/system/foo.service'],
    ['Created symlink from /etc/systemd/system/foo.service to /dev/null.', 'mask foo.service /etc/systemd/system/foo.service'],
    ['Created symlink /run/systemd/system/bar.service → /dev/null.', 'mask bar.service /run/systemd/system/bar.service runtime'],
    ['Created symlink /sysroot/etc/systemd/system/foo.service → /dev/null.', 'mask foo.service /sysroot/etc/systemd/system/foo.service'],
    ['Created symlink /etc/systemd/system/multi-user.target.wants/ssh.service → /lib/systemd/system/ssh.service.', 'enable ssh.service /etc/systemd/system/multi-user.target.wants/ssh.service'],
    ['Created symlink /etc/systemd/system/getty.target.wants/getty@tty1.service -> /lib/systemd/system/getty@.service.', 'enable getty@tty1.service /etc/systemd/system/getty.target.wants/getty@tty1.service'],
    ['Removed "/etc/systemd/system/foo.service".', 'unmask foo.service /etc/systemd/system/foo.service'],
    ['Removed /etc/systemd/system/foo.service.', 'unmask foo.service /etc/systemd/system/foo.service'],
    ['Removed symlink /etc/systemd/system/foo.service.', 'unmask foo.service /etc/systemd/system/foo.service'],
    ['Removed "/run/systemd/system/bar.service".', 'unmask bar.service /run/systemd/system/bar.service runtime'],
    ['Removed /etc/systemd/system/multi-user.target.wants/test.service.', 'disable test.service /etc/systemd/system/multi-user.target.wants/test.service'],
    ['Removed "/etc/systemd/system/sockets.target.wants/x.socket".', 'disable x.socket /etc/systemd/system/sockets.target.wants/x.socket'],
    ['Removed 3 old kernels.', null],
    ['Created symlink to nowhere', null],
    ['Reloading.', null],
  ]
  for (const [line, expected] of cases) {
    it(line, () => {
      const c = parseLinkChange(line)
      const got = c && `${c.change} ${c.unit} ${c.linkPath}${'runtime' in c && c.runtime ? ' runtime' : ''}`
      assert.equal(got, expected)
    })
  }
})

describe('refusals and masked dependencies', () => {
  it('start and enable refusals', () => {
    assert.deepEqual(parseMaskRefusal('Failed to start fail.target: Unit fail.service is masked.'), { unit: 'fail.service', operation: 'start', requested: 'fail.target' })
    assert.deepEqual(parseMaskRefusal('Failed to start nginx.service: Unit nginx.service is masked.'), { unit: 'nginx.service', operation: 'start', requested: null })
    assert.deepEqual(parseMaskRefusal('Failed to enable unit, unit /etc/systemd/system/foo.service is masked.'), { unit: 'foo.service', operation: 'enable', requested: null })
    assert.deepEqual(parseMaskRefusal('Failed to enable unit: Unit file /etc/systemd/system/foo.service is masked.'), { unit: 'foo.service', operation: 'enable', requested: null })
    assert.equal(parseMaskRefusal('Failed to start foo.service: Unit foo.service not found.'), null)
  })
  it('PID 1 dependency lines (v219 and v220+)', () => {
    assert.deepEqual(parseMaskedDependency('Cannot add dependency job for unit NetworkManager-wait-online.service, ignoring: Unit is masked.'), {
      unit: 'NetworkManager-wait-online.service',
      requiredBy: null,
    })
    assert.deepEqual(parseMaskedDependency('virtlockd.socket: Cannot add dependency job, ignoring: Unit virtlockd.socket is masked.'), { unit: 'virtlockd.socket', requiredBy: null })
    assert.deepEqual(parseMaskedDependency('libvirtd.service: Cannot add dependency job for unit virtlockd.socket, ignoring: Unit virtlockd.socket is masked.'), {
      unit: 'virtlockd.socket',
      requiredBy: 'libvirtd.service',
    })
  })
})

describe('reload lines (FORMATS.md §4c)', () => {
  const cases: [string, string | null][] = [
    ['Reloading.', 'reload null null null false'],
    ['Reexecuting.', 'reexec null null null false'],
    ['Reloading...', 'reload null null null true'],
    ['Reloading requested from client PID 1118 (unit testsuite-04.service)...', 'reload 1118 null testsuite-04.service false'],
    ["Reloading requested from client PID 1225 ('systemctl') (unit dracut-initqueue.service)...", 'reload 1225 systemctl dracut-initqueue.service false'],
    ["Reexecuting requested from client PID 256457 ('systemctl') ...", 'reexec 256457 systemctl null false'],
    ["Reload requested from client PID 822108 ('systemctl') (unit heimdall-bridge.service)...", 'reload 822108 systemctl heimdall-bridge.service false'],
    ['Reloading finished in 651 ms.', null],
    ['Reloading nginx.service - web server...', null],
  ]
  for (const [line, expected] of cases) {
    it(line, () => {
      const r = parseReload(line)
      assert.equal(r && `${r.method} ${r.requesterPid} ${r.requesterComm} ${r.requesterUnit} ${r.followUp}`, expected)
    })
  }
})

describe('sudo, pkexec, polkit, audit (FORMATS.md §8)', () => {
  it('sudo in syslog (right-aligned user) and in the journal', () => {
    assert.deepEqual(parseSudo('    root : TTY=pts/0 ; PWD=/root/.ssh ; USER=root ; COMMAND=/bin/systemctl restart sshd'), {
      user: 'root', tty: 'pts/0', pwd: '/root/.ssh', runAs: 'root', command: '/bin/systemctl restart sshd', rejection: null,
    })
    assert.deepEqual(parseSudo('ubuntu : PWD=/home/ubuntu ; USER=root ; ENV=A=b ; COMMAND=/usr/bin/systemctl mask x ; y'), {
      user: 'ubuntu', tty: null, pwd: '/home/ubuntu', runAs: 'root', command: '/usr/bin/systemctl mask x ; y', rejection: null,
    })
    assert.equal(parseSudo('alice : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl mask x')?.rejection, '3 incorrect password attempts')
    assert.equal(parseSudo('pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)'), null)
  })
  it('pkexec and polkit', () => {
    assert.deepEqual(parsePkexec('bob: Executing command [USER=root] [TTY=unknown] [CWD=/home/bob] [COMMAND=/usr/bin/systemctl mask x]'), {
      user: 'bob', runAs: 'root', tty: 'unknown', cwd: '/home/bob', command: '/usr/bin/systemctl mask x',
    })
    assert.deepEqual(
      parsePolkit('Operator of unix-session:3 successfully authenticated as unix-user:root to gain ONE-SHOT authorization for action org.freedesktop.systemd1.manage-unit-files for system-bus-name::1.96 [systemctl mask foo.service] (owned by unix-user:alice)'),
      { action: 'org.freedesktop.systemd1.manage-unit-files', authenticatedAs: 'root', owner: 'alice', command: 'systemctl mask foo.service' },
    )
  })
  it('audit USER_CMD: hex-encoded and quoted cmd=', () => {
    assert.equal(decodeAuditValue('7669202F6574632F7373682F737368645F636F6E666967'), 'vi /etc/ssh/sshd_config')
    assert.equal(decodeAuditValue('"passwd"'), 'passwd')
    const raw = `type=USER_CMD msg=audit(1614672177.873:142): pid=5099 uid=0 auid=1000 ses=1 subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 msg='cwd="/" cmd=73797374656D63746C206D61736B20666F6F2E73657276696365 exe="/usr/bin/sudo" terminal=pts/0 res=success'\u001dUID="root" AUID="ec2-user"`
    assert.deepEqual(parseAuditUserCmd(raw), {
      pid: '5099', uid: '0', auid: '1000', session: '1', cwd: '/', command: 'systemctl mask foo.service', terminal: 'pts/0', succeeded: true,
    })
    assert.equal(parseAuditUserCmd(raw.replace('res=success', 'res=failed'))?.succeeded, false)
  })
})
