/**
 * What the correlator needs from package actions, kept as they stream in instead of keeping every
 * action: a long dpkg.log or dnf.rpm.log holds hundreds of thousands of them, and the correlator only
 * asks a few questions (see the methods). Each (package, transaction) pair costs a map entry; the
 * actions kept whole are the ones an explanation cites (removals) or decides from (a dpkg status
 * left half-way). Fed in the order the events come, it answers as a scan of all the actions in that
 * order would: test/package-history.test.ts holds the two to the same answers.
 */
import type { MaskEvent, PackageAction, PackageTransaction } from '../events.ts'

export const RPM_TOOLS: ReadonlySet<string> = new Set(['dnf', 'dnf5', 'yum', 'rpm'])
const SETTLED = new Set(['installed', 'config-files', 'not-installed'])

/** Flags of a (package, transaction) pair. */
const BY_DPKG_OR_APT = 1
const BY_APT = 2

export class PackageHistory {
  /** Package actions taken in. */
  actions = 0
  /** The earliest and latest time among them, those without a time, and the hosts they name (the report's span). */
  earliestUs: number | null = null
  latestUs: number | null = null
  untimed = 0
  readonly hosts = new Set<string>()
  /** transaction → its `remove` actions, in order. */
  readonly #removals = new Map<string, PackageAction[]>()
  /** rpm packages whose last action (cleanups aside) is an erase, with that action. */
  readonly erased = new Map<string, PackageAction>()
  /** dpkg packages: the first status after the last settled one (installed, config-files, not-installed). */
  readonly #unsettledSince = new Map<string, PackageAction>()
  /**
   * package → transaction → flags. The order is that of each transaction's last dpkg/apt action on the
   * package, so "the last one to touch it" breaks ties in time as a scan would.
   */
  readonly #transactionsOf = new Map<string, Map<string, number>>()
  /** The package and transaction of the last dpkg/apt action taken in. */
  #previousPackage = ''
  #previousTransaction = ''

  static of(events: readonly MaskEvent[]): PackageHistory {
    const history = new PackageHistory()
    for (const e of events) if (e.kind === 'package-action') history.add(e)
    return history
  }

  add(a: PackageAction): void {
    this.actions++
    if (a.host !== null) this.hosts.add(a.host)
    if (a.timeUs === null) this.untimed++
    else {
      if (this.earliestUs === null || a.timeUs < this.earliestUs) this.earliestUs = a.timeUs
      if (this.latestUs === null || a.timeUs > this.latestUs) this.latestUs = a.timeUs
    }
    const rpm = RPM_TOOLS.has(a.tool)
    if (rpm) {
      if (a.action === 'remove') this.erased.set(a.package, a)
      else if (a.action !== 'cleanup') this.erased.delete(a.package)
    }
    const tx = a.transactionId
    if (tx === null) return
    if (a.action === 'remove') {
      const list = this.#removals.get(tx)
      if (list === undefined) this.#removals.set(tx, [a])
      else list.push(a)
    }
    let txs = this.#transactionsOf.get(a.package)
    if (txs === undefined) this.#transactionsOf.set(a.package, (txs = new Map()))
    const flags = txs.get(tx) ?? 0
    if (rpm) {
      txs.set(tx, flags)
      return
    }
    const more = flags | BY_DPKG_OR_APT | (a.tool === 'apt' ? BY_APT : 0)
    // dpkg.log gives a package several lines in a row in one run: the pair is last already.
    if (this.#previousPackage === a.package && this.#previousTransaction === tx) txs.set(tx, more)
    else {
      txs.delete(tx)
      txs.set(tx, more)
      this.#previousPackage = a.package
      this.#previousTransaction = tx
    }
    if (a.tool === 'dpkg' && a.action === 'status') {
      if (SETTLED.has(a.state ?? '')) this.#unsettledSince.delete(a.package)
      else if (!this.#unsettledSince.has(a.package)) this.#unsettledSince.set(a.package, a)
    }
  }

  /** The first removal of `pkg` in `tx` logged in `path` at or before `line`. */
  removalBefore(tx: string, pkg: string, path: string, line: number): PackageAction | undefined {
    return this.#removals.get(tx)?.find((a) => a.package === pkg && a.path === path && a.line <= line)
  }

  /** The packages a transaction touched, sorted. */
  packagesIn(tx: string): string[] {
    const out: string[] = []
    for (const [pkg, txs] of this.#transactionsOf) if (txs.has(tx)) out.push(pkg)
    return out.sort()
  }

  /**
   * The transaction that left a dpkg package half-way: the first run to touch it after its last settled
   * status in dpkg.log (later runs that only retried it do not count), shown as the apt run around it
   * when apt's history lists the package (apt names the command and who asked); else the last
   * transaction that touched it.
   */
  dpkgTransactionOf(pkg: string, transactions: ReadonlyMap<string, PackageTransaction>): PackageTransaction | undefined {
    const txs = this.#transactionsOf.get(pkg)
    const breaker = this.#unsettledSince.get(pkg)
    const run = breaker === undefined ? undefined : transactions.get(breaker.transactionId!)
    if (run !== undefined) {
      for (const t of transactions.values()) {
        if (t.tool !== 'apt' || t.timeUs === null || run.timeUs === null) continue
        if (t.timeUs <= run.timeUs && run.timeUs <= (t.endUs ?? Infinity) && ((txs?.get(t.transactionId) ?? 0) & BY_APT) !== 0) return t
      }
      return run
    }
    let last: PackageTransaction | undefined
    for (const [tx, flags] of txs ?? []) {
      const t = (flags & BY_DPKG_OR_APT) === 0 ? undefined : transactions.get(tx)
      if (t !== undefined && (last === undefined || (t.timeUs ?? -Infinity) >= (last.timeUs ?? -Infinity))) last = t
    }
    return last
  }

  /** A later completed transaction touched the package again. */
  repairedAfter(pkg: string, t: PackageTransaction, transactions: ReadonlyMap<string, PackageTransaction>): boolean {
    for (const tx of this.#transactionsOf.get(pkg)?.keys() ?? []) {
      if (tx === t.transactionId) continue
      const later = transactions.get(tx)
      if (later !== undefined && later.outcome === 'completed' && (later.timeUs ?? -Infinity) > (t.timeUs ?? Infinity)) return true
    }
    return false
  }
}
