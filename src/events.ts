/**
 * The normalized event model. Every parser emits these; the correlator and the reporters read only these.
 * Values are flat primitives (or arrays of strings) so events serialise to JSON/CSV without loss.
 */

/** How an event's time was obtained. */
export type TimeBasis =
  /** The source records UTC (journal µs timestamps, dnf `Z`/offset times, audit epoch). */
  | 'utc'
  /** The source records local wall time; it was converted with `timeZone`. */
  | 'local'
  /** Not in the record itself: derived (e.g. a year taken from the file's context). */
  | 'inferred'
  /** No time could be established; `timeUs` is null. */
  | 'unknown'

export interface EventBase {
  /** Microseconds since the Unix epoch, UTC. Null when unknown (never invented). */
  timeUs: number | null
  timeBasis: TimeBasis
  /** IANA zone used to convert a local time, or null. */
  timeZone: string | null
  /** Where `timeZone` came from (`--tz`, `etc/localtime`, …), or null. */
  timeZoneSource: string | null
  /** Caveat about the time, e.g. "ambiguous local time (DST end): earlier instant used", "year inferred from …". */
  timeNote: string | null
  /** Host name as recorded by the source, or null. */
  host: string | null
  /** Input path relative to the evidence root (or `<stdin>`). */
  path: string
  /** 1-based line number of the record's first line in the (decompressed) input. */
  line: number
  /** Journal `__CURSOR` when the source is a journal, else null. */
  cursor: string | null
  /** Parser id that produced the event. */
  parser: string
  /** The verbatim evidence text (the log line, or the journal MESSAGE). */
  text: string
}

/** How a mask or unmask was evidenced. */
export type ChangeForm =
  /** systemctl's own `Created symlink … → /dev/null.` / `Removed "…".` output. */
  | 'symlink-message'
  /** deb-systemd-helper or a package script. */
  | 'helper'
  /** A command line run by an administrator (sudo, audit, polkit). */
  | 'admin-command'

export type SystemdScope = 'system' | 'user'

export interface UnitMasked extends EventBase {
  kind: 'unit-masked'
  unit: string
  form: ChangeForm
  /** Path of the `/dev/null` link as printed. */
  linkPath: string
  /** True when the link lives under /run (a runtime mask that does not survive reboot). */
  runtime: boolean
  /** Process that printed or ran it (`_COMM`), when the source says. */
  actorComm: string | null
  /** Unit the printing process ran in (`_SYSTEMD_UNIT`), when the source says. */
  actorUnit: string | null
  /** Package whose maintainer script/scriptlet printed it (term.log, dnf.rpm.log), else null. */
  package: string | null
  /** Package transaction it happened in, else null. */
  transactionId: string | null
}

export interface UnitUnmasked extends EventBase {
  kind: 'unit-unmasked'
  unit: string
  form: ChangeForm
  linkPath: string
  runtime: boolean
  actorComm: string | null
  actorUnit: string | null
  package: string | null
  transactionId: string | null
}

/** A `.wants/`/`.requires/` or alias link was created (enable) or removed (disable). */
export interface UnitEnabled extends EventBase {
  kind: 'unit-enabled'
  unit: string
  linkPath: string
  target: string
  actorComm: string | null
  actorUnit: string | null
  package: string | null
  transactionId: string | null
}

export interface UnitDisabled extends EventBase {
  kind: 'unit-disabled'
  unit: string
  linkPath: string
  actorComm: string | null
  actorUnit: string | null
  package: string | null
  transactionId: string | null
}

/** A start/enable/edit of a unit was refused because the unit is masked. */
export interface MaskRefused extends EventBase {
  kind: 'mask-refused'
  unit: string
  /** What was refused: start, enable, edit… as the message says; `unmask` for a mask made by a generator (systemctl cannot remove it). */
  operation: string
  /** The unit whose start was asked for when that is not the masked unit (its dependency was), else null. */
  requestedUnit: string | null
}

/** PID 1 could not pull in a dependency because it is masked ("Cannot add dependency job … is masked"). */
export interface MaskedDependency extends EventBase {
  kind: 'masked-dependency'
  /** The masked unit. */
  unit: string
  /** The unit whose transaction wanted it, when the message names it. */
  requiredBy: string | null
}

/** A start job ended with JOB_RESULT=dependency ("Dependency failed for …"). */
export interface DependencyFailed extends EventBase {
  kind: 'dependency-failed'
  unit: string
  scope: SystemdScope
}

export interface UnitStarted extends EventBase {
  kind: 'unit-started'
  unit: string
  scope: SystemdScope
}

export interface UnitStopped extends EventBase {
  kind: 'unit-stopped'
  unit: string
  scope: SystemdScope
}

export interface UnitFailed extends EventBase {
  kind: 'unit-failed'
  unit: string
  scope: SystemdScope
  /** JOB_RESULT or UNIT_RESULT when present (failed, timeout, exit-code…). */
  result: string | null
}

/** systemd reloaded (daemon-reload) or re-executed itself. */
export interface DaemonReload extends EventBase {
  kind: 'daemon-reload'
  method: 'reload' | 'reexec'
  scope: SystemdScope
  /** PID, comm and unit of the client that asked (systemd ≥ 253 logs them), else null. */
  requesterPid: number | null
  requesterComm: string | null
  requesterUnit: string | null
}

/** First entry of a boot seen in the evidence (not necessarily the boot itself). */
export interface Boot extends EventBase {
  kind: 'boot'
  bootId: string
}

export type AdminVia = 'sudo' | 'pkexec' | 'audit' | 'polkit'

/** A person ran a command that changes unit state (systemctl …, or `ln -s /dev/null …`). */
export interface AdminCommand extends EventBase {
  kind: 'admin-command'
  via: AdminVia
  /** Who asked (login user), or null when the record does not say. */
  actor: string | null
  /** Whom the command ran as (sudo USER=), or null. */
  runAs: string | null
  /** TTY or terminal, or null. */
  tty: string | null
  /** Login session id (audit `ses=`, logind), or null. */
  session: string | null
  /** The command line exactly as recorded (hex-decoded for audit). */
  command: string
  /** The systemctl verb (mask, unmask, enable…), `ln` for a hand-made link. */
  verb: string
  units: string[]
  /** Options given to systemctl (`--runtime`, `--now`, `--user`…). */
  flags: string[]
  /** Whether the command was allowed (sudo/audit result); false for rejections. */
  succeeded: boolean
}

/** logind: "New session N of user U." */
export interface LoginSession extends EventBase {
  kind: 'login-session'
  session: string
  user: string
}

/** Where a kernel command line was read; it says which boot(s) the line applies to. */
export type CommandLineOrigin =
  /** The kernel's own `Command line:` message (journal `_TRANSPORT=kernel`, or a syslog `kernel:` line): the boot it was logged in. */
  | 'kernel-log'
  /** A copied `/proc/cmdline`: the boot that was running when the evidence was copied. */
  | 'proc-cmdline'
  /** `boot/grub/grub.cfg` (`boot/grub2/grub.cfg`): what the boot loader passes for one menu entry. */
  | 'grub-cfg'
  /** `etc/default/grub`: what the next `update-grub`/`grub2-mkconfig` writes into grub.cfg; no boot used it yet. */
  | 'grub-default'
  /** `etc/kernel/cmdline`: what kernel-install writes into the next boot entries (systemd-boot, UKI, BLS). */
  | 'kernel-install'

/** A kernel command line, with the units its `systemd.mask=` parameters mask (systemd-debug-generator). */
export interface KernelCommandLine extends EventBase {
  kind: 'kernel-command-line'
  origin: CommandLineOrigin
  /** `_BOOT_ID` of the boot that logged it (kernel-log from the journal), else null. */
  bootId: string | null
  /** The command line as recorded (for etc/default/grub: the variable's value). */
  commandLine: string
  /** Units masked in the main system (`systemd.mask=`, names mangled as systemd does: `foo` → `foo.service`). */
  masks: string[]
  /** Units masked in the initrd only (`rd.systemd.mask=`). */
  initrdMasks: string[]
  /** grub.cfg: the menu entry title; etc/default/grub: the variable (GRUB_CMDLINE_LINUX…); else null. */
  entry: string | null
}

export type TransactionOutcome = 'completed' | 'error' | 'interrupted'

/** A package-manager run (apt, dnf, dnf5, yum, dpkg session). */
export interface PackageTransaction extends EventBase {
  kind: 'package-transaction'
  tool: string
  /** Identifier unique within the source (e.g. start time, dnf pid, history id). */
  transactionId: string
  commandLine: string | null
  actor: string | null
  outcome: TransactionOutcome
  /** Why the outcome was decided (e.g. "no End-Date: interrupted, or still running when copied"). */
  outcomeReason: string
  /** End time when known. */
  endUs: number | null
}

export type PackageActionType =
  | 'install'
  | 'unpack'
  | 'reinstall'
  | 'upgrade'
  | 'downgrade'
  | 'remove'
  | 'purge'
  | 'configure'
  | 'trigger'
  | 'status'
  | 'disappear'
  /** rpm's `Upgraded:`/`Obsoleted:`: the old package cleaned up after an upgrade. */
  | 'cleanup'

export interface PackageAction extends EventBase {
  kind: 'package-action'
  tool: string
  transactionId: string | null
  package: string
  arch: string | null
  action: PackageActionType
  fromVersion: string | null
  toVersion: string | null
  /** dpkg status after the action (installed, half-configured…), when the source says. */
  state: string | null
}

/**
 * A package's recorded state at the time the evidence was copied (dpkg status database).
 * Has no time of its own: `timeUs` is null and `timeNote` says so.
 */
export interface PackageState extends EventBase {
  kind: 'package-state'
  tool: string
  package: string
  arch: string | null
  version: string | null
  /** dpkg: want (install, hold, deinstall, purge). */
  want: string | null
  /** dpkg: error flag (ok, reinstreq). */
  errorFlag: string | null
  /** dpkg: status (installed, config-files, half-configured, unpacked, …). */
  status: string
}

/** A package ships a unit file (dpkg `info/*.list`, rpm file lists). No time of its own. */
export interface UnitFileOwner extends EventBase {
  kind: 'unit-file-owner'
  tool: string
  package: string
  unit: string
  /** Absolute path of the unit file on the copied machine. */
  unitPath: string
}

/**
 * A unit file's state as `systemctl list-unit-files` printed it (a sosreport's
 * `sos_commands/systemd/systemctl_list-unit-files`): systemd's own verdict over every unit directory of
 * the live machine when the listing was made. Has no time of its own: `timeUs` is null and `timeNote` says so.
 */
export interface UnitFileState extends EventBase {
  kind: 'unit-file-state'
  unit: string
  /** systemd's UnitFileState word as printed: enabled, enabled-runtime, linked, linked-runtime, alias, masked, masked-runtime, static, indirect, disabled, generated, transient, bad (invalid before v2xx). */
  state: string
  /** The PRESET column (`VENDOR PRESET` v245–v251): enabled, disabled, ignored; null when the listing has no such column (≤ v244) or prints `-`. */
  preset: string | null
}

export type PackageNoteType =
  /** `Running in chroot, ignoring request` — systemctl did nothing. */
  | 'chroot-ignored'
  /** dpkg: `error processing package X (--configure):` */
  | 'error-processing'
  /** dpkg/apt: `Errors were encountered while processing:` (followed by package names) */
  | 'errors-encountered'
  /** rpm: `Error in <SCRIPTLET> scriptlet …` / non-zero scriptlet exit */
  | 'scriptlet-failed'
  /** A package left in a broken dpkg state (half-installed, half-configured, unpacked, triggers-*). */
  | 'left-broken'
  /** dpkg.log: a `remove` not followed by `purge` (config files, and maybe a mask, remain). */
  | 'removed-not-purged'

/** Maintainer-script / scriptlet output and package-state facts that matter to a mask. */
export interface PackageNote extends EventBase {
  kind: 'package-note'
  tool: string
  note: PackageNoteType
  package: string | null
  transactionId: string | null
}

export type MaskEvent =
  | UnitMasked
  | UnitUnmasked
  | UnitEnabled
  | UnitDisabled
  | MaskRefused
  | MaskedDependency
  | DependencyFailed
  | UnitStarted
  | UnitStopped
  | UnitFailed
  | DaemonReload
  | Boot
  | AdminCommand
  | LoginSession
  | PackageTransaction
  | PackageAction
  | PackageState
  | UnitFileOwner
  | UnitFileState
  | PackageNote
  | KernelCommandLine

export type EventKind = MaskEvent['kind']

/** Every kind, in the order used by `--kind` help and reporters. */
export const EVENT_KINDS = [
  'unit-masked',
  'unit-unmasked',
  'unit-enabled',
  'unit-disabled',
  'mask-refused',
  'masked-dependency',
  'dependency-failed',
  'unit-started',
  'unit-stopped',
  'unit-failed',
  'daemon-reload',
  'boot',
  'admin-command',
  'login-session',
  'package-transaction',
  'package-action',
  'package-note',
  'package-state',
  'unit-file-owner',
  'unit-file-state',
  'kernel-command-line',
] as const satisfies readonly EventKind[]

/** Kinds without a time of their own (state at copy time): left out of `timeline` unless asked for with --kind. */
export const STATE_KINDS: readonly EventKind[] = ['package-state', 'unit-file-owner', 'unit-file-state']

// Compile-time check that EVENT_KINDS lists every kind.
type Missing = Exclude<EventKind, (typeof EVENT_KINDS)[number]>
const _allKindsListed: Missing extends never ? true : never = true
void _allKindsListed

/** The fields every event shares except `kind`, filled by a parser for one record. */
export type Provenance = EventBase

/** Units an event is about (for `--unit` filtering and per-unit views). */
export function unitsOf(event: MaskEvent): string[] {
  switch (event.kind) {
    case 'admin-command':
      return event.units
    case 'masked-dependency':
      return event.requiredBy ? [event.unit, event.requiredBy] : [event.unit]
    case 'mask-refused':
      return event.requestedUnit ? [event.unit, event.requestedUnit] : [event.unit]
    case 'daemon-reload':
      return event.requesterUnit ? [event.requesterUnit] : []
    case 'unit-file-owner':
      return [event.unit]
    case 'kernel-command-line':
      return event.masks
    case 'boot':
    case 'login-session':
    case 'package-transaction':
    case 'package-action':
    case 'package-state':
    case 'package-note':
      return []
    default:
      return [event.unit]
  }
}
