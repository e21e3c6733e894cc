// The story of this sample (see README.md): dave edits backup.service with `systemctl edit --full`, the host loses
// power minutes later, and after the reboot the edited file in /etc/systemd/system is empty (0 bytes), which systemd
// treats as a mask: backup.timer no longer starts. Turned into genuine `journalctl -o json` output by make.sh.
export const host = 'nas2'
export const machineId = '9b2e61f0c4d84a7e8f13a5c6d7e8f901'
export const boots = { before: '4a6c1e0b2d3f45a6b7c8d9e0f1a2b3c4', after: 'c0ffee0d1e2f43a4b5c6d7e8f9a0b1c2' }

const VERSION = 'systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const FAILED_START = 'be02cf6855d2428ba40df7e9d022f03d'
const noise = (comm, pid, message, extra = {}) => ({ _PID: pid, _COMM: comm, SYSLOG_IDENTIFIER: comm, _TRANSPORT: 'syslog', PRIORITY: '6', MESSAGE: message, ...extra })
const logind = (session, user, leader) => ({ _PID: '402', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: session, USER_ID: user, LEADER: leader, MESSAGE: `New session ${session} of user ${user}.` })

export const entries = [
  // boot 1: the timer is active
  { at: '2024-05-13T05:58:12.204117Z', boot: 'before', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-05-13T05:58:14.881203Z', boot: 'before', fields: job(STARTED, 'backup.timer', 'start', 'done', 'Started backup.timer - Nightly backup timer.') },
  { at: '2024-05-13T05:58:15.020118Z', boot: 'before', fields: job(STARTED, 'ssh.service', 'start', 'done', 'Started ssh.service - OpenBSD Secure Shell server.') },
  { at: '2024-05-13T10:17:01.003391Z', boot: 'before', fields: noise('CRON', '1411', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)') },
  // dave logs in and edits the unit with `systemctl edit --full`; systemctl reloads PID 1 when the editor exits
  { at: '2024-05-13T12:02:44.551870Z', boot: 'before', fields: noise('sshd', '2118', 'Accepted publickey for dave from 192.0.2.44 port 50122 ssh2: ED25519 SHA256:Vw3kP9mQx2Lr7Tn1Zs4Yb8Hc6Jd0Fe5Ga2Ub3Ic9Ko', { SYSLOG_FACILITY: '4' }) },
  { at: '2024-05-13T12:02:44.690215Z', boot: 'before', fields: logind('7', 'dave', '2118') },
  { at: '2024-05-13T12:03:11.402566Z', boot: 'before', fields: { _PID: '2151', _UID: '1000', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-7.scope', _AUDIT_SESSION: '7', _AUDIT_LOGINUID: '1000', PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: 'dave : TTY=pts/0 ; PWD=/home/dave ; USER=root ; COMMAND=/usr/bin/systemctl edit --full backup.service' } },
  { at: '2024-05-13T12:03:11.404018Z', boot: 'before', fields: noise('sudo', '2151', 'pam_unix(sudo:session): session opened for user root(uid=0) by dave(uid=1000)', { SYSLOG_FACILITY: '10' }) },
  { at: '2024-05-13T12:05:48.130477Z', boot: 'before', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  { at: '2024-05-13T12:05:48.402991Z', boot: 'before', fields: noise('sudo', '2151', 'pam_unix(sudo:session): session closed for user root', { SYSLOG_FACILITY: '10' }) },
  // no shutdown records: the next entry is a new boot (power loss)
  { at: '2024-05-13T12:21:07.310442Z', boot: 'after', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-05-13T12:21:09.118320Z', boot: 'after', fields: job(STARTED, 'ssh.service', 'start', 'done', 'Started ssh.service - OpenBSD Secure Shell server.') },
  { at: '2024-05-13T12:21:09.204871Z', boot: 'after', fields: job(FAILED_START, 'backup.timer', 'start', 'failed', 'Failed to start backup.timer - Nightly backup timer.', { PRIORITY: '3' }) },
  { at: '2024-05-13T12:21:09.205334Z', boot: 'after', fields: job(STARTED, 'timers.target', 'start', 'done', 'Reached target timers.target - Timer Units.') },
  { at: '2024-05-13T12:24:30.077412Z', boot: 'after', fields: noise('sshd', '733', 'Accepted publickey for dave from 192.0.2.44 port 50388 ssh2: ED25519 SHA256:Vw3kP9mQx2Lr7Tn1Zs4Yb8Hc6Jd0Fe5Ga2Ub3Ic9Ko', { SYSLOG_FACILITY: '4' }) },
  { at: '2024-05-13T12:24:30.201559Z', boot: 'after', fields: logind('2', 'dave', '733') },
]
