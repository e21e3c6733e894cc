// The story of this sample (see README.md): an attacker who can write to the journal puts markup and script
// into every field maskwhy shows — unit names, the sudo user, host names, plain messages — and masks a unit
// whose name is a `javascript:` URL. Nothing here may ever run in maskwhy's HTML report.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
//
// make.sh runs the real `systemctl --root=… mask 'javascript:window.__pwned=3'` first and passes what it printed
// (scratch root cut out) in $SYSTEMCTL_LOG: those lines go into the journal verbatim, as provision.service's stdout.
import { readFileSync } from 'node:fs'

if (!process.env.SYSTEMCTL_LOG) throw new Error('run make.sh: SYSTEMCTL_LOG (what systemctl mask printed) is not set')
const systemctlLines = readFileSync(process.env.SYSTEMCTL_LOG, 'utf8').split('\n').filter((l) => l !== '')

// The hostile strings (the browser test looks for each of them as visible text).
export const SCRIPT = '<script>window.__pwned=1</script>'
export const ATTR = '"><img src=x onerror="window.__pwned=2">'
export const JS_URL = 'javascript:window.__pwned=3'
export const SVG_BREAK = '</svg><script>window.__pwned=4</script>'
export const SVG_ONLOAD = '<svg onload="window.__pwned=5">'
export const USER = '<img/src=x/onerror=window.__pwned=6>'
export const ANCHOR = '<a href="javascript:window.__pwned=7">click</a>'

export const host = `web3${ATTR}`
export const machineId = '0b1c2d3e4f5a46b7c8d9e0f1a2b3c4d5'
export const boots = { first: '6a5b4c3d2e1f40a9b8c7d6e5f4a3b2c1' }

const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/usr/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const sudo = (pid, command) => ({ _PID: pid, _UID: '1000', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-4.scope', _AUDIT_SESSION: '4', _AUDIT_LOGINUID: '1000', PRIORITY: '5', MESSAGE: `${USER} : TTY=pts/0 ; PWD=/home/mallory ; USER=root ; COMMAND=${command}` })
const stdout = (unit, pid, message) => ({ _PID: pid, _COMM: 'systemctl', _TRANSPORT: 'stdout', _SYSTEMD_UNIT: unit, SYSLOG_IDENTIFIER: unit.replace(/\.service$/, ''), PRIORITY: '6', MESSAGE: message })
const noise = (comm, pid, message, extra = {}) => ({ _PID: pid, _COMM: comm, SYSLOG_IDENTIFIER: comm, _TRANSPORT: 'syslog', PRIORITY: '6', MESSAGE: message, ...extra })
const RELOAD = (pid) => ({ ...pid1, MESSAGE: `Reloading requested from client PID ${pid} ('systemctl') (unit session-4.scope)...` })

export const entries = [
  { at: '2024-04-10T07:00:01.100000Z', boot: 'first', fields: { ...pid1, MESSAGE: 'systemd 252.39-1~deb12u2 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)' } },
  // A login whose user name is markup (logind does not care what the name is).
  { at: '2024-04-10T09:12:40.300000Z', boot: 'first', fields: { _PID: '611', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: '4', USER_ID: USER, LEADER: '3001', MESSAGE: `New session 4 of user ${USER}.` } },
  // sudo logs argv joined by spaces, unquoted.
  { at: '2024-04-10T09:13:05.000100Z', boot: 'first', fields: sudo('3010', `/usr/bin/systemctl mask x${SCRIPT}.service`) },
  { at: '2024-04-10T09:13:05.120000Z', boot: 'first', fields: RELOAD('3011') },
  { at: '2024-04-10T09:14:10.000200Z', boot: 'first', fields: sudo('3020', `/usr/bin/systemctl mask ${SVG_BREAK}.service`) },
  { at: '2024-04-10T09:15:20.000300Z', boot: 'first', fields: sudo('3030', `/usr/bin/systemctl mask --now ${JS_URL}`) },
  // provision.service runs the same mask; systemctl's real output (make.sh) reaches the journal as its stdout.
  ...systemctlLines.map((line, i) => ({ at: `2024-04-10T09:15:21.00040${i}Z`, boot: 'first', fields: stdout('provision.service', '3040', line) })),
  { at: '2024-04-10T09:15:21.100000Z', boot: 'first', fields: RELOAD('3041') },
  // A forged systemctl line: any process can write this to the journal.
  { at: '2024-04-10T09:16:30.000500Z', boot: 'first', fields: stdout('evil.service', '3050', `Created symlink /etc/systemd/system/${SVG_ONLOAD}.service → /dev/null.`) },
  { at: '2024-04-10T09:17:00.000600Z', boot: 'first', fields: stdout('deploy.service', '3060', `Failed to start x${SCRIPT}.service: Unit x${SCRIPT}.service is masked.`) },
  // Plain messages, a hostile identifier and other host names.
  { at: '2024-04-10T09:18:00.000700Z', boot: 'first', fields: noise('nginx', '3070', `GET /${ANCHOR} 404 ${SCRIPT}`) },
  { at: '2024-04-10T09:18:01.000800Z', boot: 'first', fields: noise(`cron${SVG_BREAK}`, '3080', `${ATTR} ${SVG_BREAK} ${JS_URL}`, { _HOSTNAME: `db1${SCRIPT}` }) },
  { at: '2024-04-10T09:19:00.000900Z', boot: 'first', fields: { ...sudo('3090', `/usr/bin/systemctl restart ${ANCHOR}`), _HOSTNAME: `${SVG_BREAK}` } },
]
