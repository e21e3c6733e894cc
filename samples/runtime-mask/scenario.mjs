// The story of this sample (see README.md): carol masks cups.service until the next reboot
// (`sudo systemctl mask --runtime`) and stops it; the machine has not rebooted since.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'print1'
export const machineId = '2d7f4c1a9e3b4d6f8a0c2e4f6a8b0c1d'
export const boots = { only: '7e1a3c5b9d2f4e6a8c0b1d3f5a7c9e2b' }

const VERSION = 'systemd 252.26-1~deb12u2 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const STOPPING = 'de5b426a63be47a7b6ac3eaac82e2f6f'
const STOPPED = '9d1aaa27d60140bd96365438aad20286'
const SUCCEEDED = '7ad2d189f7e94e70a38c781354912448'
const noise = (comm, pid, message, extra = {}) => ({ _PID: pid, _COMM: comm, SYSLOG_IDENTIFIER: comm, _TRANSPORT: 'syslog', PRIORITY: '6', MESSAGE: message, ...extra })
const sudo = (message) => ({ _PID: '3307', _UID: '1002', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-4.scope', _AUDIT_SESSION: '4', _AUDIT_LOGINUID: '1002', PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: message })
const sudoPam = (pid, message) => noise('sudo', pid, message, { SYSLOG_FACILITY: '10' })

export const entries = [
  { at: '2024-07-02T13:05:40.006512Z', boot: 'only', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-07-02T13:05:43.551230Z', boot: 'only', fields: job(STARTED, 'cups.service', 'start', 'done', 'Started cups.service - CUPS Scheduler.') },
  { at: '2024-07-02T13:05:43.602114Z', boot: 'only', fields: job(STARTED, 'ssh.service', 'start', 'done', 'Started ssh.service - OpenBSD Secure Shell server.') },
  { at: '2024-07-02T14:17:01.002871Z', boot: 'only', fields: noise('CRON', '2004', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)') },
  { at: '2024-07-02T15:38:20.118734Z', boot: 'only', fields: noise('sshd', '3290', 'Accepted publickey for carol from 198.51.100.61 port 42710 ssh2: ED25519 SHA256:Rt5mN2qK8vB1xC7zL4wP0sD9fG3hJ6kA2eY5uI8oT1c', { SYSLOG_FACILITY: '4' }) },
  { at: '2024-07-02T15:38:20.244090Z', boot: 'only', fields: { _PID: '455', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: '4', USER_ID: 'carol', LEADER: '3290', MESSAGE: 'New session 4 of user carol.' } },
  // mask until the next boot, then the reload systemctl asks for (v252: no requester logged)
  { at: '2024-07-02T15:40:02.731406Z', boot: 'only', fields: { ...sudo('carol : TTY=pts/1 ; PWD=/home/carol ; USER=root ; COMMAND=/usr/bin/systemctl mask --runtime cups.service'), _PID: '3307' } },
  { at: '2024-07-02T15:40:02.733019Z', boot: 'only', fields: sudoPam('3307', 'pam_unix(sudo:session): session opened for user root(uid=0) by carol(uid=1002)') },
  { at: '2024-07-02T15:40:02.790255Z', boot: 'only', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  { at: '2024-07-02T15:40:02.981730Z', boot: 'only', fields: sudoPam('3307', 'pam_unix(sudo:session): session closed for user root') },
  // and stop it
  { at: '2024-07-02T15:40:09.112548Z', boot: 'only', fields: { ...sudo('carol : TTY=pts/1 ; PWD=/home/carol ; USER=root ; COMMAND=/usr/bin/systemctl stop cups.service'), _PID: '3315' } },
  { at: '2024-07-02T15:40:09.114100Z', boot: 'only', fields: sudoPam('3315', 'pam_unix(sudo:session): session opened for user root(uid=0) by carol(uid=1002)') },
  { at: '2024-07-02T15:40:09.130877Z', boot: 'only', fields: job(STOPPING, 'cups.service', 'stop', 'done', 'Stopping cups.service - CUPS Scheduler...') },
  { at: '2024-07-02T15:40:09.201553Z', boot: 'only', fields: { ...pid1, MESSAGE_ID: SUCCEEDED, UNIT: 'cups.service', MESSAGE: 'cups.service: Deactivated successfully.' } },
  { at: '2024-07-02T15:40:09.201790Z', boot: 'only', fields: job(STOPPED, 'cups.service', 'stop', 'done', 'Stopped cups.service - CUPS Scheduler.') },
  { at: '2024-07-02T15:40:09.215602Z', boot: 'only', fields: sudoPam('3315', 'pam_unix(sudo:session): session closed for user root') },
  { at: '2024-07-02T16:17:01.003318Z', boot: 'only', fields: noise('CRON', '3512', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)') },
]
