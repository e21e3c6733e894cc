/** Per-unit mask/unmask signals, extracted from events. Pure. */
import type { AdminCommand, MaskEvent, PackageTransaction, UnitMasked, UnitUnmasked } from '../events.ts'
import type { EvidenceLine } from './types.ts'

export type SignalSource =
  /** A person's command (sudo, pkexec, polkit, audit). */
  | 'admin'
  /** systemctl's own output printed by a unit's process (journal stdout): a script acting for someone. */
  | 'unit-script'
  /** systemctl's output inside a package manager's maintainer script / scriptlet. */
  | 'package'

export interface Signal {
  action: 'mask' | 'unmask'
  unit: string
  timeUs: number | null
  source: SignalSource
  runtime: boolean
  /** Who, in words, as the evidence says. */
  actor: string | null
  /** Package and transaction for package signals. */
  package: string | null
  transactionId: string | null
  events: MaskEvent[]
}

const CHAIN_WINDOW_US = 5_000_000

/** `alice via sudo on pts/0`, `uid 1000 via audit, session 3`. */
function adminActor(e: AdminCommand): string {
  const who = e.actor ?? 'unknown user'
  const parts = [`${who}${e.runAs && e.runAs !== e.actor ? ` (as ${e.runAs})` : ''} via ${e.via}`]
  if (e.tty) parts.push(`on ${e.tty}`)
  if (e.session) parts.push(`session ${e.session}`)
  return parts.join(' ')
}

function fromAdmin(e: AdminCommand, unit: string): Signal | null {
  if (!e.succeeded) return null
  const action = e.verb === 'mask' ? 'mask' : e.verb === 'unmask' ? 'unmask' : null
  if (action === null) return null
  return {
    action,
    unit,
    timeUs: e.timeUs,
    source: 'admin',
    runtime: e.flags.includes('--runtime'),
    actor: adminActor(e),
    package: null,
    transactionId: null,
    events: [e],
  }
}

function fromLink(e: UnitMasked | UnitUnmasked): Signal {
  const source: SignalSource = e.package !== null || e.transactionId !== null ? 'package' : 'unit-script'
  const actor =
    source === 'package'
      ? `package ${e.package ?? '(unknown)'}'s maintainer script`
      : [e.actorComm, e.actorUnit && `in ${e.actorUnit}`].filter(Boolean).join(' ') || null
  return {
    action: e.kind === 'unit-masked' ? 'mask' : 'unmask',
    unit: e.unit,
    timeUs: e.timeUs,
    source,
    runtime: e.runtime,
    actor,
    package: e.package,
    transactionId: e.transactionId,
    events: [e],
  }
}

/**
 * Every mask/unmask signal per unit, in time order. sudo and audit record the same command: signals of
 * the same action on the same unit from admin sources within a few seconds are one act, cited twice.
 */
export function signalsByUnit(events: readonly MaskEvent[]): Map<string, Signal[]> {
  const byUnit = new Map<string, Signal[]>()
  const add = (s: Signal): void => {
    const list = byUnit.get(s.unit) ?? []
    const twin = list.find(
      (o) =>
        o.action === s.action &&
        o.source === s.source &&
        s.source === 'admin' &&
        o.timeUs !== null &&
        s.timeUs !== null &&
        Math.abs(o.timeUs - s.timeUs) <= CHAIN_WINDOW_US,
    )
    if (twin) {
      twin.events.push(...s.events)
      // A named user beats "uid 1000": keep the more telling actor.
      if (twin.actor?.startsWith('uid ') && s.actor && !s.actor.startsWith('uid ')) twin.actor = s.actor
      twin.runtime ||= s.runtime
    } else {
      list.push(s)
    }
    byUnit.set(s.unit, list)
  }
  for (const e of events) {
    if (e.kind === 'admin-command') {
      for (const unit of e.units) {
        const s = fromAdmin(e, unit)
        if (s) add(s)
      }
    } else if (e.kind === 'unit-masked' || e.kind === 'unit-unmasked') {
      add(fromLink(e))
    }
  }
  for (const list of byUnit.values()) list.sort((a, b) => (a.timeUs ?? Infinity) - (b.timeUs ?? Infinity))
  return byUnit
}

export function evidenceOf(e: MaskEvent, role: string): EvidenceLine {
  return { path: e.path, line: e.line, cursor: e.cursor, timeUs: e.timeUs, role, text: e.text }
}

/** The transactions by id, one per id (history.log's preferred over term.log's: it names the command). */
export function transactionsById(events: readonly MaskEvent[]): Map<string, PackageTransaction> {
  const out = new Map<string, PackageTransaction>()
  for (const e of events) {
    if (e.kind !== 'package-transaction') continue
    const known = out.get(e.transactionId)
    if (!known || (known.commandLine === null && e.commandLine !== null)) {
      // Keep the worst outcome seen for the id: an interrupted term.log block outranks nothing.
      const outcome = known && rank(known.outcome) > rank(e.outcome) ? known : e
      out.set(e.transactionId, { ...e, outcome: outcome.outcome, outcomeReason: outcome.outcomeReason })
    } else if (rank(e.outcome) > rank(known.outcome)) {
      out.set(e.transactionId, { ...known, outcome: e.outcome, outcomeReason: e.outcomeReason })
    }
  }
  return out
}

const rank = (o: string): number => (o === 'interrupted' ? 2 : o === 'error' ? 1 : 0)
