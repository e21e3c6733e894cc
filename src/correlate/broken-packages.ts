/**
 * Packages left half-way when the evidence was copied, and package transactions that never
 * completed, with the transaction that left each so and how to recover. Pure.
 *
 * dpkg (FORMATS.md §5c–§5e): the status database is the state when the evidence was copied — a
 * status of half-installed, unpacked, half-configured or triggers-*, or the reinstreq flag, is a
 * package dpkg did not finish; without a status file, dpkg.log's last status per package stands in.
 * rpm (§7a): dnf killed mid-transaction leaves both versions installed (an `Upgrade:` without its
 * `Upgraded:` in dnf.rpm.log; `dnf check` calls it a duplicate), and a run without
 * `RPM transaction over.`/`Complete!` (dnf.log) or `DNF5 finished` (dnf5.log) never completed.
 */
import type { MaskEvent, PackageNote, PackageState, PackageTransaction } from '../events.ts'
import { PackageHistory, RPM_TOOLS } from './package-history.ts'
import { formatInstant } from '../time.ts'
import { evidenceOf, transactionsById } from './signals.ts'
import type { BrokenPackage, TransactionInfo } from './types.ts'


function info(t: PackageTransaction | undefined): TransactionInfo | null {
  if (t === undefined) return null
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

/** The current dpkg database (not status-old or a var/backups copy: those are older states). */
const isCurrentStatus = (e: PackageState): boolean => e.tool === 'dpkg' && /(^|\/)var\/lib\/dpkg\/status$/.test(e.path)

function dpkgRecovery(pkg: string, status: string, reinstreq: boolean): string[] {
  if (reinstreq || status === 'half-installed') {
    return [
      `apt-get install --reinstall ${pkg} (dpkg did not finish unpacking it: its files may be incomplete)`,
      `or dpkg --remove --force-remove-reinstreq ${pkg} to drop it`,
      'then dpkg --configure -a',
    ]
  }
  if (status.startsWith('triggers-')) return ['dpkg --configure -a (runs the pending triggers)']
  return [`dpkg --configure -a (runs the maintainer script of ${pkg} that did not finish)`, 'apt-get -f install (then settles dependencies)']
}

function rpmRecovery(tool: string, t: PackageTransaction | undefined, duplicate: boolean): string[] {
  const out: string[] = []
  const when = t === undefined || t.timeUs === null ? '' : ` (the one started ${formatInstant(t.timeUs)})`
  if (tool === 'yum') return duplicate ? ['yum-complete-transaction', 'package-cleanup --cleandupes'] : ['yum-complete-transaction', 'yum history info']
  if (duplicate) out.push('dnf check (lists the duplicate)', 'dnf remove --duplicates (keeps the newest version of each)')
  out.push(`dnf history list, then dnf history info ID for the transaction that never completed${when}`)
  if (!duplicate) out.push('dnf check', 'dnf history redo ID (finish it) or dnf history undo ID (roll it back), as fits')
  return out
}

export function brokenPackages(events: readonly MaskEvent[], history: PackageHistory = PackageHistory.of(events)): BrokenPackage[] {
  const transactions = transactionsById(events)
  const owners = new Map<string, Set<string>>()
  const addUnit = (pkg: string | null, unit: string): void => {
    if (pkg === null) return
    owners.set(pkg, (owners.get(pkg) ?? new Set()).add(unit))
  }
  for (const e of events) {
    if (e.kind === 'unit-file-owner') addUnit(e.package, e.unit)
    else if ((e.kind === 'unit-masked' || e.kind === 'unit-unmasked' || e.kind === 'unit-enabled' || e.kind === 'unit-disabled') && e.package) addUnit(e.package, e.unit)
  }
  const unitsOf = (pkg: string): string[] => [...(owners.get(pkg) ?? [])].sort()

  const transactionOf = (pkg: string): PackageTransaction | undefined => history.dpkgTransactionOf(pkg, transactions)

  /** The last error a package's scripts logged (dpkg's "error processing package", rpm's scriptlet failure). */
  const lastErrors = new Map<string, PackageNote>()
  for (const e of events) {
    if (e.kind === 'package-note' && e.package !== null && (e.note === 'error-processing' || e.note === 'scriptlet-failed')) lastErrors.set(e.package, e)
  }
  const errorOf = (pkg: string): PackageNote[] => {
    const last = lastErrors.get(pkg)
    return last ? [last] : []
  }
  const out: BrokenPackage[] = []
  const listed = new Set<string>()
  const statuses = events.filter((e): e is PackageState => e.kind === 'package-state' && isCurrentStatus(e))
  for (const s of statuses) {
    const reinstreq = s.errorFlag?.endsWith('reinstreq') === true
    if (!reinstreq && ['installed', 'config-files', 'not-installed'].includes(s.status)) continue
    const t = transactionOf(s.package)
    listed.add(`dpkg:${s.package}`)
    out.push({
      manager: 'dpkg',
      package: s.package,
      state: reinstreq ? `reinstreq ${s.status}` : s.status,
      asOf: `${s.path}: when the evidence was copied`,
      transaction: info(t),
      units: unitsOf(s.package),
      evidence: [
        evidenceOf(s, 'the package database when copied'),
        ...(t ? [evidenceOf(t, `the transaction that left ${s.package} so`)] : []),
        ...errorOf(s.package).map((e) => evidenceOf(e, 'the last error logged for it')),
      ],
      recovery: dpkgRecovery(s.package, s.status, reinstreq),
    })
  }
  const notes = events.filter((e): e is PackageNote => e.kind === 'package-note' && e.note === 'left-broken' && e.package !== null)
  for (const n of notes) {
    const pkg = n.package!
    if (n.tool === 'dpkg' && n.parser !== 'dpkg-status' && statuses.length === 0 && !listed.has(`dpkg:${pkg}`)) {
      listed.add(`dpkg:${pkg}`)
      const state = /status (\S+) /.exec(n.text)?.[1] ?? 'half-way'
      const t = transactionOf(pkg)
      out.push({
        manager: 'dpkg',
        package: pkg,
        state,
        asOf: `the end of ${n.path} (no dpkg status database in the evidence)`,
        transaction: info(t),
        units: unitsOf(pkg),
        evidence: [
          evidenceOf(n, `${pkg}'s last status in the log`),
          ...(t ? [evidenceOf(t, `the transaction that left ${pkg} so`)] : []),
          ...errorOf(pkg).map((e) => evidenceOf(e, 'the last error logged for it')),
        ],
        recovery: dpkgRecovery(pkg, state, false),
      })
    } else if (RPM_TOOLS.has(n.tool) && !listed.has(`rpm:${pkg}`)) {
      listed.add(`rpm:${pkg}`)
      const t = n.transactionId === null ? undefined : transactions.get(n.transactionId)
      out.push({
        manager: 'rpm',
        package: pkg,
        state: 'duplicate: the new version was installed, the old one never removed (both are in the rpm database)',
        asOf: `${n.path}: an upgrade without its cleanup; a later dnf remove --duplicates or dnf check would not be logged here`,
        transaction: info(t),
        units: unitsOf(pkg),
        evidence: [evidenceOf(n, 'upgrade without its Upgraded: cleanup'), ...(t ? [evidenceOf(t, 'the transaction that never completed')] : [])],
        recovery: rpmRecovery(n.tool, t, true),
      })
    }
  }
  // Transactions that never completed and left nothing listed above.
  for (const t of transactions.values()) {
    if (t.outcome !== 'interrupted') continue
    const rpm = RPM_TOOLS.has(t.tool)
    const touched = history.packagesIn(t.transactionId)
    if (touched.some((p) => listed.has(`${rpm ? 'rpm' : 'dpkg'}:${p}`))) continue
    // With the dpkg database at hand, a package it shows settled was repaired since.
    if (!rpm && statuses.length > 0) continue
    if (rpm && touched.length > 0 && touched.every((p) => history.repairedAfter(p, t, transactions))) continue
    const packages: (string | null)[] = touched.length > 0 ? touched : [null]
    for (const pkg of packages) {
      out.push({
        manager: rpm ? 'rpm' : 'dpkg',
        package: pkg,
        state: 'in a transaction that never completed',
        asOf: `${t.path}:${t.line} (${t.outcomeReason})${rpm ? '' : '; no dpkg status database in the evidence to say how it was left'}`,
        transaction: info(t),
        units: pkg === null ? [] : unitsOf(pkg),
        evidence: [evidenceOf(t, 'the transaction that never completed')],
        recovery: rpm ? rpmRecovery(t.tool, t, false) : ['dpkg --configure -a', 'apt-get -f install', 'then dpkg --audit (lists what is still half-way)'],
      })
    }
  }
  return out.sort((a, b) => (a.package ?? '').localeCompare(b.package ?? '') || a.manager.localeCompare(b.manager))
}
