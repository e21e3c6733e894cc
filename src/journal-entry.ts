/**
 * Turns one journal entry (from any journal framing: JSON, export, binary) into events.
 * Trust rules (../shared/FORMATS.md §1): `UNIT=`/`USER_UNIT=` are client-supplied, so they are
 * believed only from PID 1 or a `user@UID.service` manager; fields starting with `_` are trusted.
 */
import type { EventBase, MaskEvent, SystemdScope } from './events.ts'
import { parseUnitCommands } from './commands.ts'
import { masksOf } from './formats/kernel-cmdline.ts'
import { withFields } from './parse-kit.ts'
import {
  parseAuditUserCmd,
  parseLinkChange,
  parseMaskedDependency,
  parseMaskRefusal,
  parseNewSession,
  parsePkexec,
  parsePolkit,
  parseReload,
  parseSudo,
} from './messages.ts'

/** Field access over one entry; values are decoded text (byte arrays as UTF-8). */
export interface JournalEntry {
  /** First value of the field, or undefined when absent or null (a field over the 4096-byte JSON limit). */
  get(name: string): string | undefined
}

export const MESSAGE_IDS = {
  jobStartFinished: '39f53479d3a045ac8e11786248231fbf',
  jobStartFailed: 'be02cf6855d2428ba40df7e9d022f03d',
  jobStopFinished: '9d1aaa27d60140bd96365438aad20286',
  unitFailed: 'd9b373ed55a64feb8242e02dbe79a49c',
  sessionStart: '8d45620c1a4348dbb17410da57c60c66',
} as const

/**
 * What the recogniser can possibly find something in, for the journal JSON prefilter
 * (src/journal/json-prefilter.ts), which JSON-parses only the records that could match. Every event but
 * `boot` needs one of these; keep them in step with #recognise and src/messages.ts — the prefilter test
 * asserts that every event recognised from the test corpora comes from a line the prefilter kept.
 */
export const RECOGNISABLE = {
  /** MESSAGE (after colour escapes are removed) starts with one of these. */
  messagePrefixes: [
    'Created symlink', // parseLinkChange
    'Removed ', // parseLinkChange
    'Failed to ', // parseMaskRefusal
    'Unit ', // parseMaskRefusal: masked via a generator
    'Cannot add dependency job', // parseMaskedDependency (v219)
    'Reload', // parseReload
    'Reexecut', // parseReload
    'New session ', // parseNewSession
    'Operator of ', // parsePolkit
    'USER_CMD ', // auditEvents
    'Kernel command line: ', // #kernelEvents
    'Command line: ', // #kernelEvents
    'command line: ', // #kernelEvents
  ],
  /** MESSAGE is `WORD` + one of these (pkexec, PID 1's modern dependency message). */
  afterFirstWord: [': Executing command', ': Cannot add dependency job'],
  /** MESSAGE is `[whitespace]USER : …` (sudo). */
  sudoSeparator: ' : ',
  /** MESSAGE_ID values jobEvent() knows, and the kinds it makes of each (a run that drops them all skips the line). */
  jobMessageIds: [MESSAGE_IDS.jobStartFinished, MESSAGE_IDS.jobStartFailed, MESSAGE_IDS.jobStopFinished, MESSAGE_IDS.unitFailed],
  jobMessageKinds: [['unit-started'], ['dependency-failed', 'unit-failed'], ['unit-stopped'], ['unit-failed']] as const,
  /** _AUDIT_TYPE_NAME for which auditEvents() reads AUDIT_FIELD_CMD whatever MESSAGE says. */
  auditTypeName: 'USER_CMD',
} as const

export interface EntryLocation {
  path: string
  line: number
  parser: string
}

export type TimeProblem = 'missing' | 'invalid' | null

// ESC [ params m  — colour/attribute sequences systemctl emits when colours are forced on.
const ANSI_SGR = /\u001b\[[0-9;]*m/g

/** µs string → number; journal timestamps stay below 2^53 µs until the year 2255. */
export function parseMicros(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,16}$/.test(value)) return null
  return Number(value)
}

interface BootSeen {
  firstUs: number | null
  base: EventBase
}

/**
 * Stateful per input: remembers boots (emitted at the end, at their earliest entry) and the
 * last "Reloading requested" per manager, so v253+'s follow-up "Reloading..." is not counted twice.
 */
export class JournalRecogniser {
  readonly #boots = new Map<string, BootSeen>()
  readonly #lastRequestUs = new Map<string, number>()
  /** The last kernel command line seen: x86 logs it twice per boot (`Command line:`, then `Kernel command line:`). */
  #lastCommandLine: { boot: string; line: string } | null = null

  /** Events of one entry, plus what was wrong with its time. */
  entry(e: JournalEntry, at: EntryLocation): { events: MaskEvent[]; timeProblem: TimeProblem } {
    const raw = e.get('__REALTIME_TIMESTAMP') ?? e.get('_SOURCE_REALTIME_TIMESTAMP')
    const timeUs = parseMicros(raw)
    const timeProblem: TimeProblem = raw === undefined ? 'missing' : timeUs === null ? 'invalid' : null
    const message = e.get('MESSAGE') ?? ''
    // Recognise on the text a terminal would show: colour escapes (SGR) removed. `text` stays verbatim.
    const shown = message.includes('\u001b') ? message.replace(ANSI_SGR, '') : message
    const base: EventBase = {
      timeUs,
      timeBasis: timeUs === null ? 'unknown' : 'utc',
      timeZone: null,
      timeZoneSource: null,
      timeNote: null,
      host: e.get('_HOSTNAME') ?? null,
      path: at.path,
      line: at.line,
      cursor: e.get('__CURSOR') ?? null,
      parser: at.parser,
      text: message,
    }
    this.#noteBoot(e.get('_BOOT_ID'), base)
    return { events: this.#recognise(e, shown, base), timeProblem }
  }

  /**
   * The earliest time seen so far for a boot: undefined when the boot is new (its next entry would
   * start it), null when every entry so far had no time (any timed entry would replace it). An entry
   * of a seen boot at or after this time cannot change the boot events.
   */
  bootFirstUs(bootId: string): number | null | undefined {
    return this.#boots.get(bootId)?.firstUs
  }

  /** Boot events, one per `_BOOT_ID`, at the earliest entry of that boot in this input. */
  finish(): MaskEvent[] {
    return [...this.#boots].map(([bootId, seen]) => ({
      kind: 'boot' as const,
      ...seen.base,
      bootId,
    }))
  }

  #noteBoot(bootId: string | undefined, base: EventBase): void {
    if (bootId === undefined || !/^[0-9a-f]{32}$/.test(bootId)) return
    const seen = this.#boots.get(bootId)
    if (seen === undefined) {
      this.#boots.set(bootId, { firstUs: base.timeUs, base })
    } else if (base.timeUs !== null && (seen.firstUs === null || base.timeUs < seen.firstUs)) {
      seen.firstUs = base.timeUs
      seen.base = base
    }
  }

  #recognise(e: JournalEntry, message: string, base: EventBase): MaskEvent[] {
    const manager = managerScope(e)
    if (manager !== null) {
      const fromManager = this.#managerEvent(e, message, base, manager)
      if (fromManager !== null) return fromManager
    }
    const identifier = e.get('SYSLOG_IDENTIFIER') ?? e.get('_COMM')
    // _TRANSPORT is trusted in the journal; a syslog line has none, and its `kernel:` tag is what kmsg gave it.
    const transport = e.get('_TRANSPORT')
    if (transport === 'kernel' || (transport === undefined && identifier === 'kernel')) return this.#kernelEvents(e, message, base)
    if (identifier === 'sudo') return sudoEvents(message, base)
    if (identifier === 'pkexec') return pkexecEvents(message, base)
    // polkitd logs as `polkitd` or, on older releases, `polkitd(authority=local)`.
    if (identifier?.startsWith('polkitd') === true) return polkitEvents(message, base)
    if (e.get('_TRANSPORT') === 'audit' || e.get('_AUDIT_TYPE_NAME') !== undefined) return auditEvents(e, message, base)
    if (e.get('MESSAGE_ID') === MESSAGE_IDS.sessionStart || identifier === 'systemd-logind') {
      const s = parseNewSession(message)
      if (s) return [withFields(base, { kind: 'login-session' as const, session: s.session, user: s.user })]
    }
    return clientOutputEvents(e, message, base)
  }

  #kernelEvents(e: JournalEntry, message: string, base: EventBase): MaskEvent[] {
    const m = KERNEL_COMMAND_LINE.exec(message.trimEnd())
    if (!m?.groups) return []
    const line = m.groups['line']!
    const bootId = e.get('_BOOT_ID') ?? null
    const boot = bootId ?? ''
    const repeated = m.groups['kernel'] !== undefined && this.#lastCommandLine?.boot === boot && this.#lastCommandLine.line === line
    this.#lastCommandLine = { boot, line }
    if (repeated) return []
    return [{ kind: 'kernel-command-line', ...base, origin: 'kernel-log', bootId, commandLine: line, ...masksOf(line), entry: null }]
  }

  #managerEvent(e: JournalEntry, message: string, base: EventBase, scope: SystemdScope): MaskEvent[] | null {
    const unit = scope === 'system' ? e.get('UNIT') : e.get('USER_UNIT')
    const messageId = e.get('MESSAGE_ID')
    if (unit !== undefined && messageId !== undefined) {
      const job = jobEvent(e, messageId, unit, scope, base)
      if (job !== null) return [job]
    }
    const reload = parseReload(message)
    if (reload !== null) {
      const key = `${e.get('_BOOT_ID') ?? ''}/${e.get('_PID') ?? ''}`
      if (reload.followUp) {
        const last = this.#lastRequestUs.get(key)
        // v253+ logs "… requested from client PID …" and then "Reloading..." for the same reload.
        if (last !== undefined && base.timeUs !== null && base.timeUs - last < 5_000_000) return []
      } else if (reload.requesterPid !== null && base.timeUs !== null) {
        this.#lastRequestUs.set(key, base.timeUs)
      }
      return [
        {
          kind: 'daemon-reload',
          ...base,
          method: reload.method,
          scope,
          requesterPid: reload.requesterPid,
          requesterComm: reload.requesterComm,
          requesterUnit: reload.requesterUnit,
        },
      ]
    }
    const dep = parseMaskedDependency(message)
    if (dep !== null) return [{ kind: 'masked-dependency', ...base, unit: dep.unit, requiredBy: dep.requiredBy }]
    return null
  }
}

// Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=… ro quiet   (x86 setup_arch(), early)
// Kernel command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=… ro quiet   (init/main.c, every arch)
const KERNEL_COMMAND_LINE = /^(?<kernel>Kernel )?[Cc]ommand line: (?<line>.*)$/

/** 'system' for PID 1, 'user' for a user manager, else null (its UNIT= is not to be believed). */
function managerScope(e: JournalEntry): SystemdScope | null {
  if (e.get('_PID') === '1') return 'system'
  const ownUnit = e.get('_SYSTEMD_UNIT')
  if (ownUnit !== undefined && /^user@\d+\.service$/.test(ownUnit) && e.get('_COMM') === 'systemd') return 'user'
  return null
}

function jobEvent(e: JournalEntry, messageId: string, unit: string, scope: SystemdScope, base: EventBase): MaskEvent | null {
  const result = e.get('JOB_RESULT') ?? null
  switch (messageId) {
    case MESSAGE_IDS.jobStartFinished:
      if (result === null || result === 'done') return withFields(base, { kind: 'unit-started' as const, unit, scope })
      return null
    case MESSAGE_IDS.jobStartFailed:
      // job_emit_done_message(): a start job that did not end "done" uses this id, incl. JOB_RESULT=dependency.
      if (result === 'dependency' || base.text.startsWith('Dependency failed for')) {
        return withFields(base, { kind: 'dependency-failed' as const, unit, scope })
      }
      return withFields(base, { kind: 'unit-failed' as const, unit, scope, result })
    case MESSAGE_IDS.jobStopFinished:
      return withFields(base, { kind: 'unit-stopped' as const, unit, scope })
    case MESSAGE_IDS.unitFailed:
      return withFields(base, { kind: 'unit-failed' as const, unit, scope, result: e.get('UNIT_RESULT') ?? result })
    default:
      return null
  }
}

function adminEvents(
  base: EventBase,
  via: 'sudo' | 'pkexec' | 'audit' | 'polkit',
  command: string,
  who: { actor: string | null; runAs: string | null; tty: string | null; session: string | null; succeeded: boolean },
): MaskEvent[] {
  return parseUnitCommands(command).map((c) => ({
    kind: 'admin-command' as const,
    ...base,
    via,
    ...who,
    command,
    verb: c.verb,
    units: c.units,
    flags: c.program === 'ln' ? ['ln', ...c.flags] : c.flags,
  }))
}

function sudoEvents(message: string, base: EventBase): MaskEvent[] {
  const s = parseSudo(message)
  if (s === null) return []
  return adminEvents(base, 'sudo', s.command, {
    actor: s.user,
    runAs: s.runAs,
    tty: s.tty,
    session: null,
    succeeded: s.rejection === null,
  })
}

function pkexecEvents(message: string, base: EventBase): MaskEvent[] {
  const p = parsePkexec(message)
  if (p === null) return []
  return adminEvents(base, 'pkexec', p.command, { actor: p.user, runAs: p.runAs, tty: p.tty, session: null, succeeded: true })
}

function polkitEvents(message: string, base: EventBase): MaskEvent[] {
  const p = parsePolkit(message)
  if (p === null) return []
  return adminEvents(base, 'polkit', p.command, {
    actor: p.owner ?? p.authenticatedAs,
    runAs: null,
    tty: null,
    session: null,
    succeeded: true,
  })
}

function auditEvents(e: JournalEntry, message: string, base: EventBase): MaskEvent[] {
  const typeName = e.get('_AUDIT_TYPE_NAME')
  if (typeName !== undefined ? typeName !== 'USER_CMD' : !message.startsWith('USER_CMD ')) return []
  const parsed = parseAuditUserCmd(message)
  // journald maps the userspace msg='…' fields to AUDIT_FIELD_* with the hex already decoded.
  const command = e.get('AUDIT_FIELD_CMD') ?? parsed?.command
  if (command === undefined) return []
  const auid = parsed?.auid ?? e.get('_AUDIT_LOGINUID') ?? null
  return adminEvents(base, 'audit', command, {
    actor: auid === null || auid === '4294967295' ? null : `uid ${auid}`,
    runAs: parsed?.uid === undefined || parsed.uid === null ? null : `uid ${parsed.uid}`,
    tty: e.get('AUDIT_FIELD_TERMINAL') ?? parsed?.terminal ?? null,
    session: parsed?.session ?? e.get('_AUDIT_SESSION') ?? null,
    succeeded: (e.get('AUDIT_FIELD_RES') ?? (parsed?.succeeded === false ? 'failed' : 'success')) !== 'failed',
  })
}

const noPackage = { package: null, transactionId: null }

/** systemctl's own output that reached the journal through some unit's stdout/stderr. */
function clientOutputEvents(e: JournalEntry, message: string, base: EventBase): MaskEvent[] {
  const actorComm = e.get('_COMM') ?? null
  const actorUnit = e.get('_SYSTEMD_UNIT') ?? null
  const link = parseLinkChange(message)
  if (link !== null) {
    switch (link.change) {
      case 'mask':
      case 'unmask':
        return [
          {
            kind: link.change === 'mask' ? 'unit-masked' : 'unit-unmasked',
            ...base,
            unit: link.unit,
            form: 'symlink-message',
            linkPath: link.linkPath,
            runtime: link.runtime,
            actorComm,
            actorUnit,
            ...noPackage,
          },
        ]
      case 'enable':
        return [{ kind: 'unit-enabled', ...base, unit: link.unit, linkPath: link.linkPath, target: link.target, actorComm, actorUnit, ...noPackage }]
      case 'disable':
        return [{ kind: 'unit-disabled', ...base, unit: link.unit, linkPath: link.linkPath, actorComm, actorUnit, ...noPackage }]
    }
  }
  const refusal = parseMaskRefusal(message)
  if (refusal !== null) return [{ kind: 'mask-refused', ...base, unit: refusal.unit, operation: refusal.operation, requestedUnit: refusal.requested }]
  return []
}
