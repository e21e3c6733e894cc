/** One-line, human summaries per event kind. A new kind fails to compile until it is described here. */
import type { MaskEvent } from '../events.ts'

type Describers = { [K in MaskEvent['kind']]: (e: Extract<MaskEvent, { kind: K }>) => string }

/** Who printed or made a link change: a process and its unit (journal), or a package's maintainer script. */
const by = (e: { actorComm: string | null; actorUnit: string | null; package: string | null }): string => {
  const parts = [e.actorComm && `by ${e.actorComm}`, e.actorUnit && `in ${e.actorUnit}`, e.package && `by package ${e.package}'s script`].filter(Boolean)
  return parts.length > 0 ? ` (${parts.join(' ')})` : ''
}

const DESCRIBE: Describers = {
  'unit-masked': (e) => `masked${e.runtime ? ' until reboot (runtime)' : ''}: ${e.linkPath} → /dev/null${by(e)}`,
  'unit-unmasked': (e) => `unmasked: removed ${e.linkPath}${by(e)}`,
  'unit-enabled': (e) => `enabled: ${e.linkPath} → ${e.target}${by(e)}`,
  'unit-disabled': (e) => `disabled: removed ${e.linkPath}${by(e)}`,
  'mask-refused': (e) => `${e.operation}${e.requestedUnit ? ` of ${e.requestedUnit}` : ''} refused: ${e.unit} is masked${e.operation === 'unmask' ? ' via a generator' : ''}`,
  'masked-dependency': (e) => `dependency ${e.unit} is masked${e.requiredBy ? ` (wanted by ${e.requiredBy})` : ''}; not started`,
  'dependency-failed': (e) => `${e.unit} not started: a dependency failed`,
  'unit-started': (e) => `started${e.scope === 'user' ? ' (user manager)' : ''}`,
  'unit-stopped': (e) => `stopped${e.scope === 'user' ? ' (user manager)' : ''}`,
  'unit-failed': (e) => `failed${e.result && e.result !== 'failed' ? ` (${e.result})` : ''}`,
  'daemon-reload': (e) => {
    const what = e.method === 'reexec' ? 'systemd re-executed' : 'systemd reloaded unit files'
    const who = [e.requesterComm && `'${e.requesterComm}'`, e.requesterPid !== null && `PID ${e.requesterPid}`, e.requesterUnit && `unit ${e.requesterUnit}`]
      .filter(Boolean)
      .join(', ')
    return `${what}${e.scope === 'user' ? ' (user manager)' : ''}${who ? `, requested by ${who}` : ', requester not logged'}`
  },
  boot: (e) => `boot ${e.bootId} (first entry seen)`,
  'admin-command': (e) => {
    const who = e.actor ?? 'unknown user'
    const as = e.runAs ? ` as ${e.runAs}` : ''
    const tty = e.tty ? ` on ${e.tty}` : ''
    const refused = e.succeeded ? '' : ' [REFUSED]'
    return `${who}${as} via ${e.via}${tty}: ${e.command}${refused}`
  },
  'login-session': (e) => `session ${e.session} of user ${e.user} opened`,
  'package-transaction': (e) => `${e.tool} ${e.outcome}${e.commandLine ? `: ${e.commandLine}` : ''} (${e.outcomeReason})`,
  'package-state': (e) => `${e.package}${e.arch ? `:${e.arch}` : ''} ${e.version ?? ''} is ${[e.want, e.errorFlag, e.status].filter(Boolean).join(' ')} (state when copied)`,
  'unit-file-owner': (e) => `${e.unitPath} belongs to package ${e.package}`,
  'unit-file-state': (e) => `${e.state}${e.preset ? ` (preset: ${e.preset})` : ''} in systemctl list-unit-files (state when listed)`,
  'package-note': (e) => `${e.note}${e.package ? ` (${e.package})` : ''}`,
  'kernel-command-line': (e) => {
    const where = { 'kernel-log': 'kernel command line at boot', 'proc-cmdline': 'kernel command line of the running boot (proc/cmdline)', 'grub-cfg': 'boot loader entry', 'grub-default': 'GRUB default for the next update-grub', 'kernel-install': 'kernel-install command line for new boot entries' }[e.origin]
    const masks = [...e.masks.map((u) => `systemd.mask=${u}`), ...e.initrdMasks.map((u) => `rd.systemd.mask=${u} (initrd only)`)]
    return `${where}${e.entry ? ` (${e.entry})` : ''}: ${masks.length > 0 ? masks.join(', ') : 'no systemd.mask='}`
  },
  'package-action': (e) => {
    const versions = e.fromVersion && e.toVersion ? `${e.fromVersion} → ${e.toVersion}` : (e.toVersion ?? e.fromVersion ?? '')
    return `${e.action} ${e.package}${e.arch ? `:${e.arch}` : ''} ${versions}${e.state ? ` [${e.state}]` : ''}`.trimEnd()
  },
}

export function describeEvent(e: MaskEvent): string {
  return (DESCRIBE[e.kind] as (e: MaskEvent) => string)(e)
}

/** The subject column: units, else the package. */
export function subjectOf(e: MaskEvent): string {
  switch (e.kind) {
    case 'admin-command':
      return e.units.join(' ')
    case 'package-action':
    case 'package-state':
      return e.package
    case 'package-note':
      return e.package ?? ''
    case 'unit-file-owner':
      return e.unit
    case 'kernel-command-line':
      return e.masks.join(' ')
    case 'package-transaction':
      return e.transactionId
    case 'boot':
    case 'login-session':
    case 'daemon-reload':
      return ''
    default:
      return e.unit
  }
}

/** `path:line`, plus the journal cursor when there is one. */
export function sourceOf(e: MaskEvent): string {
  return `${e.path}:${e.line}`
}
