// The story of this sample (see README.md): kim masks redis-server.service for a migration on a Debian 12 host
// (systemd 252). The vendor unit files of app, worker and reports would shrug that off, but a drop-in gives app
// Requires=redis-server.service and an etc/ copy of worker binds it to redis: after a reboot both stay down.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'api7'
export const machineId = '8a0c2e4b6d8f4a1c3e5b7d9f1a3c5e7b'
export const boots = { before: '2c4e6a8b0d2f44a6c8e0b2d4f6a8c0e2', after: '6e8a0c2d4f6b48d0e2a4c6e8b0d2f4a6' }

const VERSION = 'systemd 252.30-1~deb12u2 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const STARTING = '7d4958e842da4a758f6c1cdc7b36dcc5'
const FAILED_START = 'be02cf6855d2428ba40df7e9d022f03d'
const UNIT_FAILED = 'd9b373ed55a64feb8242e02dbe79a49c'
const sudo = (pid, command) => ({ _PID: pid, _UID: '1007', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-4.scope', _AUDIT_SESSION: '4', _AUDIT_LOGINUID: '1007', PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: `kim : TTY=pts/1 ; PWD=/home/kim ; USER=root ; COMMAND=${command}` })

export const entries = [
  { at: '2024-12-02T08:00:04.118204Z', boot: 'before', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-12-02T08:00:06.201447Z', boot: 'before', fields: job(STARTED, 'redis-server.service', 'start', 'done', 'Started redis-server.service - Advanced key-value store.') },
  { at: '2024-12-02T08:00:06.552310Z', boot: 'before', fields: job(STARTED, 'app.service', 'start', 'done', 'Started app.service - Order API.') },
  { at: '2024-12-02T08:00:06.560098Z', boot: 'before', fields: job(STARTED, 'worker.service', 'start', 'done', 'Started worker.service - Order queue worker.') },
  { at: '2024-12-02T08:00:06.571876Z', boot: 'before', fields: job(STARTED, 'reports.service', 'start', 'done', 'Started reports.service - Nightly reports.') },
  { at: '2024-12-03T21:40:11.006618Z', boot: 'before', fields: { _PID: '640', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: '4', USER_ID: 'kim', LEADER: '51120', MESSAGE: 'New session 4 of user kim.' } },
  // kim masks redis for the migration (no --now) and reboots to apply a kernel update
  { at: '2024-12-03T21:42:50.220118Z', boot: 'before', fields: sudo('51188', '/usr/bin/systemctl mask redis-server.service') },
  { at: '2024-12-03T21:42:50.271004Z', boot: 'before', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  { at: '2024-12-03T21:55:02.004417Z', boot: 'before', fields: sudo('51240', '/usr/sbin/reboot') },
  // after the reboot only reports starts; app's start is refused
  { at: '2024-12-03T21:56:01.330278Z', boot: 'after', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-12-03T21:56:03.908115Z', boot: 'after', fields: job(STARTED, 'reports.service', 'start', 'done', 'Started reports.service - Nightly reports.') },
  { at: '2024-12-03T22:05:00.004223Z', boot: 'after', fields: job(STARTING, 'app-healthcheck.service', 'start', 'done', 'Starting app-healthcheck.service - Restart the API when it is down...') },
  { at: '2024-12-03T22:05:00.081902Z', boot: 'after', fields: { _PID: '2210', _UID: '0', _COMM: 'systemctl', _EXE: '/usr/bin/systemctl', _TRANSPORT: 'stdout', _SYSTEMD_UNIT: 'app-healthcheck.service', SYSLOG_IDENTIFIER: 'systemctl', SYSLOG_FACILITY: '3', PRIORITY: '6', MESSAGE: 'Failed to start app.service: Unit redis-server.service is masked.' } },
  { at: '2024-12-03T22:05:00.083340Z', boot: 'after', fields: { ...pid1, MESSAGE_ID: UNIT_FAILED, UNIT: 'app-healthcheck.service', UNIT_RESULT: 'exit-code', MESSAGE: "app-healthcheck.service: Failed with result 'exit-code'.", PRIORITY: '4' } },
  { at: '2024-12-03T22:05:00.083517Z', boot: 'after', fields: job(FAILED_START, 'app-healthcheck.service', 'start', 'failed', 'Failed to start app-healthcheck.service - Restart the API when it is down.', { PRIORITY: '3' }) },
]
