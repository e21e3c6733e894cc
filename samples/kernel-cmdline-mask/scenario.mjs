// The story of this sample (see README.md): dave adds systemd.mask=chrony.service to GRUB's default
// kernel command line while chasing a boot hang, runs update-grub and reboots; chrony never starts again,
// and configuration management's `systemctl unmask` cannot undo it. Debian 12, systemd 252.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'db2'
export const machineId = '7c2e9a41d05b4f6e8a3c1d7b9e0f2a64'
export const boots = {
  first: 'a41c7e2d9b3f4a6c8e1d5f7b2c9a0e13',
  masked: 'c83d1f5a7e2b4c9d0a6e8f1b3d5c7e29',
  kernel: 'e5f7a9c1b3d24e6f8a0c2e4b6d8f1a37',
}

const VERSION = 'systemd 252.30-1~deb12u2 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const STARTING = '7d4958e842da4a758f6c1cdc7b36dcc5'
const STOPPED = '9d1aaa27d60140bd96365438aad20286'
// The kernel logs its command line twice on x86: setup_arch() ("Command line:") and start_kernel() ("Kernel command line:").
const kernel = (message, priority = '6') => ({ _TRANSPORT: 'kernel', SYSLOG_IDENTIFIER: 'kernel', SYSLOG_FACILITY: '0', PRIORITY: priority, _SOURCE_MONOTONIC_TIMESTAMP: '0', MESSAGE: message })
const PLAIN = 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-23-amd64 root=/dev/vda1 ro quiet'
const MASKED = 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-23-amd64 root=/dev/vda1 ro quiet systemd.mask=chrony.service'
const MASKED_NEW = 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-25-amd64 root=/dev/vda1 ro quiet systemd.mask=chrony.service'
const bootEntries = (boot, at, cmdline) => [
  { at: `${at}.000101Z`, boot, fields: kernel('Linux version 6.1.0-23-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1 (2024-07-15)', '5') },
  { at: `${at}.000114Z`, boot, fields: kernel(`Command line: ${cmdline}`) },
  { at: `${at}.052210Z`, boot, fields: kernel(`Kernel command line: ${cmdline}`, '5') },
]
const sudo = (pid, user, uid, session, command) => ({ _PID: pid, _UID: uid, _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: `session-${session}.scope`, _AUDIT_SESSION: session, _AUDIT_LOGINUID: uid, PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: `${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=${command}` })
const pull = (pid, comm, transport, message) => ({ _PID: pid, _UID: '0', _COMM: comm, _EXE: `/usr/bin/${comm}`, _TRANSPORT: transport, _SYSTEMD_UNIT: 'ansible-pull.service', SYSLOG_IDENTIFIER: comm, SYSLOG_FACILITY: '3', PRIORITY: '6', MESSAGE: message })

export const entries = [
  // boot 1: a plain command line; chrony starts
  ...bootEntries('first', '2024-09-02T06:00:01', PLAIN),
  { at: '2024-09-02T06:00:03.402331Z', boot: 'first', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-09-02T06:00:05.118842Z', boot: 'first', fields: job(STARTED, 'chrony.service', 'start', 'done', 'Started chrony.service - chrony, an NTP client/server.') },
  // dave edits /etc/default/grub, runs update-grub and reboots
  { at: '2024-09-03T09:10:44.520117Z', boot: 'first', fields: sudo('4411', 'dave', '1002', '7', '/usr/bin/vi /etc/default/grub') },
  { at: '2024-09-03T09:12:02.004873Z', boot: 'first', fields: sudo('4433', 'dave', '1002', '7', '/usr/sbin/update-grub') },
  { at: '2024-09-03T09:12:30.771902Z', boot: 'first', fields: sudo('4460', 'dave', '1002', '7', '/usr/sbin/reboot') },
  { at: '2024-09-03T09:12:31.230018Z', boot: 'first', fields: job(STOPPED, 'chrony.service', 'stop', 'done', 'Stopped chrony.service - chrony, an NTP client/server.') },
  // boot 2: systemd.mask=chrony.service; chrony is not started, and PID 1 says nothing about it
  ...bootEntries('masked', '2024-09-03T09:13:12', MASKED),
  { at: '2024-09-03T09:13:14.210774Z', boot: 'masked', fields: { ...pid1, MESSAGE: VERSION } },
  // configuration management tries to bring chrony back: systemctl's own output reaches the journal
  { at: '2024-09-05T03:00:00.004418Z', boot: 'masked', fields: job(STARTING, 'ansible-pull.service', 'start', 'done', 'Starting ansible-pull.service - Apply the site playbook...') },
  { at: '2024-09-05T03:00:41.662905Z', boot: 'masked', fields: pull('88121', 'systemctl', 'stdout', 'Unit chrony.service is masked via a generator and cannot be unmasked.') },
  { at: '2024-09-05T03:00:41.930127Z', boot: 'masked', fields: pull('88125', 'systemctl', 'stdout', 'Failed to start chrony.service: Unit chrony.service is masked.') },
  // boot 3: a kernel update, same GRUB defaults: still masked
  { at: '2024-09-10T04:30:02.118204Z', boot: 'masked', fields: sudo('9120', 'erin', '1003', '12', '/usr/bin/apt-get -y upgrade') },
  ...bootEntries('kernel', '2024-09-10T04:41:20', MASKED_NEW).map((e, i) => (i === 0 ? { ...e, fields: { ...e.fields, MESSAGE: e.fields.MESSAGE.replaceAll('6.1.0-23', '6.1.0-25').replace('6.1.99-1 (2024-07-15)', '6.1.106-3 (2024-08-26)') } } : e)),
  { at: '2024-09-10T04:41:22.540120Z', boot: 'kernel', fields: { ...pid1, MESSAGE: VERSION } },
]
