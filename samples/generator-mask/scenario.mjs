// The story of this sample (see README.md): a site-local generator masks pgbouncer on the standby node of a
// database pair; after a failover drill leaves the node marked standby, a deploy job and then frank try
// `systemctl unmask`, which cannot undo a generator's link. Debian 12, systemd 252.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'pg-b'
export const machineId = '2b7d9f1e4a6c48e0b3d5f7a9c1e3b5d7'
export const boots = { only: '9d1b3f5e7a2c4e6a8b0d2f4a6c8e0b13' }

const VERSION = 'systemd 252.30-1~deb12u2 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const job = (id, unit, type, result, message, extra = {}) => ({ ...pid1, MESSAGE_ID: id, UNIT: unit, JOB_TYPE: type, JOB_RESULT: result, MESSAGE: message, ...extra })
const STARTED = '39f53479d3a045ac8e11786248231fbf'
const STARTING = '7d4958e842da4a758f6c1cdc7b36dcc5'
const FAILED_START = 'be02cf6855d2428ba40df7e9d022f03d'
const UNIT_FAILED = 'd9b373ed55a64feb8242e02dbe79a49c'
const sudo = (pid, user, uid, session, command) => ({ _PID: pid, _UID: uid, _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: `session-${session}.scope`, _AUDIT_SESSION: session, _AUDIT_LOGINUID: uid, PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: `${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=${command}` })
const deploy = (pid, message) => ({ _PID: pid, _UID: '0', _COMM: 'systemctl', _EXE: '/usr/bin/systemctl', _TRANSPORT: 'stdout', _SYSTEMD_UNIT: 'pgbouncer-deploy.service', SYSLOG_IDENTIFIER: 'systemctl', SYSLOG_FACILITY: '3', PRIORITY: '6', MESSAGE: message })
const logind = (pid, session, user, leader) => ({ _PID: pid, _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: session, USER_ID: user, LEADER: leader, MESSAGE: `New session ${session} of user ${user}.` })

export const entries = [
  { at: '2024-10-01T05:02:11.400127Z', boot: 'only', fields: { ...pid1, MESSAGE: VERSION } },
  { at: '2024-10-01T05:02:14.882390Z', boot: 'only', fields: job(STARTED, 'pgbouncer.service', 'start', 'done', 'Started pgbouncer.service - connection pooler for PostgreSQL.') },
  // the failover drill: grace marks this node standby (etc/ha/role) and reloads; the generator masks pgbouncer
  { at: '2024-10-14T02:13:40.120551Z', boot: 'only', fields: logind('702', '41', 'grace', '120433') },
  { at: '2024-10-14T02:14:02.310284Z', boot: 'only', fields: sudo('120480', 'grace', '1004', '41', '/usr/bin/tee /etc/ha/role') },
  { at: '2024-10-14T02:14:09.017733Z', boot: 'only', fields: sudo('120486', 'grace', '1004', '41', '/usr/bin/systemctl daemon-reload') },
  { at: '2024-10-14T02:14:09.061207Z', boot: 'only', fields: { ...pid1, MESSAGE: 'Reloading.' } },
  // the nightly deploy job cannot unmask it, nor restart it
  { at: '2024-10-15T01:00:00.004411Z', boot: 'only', fields: job(STARTING, 'pgbouncer-deploy.service', 'start', 'done', 'Starting pgbouncer-deploy.service - Roll out the pooler configuration...') },
  { at: '2024-10-15T01:00:03.550902Z', boot: 'only', fields: deploy('133201', 'Unit pgbouncer.service is masked via a generator and cannot be unmasked.') },
  { at: '2024-10-15T01:00:03.804416Z', boot: 'only', fields: deploy('133207', 'Failed to restart pgbouncer.service: Unit pgbouncer.service is masked.') },
  { at: '2024-10-15T01:00:03.806130Z', boot: 'only', fields: { ...pid1, MESSAGE_ID: UNIT_FAILED, UNIT: 'pgbouncer-deploy.service', UNIT_RESULT: 'exit-code', MESSAGE: "pgbouncer-deploy.service: Failed with result 'exit-code'.", PRIORITY: '4' } },
  { at: '2024-10-15T01:00:03.806372Z', boot: 'only', fields: job(FAILED_START, 'pgbouncer-deploy.service', 'start', 'failed', 'Failed to start pgbouncer-deploy.service - Roll out the pooler configuration.', { PRIORITY: '3' }) },
  // frank tries by hand in the morning (systemctl's answer went to his terminal only)
  { at: '2024-10-15T08:31:55.650018Z', boot: 'only', fields: logind('702', '57', 'frank', '140112') },
  { at: '2024-10-15T08:32:20.118204Z', boot: 'only', fields: sudo('140190', 'frank', '1005', '57', '/usr/bin/systemctl unmask pgbouncer.service') },
]
