/**
 * Recognisers for single log messages about unit state, whatever carried them (journal, syslog,
 * apt term.log, dnf.rpm.log). Pure functions: message text in, plain data out.
 * Wordings and their systemd versions: ../shared/FORMATS.md §4 and §8.
 */
import { posix } from 'node:path'

export type LinkChange =
  | { change: 'mask'; unit: string; linkPath: string; runtime: boolean }
  | { change: 'unmask'; unit: string; linkPath: string; runtime: boolean }
  | { change: 'enable'; unit: string; linkPath: string; target: string }
  | { change: 'disable'; unit: string; linkPath: string }

// Created symlink /etc/systemd/system/foo.service → /dev/null.                      (v231+, UTF-8 locale)
// Created symlink /etc/systemd/system/foo.service -> /dev/null.                     (C locale)
// Created symlink from /etc/systemd/system/foo.service to /dev/null.                (≤ v228)
const CREATED = /^Created symlink (?:from )?(?<link>\S.*?) (?:\u2192|->|to) (?<target>\S.*?)\.$/
// Removed "/etc/systemd/system/foo.service".   (v252)
// Removed /etc/systemd/system/foo.service.     (v231–v24x)
// Removed symlink /etc/systemd/system/foo.service.   (≤ v228)
const REMOVED = /^Removed (?:symlink )?(?:"(?<quoted>[^"]+)"|(?<bare>\S.*?))\.$/
// A dependency directory: multi-user.target.wants/, foo.service.requires/, bar.target.upholds/
const DEPENDENCY_DIR = /\.(?:wants|requires|upholds)\/[^/]+$/

const isRuntime = (p: string): boolean => /(^|\/)run\/systemd\//.test(p)

/**
 * systemctl's change lines (printed by `mask`, `unmask`, `enable`, `disable`, `preset`).
 * A removed link outside `.wants/`-style directories is read as an unmask; it can also be an
 * alias link removed by `disable`, which only the unit's history can tell apart.
 */
export function parseLinkChange(message: string): LinkChange | null {
  const text = message.trimEnd()
  const created = CREATED.exec(text)
  if (created?.groups) {
    const linkPath = created.groups['link']!
    const target = created.groups['target']!
    const unit = posix.basename(linkPath)
    if (target === '/dev/null') return { change: 'mask', unit, linkPath, runtime: isRuntime(linkPath) }
    return { change: 'enable', unit, linkPath, target }
  }
  const removed = REMOVED.exec(text)
  if (removed?.groups) {
    const linkPath = removed.groups['quoted'] ?? removed.groups['bare']!
    if (!linkPath.includes('/')) return null
    const unit = posix.basename(linkPath)
    if (DEPENDENCY_DIR.test(linkPath)) return { change: 'disable', unit, linkPath }
    return { change: 'unmask', unit, linkPath, runtime: isRuntime(linkPath) }
  }
  return null
}

export interface MaskRefusal {
  /** The masked unit. */
  unit: string
  operation: string
  /** The unit whose start was asked for, when it is not the masked one (a dependency was masked). */
  requested: string | null
}

// Failed to start fail.target: Unit fail.service is masked.       (systemctl start; D-Bus UnitMasked)
// Failed to enable unit, unit /etc/systemd/system/foo.service is masked.
// Failed to enable unit: Unit file /etc/systemd/system/foo.service is masked.
const REFUSED_START = /^Failed to (?<op>[a-z-]+) (?<what>\S+?): Unit (?<unit>\S+) is masked\.$/
const REFUSED_UNIT_FILE = /^Failed to (?<op>[a-z-]+) unit[,:] [Uu]nit(?: file)? (?<unit>\S+) is masked\.$/
// Unit nginx.service is masked via a generator and cannot be unmasked.   (systemctl unmask, v252+, src/shared/install.c)
const GENERATOR_MASK = /^Unit (?<unit>\S+) is masked via a generator and cannot be unmasked(?:, skipping)?\.$/

export function parseMaskRefusal(message: string): MaskRefusal | null {
  const text = message.trimEnd()
  const generator = GENERATOR_MASK.exec(text)
  if (generator?.groups) return { unit: posix.basename(generator.groups['unit']!), operation: 'unmask', requested: null }
  const m = REFUSED_START.exec(text) ?? REFUSED_UNIT_FILE.exec(text)
  if (!m?.groups) return null
  const unit = posix.basename(m.groups['unit']!)
  const what = m.groups['what']
  return { unit, operation: m.groups['op']!, requested: what !== undefined && what !== unit ? what : null }
}

export interface MaskedDependencyMessage {
  unit: string
  requiredBy: string | null
}

// Cannot add dependency job for unit NetworkManager-wait-online.service, ignoring: Unit is masked.   (v219)
const DEP_V219 = /^Cannot add dependency job for unit (?<unit>\S+), ignoring: Unit is masked\.$/
// rsync.service: Cannot add dependency job, ignoring: Unit rsync.service is masked.                  (v220+)
// foo.service: Cannot add dependency job for unit bar.service, ignoring: Unit bar.service is masked.
const DEP_MODERN = /^(?<by>\S+): Cannot add dependency job(?: for unit \S+)?, ignoring: Unit (?<unit>\S+) is masked\.$/

export function parseMaskedDependency(message: string): MaskedDependencyMessage | null {
  const text = message.trimEnd()
  const old = DEP_V219.exec(text)
  if (old?.groups) return { unit: old.groups['unit']!, requiredBy: null }
  const m = DEP_MODERN.exec(text)
  if (!m?.groups) return null
  const by = m.groups['by']!
  const unit = m.groups['unit']!
  return { unit, requiredBy: by === unit ? null : by }
}

export interface ReloadMessage {
  method: 'reload' | 'reexec'
  requesterPid: number | null
  requesterComm: string | null
  requesterUnit: string | null
  /** True for the bare "Reloading..." that follows a "requested from client" line (v253+). */
  followUp: boolean
}

// Reloading requested from client PID 1225 ('systemctl') (unit dracut-initqueue.service)...   (v253+)
// Reload requested from client PID 822108 ('systemctl') (unit heimdall-bridge.service)...     (newest)
// Reexecuting requested from client PID 256457 ('systemctl') ...
const REQUESTED =
  /^(?<method>Reloading|Reload|Reexecuting|Reexecution) requested from client PID (?<pid>\d+)(?: \('(?<comm>[^']*)'\))?(?: \(unit (?<unit>[^)]+)\))? ?\.\.\.$/
// Reloading.  Reexecuting.   (≤ v252)      Reloading...   (v253+, after the line above)
const BARE = /^(?<method>Reloading|Reexecuting)(?<dots>\.|\.\.\.)$/

export function parseReload(message: string): ReloadMessage | null {
  const text = message.trimEnd()
  const req = REQUESTED.exec(text)
  if (req?.groups) {
    return {
      method: req.groups['method']!.startsWith('Reexec') ? 'reexec' : 'reload',
      requesterPid: Number(req.groups['pid']),
      requesterComm: req.groups['comm'] ?? null,
      requesterUnit: req.groups['unit'] ?? null,
      followUp: false,
    }
  }
  const bare = BARE.exec(text)
  if (!bare?.groups) return null
  return {
    method: bare.groups['method'] === 'Reexecuting' ? 'reexec' : 'reload',
    requesterPid: null,
    requesterComm: null,
    requesterUnit: null,
    followUp: bare.groups['dots'] === '...',
  }
}

export interface SudoRecord {
  user: string
  tty: string | null
  pwd: string | null
  runAs: string | null
  command: string
  /** Rejection reason (`user NOT in sudoers`, `3 incorrect password attempts`), or null when allowed. */
  rejection: string | null
}

// root : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/bin/systemctl restart sshd
// alice : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl mask x
// (syslog right-aligns the user to 8 columns; the journal strips the leading spaces)
// `s`: argv may hold CR, LF, U+2028/U+2029 (which `.` does not match); such a command must still be seen.
const SUDO = /^\s*(?<user>[^\s:]+) : (?<body>.*?COMMAND=.*)$/s

export function parseSudo(message: string): SudoRecord | null {
  const m = SUDO.exec(message)
  if (!m?.groups) return null
  const body = m.groups['body']!
  const at = body.indexOf('COMMAND=')
  const command = body.slice(at + 'COMMAND='.length)
  const fields = new Map<string, string>()
  const reasons: string[] = []
  for (const part of body.slice(0, at).split(' ; ')) {
    const p = part.trim()
    if (p === '') continue
    const kv = /^([A-Z]+)=(.*)$/.exec(p)
    if (kv) fields.set(kv[1]!, kv[2]!)
    else reasons.push(p)
  }
  return {
    user: m.groups['user']!,
    tty: fields.get('TTY') ?? null,
    pwd: fields.get('PWD') ?? null,
    runAs: fields.get('USER') ?? null,
    command,
    rejection: reasons.length > 0 ? reasons.join(' ; ') : null,
  }
}

export interface PkexecRecord {
  user: string
  runAs: string
  tty: string
  cwd: string
  command: string
}

// alice: Executing command [USER=root] [TTY=/dev/pts/0] [CWD=/home/alice] [COMMAND=/usr/bin/systemctl mask foo]
const PKEXEC = /^(?<user>\S+): Executing command \[USER=(?<runAs>[^\]]*)\] \[TTY=(?<tty>[^\]]*)\] \[CWD=(?<cwd>[^\]]*)\] \[COMMAND=(?<command>.*)\]$/s

export function parsePkexec(message: string): PkexecRecord | null {
  const m = PKEXEC.exec(message.trimEnd())
  if (!m?.groups) return null
  const g = m.groups
  return { user: g['user']!, runAs: g['runAs']!, tty: g['tty']!, cwd: g['cwd']!, command: g['command']! }
}

export interface PolkitRecord {
  action: string
  authenticatedAs: string
  owner: string | null
  command: string
}

// Operator of unix-session:3 successfully authenticated as unix-user:alice to gain TEMPORARY authorization
//   for action org.freedesktop.systemd1.manage-unit-files for system-bus-name::1.96 [systemctl mask foo.service] (owned by unix-user:alice)
const POLKIT =
  /^Operator of .+? successfully authenticated as (?<as>\S+) to gain (?:TEMPORARY|ONE-SHOT) authorization for action (?<action>\S+) for .+? \[(?<command>.*)\] \(owned by (?<owner>[^)]*)\)$/

export function parsePolkit(message: string): PolkitRecord | null {
  const m = POLKIT.exec(message.trimEnd())
  if (!m?.groups) return null
  const strip = (s: string): string => s.replace(/^unix-user:/, '')
  return {
    action: m.groups['action']!,
    authenticatedAs: strip(m.groups['as']!),
    owner: strip(m.groups['owner']!),
    command: m.groups['command']!,
  }
}

export interface AuditUserCmd {
  pid: string | null
  uid: string | null
  auid: string | null
  session: string | null
  cwd: string | null
  command: string
  terminal: string | null
  succeeded: boolean
}

/** libaudit writes a value as uppercase hex when it holds a space, a quote or non-ASCII. */
export function decodeAuditValue(value: string): string {
  if (value.startsWith('"')) return value.endsWith('"') ? value.slice(1, -1) : value.slice(1)
  if (/^(?:[0-9A-F]{2})+$/.test(value)) return Buffer.from(value, 'hex').toString('utf8')
  return value
}

// USER_CMD pid=5099 uid=0 auid=1000 ses=1 subj=… msg='cwd="/" cmd=73797374656D63746C206D61736B20666F6F exe="/usr/bin/sudo" terminal=pts/0 res=success'
const AUDIT_KV = /(?<key>[a-z_]+)=(?<value>"[^"]*"|'[^']*'|\S+)/g

export function parseAuditUserCmd(message: string): AuditUserCmd | null {
  if (!message.includes('cmd=')) return null
  const outer = new Map<string, string>()
  const inner = new Map<string, string>()
  const msgAt = message.indexOf("msg='")
  const head = msgAt === -1 ? message : message.slice(0, msgAt)
  const tail = msgAt === -1 ? '' : message.slice(msgAt + 5, message.lastIndexOf("'") > msgAt + 4 ? message.lastIndexOf("'") : undefined)
  for (const m of head.matchAll(AUDIT_KV)) outer.set(m.groups!['key']!, m.groups!['value']!)
  for (const m of tail.matchAll(AUDIT_KV)) inner.set(m.groups!['key']!, m.groups!['value']!)
  const cmd = inner.get('cmd') ?? outer.get('cmd')
  if (cmd === undefined) return null
  const cwd = inner.get('cwd')
  return {
    pid: outer.get('pid') ?? null,
    uid: outer.get('uid') ?? null,
    auid: outer.get('auid') ?? null,
    session: outer.get('ses') ?? null,
    cwd: cwd === undefined ? null : decodeAuditValue(cwd),
    command: decodeAuditValue(cmd),
    terminal: inner.get('terminal') ?? null,
    succeeded: (inner.get('res') ?? outer.get('res')) !== 'failed',
  }
}

// New session 5 of user alice.     New session c1 of user gdm.
const NEW_SESSION = /^New session (?<session>\S+) of user (?<user>\S+?)\.$/

export function parseNewSession(message: string): { session: string; user: string } | null {
  const m = NEW_SESSION.exec(message.trimEnd())
  return m?.groups ? { session: m.groups['session']!, user: m.groups['user']! } : null
}
