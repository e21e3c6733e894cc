// The story of this sample (see README.md): an ordinary boot of a RHEL 8.3 EC2 instance (systemd 239). The image
// ships /etc/systemd/system/systemd-timedated.service -> /dev/null, and nothing in this journal is about that unit.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'ip-10-20-30-40'
export const machineId = '5d9e2b7a1c4f4e3a9b8c7d6e5f4a3b2c'
export const boots = { only: 'b7d3f1a9c5e24b6d8f0a2c4e6b8d0f13' }

const VERSION = 'systemd 239 (239-41.el8_3) running in system mode. (+PAM +AUDIT +SELINUX +IMA -APPARMOR +SMACK +SYSVINIT +UTMP +LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +SECCOMP +BLKID +ELFUTILS +KMOD +IDN2 -IDN +PCRE2 default-hierarchy=legacy)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/usr/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTING = '7d4958e842da4a758f6c1cdc7b36dcc5'
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const STOPPING = 'de5b426a63be47a7b6ac3eaac82e2f6f'
const STOPPED = '9d1aaa27d60140bd96365438aad20286'
const SUCCEEDED = '7ad2d189f7e94e70a38c781354912448'
const noise = (comm, pid, message, extra = {}) => ({ _PID: pid, _COMM: comm, SYSLOG_IDENTIFIER: comm, _TRANSPORT: 'syslog', PRIORITY: '6', MESSAGE: message, ...extra })
const sudo = (pid, message) => ({ _PID: pid, _UID: '1000', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-1.scope', _AUDIT_SESSION: '1', _AUDIT_LOGINUID: '1000', PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: message })
const pam = (pid, message) => noise('sudo', pid, message, { SYSLOG_FACILITY: '10' })

export const entries = [
  // initrd
  { at: '2024-02-20T08:14:31.100204Z', boot: 'only', fields: { _TRANSPORT: 'kernel', SYSLOG_IDENTIFIER: 'kernel', SYSLOG_FACILITY: '0', PRIORITY: '5', MESSAGE: 'Linux version 4.18.0-240.10.1.el8_3.x86_64 (mockbuild@builder.example.invalid) (gcc version 8.3.1 20191121 (Red Hat 8.3.1-5) (GCC)) #1 SMP Wed Dec 16 03:30:52 EST 2020' } },
  { at: '2024-02-20T08:14:33.402117Z', boot: 'only', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-02-20T08:14:33.402390Z', boot: 'only', fields: { ...pid1, MESSAGE: 'Detected virtualization xen.' } },
  { at: '2024-02-20T08:14:36.905512Z', boot: 'only', fields: job(STARTING, 'initrd-parse-etc.service', 'start', 'done', 'Starting Reload Configuration from the Real Root...') },
  { at: '2024-02-20T08:14:36.911028Z', boot: 'only', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  { at: '2024-02-20T08:14:37.120664Z', boot: 'only', fields: { ...pid1, MESSAGE_ID: SUCCEEDED, UNIT: 'initrd-parse-etc.service', MESSAGE: 'initrd-parse-etc.service: Succeeded.' } },
  { at: '2024-02-20T08:14:37.121033Z', boot: 'only', fields: job(STARTED, 'initrd-parse-etc.service', 'start', 'done', 'Started Reload Configuration from the Real Root.') },
  // after switch-root
  { at: '2024-02-20T08:14:38.730881Z', boot: 'only', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-02-20T08:14:40.214470Z', boot: 'only', fields: job(STARTED, 'systemd-logind.service', 'start', 'done', 'Started Login Service.') },
  { at: '2024-02-20T08:14:40.387125Z', boot: 'only', fields: job(STARTED, 'chronyd.service', 'start', 'done', 'Started NTP client/server.') },
  { at: '2024-02-20T08:14:42.018339Z', boot: 'only', fields: job(STARTED, 'cloud-init.service', 'start', 'done', 'Started Initial cloud-init job (metadata service crawler).') },
  { at: '2024-02-20T08:14:42.201786Z', boot: 'only', fields: job(STARTED, 'sshd.service', 'start', 'done', 'Started OpenSSH server daemon.') },
  { at: '2024-02-20T08:14:42.230154Z', boot: 'only', fields: job(STARTED, 'multi-user.target', 'start', 'done', 'Reached target Multi-User System.') },
  { at: '2024-02-20T08:14:42.245870Z', boot: 'only', fields: { ...pid1, MESSAGE_ID: 'b07a249cd024414a82dd00cd181378ff', KERNEL_USEC: '1624311', INITRD_USEC: '5506337', USERSPACE_USEC: '5139409', MESSAGE: 'Startup finished in 1.624s (kernel) + 5.506s (initrd) + 5.139s (userspace) = 12.270s.' } },
  // ec2-user logs in, edits chrony.conf and restarts chronyd
  { at: '2024-02-20T08:31:05.663208Z', boot: 'only', fields: noise('sshd', '1642', 'Accepted publickey for ec2-user from 198.51.100.23 port 50310 ssh2: RSA SHA256:Fh3Jk6Lm9Np2Qr5St8Uv1Wx4Yz7Ab0Cd3Ef6Gh9Ij2', { SYSLOG_FACILITY: '10' }) },
  { at: '2024-02-20T08:31:05.702915Z', boot: 'only', fields: { _PID: '1011', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: '1', USER_ID: 'ec2-user', LEADER: '1642', MESSAGE: 'New session 1 of user ec2-user.' } },
  { at: '2024-02-20T08:33:48.190277Z', boot: 'only', fields: sudo('1701', 'ec2-user : TTY=pts/0 ; PWD=/home/ec2-user ; USER=root ; COMMAND=/bin/vi /etc/chrony.conf') },
  { at: '2024-02-20T08:33:48.193640Z', boot: 'only', fields: pam('1701', 'pam_unix(sudo:session): session opened for user root by ec2-user(uid=0)') },
  { at: '2024-02-20T08:34:30.551902Z', boot: 'only', fields: pam('1701', 'pam_unix(sudo:session): session closed for user root') },
  { at: '2024-02-20T08:34:41.027514Z', boot: 'only', fields: sudo('1712', 'ec2-user : TTY=pts/0 ; PWD=/home/ec2-user ; USER=root ; COMMAND=/bin/systemctl restart chronyd') },
  { at: '2024-02-20T08:34:41.030281Z', boot: 'only', fields: pam('1712', 'pam_unix(sudo:session): session opened for user root by ec2-user(uid=0)') },
  { at: '2024-02-20T08:34:41.061003Z', boot: 'only', fields: job(STOPPING, 'chronyd.service', 'restart', 'done', 'Stopping NTP client/server...') },
  { at: '2024-02-20T08:34:41.079468Z', boot: 'only', fields: job(STOPPED, 'chronyd.service', 'restart', 'done', 'Stopped NTP client/server.') },
  { at: '2024-02-20T08:34:41.081702Z', boot: 'only', fields: job(STARTING, 'chronyd.service', 'restart', 'done', 'Starting NTP client/server...') },
  { at: '2024-02-20T08:34:41.143360Z', boot: 'only', fields: job(STARTED, 'chronyd.service', 'restart', 'done', 'Started NTP client/server.') },
  { at: '2024-02-20T08:34:41.150885Z', boot: 'only', fields: pam('1712', 'pam_unix(sudo:session): session closed for user root') },
  { at: '2024-02-20T09:01:01.041127Z', boot: 'only', fields: noise('CROND', '1830', '(root) CMD (run-parts /etc/cron.hourly)', { SYSLOG_FACILITY: '9' }) },
]
