/**
 * The correlator: events and the copied unit directories in, one explanation per unit out.
 * Pure: no I/O, no clock, no environment. Every claim it makes cites the evidence it rests on;
 * where nothing dates or names something, it says unknown and why.
 */
import type { MaskEvent, PackageAction, PackageTransaction } from '../events.ts'
import { evidenceOf, signalsByUnit, transactionsById, type Signal } from './signals.ts'
import { adviseFix } from './fix.ts'
import { formatInstant } from '../time.ts'
import type { Cause, Confidence, EvidenceLine, HistoryItem, TransactionInfo, UnitExplanation, UnitStateName } from './types.ts'

/** The parts of the unit-state reader's result the correlator uses (see src/unit-state.ts). */
export interface FsEntry {
  unit: string
  path: string
  scope: 'system' | 'user'
  layer: string
  kind: 'masked-link' | 'empty-file' | 'unit-file' | 'link'
  linkTarget: string | null
  mtimeUs: number | null
  effective: boolean
  /** The reader's own verdict (a chain of links ending at /dev/null is masked too); `kind` decides when absent. */
  masked?: boolean
}
export interface FsState {
  hasFilesystem: boolean
  files: readonly FsEntry[]
  helperMasked: readonly { unit: string; path: string; mtimeUs: number | null }[]
  dependencies: readonly { from: string; to: string; type: string; source: string }[]
}

const HARD_DEPENDENCIES = new Set(['Requires', 'Requisite', 'BindsTo', 'requires-link'])
const LINK_MTIME_NOTE = "the link's own mtime (weak evidence: kept by cp -a and tar, reset by cp -r)"

interface Context {
  events: readonly MaskEvent[]
  fs: FsState | null
  transactions: Map<string, PackageTransaction>
  actionsByTx: Map<string, PackageAction[]>
  owners: Map<string, string>
  /** package → the record saying it was removed and not purged (dpkg.log preferred: it has a time). */
  removedNotPurged: Map<string, MaskEvent>
  /** unit → package, from maintainer-script output that names the unit (term.log, dnf.rpm.log). */
  scriptPackages: Map<string, MaskEvent & { package: string | null }>
  configFilesOnly: Set<string>
  host: string | null
}

function contextOf(events: readonly MaskEvent[], fs: FsState | null): Context {
  const actionsByTx = new Map<string, PackageAction[]>()
  const owners = new Map<string, string>()
  const removedNotPurged = new Map<string, MaskEvent>()
  const scriptPackages = new Map<string, MaskEvent & { package: string | null }>()
  const configFilesOnly = new Set<string>()
  const hosts = new Map<string, number>()
  for (const e of events) {
    if (e.host) hosts.set(e.host, (hosts.get(e.host) ?? 0) + 1)
    if (e.kind === 'package-action' && e.transactionId) {
      const list = actionsByTx.get(e.transactionId) ?? []
      list.push(e)
      actionsByTx.set(e.transactionId, list)
    } else if (e.kind === 'unit-file-owner') {
      owners.set(e.unitPath.replace(/^\/+/, ''), e.package)
    } else if (e.kind === 'package-note' && e.note === 'removed-not-purged' && e.package) {
      const known = removedNotPurged.get(e.package)
      if (!known || (known.timeUs === null && e.timeUs !== null)) removedNotPurged.set(e.package, e)
    } else if ((e.kind === 'unit-enabled' || e.kind === 'unit-disabled' || e.kind === 'unit-masked' || e.kind === 'unit-unmasked') && e.package) {
      if (!scriptPackages.has(e.unit)) scriptPackages.set(e.unit, e)
    } else if (e.kind === 'package-state' && e.status === 'config-files') {
      configFilesOnly.add(e.package)
    }
  }
  const host = [...hosts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
  return { events, fs, transactions: transactionsById(events), actionsByTx, owners, removedNotPurged, scriptPackages, configFilesOnly, host }
}

function fsEffective(ctx: Context, unit: string): FsEntry | undefined {
  return ctx.fs?.files.find((f) => f.effective && f.unit === unit && f.scope === 'system') ?? ctx.fs?.files.find((f) => f.effective && f.unit === unit)
}

function isMaskEntry(e: FsEntry | undefined): e is FsEntry {
  return e !== undefined && (e.masked ?? (e.kind === 'masked-link' || e.kind === 'empty-file'))
}

function transactionInfo(t: PackageTransaction | undefined): TransactionInfo | null {
  if (!t) return null
  return {
    manager: t.tool,
    id: t.transactionId,
    startUs: t.timeUs,
    endUs: t.endUs,
    command: t.commandLine,
    requestedBy: t.actor,
    outcome: t.outcome,
    outcomeReason: t.outcomeReason,
  }
}

function historyOf(unit: string, signals: readonly Signal[], events: readonly MaskEvent[]): HistoryItem[] {
  const items: HistoryItem[] = signals.map((s) => ({
    timeUs: s.timeUs,
    action: s.action === 'mask' ? 'masked' : 'unmasked',
    by: s.actor ?? 'unknown',
    source: `${s.events[0]!.path}:${s.events[0]!.line}`,
    text: s.events[0]!.text,
  }))
  for (const e of events) {
    if (e.kind === 'mask-refused' && e.unit === unit) {
      items.push({ timeUs: e.timeUs, action: 'mask-refused', by: `${e.operation}${e.requestedUnit ? ` of ${e.requestedUnit}` : ''} refused`, source: `${e.path}:${e.line}`, text: e.text })
    } else if (e.kind === 'masked-dependency' && e.unit === unit) {
      items.push({ timeUs: e.timeUs, action: 'masked-dependency', by: e.requiredBy ? `wanted by ${e.requiredBy}` : 'PID 1', source: `${e.path}:${e.line}`, text: e.text })
    } else if (e.kind === 'admin-command' && !e.succeeded && e.units.includes(unit) && (e.verb === 'mask' || e.verb === 'unmask')) {
      items.push({ timeUs: e.timeUs, action: 'mask-attempt-refused', by: `${e.actor ?? 'unknown'} via ${e.via} (refused)`, source: `${e.path}:${e.line}`, text: e.text })
    }
  }
  return items.sort((a, b) => (a.timeUs ?? Infinity) - (b.timeUs ?? Infinity))
}

interface Decision {
  cause: Cause
  confidence: Confidence
  confidenceReason: string
  actor: string | null
  maskedAtUs: number | null
  maskedAtFrom: string
  transaction: TransactionInfo | null
  evidence: EvidenceLine[]
  package: string | null
}

/** Was the signal's package being removed (not purged) in its transaction, at that point? */
function removalOf(ctx: Context, s: Signal): PackageAction | undefined {
  if (!s.transactionId || !s.package) return undefined
  const first = s.events[0]!
  return ctx.actionsByTx
    .get(s.transactionId)
    ?.find((a) => a.package === s.package && a.action === 'remove' && a.path === first.path && a.line <= first.line)
}

function decideFromSignal(ctx: Context, s: Signal, entry: FsEntry | undefined): Decision {
  const evidence = s.events.map((e) => evidenceOf(e, s.action === 'mask' ? roleOf(s) : 'unmask'))
  const base = { actor: s.actor, maskedAtUs: s.timeUs, evidence, package: s.package }
  const dated = s.timeUs === null ? 'no time in the record that shows the act' : `the time of ${evidence[0]!.path}:${evidence[0]!.line}`
  const runtimeNow = entry?.layer === 'runtime' || (entry === undefined && s.runtime)
  if (s.source === 'admin') {
    return {
      ...base,
      evidence: [...evidence, ...corroboration(ctx, s)],
      cause: runtimeNow ? 'runtime-mask' : 'admin-command',
      confidence: 'high',
      confidenceReason: `${s.events[0]!.kind === 'admin-command' ? (s.events[0] as { via: string }).via : 'the'} record names the command, the unit and who ran it`,
      maskedAtFrom: dated,
      transaction: null,
    }
  }
  if (s.source === 'unit-script') {
    return {
      ...base,
      cause: runtimeNow ? 'runtime-mask' : 'admin-command',
      confidence: 'high',
      confidenceReason: "systemctl's own output, logged by the process that ran it (a unit's script)",
      maskedAtFrom: dated,
      transaction: null,
    }
  }
  const tx = s.transactionId ? ctx.transactions.get(s.transactionId) : undefined
  const transaction = transactionInfo(tx)
  if (tx?.outcome === 'interrupted') {
    return {
      ...base,
      cause: 'interrupted-transaction',
      confidence: 'high',
      confidenceReason: `the mask line is inside ${tx.tool} transaction ${tx.transactionId}, which never completed (${tx.outcomeReason})`,
      maskedAtFrom: `${dated} (package logs have one time per transaction)`,
      transaction,
    }
  }
  const removal = removalOf(ctx, s)
  if (removal) {
    return {
      ...base,
      evidence: [...evidence, evidenceOf(removal, 'the package was being removed')],
      cause: 'package-removal',
      confidence: 'high',
      confidenceReason: `the mask line follows the removal of ${s.package} in the same transaction`,
      maskedAtFrom: `${dated} (package logs have one time per transaction)`,
      transaction,
    }
  }
  return {
    ...base,
    cause: 'package-script',
    confidence: 'high',
    confidenceReason: `the mask line is maintainer-script output inside ${s.package ?? 'a package'}'s step of transaction ${s.transactionId ?? '(unknown)'}`,
    maskedAtFrom: `${dated} (package logs have one time per transaction)`,
    transaction,
  }
}

const RELOAD_WINDOW_US = 10_000_000

/**
 * What backs an admin's mask up: PID 1's reload right after it (systemd ≥ 253 names the requesting
 * client and its unit, e.g. session-3.scope) and the login session that unit belongs to.
 */
function corroboration(ctx: Context, s: Signal): EvidenceLine[] {
  if (s.timeUs === null) return []
  const t = s.timeUs
  const reload = ctx.events.find(
    (e) => e.kind === 'daemon-reload' && e.method === 'reload' && e.timeUs !== null && e.timeUs >= t && e.timeUs - t <= RELOAD_WINDOW_US,
  )
  if (reload?.kind !== 'daemon-reload') return []
  const out = [evidenceOf(reload, reload.requesterComm ? `PID 1 reloaded at the request of '${reload.requesterComm}'` : 'PID 1 reloaded right after')]
  const session = /^session-(.+)\.scope$/.exec(reload.requesterUnit ?? '')?.[1]
  const login = session && ctx.events.find((e) => e.kind === 'login-session' && e.session === session && (e.timeUs ?? 0) <= t)
  if (login) out.push(evidenceOf(login, `the login session the request came from (session ${session})`))
  return out
}

function roleOf(s: Signal): string {
  switch (s.source) {
    case 'admin':
      return 'the command that masked it'
    case 'unit-script':
      return "systemctl's output when it masked it"
    case 'package':
      return "maintainer script's systemctl output"
  }
}

function linkEvidence(entry: FsEntry): EvidenceLine {
  const text = entry.kind === 'empty-file' ? `${entry.path} (empty file)` : `${entry.path} -> ${entry.linkTarget ?? '?'}`
  return { path: entry.path, line: null, cursor: null, timeUs: entry.mtimeUs, role: 'the mask on disk', text }
}

/** No logged act explains the mask on disk: decide from the filesystem and package state. */
function decideFromDisk(ctx: Context, unit: string, entry: FsEntry): Decision {
  const onDisk = linkEvidence(entry)
  const weak = { maskedAtUs: null, maskedAtFrom: `no record shows the act; ${LINK_MTIME_NOTE} is ${entry.mtimeUs === null ? 'unknown' : 'listed as evidence'}` }
  const owner = ctx.owners.get(entry.path)
  if (entry.kind === 'empty-file') {
    return {
      ...weak,
      cause: 'empty-unit-file',
      confidence: 'high',
      confidenceReason: 'the unit file is 0 bytes: systemd treats it as masked',
      actor: null,
      transaction: null,
      evidence: [onDisk],
      package: owner ?? null,
    }
  }
  if (entry.layer === 'vendor') {
    return {
      ...weak,
      cause: 'vendor-default',
      confidence: owner ? 'high' : 'medium',
      confidenceReason: owner
        ? `package ${owner} ships ${entry.path} as a link to /dev/null`
        : `the /dev/null link is in a vendor directory (${entry.path}); no package list names its owner`,
      actor: owner ? `package ${owner}` : null,
      transaction: null,
      evidence: [onDisk],
      package: owner ?? null,
    }
  }
  const marker = ctx.fs?.helperMasked.find((m) => m.unit === unit)
  const owner2 = packageOfUnit(ctx, unit)
  const removal = owner2 && (ctx.removedNotPurged.get(owner2.name) ?? (ctx.configFilesOnly.has(owner2.name) ? null : undefined))
  const removedEvidence = removal ? [evidenceOf(removal, `package ${owner2!.name} removed, not purged`)] : []
  const ownerEvidence = owner2?.evidence ? [evidenceOf(owner2.evidence, `ties ${unit} to package ${owner2.name}`)] : []
  const removedAt =
    removal && removal.timeUs !== null
      ? { maskedAtUs: removal.timeUs, maskedAtFrom: `inferred: deb-systemd-helper masks in the postrm's remove step; the time of the removal (${removal.path}:${removal.line})` }
      : weak
  if (marker) {
    const markerLine: EvidenceLine = { path: marker.path, line: null, cursor: null, timeUs: marker.mtimeUs, role: 'deb-systemd-helper mask marker', text: marker.path }
    return {
      ...removedAt,
      cause: 'package-removal',
      confidence: removal !== undefined ? 'high' : 'medium',
      confidenceReason:
        removal !== undefined
          ? `deb-systemd-helper's marker ${marker.path} is present and package ${owner2!.name} (${owner2!.how}) was removed but not purged`
          : `deb-systemd-helper's marker ${marker.path} is present (the helper made this mask); no record of the package's removal was found`,
      actor: owner2 ? `package ${owner2.name}'s maintainer script (deb-systemd-helper)` : 'deb-systemd-helper',
      transaction: null,
      evidence: [onDisk, markerLine, ...removedEvidence, ...ownerEvidence],
      package: owner2?.name ?? null,
    }
  }
  if (owner2 && removal !== undefined) {
    return {
      ...weak,
      cause: 'package-removal',
      confidence: 'low',
      confidenceReason: `inferred: package ${owner2.name} (${owner2.how}) was removed but not purged; nothing records the mask itself`,
      actor: `package ${owner2.name}'s maintainer script (inferred)`,
      transaction: null,
      evidence: [onDisk, ...removedEvidence, ...ownerEvidence],
      package: owner2.name,
    }
  }
  if (entry.layer === 'runtime') {
    return {
      ...weak,
      cause: 'runtime-mask',
      confidence: 'medium',
      confidenceReason: 'the link is under run/ (a runtime mask, gone at reboot); nothing records who made it',
      actor: null,
      transaction: null,
      evidence: [onDisk],
      package: null,
    }
  }
  return {
    ...weak,
    cause: 'unknown',
    confidence: 'low',
    confidenceReason:
      'masked on disk, but no log in the evidence records it (searched: sudo/pkexec/polkit/audit commands, systemctl output in the journal, apt term.log, dnf.rpm.log, deb-systemd-helper markers, package states)',
    actor: null,
    transaction: null,
    evidence: [onDisk],
    package: null,
  }
}

interface UnitPackage {
  name: string
  how: string
  evidence: MaskEvent | null
}

/**
 * The package a unit belongs to: its dpkg file list; else maintainer-script output naming the unit
 * (after `remove` dpkg keeps only conffiles in the list); else a removed package of the unit's own name.
 */
function packageOfUnit(ctx: Context, unit: string): UnitPackage | undefined {
  for (const [path, pkg] of ctx.owners) if (path.endsWith(`/${unit}`)) return { name: pkg, how: `its file list names ${path}`, evidence: null }
  const script = ctx.scriptPackages.get(unit)
  if (script?.package) return { name: script.package, how: `its maintainer script acted on ${unit} (${script.path}:${script.line})`, evidence: script }
  const stem = unit.replace(/@?\.[a-z]+$/, '')
  if (ctx.removedNotPurged.has(stem) || ctx.configFilesOnly.has(stem)) return { name: stem, how: 'it has the unit\'s name', evidence: null }
  return undefined
}

function stateOf(entry: FsEntry | undefined, fs: FsState | null, last: Signal | undefined): { state: UnitStateName; from: UnitExplanation['stateFrom'] } {
  if (fs?.hasFilesystem) {
    if (!isMaskEntry(entry)) return { state: 'not-masked', from: 'filesystem' }
    return { state: entry.layer === 'runtime' ? 'masked-runtime' : 'masked', from: 'filesystem' }
  }
  if (last === undefined) return { state: 'unknown', from: 'none' }
  if (last.action === 'unmask') return { state: 'not-masked', from: 'events' }
  return { state: last.runtime ? 'masked-runtime' : 'masked', from: 'events' }
}

function explainUnit(ctx: Context, unit: string, signals: readonly Signal[]): UnitExplanation {
  const entry = fsEffective(ctx, unit)
  const last = signals[signals.length - 1]
  const { state, from } = stateOf(entry, ctx.fs, last)
  const masked = state === 'masked' || state === 'masked-runtime'
  const conflicts: string[] = []
  let decision: Decision | null = null
  if (masked) {
    const lastMask = [...signals].reverse().find((s) => s.action === 'mask')
    const unmaskAfter = lastMask && signals.some((s) => s.action === 'unmask' && (s.timeUs ?? 0) > (lastMask.timeUs ?? 0))
    if (isMaskEntry(entry) && (entry.kind === 'empty-file' || entry.layer === 'vendor')) {
      decision = decideFromDisk(ctx, unit, entry)
      if (lastMask) conflicts.push(`a logged mask (${lastMask.events[0]!.path}:${lastMask.events[0]!.line}) exists, but the effective file is ${entry.path}, which decides the state`)
    } else if (lastMask && !unmaskAfter) {
      decision = decideFromSignal(ctx, lastMask, entry)
      if (entry) decision.evidence.unshift(linkEvidence(entry))
    } else if (isMaskEntry(entry)) {
      decision = decideFromDisk(ctx, unit, entry)
      if (unmaskAfter && lastMask) {
        conflicts.push(
          `the last logged change is an unmask (${last!.events[0]!.path}:${last!.events[0]!.line}), yet the copied filesystem shows ${entry.path}: masked again without a trace in these logs; the filesystem wins (it is the state when copied)`,
        )
      }
    } else if (lastMask) {
      // Logs only: the last logged act is a mask.
      decision = decideFromSignal(ctx, lastMask, undefined)
    }
  } else if (from === 'filesystem' && last?.action === 'mask') {
    conflicts.push(
      `the last logged change is a mask (${last.events[0]!.path}:${last.events[0]!.line}), but the copied filesystem has no mask for ${unit}: unmasked later without a trace in these logs; the filesystem wins`,
    )
  }
  const history = historyOf(unit, signals, ctx.events)
  const explanation: UnitExplanation = {
    unit,
    host: ctx.host,
    state,
    stateFrom: from,
    path: isMaskEntry(entry) ? entry.path : null,
    maskedAtUs: decision?.maskedAtUs ?? null,
    maskedAtFrom: decision?.maskedAtFrom ?? (masked ? 'unknown' : 'not masked'),
    cause: decision?.cause ?? null,
    confidence: decision?.confidence ?? null,
    confidenceReason: decision?.confidenceReason ?? (masked ? '' : 'not masked now'),
    actor: decision?.actor ?? null,
    transaction: decision?.transaction ?? null,
    history,
    blockedUnits: [],
    blockedBy: [],
    summary: '',
    evidence: decision?.evidence ?? signals.flatMap((s) => s.events.map((e) => evidenceOf(e, s.action === 'mask' ? 'masked' : 'unmasked'))),
    fix: [],
    conflicts,
  }
  return { ...explanation, fix: adviseFix(explanation, decision?.package ?? null, ctx.fs?.hasFilesystem === true) }
}

export interface ExplainOptions {
  /** Units (exact names) to explain even when nothing is wrong with them. */
  alsoExplain?: readonly string[]
}

/** Explanations for every unit masked now, masked at some point in the evidence, or blocked by a masked dependency. */
export function explainMasking(events: readonly MaskEvent[], fs: FsState | null, options: ExplainOptions = {}): UnitExplanation[] {
  const ctx = contextOf(events, fs)
  const signals = signalsByUnit(events)
  const units = new Set<string>(signals.keys())
  for (const f of fs?.files ?? []) if (f.effective && isMaskEntry(f)) units.add(f.unit)
  for (const u of options.alsoExplain ?? []) units.add(u)
  const explained = new Map<string, UnitExplanation>()
  for (const unit of [...units].sort()) explained.set(unit, explainUnit(ctx, unit, signals.get(unit) ?? []))

  for (const dep of fs?.dependencies ?? []) {
    const target = explained.get(dep.to)
    if (!target || (target.state !== 'masked' && target.state !== 'masked-runtime')) continue
    const dependency = HARD_DEPENDENCIES.has(dep.type) ? dep.type : `${dep.type} (weak: the unit still starts)`
    target.blockedUnits.push({ unit: dep.from, dependency, source: dep.source })
    if (!HARD_DEPENDENCIES.has(dep.type)) continue
    const blocked = explained.get(dep.from) ?? explainUnit(ctx, dep.from, signals.get(dep.from) ?? [])
    blocked.blockedBy.push({ unit: dep.to, dependency: dep.type, source: dep.source })
    blocked.fix = [...new Set([...blocked.fix, `start ${dep.from} only after ${dep.to} is unmasked (see its entry)`])]
    explained.set(dep.from, blocked)
  }
  for (const e of events) {
    const blocked = e.kind === 'dependency-failed' ? e.unit : e.kind === 'mask-refused' ? e.requestedUnit : null
    const x = blocked === null ? undefined : explained.get(blocked)
    if (x && x.blockedBy.length > 0) {
      x.evidence.push(evidenceOf(e, e.kind === 'mask-refused' ? `its start was refused: ${e.unit} is masked` : 'start failed: a dependency failed'))
    }
  }
  const result = [...explained.values()].sort((a, b) => (a.unit < b.unit ? -1 : 1))
  for (const x of result) x.summary = summarize(x)
  return result
}

function summarize(x: UnitExplanation): string {
  if (x.state === 'not-masked' || x.state === 'unknown') {
    const masks = x.history.filter((h) => h.action === 'masked' || h.action === 'unmasked')
    const blocked = x.blockedBy.length > 0 ? ` It cannot start: it ${x.blockedBy.map((b) => `${b.dependency}= ${b.unit}`).join(', ')}, which is masked.` : ''
    const was = masks.length > 0 ? ` History: ${masks.map((h) => `${h.action} by ${h.by}`).join('; then ')}.` : ''
    const state = x.state === 'unknown' ? `${x.unit}: state unknown (no unit directories in the evidence and no logged change).` : `${x.unit} is not masked.`
    return `${state}${was}${blocked}`
  }
  const where = x.path ? ` (${x.path})` : ''
  const by = x.actor ? ` by ${x.actor}` : ''
  const when = x.maskedAtUs !== null ? ` at ${formatInstant(x.maskedAtUs)}` : ''
  return `${x.unit} is ${x.state === 'masked-runtime' ? 'masked until reboot' : 'masked'}${where}: ${x.cause}${by}${when}; confidence ${x.confidence} — ${x.confidenceReason}.`
}
