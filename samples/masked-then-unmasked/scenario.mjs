// The story of this sample (see README.md): alice masks and stops nginx with sudo; the next day bob unmasks and
// starts it again. Nothing is masked when the evidence is copied. Turned into genuine `journalctl -o json` output
// by make.sh (systemd-journal-remote + journalctl).
export const host = 'web7'
export const machineId = 'a0b1c2d3e4f5467889a0b1c2d3e4f5a6'
export const boots = { only: '3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e1f' }

const VERSION = 'systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTING = '7d4958e842da4a758f6c1cdc7b36dcc5'
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const STOPPING = 'de5b426a63be47a7b6ac3eaac82e2f6f'
const STOPPED = '9d1aaa27d60140bd96365438aad20286'
const SUCCEEDED = '7ad2d189f7e94e70a38c781354912448'
const NGINX = 'nginx.service - A high performance web server and a reverse proxy server'
const noise = (comm, pid, message, extra = {}) => ({ _PID: pid, _COMM: comm, SYSLOG_IDENTIFIER: comm, _TRANSPORT: 'syslog', PRIORITY: '6', MESSAGE: message, ...extra })
const logind = (session, user, leader) => ({ _PID: '512', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: session, USER_ID: user, LEADER: leader, MESSAGE: `New session ${session} of user ${user}.` })
const sudo = (pid, uid, session, message) => ({ _PID: pid, _UID: uid, _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: `session-${session}.scope`, _AUDIT_SESSION: session, _AUDIT_LOGINUID: uid, PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: message })
const pam = (pid, message) => noise('sudo', pid, message, { SYSLOG_FACILITY: '10' })

export const entries = [
  { at: '2024-04-08T11:02:10.330871Z', boot: 'only', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-04-08T11:02:13.207754Z', boot: 'only', fields: job(STARTED, 'nginx.service', 'start', 'done', `Started ${NGINX}.`) },
  { at: '2024-04-08T11:02:13.260318Z', boot: 'only', fields: job(STARTED, 'ssh.service', 'start', 'done', 'Started ssh.service - OpenBSD Secure Shell server.') },
  // alice: mask (no --now), then stop
  { at: '2024-04-09T13:10:22.418093Z', boot: 'only', fields: noise('sshd', '20871', 'Accepted publickey for alice from 192.0.2.10 port 51514 ssh2: ED25519 SHA256:q9Xv0g3m1c4Yk8Vb7Zr2Lw5Nt6Hp0Jd3Ss1Aa2Bb3Cc', { SYSLOG_FACILITY: '4' }) },
  { at: '2024-04-09T13:10:22.560412Z', boot: 'only', fields: logind('3', 'alice', '20871') },
  { at: '2024-04-09T13:12:40.318527Z', boot: 'only', fields: sudo('20930', '1000', '3', 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl mask nginx.service') },
  { at: '2024-04-09T13:12:40.320114Z', boot: 'only', fields: pam('20930', 'pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)') },
  { at: '2024-04-09T13:12:40.371206Z', boot: 'only', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  { at: '2024-04-09T13:12:40.566930Z', boot: 'only', fields: pam('20930', 'pam_unix(sudo:session): session closed for user root') },
  { at: '2024-04-09T13:12:52.004381Z', boot: 'only', fields: sudo('20941', '1000', '3', 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl stop nginx.service') },
  { at: '2024-04-09T13:12:52.005902Z', boot: 'only', fields: pam('20941', 'pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)') },
  { at: '2024-04-09T13:12:52.021337Z', boot: 'only', fields: job(STOPPING, 'nginx.service', 'stop', 'done', `Stopping ${NGINX}...`) },
  { at: '2024-04-09T13:12:52.110845Z', boot: 'only', fields: { ...pid1, MESSAGE_ID: SUCCEEDED, UNIT: 'nginx.service', MESSAGE: 'nginx.service: Deactivated successfully.' } },
  { at: '2024-04-09T13:12:52.111020Z', boot: 'only', fields: job(STOPPED, 'nginx.service', 'stop', 'done', `Stopped ${NGINX}.`) },
  { at: '2024-04-09T13:12:52.119554Z', boot: 'only', fields: pam('20941', 'pam_unix(sudo:session): session closed for user root') },
  { at: '2024-04-10T06:25:01.002214Z', boot: 'only', fields: noise('CRON', '31870', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)') },
  // bob: unmask, then start
  { at: '2024-04-10T20:45:03.771560Z', boot: 'only', fields: noise('sshd', '40112', 'Accepted publickey for bob from 192.0.2.23 port 60218 ssh2: ED25519 SHA256:Hb2Kq7Wm4Zp9Tx1Lc6Vn3Rs8Yd0Fg5Ja2Ue7Io4Pk1', { SYSLOG_FACILITY: '4' }) },
  { at: '2024-04-10T20:45:03.902781Z', boot: 'only', fields: logind('9', 'bob', '40112') },
  { at: '2024-04-10T20:47:15.902667Z', boot: 'only', fields: sudo('40188', '1001', '9', 'bob : TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/systemctl unmask nginx.service') },
  { at: '2024-04-10T20:47:15.904210Z', boot: 'only', fields: pam('40188', 'pam_unix(sudo:session): session opened for user root(uid=0) by bob(uid=1001)') },
  { at: '2024-04-10T20:47:15.958833Z', boot: 'only', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  { at: '2024-04-10T20:47:16.149302Z', boot: 'only', fields: pam('40188', 'pam_unix(sudo:session): session closed for user root') },
  { at: '2024-04-10T20:47:21.440915Z', boot: 'only', fields: sudo('40197', '1001', '9', 'bob : TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/systemctl start nginx.service') },
  { at: '2024-04-10T20:47:21.442377Z', boot: 'only', fields: pam('40197', 'pam_unix(sudo:session): session opened for user root(uid=0) by bob(uid=1001)') },
  { at: '2024-04-10T20:47:21.459102Z', boot: 'only', fields: job(STARTING, 'nginx.service', 'start', 'done', `Starting ${NGINX}...`) },
  { at: '2024-04-10T20:47:21.533671Z', boot: 'only', fields: job(STARTED, 'nginx.service', 'start', 'done', `Started ${NGINX}.`) },
  { at: '2024-04-10T20:47:21.541008Z', boot: 'only', fields: pam('40197', 'pam_unix(sudo:session): session closed for user root') },
]
