// The story of this sample (see README.md): lena masks telemetryd.service because it phones home; weeks
// later the package is removed (not purged). The mask stays behind with nothing under it. Debian 12, systemd 252.
// make.sh passes the real times of its apt runs (MASK_AT) so that the journal and apt's logs agree.
// Turned into genuine `journalctl -o json` output by make.sh (systemd-journal-remote + journalctl).
export const host = 'ci3'
export const machineId = '0d2f4b6a8c1e43a5b7d9f1c3e5a7b9d1'
export const boots = { only: '3f5b7d9e1a2c44e6a8c0b2d4f6e8a0c3' }

const at = process.env['MASK_AT'] ?? '2026-11-24T20:00:00.000000Z'
const later = (iso, ms) => new Date(Date.parse(iso) + ms).toISOString().replace(/\.(\d{3})Z$/, '.$1214Z')
const pid1 = { _PID: '1', _COMM: 'systemd', _EXE: '/lib/systemd/systemd', SYSLOG_IDENTIFIER: 'systemd', _TRANSPORT: 'journal', _SYSTEMD_UNIT: 'init.scope', SYSLOG_FACILITY: '3', PRIORITY: '6' }
const sudo = (pid, command) => ({ _PID: pid, _UID: '1008', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', _TRANSPORT: 'syslog', _SYSTEMD_UNIT: 'session-2.scope', _AUDIT_SESSION: '2', _AUDIT_LOGINUID: '1008', PRIORITY: '5', SYSLOG_FACILITY: '10', MESSAGE: `lena : TTY=pts/0 ; PWD=/home/lena ; USER=root ; COMMAND=${command}` })

export const entries = [
  { at: later(at, -60_000), boot: 'only', fields: { _PID: '590', _COMM: 'systemd-logind', SYSLOG_IDENTIFIER: 'systemd-logind', _TRANSPORT: 'journal', PRIORITY: '6', MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', SESSION_ID: '2', USER_ID: 'lena', LEADER: '7701', MESSAGE: 'New session 2 of user lena.' } },
  { at, boot: 'only', fields: sudo('7760', '/usr/bin/systemctl mask --now telemetryd.service') },
  { at: later(at, 52), boot: 'only', fields: { ...pid1, MESSAGE: 'Reloading.' } },
]
