// The story of this sample (see README.md): on an Ubuntu 24.04 bastion (systemd 255), ivan masks ssh.socket,
// believing sshd runs on its own, and masks the serial console's getty template; months earlier he had
// masked cups.service, which its socket and path units still try to activate. After a reboot nobody can log in.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'bastion1'
export const machineId = '4e6a8c0b2d4f46a8b0c2e4d6f8a0b2c4'
export const boots = { before: '1b3d5f7a9c0e42b4d6f8a0c2e4b6d8f0', after: '5c7e9a1b3d5f47a9c1e3b5d7f9a1c3e5' }

const VERSION = 'systemd 255.4-1ubuntu8.4 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/usr/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const LISTENING = '7d4958e842da4a758f6c1cdc7b36dcc5'
const sudo = (pid, command) => ({ _PID: pid, _UID: '1006', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-9.scope', _AUDIT_SESSION: '9', _AUDIT_LOGINUID: '1006', PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: `ivan : TTY=pts/0 ; PWD=/home/ivan ; USER=root ; COMMAND=${command}` })
const reload = (at, pid) => [
  { at: `${at}.050211Z`, boot: 'before', fields: { ...pid1, MESSAGE: `Reloading requested from client PID ${pid} ('systemctl') (unit session-9.scope)...` } },
  { at: `${at}.050377Z`, boot: 'before', fields: { ...pid1, MESSAGE: 'Reloading...' } },
  { at: `${at}.241980Z`, boot: 'before', fields: { ...pid1, MESSAGE: 'Reloading finished in 191 ms.' } },
]

export const entries = [
  { at: '2024-11-01T07:00:02.118204Z', boot: 'before', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-11-01T07:00:03.402217Z', boot: 'before', fields: job(STARTED, 'ssh.socket', 'start', 'done', 'Listening on ssh.socket - OpenBSD Secure Shell server socket.') },
  { at: '2024-11-01T07:00:03.410958Z', boot: 'before', fields: job(STARTED, 'serial-getty@ttyS0.service', 'start', 'done', 'Started serial-getty@ttyS0.service - Serial Getty on ttyS0.') },
  { at: '2024-11-04T09:58:12.660318Z', boot: 'before', fields: { _PID: '802', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: '9', USER_ID: 'ivan', LEADER: '30110', MESSAGE: 'New session 9 of user ivan.' } },
  // ivan turns off the serial console's getty (for every port), then ssh's socket
  { at: '2024-11-04T10:02:30.004118Z', boot: 'before', fields: sudo('30190', '/usr/bin/systemctl mask serial-getty@.service') },
  ...reload('2024-11-04T10:02:30', '30191'),
  { at: '2024-11-04T10:05:41.004118Z', boot: 'before', fields: sudo('30244', '/usr/bin/systemctl mask ssh.socket') },
  ...reload('2024-11-04T10:05:41', '30245'),
  { at: '2024-11-04T10:20:07.310024Z', boot: 'before', fields: sudo('30390', '/usr/sbin/reboot') },
  // after the reboot nothing listens on port 22, and PID 1 says nothing about ssh
  { at: '2024-11-04T10:21:02.552130Z', boot: 'after', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-11-04T10:21:04.118842Z', boot: 'after', fields: job(LISTENING, 'sockets.target', 'start', 'done', 'Reached target sockets.target - Socket Units.') },
]
