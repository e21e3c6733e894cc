/**
 * PackageHistory answers from a digest kept as actions stream in; the correlator used to answer by
 * scanning every action. The scans are kept here as the reference, and random histories (packages,
 * transactions, tools, states, equal and unknown times) must get the same answers from both.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { PackageAction, PackageActionType, PackageTransaction } from '../src/events.ts'
import { PackageHistory, RPM_TOOLS } from '../src/correlate/package-history.ts'
import { transactionsById } from '../src/correlate/signals.ts'
import { collectEvents } from '../src/run.ts'
import { writePackageLogs } from '../bench/generate-packages.ts'
import { SHARED } from './helpers/parse.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const SETTLED = ['installed', 'config-files', 'not-installed']

// The scans PackageHistory replaced (src/correlate/broken-packages.ts and explain.ts before it).
const reference = {
  removalBefore: (actions: PackageAction[], tx: string, pkg: string, path: string, line: number) =>
    actions.filter((a) => a.transactionId === tx).find((a) => a.package === pkg && a.action === 'remove' && a.path === path && a.line <= line),
  erased(actions: PackageAction[]): Map<string, PackageAction> {
    const erased = new Map<string, PackageAction>()
    for (const e of actions) {
      if (!RPM_TOOLS.has(e.tool)) continue
      if (e.action === 'remove') erased.set(e.package, e)
      else if (e.action !== 'cleanup') erased.delete(e.package)
    }
    return erased
  },
  dpkgTransactionOf(actions: PackageAction[], transactions: Map<string, PackageTransaction>, pkg: string): PackageTransaction | undefined {
    const own = actions.filter((a) => a.package === pkg && a.transactionId !== null && !RPM_TOOLS.has(a.tool))
    const statuses = own.filter((a) => a.tool === 'dpkg' && a.action === 'status')
    const lastSettled = statuses.reduce((i, a, n) => (SETTLED.includes(a.state ?? '') ? n : i), -1)
    const breaker = statuses[lastSettled + 1]
    const run = breaker ? transactions.get(breaker.transactionId!) : undefined
    if (run !== undefined) {
      const around = [...transactions.values()].find(
        (t) =>
          t.tool === 'apt' &&
          t.timeUs !== null &&
          run.timeUs !== null &&
          t.timeUs <= run.timeUs &&
          run.timeUs <= (t.endUs ?? Infinity) &&
          own.some((a) => a.tool === 'apt' && a.transactionId === t.transactionId),
      )
      return around ?? run
    }
    const touched = own.map((a) => transactions.get(a.transactionId!)).filter((t): t is PackageTransaction => t !== undefined)
    touched.sort((a, b) => (a.timeUs ?? -Infinity) - (b.timeUs ?? -Infinity))
    return touched.at(-1)
  },
  packagesIn: (actions: PackageAction[], tx: string) => [...new Set(actions.filter((a) => a.transactionId === tx).map((a) => a.package))].sort(),
  repairedAfter: (actions: PackageAction[], transactions: Map<string, PackageTransaction>, pkg: string, t: PackageTransaction) =>
    actions.some((a) => {
      if (a.package !== pkg || a.transactionId === null || a.transactionId === t.transactionId) return false
      const later = transactions.get(a.transactionId)
      return later !== undefined && later.outcome === 'completed' && (later.timeUs ?? -Infinity) > (t.timeUs ?? Infinity)
    }),
}

const PACKAGES = ['apache2', 'nginx', 'rsyslog']
const TX_IDS = ['t1', 't2', 't3', 't4', 't5']
const PATHS = ['var/log/dpkg.log', 'var/log/apt/history.log']
const base = { timeBasis: 'utc' as const, timeZone: null, timeZoneSource: null, timeNote: null, host: null, cursor: null, parser: 'test' }

const actionArb = fc.record({
  tool: fc.constantFrom('dpkg', 'apt', 'dnf', 'rpm'),
  transactionId: fc.option(fc.constantFrom(...TX_IDS), { nil: null, freq: 6 }),
  package: fc.constantFrom(...PACKAGES),
  action: fc.constantFrom<PackageActionType>('install', 'upgrade', 'remove', 'purge', 'status', 'cleanup', 'configure'),
  state: fc.option(fc.constantFrom('installed', 'half-configured', 'unpacked', 'half-installed', 'config-files', 'not-installed'), { nil: null }),
  path: fc.constantFrom(...PATHS),
})
const transactionArb = fc.record({
  tool: fc.constantFrom('dpkg', 'apt', 'dnf'),
  // few distinct times, so that ties and unknown times are common
  timeUs: fc.option(fc.constantFrom(1000, 2000, 3000), { nil: null }),
  length: fc.option(fc.constantFrom(0, 500, 5000), { nil: null }),
  outcome: fc.constantFrom<PackageTransaction['outcome']>('completed', 'error', 'interrupted'),
  known: fc.boolean(),
})

type RawAction = typeof actionArb extends fc.Arbitrary<infer T> ? T : never
type RawTransaction = typeof transactionArb extends fc.Arbitrary<infer T> ? T : never

function historyCase(rawActions: RawAction[], rawTransactions: RawTransaction[]) {
  const actions: PackageAction[] = rawActions.map((a, i) => ({
    ...base,
    kind: 'package-action',
    ...a,
    timeUs: null,
    line: i + 1,
    text: `line ${i + 1}`,
    arch: null,
    fromVersion: null,
    toVersion: null,
  }))
  const transactions = new Map<string, PackageTransaction>()
  rawTransactions.forEach((t, i) => {
    if (!t.known) return
    const id = TX_IDS[i]!
    transactions.set(id, {
      ...base,
      kind: 'package-transaction',
      tool: t.tool,
      transactionId: id,
      timeUs: t.timeUs,
      endUs: t.timeUs === null || t.length === null ? null : t.timeUs + t.length,
      outcome: t.outcome,
      outcomeReason: 'test',
      commandLine: null,
      actor: null,
      path: PATHS[1]!,
      line: i + 1,
      text: `transaction ${id}`,
    })
  })
  return { actions, transactions }
}

describe('PackageHistory', () => {
  it('answers as a scan of every action would, on random histories', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 40 }), fc.array(transactionArb, { minLength: TX_IDS.length, maxLength: TX_IDS.length }), (raw, rawTx) => {
        const { actions, transactions } = historyCase(raw, rawTx)
        const history = PackageHistory.of(actions)
        assert.equal(history.actions, actions.length)
        assert.deepEqual(history.erased, reference.erased(actions))
        for (const pkg of PACKAGES) {
          assert.equal(history.dpkgTransactionOf(pkg, transactions), reference.dpkgTransactionOf(actions, transactions, pkg), `transaction of ${pkg}`)
          for (const t of transactions.values()) {
            assert.equal(history.repairedAfter(pkg, t, transactions), reference.repairedAfter(actions, transactions, pkg, t), `${pkg} repaired after ${t.transactionId}`)
          }
          for (const tx of TX_IDS) {
            for (const path of PATHS) {
              for (const line of [1, 10, 20, 40]) {
                assert.equal(history.removalBefore(tx, pkg, path, line), reference.removalBefore(actions, tx, pkg, path, line))
              }
            }
          }
        }
        for (const tx of TX_IDS) assert.deepEqual(history.packagesIn(tx), reference.packagesIn(actions, tx))
      }),
      { numRuns: 3000, seed: 20261125 },
    )
  })

  it('keeps whole only the actions it cites or decides from', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const history = new PackageHistory()
    const refs: { ref: WeakRef<PackageAction>; cited: boolean }[] = []
    // 9,000 settled dpkg actions in 300 runs, and one removal and one package left half-way
    const action = (i: number, over: Partial<PackageAction> = {}): PackageAction => ({
      ...base,
      kind: 'package-action',
      tool: 'dpkg',
      transactionId: `run${Math.floor(i / 30)}`,
      package: PACKAGES[i % 3]!,
      action: i % 2 === 0 ? 'upgrade' : 'status',
      state: i % 2 === 0 ? null : 'installed',
      timeUs: null,
      line: i + 1,
      text: `line ${i + 1}`,
      path: PATHS[0]!,
      arch: null,
      fromVersion: null,
      toVersion: null,
      ...over,
    })
    ;(() => {
      for (let i = 0; i < 9000; i++) {
        const a = action(i)
        history.add(a)
        refs.push({ ref: new WeakRef(a), cited: false })
      }
      const removal = action(9000, { action: 'remove', package: 'nginx' })
      const halfWay = action(9001, { state: 'half-configured', package: 'apache2' })
      for (const a of [removal, halfWay]) {
        history.add(a)
        refs.push({ ref: new WeakRef(a), cited: true })
      }
    })()
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    const alive = refs.filter((r) => r.ref.deref() !== undefined)
    assert.deepEqual(
      alive.map((r) => r.ref.deref()!.line),
      [9001, 9002],
    )
    assert.equal(history.actions, 9002)
    assert.deepEqual(history.packagesIn('run7'), ['apache2', 'nginx', 'rsyslog'])
  })

  it('answers as the scans on real package logs and generated ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maskwhy-history-'))
    try {
      await writePackageLogs(join(dir, 'debian'), { family: 'debian', bytes: 1_000_000, seed: 7 })
      await writePackageLogs(join(dir, 'el'), { family: 'el', bytes: 1_000_000, seed: 7 })
      const corpus = ['debian11-armhf-rootfs/var/log', 'rhel7-rootfs/var/log', 'rhel8-ec2-rootfs/var/log', 'plaso/dpkg.log'].map((p) => join(SHARED, 'corpus/public', p))
      let compared = 0
      for (const evidence of [join(dir, 'debian'), join(dir, 'el'), ...corpus]) {
        const { events } = await collectEvents({ evidence: [evidence] })
        const actions = events.filter((e): e is PackageAction => e.kind === 'package-action')
        const transactions = transactionsById(events)
        const history = PackageHistory.of(actions)
        assert.ok(actions.length > 0, `${evidence}: no package actions`)
        assert.deepEqual(history.erased, reference.erased(actions), evidence)
        for (const pkg of new Set(actions.map((a) => a.package))) {
          assert.equal(history.dpkgTransactionOf(pkg, transactions), reference.dpkgTransactionOf(actions, transactions, pkg), `${evidence}: ${pkg}`)
        }
        for (const t of transactions.values()) {
          const packages = history.packagesIn(t.transactionId)
          assert.deepEqual(packages, reference.packagesIn(actions, t.transactionId), `${evidence}: ${t.transactionId}`)
          for (const pkg of packages) assert.equal(history.repairedAfter(pkg, t, transactions), reference.repairedAfter(actions, transactions, pkg, t))
        }
        for (const a of actions.filter((x) => x.transactionId !== null)) {
          assert.equal(history.removalBefore(a.transactionId!, a.package, a.path, a.line), reference.removalBefore(actions, a.transactionId!, a.package, a.path, a.line))
        }
        compared += actions.length
      }
      assert.ok(compared > 10_000, `only ${compared} actions compared`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
