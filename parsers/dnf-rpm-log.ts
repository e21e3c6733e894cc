// https://github.com/rpm-software-management/dnf/blob/master/dnf/yum/rpmtrans.py
/**
 * dnf 4 `/var/log/dnf.rpm.log`: what rpm did, same line format and timestamp eras as dnf.log
 * (parsers/dnf-log.ts, ../shared/FORMATS.md §7a, §4d).
 *  - `SUBDEBUG <Action>: <nevra>` (dnf/transaction.py FILE_ACTIONS), logged when rpm *starts* on
 *    the element → `package-action`. `Upgrade`/`Downgrade`/`Reinstall` name the new package and are
 *    followed by `Upgraded`/`Downgraded`/`Reinstalled` for the old one (→ action `cleanup`).
 *  - An `Upgrade:` (or `Downgrade:`/`Reinstall:`) whose old half never follows before the run ends
 *    is an interrupted upgrade: rpm left both versions in its database. This is reported as a
 *    `package-note` `left-broken` on the `Upgrade:` line (the transaction outcome itself comes
 *    from dnf.log, which knows whether the run finished).
 *  - Scriptlet output is an INFO record, possibly multi-line and followed by a blank line. Each of
 *    its lines is checked: systemctl's `Created symlink … → /dev/null.` is a mask made by the
 *    scriptlet of the package named by the preceding SUBDEBUG line (`unit-masked`, form `helper`),
 *    likewise unmask/enable/disable; `Running in chroot, ignoring request…` → `package-note`
 *    `chroot-ignored`.
 *  - `Error in <SCRIPTLET> scriptlet in rpm package <name>` → `package-note` `scriptlet-failed`.
 * `transactionId` matches dnf.log's: `dnf:<timestamp of the logging-initialized line>`.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { EventBase, MaskEvent, PackageActionType } from '../src/events.ts'
import { parseLinkChange } from '../src/messages.ts'
import { eventBase, UNKNOWN_TIME } from '../src/parse-kit.ts'
import { DETECT_CTX, DNF_RECORD, EventQueue, LOG_MARKER, RunIds, dnfRecordLines, stampOf, type DnfRecordLine, type Stamp } from '../src/formats/dnf.ts'
import { YearlessClock } from '../src/formats/yearless.ts'
import { splitNevra } from '../src/formats/nevra.ts'

const NAME = 'dnf-rpm-log'

// SUBDEBUG Installed: cronie-1.6.1-5.fc39.x86_64      SUBDEBUG Upgraded: openssl-1:1.1.1g-11.el8.x86_64
const ACTION = /^(?<action>[A-Z][a-z]+): (?<pkg>\S+)\s*$/
const ACTIONS: Record<string, { action: PackageActionType; side: 'to' | 'from'; opens?: string; closes?: string }> = {
  Installed: { action: 'install', side: 'to' },
  Upgrade: { action: 'upgrade', side: 'to', opens: 'Upgraded' },
  Upgraded: { action: 'cleanup', side: 'from', closes: 'Upgraded' },
  Downgrade: { action: 'downgrade', side: 'to', opens: 'Downgraded' },
  Downgraded: { action: 'cleanup', side: 'from', closes: 'Downgraded' },
  Reinstall: { action: 'reinstall', side: 'to', opens: 'Reinstalled' },
  Reinstalled: { action: 'cleanup', side: 'from', closes: 'Reinstalled' },
  Erase: { action: 'remove', side: 'from' },
  Obsolete: { action: 'install', side: 'to' },
  Obsoleted: { action: 'cleanup', side: 'from' },
  Cleanup: { action: 'cleanup', side: 'from' },
}

/** An action line whose package is no nevra is rejected by the record loop (RECORD_INVALID). */
function validate(level: string, msg: string): string | null {
  if (level !== 'SUBDEBUG') return null
  const m = ACTION.exec(msg)
  if (!m?.groups || ACTIONS[m.groups['action']!] === undefined) return null
  return splitNevra(m.groups['pkg']!) === null ? `"${m.groups['action']}:" package is not name-[epoch:]version-release.arch` : null
}
// ERROR Error in PREIN scriptlet in rpm package failpre     (dnf 4.14 names the package, older versions the nevra)
const SCRIPTLET_ERROR = /^Error in (?<scriptlet>\S+) scriptlet in rpm package (?<pkg>\S+)\s*$/
// INFO Running in chroot, ignoring request: daemon-reload      (RHEL 8)      Running in chroot, ignoring request.
const CHROOT = /^Running in chroot, ignoring (?:request|command)/

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const clock = new YearlessClock(ctx)
  const queue = new EventQueue(clock, ctx)
  const ids = new RunIds()
  let runId: string | null = null
  /** Package of the latest SUBDEBUG action line: scriptlet output after it is that package's. */
  let lastPackage: string | null = null
  /** `Upgrade:`-style lines still waiting for their `Upgraded:` half, by package name. */
  let open = new Map<string, { r: DnfRecordLine; name: string; closer: string }>()

  const base = (r: DnfRecordLine): EventBase => eventBase(ctx, NAME, r.line, r.text, UNKNOWN_TIME)
  const out = (event: MaskEvent, stamp: Stamp): MaskEvent[] => queue.push(event, { time: stamp })
  const closeRun = (): MaskEvent[] => {
    const events: MaskEvent[] = []
    for (const o of open.values()) {
      events.push(
        ...out({ kind: 'package-note', ...base(o.r), tool: 'dnf', note: 'left-broken', package: o.name, transactionId: runId }, o.r.stamp),
      )
    }
    open = new Map()
    return events
  }

  for await (const r of dnfRecordLines(input, ctx, count, clock, validate)) {
    const msg = r.msg
    if (!r.continuation && msg === LOG_MARKER) {
      yield* closeRun()
      runId = ids.next(r.stampText)
      lastPackage = null
      continue
    }
    if (!r.continuation && r.level === 'SUBDEBUG') {
      const m = ACTION.exec(msg)
      const kind = m?.groups ? ACTIONS[m.groups['action']!] : undefined
      if (m?.groups && kind !== undefined) {
        const nevra = splitNevra(m.groups['pkg']!)!
        lastPackage = nevra.name
        if (kind.opens !== undefined) open.set(nevra.name, { r, name: nevra.name, closer: kind.opens })
        if (kind.closes !== undefined && open.get(nevra.name)?.closer === kind.closes) open.delete(nevra.name)
        yield* out(
          {
            kind: 'package-action',
            ...base(r),
            tool: 'dnf',
            transactionId: runId,
            package: nevra.name,
            arch: nevra.arch,
            action: kind.action,
            fromVersion: kind.side === 'from' ? nevra.version : null,
            toVersion: kind.side === 'to' ? nevra.version : null,
            state: null,
          },
          r.stamp,
        )
      }
      // Other SUBDEBUG records (Verified:, Preparing, tracebacks) carry nothing for us.
      continue
    }
    if (r.level === 'SUBDEBUG') continue
    const failed = SCRIPTLET_ERROR.exec(msg)
    if (failed?.groups) {
      const pkg = failed.groups['pkg']!
      yield* out(
        { kind: 'package-note', ...base(r), tool: 'dnf', note: 'scriptlet-failed', package: splitNevra(pkg)?.name ?? pkg, transactionId: runId },
        r.stamp,
      )
      continue
    }
    if (CHROOT.test(msg)) {
      yield* out({ kind: 'package-note', ...base(r), tool: 'dnf', note: 'chroot-ignored', package: lastPackage, transactionId: runId }, r.stamp)
      continue
    }
    const change = parseLinkChange(msg)
    if (change === null) continue
    const who = { actorComm: null, actorUnit: null, package: lastPackage, transactionId: runId }
    switch (change.change) {
      case 'mask':
      case 'unmask':
        yield* out(
          {
            kind: change.change === 'mask' ? 'unit-masked' : 'unit-unmasked',
            ...base(r),
            unit: change.unit,
            form: 'helper',
            linkPath: change.linkPath,
            runtime: change.runtime,
            ...who,
          },
          r.stamp,
        )
        break
      case 'enable':
        yield* out({ kind: 'unit-enabled', ...base(r), unit: change.unit, linkPath: change.linkPath, target: change.target, ...who }, r.stamp)
        break
      case 'disable':
        yield* out({ kind: 'unit-disabled', ...base(r), unit: change.unit, linkPath: change.linkPath, ...who }, r.stamp)
        break
    }
  }
  yield* closeRun()
  clock.finish()
  yield* queue.flush()
}

const IS_ACTION = /^SUBDEBUG (?:Installed|Upgrade|Upgraded|Downgrade|Downgraded|Reinstall|Reinstalled|Erase|Obsolete|Obsoleted|Cleanup): \S+-\S+-\S+\.\S+\s*$/

export default {
  name: NAME,
  title: 'dnf 4 rpm log (/var/log/dnf.rpm.log)',
  paths: [/(^|\/)dnf\.rpm\.log$/],
  detect(head: string): boolean {
    let action = false
    for (const l of head.split('\n').slice(0, 500)) {
      const m = DNF_RECORD.exec(l)
      if (!m?.groups) continue
      const rest = `${m.groups['level']} ${m.groups['msg']}`
      // DDEBUG and the version preamble belong to dnf.log; a dnf.log never has SUBDEBUG actions.
      if (/^(?:DDEBUG |DEBUG (?:DNF|YUM) version: )/.test(rest)) return false
      if (IS_ACTION.test(rest) && stampOf(m.groups, new YearlessClock(DETECT_CTX)) !== null) action = true
    }
    return action
  },
  parse,
} satisfies Parser
