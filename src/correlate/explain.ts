/**
 * The correlator: events and the copied unit directories in, one explanation per unit out.
 * Pure: no I/O, no clock, no environment. Every claim it makes cites the evidence it rests on;
 * where nothing dates or names something, it says unknown and why.
 */
import type { KernelCommandLine, MaskEvent, PackageAction, PackageTransaction, UnitFileState } from '../events.ts'
import { PackageHistory } from './package-history.ts'
import { evidenceOf, signalsByUnit, transactionsById, type Signal } from './signals.ts'
import { adviseFix } from './fix.ts'
import { formatInstant } from '../time.ts'
import { templateOf, triggersOf, type Trigger } from './activation.ts'
import { afterUnmaskOf, originOf, shadowedBy } from './after-unmask.ts'
import { bootMasksOf, commandLines, maskedSince, namedAnywhere, unitsMaskedByCommandLine, type BootMasks } from './boot-masks.ts'
import {
  decideFromListing,
  listedMasked,
  listedStateName,
  listingConflict,
  listingDecides,
  listingEvidence,
  listingsByUnit,
  listingVsLogs,
  unitsMaskedByListing,
} from './listing.ts'
import type { Cause, Confidence, DependencyLink, EvidenceLine, HistoryItem, TransactionInfo, UnitExplanation, UnitStateName } from './types.ts'

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
export interface FsDependency {
  from: string
  to: string
  type: string
  source: string
  /**
   * Read from the file a loaded unit file overrides (or, for a masked unit, the one unmasking would
   * reveal): not in systemd's graph, but it tells what the vendor file would have done.
   */
  shadowed?: boolean
}
export interface FsState {
  hasFilesystem: boolean
  /** In search-path order (the first entry holding a name is the effective one). */
  files: readonly FsEntry[]
  helperMasked: readonly { unit: string; path: string; mtimeUs: number | null }[]
  dependencies: readonly FsDependency[]
  /** Generator programs in the copy (relative paths), when read. */
  generators?: readonly string[]
}

const HARD_DEPENDENCIES = new Set(['Requires', 'Requisite', 'BindsTo', 'requires-link', 'TriggeredBy', 'Triggers', 'template'])
const GRAPH_DEPENDENCIES = new Set(['Requires', 'Requisite', 'BindsTo', 'Wants', 'requires-link', 'wants-link'])
const LINK_MTIME_NOTE = "the link's own mtime (weak evidence: kept by cp -a and tar, reset by cp -r)"

interface Context {
  events: readonly MaskEvent[]
  fs: FsState | null
  transactions: Map<string, PackageTransaction>
  packages: PackageHistory
  owners: Map<string, string>
  /** package → the record saying it was removed and not purged (dpkg.log preferred: it has a time). */
  removedNotPurged: Map<string, MaskEvent>
  /** unit → package, from maintainer-script output that names the unit (term.log, dnf.rpm.log). */
  scriptPackages: Map<string, MaskEvent & { package: string | null }>
  configFilesOnly: Set<string>
  commandLines: KernelCommandLine[]
  /** Activations (X.socket → X.service …) from the copied unit files. */
  triggers: Trigger[]
  /** The copy holds generator output (run/systemd/generator*): a runtime mask would show on disk. */
  generatorOutput: boolean
  /** unit → its row in systemctl list-unit-files (a sosreport's listing), see listing.ts. */
  listings: Map<string, UnitFileState>
  host: string | null
}

function contextOf(events: readonly MaskEvent[], fs: FsState | null, packages: PackageHistory): Context {
  const owners = new Map<string, string>()
  const removedNotPurged = new Map<string, MaskEvent>()
  const scriptPackages = new Map<string, MaskEvent & { package: string | null }>()
  const configFilesOnly = new Set<string>()
  const hosts = new Map<string, number>()
  for (const e of events) {
    if (e.host) hosts.set(e.host, (hosts.get(e.host) ?? 0) + 1)
    if (e.kind === 'unit-file-owner') {
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
  return {
    events,
    fs,
    transactions: transactionsById(events),
    packages,
    owners,
    removedNotPurged,
    scriptPackages,
    configFilesOnly,
    commandLines: commandLines(events),
    triggers: fs ? triggersOf(fs) : [],
    generatorOutput: fs?.files.some((f) => f.layer === 'generator') === true,
    listings: listingsByUnit(events),
    host,
  }
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
      items.push({ timeUs: e.timeUs, action: 'mask-refused', by: `${e.operation}${e.requestedUnit ? ` of ${e.requestedUnit}` : ''} refused${e.operation === 'unmask' ? ' (masked via a generator)' : ''}`, source: `${e.path}:${e.line}`, text: e.text })
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
  return ctx.packages.removalBefore(s.transactionId, s.package, first.path, first.line)
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

const cite = (e: { path: string; line: number }): string => `${e.path}:${e.line}`

/**
 * A mask from `systemd.mask=` on the kernel command line: the generator's link on disk (`entry`),
 * or, when the copy has no run/, known from the command line alone. How sure depends on what proves
 * a boot used that command line (see boot-masks.ts).
 */
function decideFromCommandLine(ctx: Context, unit: string, boot: BootMasks, entry: FsEntry | undefined): Decision {
  const param = `systemd.mask=${unit}`
  const since = maskedSince(boot)
  const evidence: EvidenceLine[] = entry ? [linkEvidence(entry)] : []
  if (since) {
    evidence.push(evidenceOf(since.first, `the first logged boot whose kernel command line has ${param}`))
    if (since.before) evidence.push(evidenceOf(since.before, 'the logged boot before it, without it'))
  }
  const lastBoot = boot.maskedBoots.at(-1)
  if (lastBoot && lastBoot !== since?.first) evidence.push(evidenceOf(lastBoot, `the last logged boot, still with ${param}`))
  if (boot.running) evidence.push(evidenceOf(boot.running, `the running boot's command line, when copied, has ${param}`))
  const entries = boot.loaderEntries
  if (entries[0]) evidence.push(evidenceOf(entries[0], `a boot-loader entry passes ${param}${entries.length > 1 ? ` (so do ${entries.length - 1} more)` : ''}`))
  for (const l of boot.nextConfig) {
    evidence.push(evidenceOf(l, l.origin === 'grub-default' ? `the next update-grub writes ${param} into grub.cfg` : `kernel-install writes ${param} into new boot entries`))
  }
  for (const r of ctx.events) {
    if (r.kind === 'mask-refused' && r.unit === unit && r.operation === 'unmask') evidence.push(evidenceOf(r, 'systemctl refused to unmask it: masked via a generator'))
  }
  const where = entry ? entry.path : `run/systemd/generator.early/${unit} (not in the copy: it has no run/)`
  let confidence: Confidence
  let confidenceReason: string
  if (boot.running || boot.maskedBoots.length > 0) {
    const proof = boot.running ? `the running boot (${cite(boot.running)})` : `the boot logged at ${cite(lastBoot!)}`
    confidence = 'high'
    confidenceReason = `the kernel command line of ${proof} has ${param}; systemd-debug-generator turns it into ${where} at every boot`
  } else if (entries[0]) {
    confidence = 'medium'
    confidenceReason = `the boot-loader entry '${entries[0].entry ?? '?'}' (${cite(entries[0])}) passes ${param}, so every boot from it masks ${unit}; no boot record in the evidence shows which entry was booted`
  } else {
    confidence = 'low'
    confidenceReason = `only ${boot.nextConfig.map(cite).join(', ')} (what the next update-grub/kernel-install writes) has ${param}; ${entry ? 'the link is in generator.early, where systemd-debug-generator puts such masks' : 'no boot is shown to have used it'}`
  }
  const dated = since
    ? {
        maskedAtUs: since.first.timeUs,
        maskedAtFrom: since.before
          ? `the first logged boot whose kernel command line has ${param} (${cite(since.first)}); the boot before it (${cite(since.before)}) did not`
          : `the earliest logged boot (${cite(since.first)}) already has ${param}: masked at or before then`,
      }
    : { maskedAtUs: null, maskedAtFrom: `no logged boot dates it: proc/cmdline, grub.cfg and etc/default/grub have no time of their own` }
  return { ...dated, cause: 'kernel-cmdline', confidence, confidenceReason, actor: null, transaction: null, evidence, package: null }
}

/** A /dev/null link in a generator directory that no kernel command line in the evidence explains. */
function decideGenerator(ctx: Context, unit: string, entry: FsEntry): Decision {
  const refusals = ctx.events.filter((e) => e.kind === 'mask-refused' && e.unit === unit && e.operation === 'unmask')
  const running = ctx.commandLines.find((l) => l.origin === 'proc-cmdline')
  const dir = entry.path.slice(0, entry.path.lastIndexOf('/'))
  // Vendor generators ship with systemd and packages; one under etc/, run/ or usr/local/ was put there on this machine.
  const local = (ctx.fs?.generators ?? []).filter((g) => !/^(?:usr\/)?lib\//.test(g))
  const why = running
    ? `the running boot's kernel command line (${cite(running)}) has no systemd.mask=${unit}, so not systemd-debug-generator`
    : 'no kernel command line in the evidence names it (searched: kernel messages in the journal and syslog, proc/cmdline, grub.cfg, etc/default/grub, etc/kernel/cmdline)'
  return {
    maskedAtUs: null,
    maskedAtFrom: `generators rewrite ${dir} at every boot and daemon-reload: the link is as old as the last run; ${LINK_MTIME_NOTE} is ${entry.mtimeUs === null ? 'unknown' : 'listed as evidence'}`,
    cause: 'generator',
    confidence: 'medium',
    confidenceReason: `the /dev/null link is in ${dir}, which only generators write; ${why}`,
    actor: null,
    transaction: null,
    evidence: [
      linkEvidence(entry),
      ...refusals.map((r) => evidenceOf(r, 'systemctl refused to unmask it: masked via a generator')),
      ...(running ? [evidenceOf(running, `the running boot's kernel command line, without systemd.mask=${unit}`)] : []),
      ...local.map((g) => ({ path: g, line: null, cursor: null, timeUs: null, role: 'a generator installed on this machine (not shipped by a package): a suspect', text: g })),
    ],
    package: null,
  }
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
  if (ctx.removedNotPurged.has(stem) || ctx.configFilesOnly.has(stem) || ctx.packages.erased.has(stem)) return { name: stem, how: 'it has the unit\'s name', evidence: null }
  return undefined
}

/** The package that shipped the unit is removed (dpkg: config-files or removed-not-purged; rpm: erased), and how that is known. */
function packageGoneOf(ctx: Context, unit: string, named: string | null): { name: string; manager: 'dpkg' | 'rpm'; how: string } | null {
  const name = named ?? packageOfUnit(ctx, unit)?.name
  if (name === undefined) return null
  const erased = ctx.packages.erased.get(name)
  if (erased) return { name, manager: 'rpm', how: `erased, ${cite(erased)}` }
  const removed = ctx.removedNotPurged.get(name)
  if (removed) return { name, manager: 'dpkg', how: `removed, not purged, ${cite(removed)}` }
  const state = ctx.events.find((e) => e.kind === 'package-state' && e.package === name && e.status === 'config-files')
  return state ? { name, manager: 'dpkg', how: `config-files only, ${cite(state)}` } : null
}

function stateOf(
  entry: FsEntry | undefined,
  ctx: Context,
  last: Signal | undefined,
  boot: BootMasks,
): { state: UnitStateName; from: UnitExplanation['stateFrom'] } {
  const fs = ctx.fs
  if (fs?.hasFilesystem) {
    if (isMaskEntry(entry)) return { state: entry.layer === 'runtime' ? 'masked-runtime' : 'masked', from: 'filesystem' }
    // A copy without run/ cannot show the generator's link: the command line of the boot decides.
    if (!ctx.generatorOutput && boot.applies !== null) return { state: 'masked', from: 'kernel-command-line' }
    return { state: 'not-masked', from: 'filesystem' }
  }
  if (boot.applies === 'running-boot' || boot.applies === 'last-logged-boot') return { state: 'masked', from: 'kernel-command-line' }
  if (last === undefined) return { state: 'unknown', from: 'none' }
  if (last.action === 'unmask') return { state: 'not-masked', from: 'events' }
  return { state: last.runtime ? 'masked-runtime' : 'masked', from: 'events' }
}

function explainUnit(ctx: Context, unit: string, signals: readonly Signal[]): UnitExplanation {
  const entry = fsEffective(ctx, unit)
  const last = signals[signals.length - 1]
  const boot = bootMasksOf(ctx.commandLines, unit)
  const listing = ctx.listings.get(unit)
  const fromDisk = stateOf(entry, ctx, last, boot)
  // systemctl list-unit-files decides only where the copied unit directories cannot (listing.ts).
  const { state, from } =
    fromDisk.from !== 'kernel-command-line' && listingDecides(entry, listing, ctx.fs) ? { state: listedStateName(listing), from: 'listing' as const } : fromDisk
  const masked = state === 'masked' || state === 'masked-runtime'
  const conflicts: string[] = []
  const listedConflict = listingConflict(listing, entry, from)
  if (listedConflict !== null) conflicts.push(listedConflict)
  if (from === 'listing') {
    const againstLogs = listingVsLogs(listing!, last && { action: last.action, at: cite(last.events[0]!) })
    if (againstLogs !== null) conflicts.push(againstLogs)
  }
  let decision: Decision | null = null
  if (masked) {
    const lastMask = [...signals].reverse().find((s) => s.action === 'mask')
    const unmaskAfter = lastMask && signals.some((s) => s.action === 'unmask' && (s.timeUs ?? 0) > (lastMask.timeUs ?? 0))
    if (from === 'kernel-command-line') {
      decision = decideFromCommandLine(ctx, unit, boot, undefined)
    } else if (from === 'listing') {
      // The logs may still show who masked it; the listing line is what shows it is masked now.
      decision = lastMask && !unmaskAfter ? decideFromSignal(ctx, lastMask, undefined) : decideFromListing(listing!, entry)
      if (decision.evidence[0]?.path !== listing!.path) decision.evidence.unshift(listingEvidence(listing!))
    } else if (isMaskEntry(entry) && entry.layer === 'generator') {
      decision = namedAnywhere(boot) ? decideFromCommandLine(ctx, unit, boot, entry) : decideGenerator(ctx, unit, entry)
      if (lastMask) conflicts.push(`a logged mask (${cite(lastMask.events[0]!)}) exists, but the effective file is ${entry.path}, which a generator writes and which decides the state`)
      for (const u of signals.filter((s) => s.action === 'unmask')) {
        conflicts.push(`${u.actor ?? 'someone'} ran systemctl unmask (${cite(u.events[0]!)}), but it cannot remove ${entry.path}: systemctl does not unmask what a generator wrote, and the link is rewritten at every boot`)
      }
    } else if (isMaskEntry(entry) && (entry.kind === 'empty-file' || entry.layer === 'vendor')) {
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
  // systemctl list-unit-files agreeing with the copied mask: systemd's own word for it, cited after the link.
  if (decision !== null && from === 'filesystem' && listedMasked(listing)) decision.evidence.push(listingEvidence(listing))
  conflicts.push(...commandLineConflicts(ctx, unit, boot, decision?.cause ?? null, masked))
  const history = [...historyOf(unit, signals, ctx.events), ...bootHistory(unit, boot)].sort((a, b) => (a.timeUs ?? Infinity) - (b.timeUs ?? Infinity))
  const triggeredBy: DependencyLink[] = ctx.triggers
    .filter((t) => t.unit === unit || t.unit === templateOf(unit))
    .map((t) => ({ unit: t.by, dependency: 'TriggeredBy', source: t.source, origin: t.origin }))
  const packageGone = masked ? packageGoneOf(ctx, unit, decision?.package ?? null) : null
  const afterUnmask = isMaskEntry(entry) && ctx.fs ? afterUnmaskOf(ctx.fs, unit, entry, packageGone && `${packageGone.name}, ${packageGone.how}`) : null
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
    triggeredBy,
    afterUnmask,
    summary: '',
    evidence: decision?.evidence ?? signals.flatMap((s) => s.events.map((e) => evidenceOf(e, s.action === 'mask' ? 'masked' : 'unmasked'))),
    fix: [],
    conflicts,
  }
  const fix = adviseFix(explanation, {
    pkg: decision?.package ?? null,
    haveFilesystem: ctx.fs?.hasFilesystem === true,
    triggeredBy,
    afterUnmask,
    packageGone,
    boot,
    grubDefaults: ctx.commandLines.filter((l) => l.origin === 'grub-default'),
    runningCommandLine: ctx.commandLines.find((l) => l.origin === 'proc-cmdline') ?? null,
    localGenerators: (ctx.fs?.generators ?? []).filter((g) => !/^(?:usr\/)?lib\//.test(g)),
    overridable: isMaskEntry(entry) && ctx.fs ? (shadowedBy(ctx.fs, entry.path)?.path ?? null) : null,
  })
  if (decision !== null && decision.cause !== 'kernel-cmdline' && boot.applies !== null) {
    fix.push(`the kernel command line masks ${unit} too: remove systemd.mask=${unit} from the boot entry as well`)
  }
  return { ...explanation, fix }
}

/** `boot-masked` history items: each logged boot whose command line masks the unit. */
function bootHistory(unit: string, boot: BootMasks): HistoryItem[] {
  return boot.maskedBoots.map((b) => ({
    timeUs: b.timeUs,
    action: 'boot-masked' as const,
    by: `kernel command line of boot ${b.bootId ?? '(unknown id)'}`,
    source: cite(b),
    text: b.text,
  }))
}

/** What the command line says that the decision does not: a mask it adds too, one still to come, one no longer there. */
function commandLineConflicts(ctx: Context, unit: string, boot: BootMasks, cause: Cause | null, masked: boolean): string[] {
  const param = `systemd.mask=${unit}`
  if (masked && cause !== 'kernel-cmdline' && boot.applies !== null) {
    const src = boot.running ?? boot.maskedBoots.at(-1) ?? boot.loaderEntries[0]!
    return [`the kernel command line masks ${unit} as well (${cite(src)}): even without this mask it would stay masked`]
  }
  if (masked) return []
  const out: string[] = []
  if (ctx.generatorOutput && boot.running) {
    out.push(`${cite(boot.running)} has ${param}, but the copied generator directories have no link for ${unit}; the filesystem wins`)
  }
  if (boot.applies === null && boot.nextConfig.length > 0) {
    out.push(`${boot.nextConfig.map(cite).join(', ')} put ${param} on the command line of boot entries made from now on: after the next update-grub/kernel-install and a reboot, ${unit} will be masked`)
  }
  if (boot.applies === null && boot.maskedBoots.length > 0) {
    out.push(`earlier boots masked it from the kernel command line (last: ${cite(boot.maskedBoots.at(-1)!)}), the last boot in the evidence did not`)
  }
  return out
}

export interface ExplainOptions {
  /** Units (exact names) to explain even when nothing is wrong with them. */
  alsoExplain?: readonly string[]
  /** The package actions, when taken in as they came rather than kept among `events`. */
  packages?: PackageHistory
}

const isMasked = (x: UnitExplanation): boolean => x.state === 'masked' || x.state === 'masked-runtime'

/** Names of instances of `template` seen anywhere: unit files, dependencies, events. */
function instancesOf(ctx: Context, template: string): string[] {
  const names = new Set<string>()
  for (const f of ctx.fs?.files ?? []) names.add(f.unit)
  for (const d of ctx.fs?.dependencies ?? []) names.add(d.to).add(d.from)
  for (const e of ctx.events) if ('unit' in e && typeof e.unit === 'string') names.add(e.unit)
  return [...names].filter((n) => n !== template && templateOf(n) === template).sort()
}

/** If the dependent should run without the masked unit: where to weaken the hard dependency. */
function loosen(dep: { from: string; unit: string; type: string; source: string }): string[] {
  if (!['Requires', 'Requisite', 'BindsTo'].includes(dep.type)) return []
  const m = /^(?<file>.+):(?<line>\d+)$/.exec(dep.source)
  if (!m?.groups) return []
  const file = m.groups['file']!
  if (/^(?:usr\/)?lib\//.test(file)) {
    return [`or, if ${dep.from} should start without ${dep.unit}: the vendor file /${file} sets ${dep.type}= (line ${m.groups['line']}); systemctl edit ${dep.from} with an empty ${dep.type}= line resets it`]
  }
  return [`or, if ${dep.from} should start without ${dep.unit}: make ${dep.type}=${dep.unit} a Wants= in /${file} (line ${m.groups['line']}), then systemctl daemon-reload`]
}

/** Explanations for every unit masked now, masked at some point in the evidence, or blocked by a masked dependency. */
export function explainMasking(events: readonly MaskEvent[], fs: FsState | null, options: ExplainOptions = {}): UnitExplanation[] {
  const ctx = contextOf(events, fs, options.packages ?? PackageHistory.of(events))
  const signals = signalsByUnit(events)
  const units = new Set<string>(signals.keys())
  for (const f of fs?.files ?? []) if (f.effective && isMaskEntry(f)) units.add(f.unit)
  for (const u of unitsMaskedByCommandLine(ctx.commandLines)) units.add(u)
  for (const u of unitsMaskedByListing(ctx.listings)) units.add(u)
  for (const u of options.alsoExplain ?? []) units.add(u)
  const explained = new Map<string, UnitExplanation>()
  for (const unit of [...units].sort()) explained.set(unit, explainUnit(ctx, unit, signals.get(unit) ?? []))
  const explainedOrNew = (unit: string): UnitExplanation => {
    const x = explained.get(unit) ?? explainUnit(ctx, unit, signals.get(unit) ?? [])
    explained.set(unit, x)
    return x
  }

  // Instances of a masked template are masked with it (systemd loads the template's file for them).
  for (const template of [...explained.values()].filter((x) => isMasked(x) && /@\.[a-z]+$/.test(x.unit))) {
    for (const name of instancesOf(ctx, template.unit)) {
      const x = explainedOrNew(name)
      if (x.path !== null || x.stateFrom === 'kernel-command-line') continue // its own mask decides
      const link = { unit: template.unit, dependency: 'template', source: template.path ?? template.unit, origin: `${name} is an instance of ${template.unit}: masking the template masks every instance` }
      Object.assign(x, {
        state: template.state,
        stateFrom: template.stateFrom,
        path: template.path,
        maskedAtUs: template.maskedAtUs,
        maskedAtFrom: template.maskedAtFrom,
        cause: template.cause,
        confidence: template.confidence,
        confidenceReason: `through its template ${template.unit}: ${template.confidenceReason}`,
        actor: template.actor,
        transaction: template.transaction,
        evidence: template.evidence,
        fix: [...template.fix],
      })
      x.blockedBy.push(link)
      template.blockedUnits.push({ ...link, unit: name })
    }
  }

  const edges: (DependencyLink & { from: string; type: string })[] = []
  for (const dep of fs?.dependencies ?? []) {
    if (dep.shadowed || !GRAPH_DEPENDENCIES.has(dep.type)) continue
    edges.push({ from: dep.from, unit: dep.to, type: dep.type, dependency: dep.type, source: dep.source, origin: originOf(fs!, dep) })
  }
  for (const t of ctx.triggers) {
    edges.push({ from: t.unit, unit: t.by, type: 'TriggeredBy', dependency: 'TriggeredBy', source: t.source, origin: t.origin })
    // The other way round: systemd refuses to start a socket/timer/path whose unit is not loaded (masked).
    const refusal = `${t.origin}; systemd refuses to start ${t.by} while that unit is masked`
    edges.push({ from: t.by, unit: t.unit, type: 'Triggers', dependency: 'Triggers', source: t.source, origin: refusal })
  }
  for (const dep of edges) {
    const target = explained.get(dep.unit)
    if (!target || !isMasked(target)) continue
    const hard = HARD_DEPENDENCIES.has(dep.type)
    const dependency = hard ? dep.type : `${dep.type} (weak: the unit still starts)`
    target.blockedUnits.push({ unit: dep.from, dependency, source: dep.source, origin: dep.origin })
    if (!hard) continue
    const blocked = explainedOrNew(dep.from)
    blocked.blockedBy.push({ unit: dep.unit, dependency: dep.type, source: dep.source, origin: dep.origin })
    const advice =
      dep.type === 'TriggeredBy'
        ? `nothing activates ${dep.from} while ${dep.unit} is masked: unmask ${dep.unit} (see its entry), then systemctl enable --now ${dep.unit}`
        : `start ${dep.from} only after ${dep.unit} is unmasked (see its entry)`
    blocked.fix = [...new Set([...blocked.fix, advice, ...loosen(dep)])]
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

/** One blocking link in words, with where the dependency comes from. */
function blockedBecause(b: DependencyLink): string {
  switch (b.dependency) {
    case 'TriggeredBy':
      return `it is activated by ${b.unit} (${b.origin})`
    case 'template':
      return `it is an instance of ${b.unit}`
    case 'Triggers':
      return `it activates ${b.unit} (${b.origin})`
    case 'requires-link':
      return `it requires ${b.unit} (${b.origin})`
    default:
      return `it ${b.dependency}= ${b.unit} (from ${b.origin})`
  }
}

function summarize(x: UnitExplanation): string {
  const blocked = x.blockedBy.length > 0 ? ` It cannot start: ${x.blockedBy.map(blockedBecause).join('; ')}, which is masked.` : ''
  if (x.state === 'not-masked' || x.state === 'unknown') {
    const masks = x.history.filter((h) => h.action === 'masked' || h.action === 'unmasked')
    const was = masks.length > 0 ? ` History: ${masks.map((h) => `${h.action} by ${h.by}`).join('; then ')}.` : ''
    const state = x.state === 'unknown' ? `${x.unit}: state unknown (no unit directories in the evidence and no logged change).` : `${x.unit} is not masked.`
    return `${state}${was}${blocked}`
  }
  const where = x.path
    ? ` (${x.path})`
    : x.stateFrom === 'kernel-command-line'
      ? ' (by the kernel command line; the copy has no run/ to show the link)'
      : x.stateFrom === 'listing'
        ? ' (per systemctl list-unit-files when the evidence was collected; the mask itself is not in the copy)'
        : ''
  const by = x.actor ? ` by ${x.actor}` : ''
  const when = x.maskedAtUs !== null ? ` at ${formatInstant(x.maskedAtUs)}` : ''
  const template = x.blockedBy.some((b) => b.dependency === 'template') ? blocked : ''
  return `${x.unit} is ${x.state === 'masked-runtime' ? 'masked until reboot' : 'masked'}${where}: ${x.cause}${by}${when}; confidence ${x.confidence} — ${x.confidenceReason}.${template}`
}
