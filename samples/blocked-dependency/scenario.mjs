// The story of this sample (see README.md): erin masks postgresql.service with sudo (systemd 255, Ubuntu 24.04) and
// reboots; app.service, which Requires= it, no longer starts, and a watchdog's `systemctl start app.service` is refused.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'api3'
export const machineId = 'e4b1c7d2a95f4e08b3c6d9f2a1e5b7c0'
export const boots = { before: '1f3e5d7c9b2a4c6e8f0a1b3d5c7e9f20', after: '6a8c0e2f4b1d3e5a7c9f1b3d5e7a9c04' }

const VERSION = 'systemd 255.4-1ubuntu8.1 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/usr/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTING = '7d4958e842da4a758f6c1cdc7b36dcc5'
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const FAILED_START = 'be02cf6855d2428ba40df7e9d022f03d'
const STOPPING = 'de5b426a63be47a7b6ac3eaac82e2f6f'
const STOPPED = '9d1aaa27d60140bd96365438aad20286'
const UNIT_FAILED = 'd9b373ed55a64feb8242e02dbe79a49c'
const EXITED = '98e322203f7a4ed290d09fe03c09fe15'
const noise = (comm, pid, message, extra = {}) => ({ _PID: pid, _COMM: comm, SYSLOG_IDENTIFIER: comm, _TRANSPORT: 'syslog', PRIORITY: '6', MESSAGE: message, ...extra })
const sudo = (pid, message) => ({ _PID: pid, _UID: '1001', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-12.scope', _AUDIT_SESSION: '12', _AUDIT_LOGINUID: '1001', PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: message })
const logind = (pid, session, user, leader) => ({ _PID: pid, _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: session, USER_ID: user, LEADER: leader, MESSAGE: `New session ${session} of user ${user}.` })

export const entries = [
  // boot 1: the database cluster and the app run
  { at: '2024-06-17T22:10:03.412905Z', boot: 'before', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-06-17T22:10:06.418277Z', boot: 'before', fields: job(STARTED, 'postgresql@16-main.service', 'start', 'done', 'Started postgresql@16-main.service - PostgreSQL Cluster 16-main.') },
  { at: '2024-06-17T22:10:06.902114Z', boot: 'before', fields: job(STARTED, 'app.service', 'start', 'done', 'Started app.service - App.') },
  { at: '2024-06-18T09:17:01.004127Z', boot: 'before', fields: noise('CRON', '30117', 'pam_unix(cron:session): session opened for user root(uid=0) by root(uid=0)') },
  // erin masks postgresql.service (no --now) and reboots
  { at: '2024-06-18T09:55:12.660381Z', boot: 'before', fields: noise('sshd', '48102', 'Accepted publickey for erin from 203.0.113.77 port 61022 ssh2: ED25519 SHA256:Lm4nB7vC0xZ2aS5dF8gH1jK3lQ6wE9rT2yU5iO8pA1s', { SYSLOG_FACILITY: '4' }) },
  { at: '2024-06-18T09:55:12.801447Z', boot: 'before', fields: logind('688', '12', 'erin', '48102') },
  { at: '2024-06-18T10:24:05.118204Z', boot: 'before', fields: sudo('48212', 'erin : TTY=pts/0 ; PWD=/home/erin ; USER=root ; COMMAND=/usr/bin/systemctl mask postgresql.service') },
  { at: '2024-06-18T10:24:05.120385Z', boot: 'before', fields: noise('sudo', '48212', 'pam_unix(sudo:session): session opened for user root(uid=0) by erin(uid=1001)', { SYSLOG_FACILITY: '10' }) },
  { at: '2024-06-18T10:24:05.170662Z', boot: 'before', fields: { ...pid1, MESSAGE: "Reloading requested from client PID 48213 ('systemctl') (unit session-12.scope)..." } },
  { at: '2024-06-18T10:24:05.170803Z', boot: 'before', fields: { ...pid1, MESSAGE: 'Reloading...' } },
  { at: '2024-06-18T10:24:05.383019Z', boot: 'before', fields: { ...pid1, MESSAGE: 'Reloading finished in 212 ms.' } },
  { at: '2024-06-18T10:24:05.391554Z', boot: 'before', fields: noise('sudo', '48212', 'pam_unix(sudo:session): session closed for user root', { SYSLOG_FACILITY: '10' }) },
  { at: '2024-06-18T10:26:40.023871Z', boot: 'before', fields: sudo('48260', 'erin : TTY=pts/0 ; PWD=/home/erin ; USER=root ; COMMAND=/usr/sbin/reboot') },
  { at: '2024-06-18T10:26:40.025330Z', boot: 'before', fields: noise('sudo', '48260', 'pam_unix(sudo:session): session opened for user root(uid=0) by erin(uid=1001)', { SYSLOG_FACILITY: '10' }) },
  { at: '2024-06-18T10:26:40.212608Z', boot: 'before', fields: job(STOPPING, 'app.service', 'stop', 'done', 'Stopping app.service - App...') },
  { at: '2024-06-18T10:26:40.498112Z', boot: 'before', fields: job(STOPPED, 'app.service', 'stop', 'done', 'Stopped app.service - App.') },
  { at: '2024-06-18T10:26:40.511920Z', boot: 'before', fields: job(STOPPING, 'postgresql@16-main.service', 'stop', 'done', 'Stopping postgresql@16-main.service - PostgreSQL Cluster 16-main...') },
  { at: '2024-06-18T10:26:40.940377Z', boot: 'before', fields: job(STOPPED, 'postgresql@16-main.service', 'stop', 'done', 'Stopped postgresql@16-main.service - PostgreSQL Cluster 16-main.') },
  // boot 2: nothing about app.service or postgresql at boot (the refused pull-in is logged at debug level only)
  { at: '2024-06-18T10:27:31.250447Z', boot: 'after', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-06-18T10:27:34.661802Z', boot: 'after', fields: job(STARTED, 'ssh.service', 'start', 'done', 'Started ssh.service - OpenBSD Secure Shell server.') },
  { at: '2024-06-18T10:27:34.702339Z', boot: 'after', fields: job(STARTED, 'app-watchdog.timer', 'start', 'done', 'Started app-watchdog.timer - Start the app if it is down, every 5 minutes.') },
  // the watchdog runs `systemctl start app.service`; systemctl's error reaches the journal through the unit's output
  { at: '2024-06-18T10:32:31.004561Z', boot: 'after', fields: job(STARTING, 'app-watchdog.service', 'start', 'done', 'Starting app-watchdog.service - Start the app if it is down...') },
  { at: '2024-06-18T10:32:31.088930Z', boot: 'after', fields: { _PID: '1377', _UID: '0', _COMM: 'systemctl', _EXE: '/usr/bin/systemctl', _TRANSPORT: 'stdout', _SYSTEMD_UNIT: 'app-watchdog.service', SYSLOG_IDENTIFIER: 'systemctl', SYSLOG_FACILITY: '3', PRIORITY: '6', MESSAGE: 'Failed to start app.service: Unit postgresql.service is masked.' } },
  { at: '2024-06-18T10:32:31.091275Z', boot: 'after', fields: { ...pid1, MESSAGE_ID: EXITED, UNIT: 'app-watchdog.service', MESSAGE: 'app-watchdog.service: Main process exited, code=exited, status=1/FAILURE' } },
  { at: '2024-06-18T10:32:31.091460Z', boot: 'after', fields: { ...pid1, MESSAGE_ID: UNIT_FAILED, UNIT: 'app-watchdog.service', UNIT_RESULT: 'exit-code', MESSAGE: "app-watchdog.service: Failed with result 'exit-code'.", PRIORITY: '4' } },
  { at: '2024-06-18T10:32:31.091702Z', boot: 'after', fields: job(FAILED_START, 'app-watchdog.service', 'start', 'failed', 'Failed to start app-watchdog.service - Start the app if it is down.', { PRIORITY: '3' }) },
  { at: '2024-06-18T10:41:52.330154Z', boot: 'after', fields: noise('sshd', '1502', 'Accepted publickey for frank from 203.0.113.90 port 55840 ssh2: ED25519 SHA256:Qz8xW1vE4rT7yU0iO3pA6sD9fG2hJ5kL8zX1cV4bN7m', { SYSLOG_FACILITY: '4' }) },
  { at: '2024-06-18T10:41:52.467008Z', boot: 'after', fields: logind('702', '3', 'frank', '1502') },
]
