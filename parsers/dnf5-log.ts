// https://github.com/rpm-software-management/dnf5/blob/main/libdnf5/logger/logger.cpp
/**
 * dnf5 `/var/log/dnf5.log` (and `dnf5.log.1`). No public sample exists: the grammar comes from the
 * dnf5 sources (../shared/FORMATS.md §7b) and the parser is lenient.
 *  - Line: `{:%FT%T%z} [pid] LEVEL message` — `2024-03-21T10:13:25+0000 [16009] INFO …`
 *    (early libdnf5: `…Z`); levels CRITICAL ERROR WARNING NOTICE INFO DEBUG TRACE. Lines without
 *    that prefix after a record are taken as its continuation (a message with newlines).
 *  - `--- DNF5 launched with arguments: "<cmdline>" ---` starts a run of that pid, `DNF5 finished`
 *    ends it. Runs are keyed by pid, so interleaved runs (dnf5daemon, parallel dnf5) stay apart.
 *  - `RPM callback install|uninstall start|stop "<name-epoch:version-release.arch>" …`
 *    (libdnf5/rpm/transaction.cpp), `RPM callback start|stop %post scriptlet "<nevra>" [return code N]`,
 *    `RPM callback error in %pre scriptlet "<nevra>" return code N`, scriptlet output as
 *    `[scriptlet] <line>` (libdnf5/base/transaction.cpp).
 * One `package-transaction` per run with RPM activity: `interrupted` when the pid never logs
 * `DNF5 finished` (a new launch by the same pid, or the end of the file, closes it); `error` when
 * ERROR/CRITICAL records follow the start of the RPM transaction; else `completed`.
 * Package actions come from `install start`/`uninstall start`; rpm's install callback does not
 * say install vs upgrade, so a run's actions are emitted when it closes: a name both installed and
 * uninstalled in one run is an upgrade/downgrade/reinstall of the new version plus a `cleanup` of
 * the old one. An item started but never stopped is named in the transaction's outcomeReason.
 * Scriptlet output is read from a pipe by another thread, so `[scriptlet]` lines are attributed to
 * the package of the latest `start … scriptlet` callback, which is usually but not surely right.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { EventBase, MaskEvent, PackageActionType } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { parseLinkChange } from '../src/messages.ts'
import { eventBase, readableLines, type TimeFields } from '../src/parse-kit.ts'
import { isoInstantUs } from '../src/formats/dnf.ts'
import { splitNevra } from '../src/formats/nevra.ts'

const NAME = 'dnf5-log'

// 2024-03-21T10:13:25+0000 [16009] INFO Loaded dnf5 plugin "builddep" …      2023-01-05T10:00:00Z [5] DEBUG …
const RECORD =
  /^(?<date>\d{4}-\d{2}-\d{2})T(?<time>\d{2}:\d{2}:\d{2})(?<zone>Z|[+-]\d{2}(?::?\d{2})?) \[(?<pid>\d+)\] (?<level>CRITICAL|ERROR|WARNING|NOTICE|INFO|DEBUG|TRACE) (?<msg>.*)$/
const STAMP_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}(?::?\d{2})?)(?:\s|$)/
// --- DNF5 launched with arguments: "dnf5 install -y nginx" ---
const LAUNCH = /^--- DNF5 launched with arguments: (?<args>.*?) ---\s*$/
// RPM callback install start "cmake-rpm-macros-0:3.31.11-1.fc43.noarch" total 9084
const ITEM = /^RPM callback (?<dir>install|uninstall) (?<what>start|stop) "(?<nevra>[^"]+)"/
// RPM callback start %post scriptlet "maskdemo-0:1.0-1.noarch"
const SCRIPT_START = /^RPM callback start (?<script>\S+) scriptlet "(?<nevra>[^"]+)"/
// RPM callback stop %post scriptlet "maskdemo-0:1.0-1.noarch" return code 0
const SCRIPT_STOP = /^RPM callback stop \S+ scriptlet "/
// RPM callback error in %pre scriptlet "failpre-0:1.0-1.noarch" return code 1
const SCRIPT_ERROR = /^RPM callback error in (?<script>\S+) scriptlet "(?<nevra>[^"]+)"/
// [scriptlet] Created symlink /etc/systemd/system/foo.service → /dev/null.
const SCRIPTLET = /^\[scriptlet\] ?(?<out>.*)$/
const CHROOT = /^Running in chroot, ignoring (?:request|command)/

interface Item {
  dir: 'install' | 'uninstall'
  line: number
  text: string
  time: TimeFields
  name: string
  arch: string
  version: string
  stopped: boolean
}

interface Run {
  pid: string
  id: string
  line: number
  text: string
  time: TimeFields
  commandLine: string | null
  rpmStarted: boolean
  error: string | null
  lastUs: number | null
  items: Item[]
  lastPackage: string | null
  /** `%post of maskdemo-0:2.0-1.noarch` while a scriptlet runs. */
  openScript: string | null
  headless: boolean
}

const trimQuotes = (s: string): string => (s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1) : s)

function versionOrder(a: string, b: string): number {
  // A rough rpmvercmp: compares digit runs numerically and letter runs as text.
  const pa = a.match(/\d+|[a-zA-Z]+/g) ?? []
  const pb = b.match(/\d+|[a-zA-Z]+/g) ?? []
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    const nx = /^\d/.test(x)
    const ny = /^\d/.test(y)
    if (nx && ny) {
      const d = Number(x) - Number(y)
      if (d !== 0) return Math.sign(d)
    } else if (nx !== ny) return nx ? 1 : -1
    else if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const runs = new Map<string, Run>()
  let current: { pid: string; time: TimeFields } | null = null
  let sawRecord = false

  const base = (line: number, text: string, time: TimeFields): EventBase => eventBase(ctx, NAME, line, text, time)

  function* close(run: Run, finished: boolean, next: { line: number } | null): Generator<MaskEvent> {
    runs.delete(run.pid)
    // Package actions, in log order: pair the install and uninstall of one name.
    const byName = new Map<string, Item[]>()
    for (const it of run.items) byName.set(it.name, [...(byName.get(it.name) ?? []), it])
    for (const it of run.items) {
      const same = byName.get(it.name)!
      const other = same.find((o) => o.dir !== it.dir)
      let action: PackageActionType
      if (it.dir === 'uninstall') action = other ? 'cleanup' : 'remove'
      else if (!other) action = 'install'
      else {
        const c = versionOrder(it.version, other.version)
        action = c > 0 ? 'upgrade' : c < 0 ? 'downgrade' : 'reinstall'
      }
      yield {
        kind: 'package-action',
        ...base(it.line, it.text, it.time),
        tool: 'dnf5',
        transactionId: run.id,
        package: it.name,
        arch: it.arch,
        action,
        fromVersion: it.dir === 'uninstall' ? it.version : (other?.version ?? null),
        toVersion: it.dir === 'install' ? it.version : null,
        state: null,
      }
    }
    if (!run.rpmStarted) return
    const unfinished = run.items.filter((i) => !i.stopped).map((i) => `${i.dir} of ${i.name}-${i.version}`)
    if (run.openScript !== null) unfinished.push(`${run.openScript} scriptlet`)
    const tail = unfinished.length > 0 ? `; ${unfinished.join(', ')} started but never stopped` : ''
    const outcome = !finished ? 'interrupted' : run.error !== null ? 'error' : 'completed'
    let outcomeReason =
      outcome === 'completed'
        ? '"DNF5 finished" logged with no error after the RPM transaction began'
        : outcome === 'error'
          ? `error logged during the RPM transaction: "${run.error}"`
          : next !== null
            ? `no "DNF5 finished" for pid ${run.pid} before it launched again (line ${next.line}): interrupted`
            : `no "DNF5 finished" for pid ${run.pid} before the end of the log: interrupted, or still running when the evidence was copied`
    outcomeReason += tail
    if (run.headless) outcomeReason += '; the run began in an older (rotated) file'
    yield {
      kind: 'package-transaction',
      ...base(run.line, run.text, run.time),
      tool: 'dnf5',
      transactionId: run.id,
      commandLine: run.commandLine,
      actor: null,
      outcome,
      outcomeReason,
      endUs: run.lastUs,
    }
  }

  const newRun = (pid: string, line: number, text: string, time: TimeFields, stampText: string, headless: boolean): Run => {
    const run: Run = {
      pid,
      id: `dnf5:${pid}@${stampText}`,
      line,
      text,
      time,
      commandLine: null,
      rpmStarted: false,
      error: null,
      lastUs: time.timeUs,
      items: [],
      lastPackage: null,
      openScript: null,
      headless,
    }
    runs.set(pid, run)
    return run
  }

  function* onMessage(run: Run, line: number, text: string, level: string, msg: string, time: TimeFields): Generator<MaskEvent> {
    let m: RegExpExecArray | null
    if ((m = ITEM.exec(msg))) {
      run.rpmStarted = true
      const nevra = splitNevra(m.groups!['nevra']!)
      if (nevra === null) return
      const dir = m.groups!['dir'] as Item['dir']
      run.lastPackage = nevra.name
      if (m.groups!['what'] === 'start') {
        run.items.push({ dir, line, text, time, name: nevra.name, arch: nevra.arch, version: nevra.version, stopped: false })
      } else {
        const it = run.items.findLast((i) => i.dir === dir && i.name === nevra.name && !i.stopped)
        if (it) it.stopped = true
      }
      return
    }
    if (msg.startsWith('RPM callback')) run.rpmStarted = true
    if ((m = SCRIPT_START.exec(msg))) {
      run.lastPackage = splitNevra(m.groups!['nevra']!)?.name ?? run.lastPackage
      run.openScript = `${m.groups!['script']} of ${m.groups!['nevra']}`
      return
    }
    if (SCRIPT_STOP.test(msg)) run.openScript = null
    if ((m = SCRIPT_ERROR.exec(msg))) {
      const pkg = m.groups!['nevra']!
      yield { kind: 'package-note', ...base(line, text, time), tool: 'dnf5', note: 'scriptlet-failed', package: splitNevra(pkg)?.name ?? pkg, transactionId: run.id }
    }
    if (run.rpmStarted && (level === 'ERROR' || level === 'CRITICAL')) run.error ??= msg
    const out = SCRIPTLET.exec(msg)
    if (!out?.groups) return
    run.rpmStarted = true
    const said = out.groups['out']!
    if (CHROOT.test(said)) {
      yield { kind: 'package-note', ...base(line, text, time), tool: 'dnf5', note: 'chroot-ignored', package: run.lastPackage, transactionId: run.id }
      return
    }
    const change = parseLinkChange(said)
    if (change === null) return
    const who = { actorComm: null, actorUnit: null, package: run.lastPackage, transactionId: run.id }
    if (change.change === 'mask' || change.change === 'unmask') {
      yield {
        kind: change.change === 'mask' ? 'unit-masked' : 'unit-unmasked',
        ...base(line, text, time),
        unit: change.unit,
        form: 'helper',
        linkPath: change.linkPath,
        runtime: change.runtime,
        ...who,
      }
    } else if (change.change === 'enable') {
      yield { kind: 'unit-enabled', ...base(line, text, time), unit: change.unit, linkPath: change.linkPath, target: change.target, ...who }
    } else {
      yield { kind: 'unit-disabled', ...base(line, text, time), unit: change.unit, linkPath: change.linkPath, ...who }
    }
  }

  for await (const { line, text } of readableLines(input, ctx, count)) {
    if (text.includes('\0')) {
      ctx.warn('RECORD_INVALID', line, 'NUL bytes in a text log (damaged file?)', excerptOf(text.replace(/\0+/g, '\\0…')))
      count.line(false)
      continue
    }
    const m = RECORD.exec(text)
    if (!m?.groups) {
      if (STAMP_START.test(text)) {
        ctx.warn('RECORD_INVALID', line, 'timestamped line without "[pid] LEVEL message" (torn write?)', excerptOf(text))
        count.line(false)
        current = null
      } else if (!sawRecord && text.trim() !== '') {
        ctx.warn('RECORD_INVALID', line, 'text before the first timestamped record', excerptOf(text))
        count.line(false)
      } else {
        // A continuation of the previous record (a message with newlines), or a blank line.
        count.line(true)
        const run = current !== null ? runs.get(current.pid) : undefined
        if (run !== undefined && current !== null) yield* onMessage(run, line, text, 'INFO', text, current.time)
      }
      continue
    }
    sawRecord = true
    const g = m.groups
    const us = isoInstantUs(g['date']!, g['time']!, g['zone']!)
    if (us === null) {
      ctx.warn('TIMESTAMP_INVALID', line, `timestamp out of range: ${g['date']}T${g['time']}${g['zone']}`, excerptOf(text))
      count.line(false)
      current = null
      continue
    }
    count.line(true)
    const time: TimeFields = { timeUs: us, timeBasis: 'utc', timeZone: null, timeZoneSource: null, timeNote: null }
    const pid = g['pid']!
    const msg = g['msg']!
    const stampText = `${g['date']}T${g['time']}${g['zone']}`
    current = { pid, time }
    const launch = LAUNCH.exec(msg)
    if (launch?.groups) {
      const old = runs.get(pid)
      if (old !== undefined) yield* close(old, false, { line })
      newRun(pid, line, text, time, stampText, false).commandLine = trimQuotes(launch.groups['args']!)
      continue
    }
    const run = runs.get(pid) ?? newRun(pid, line, text, time, stampText, true)
    run.lastUs = us
    if (msg.trim() === 'DNF5 finished') {
      yield* close(run, true, null)
      continue
    }
    yield* onMessage(run, line, text, g['level']!, msg, time)
  }
  for (const run of [...runs.values()]) yield* close(run, false, null)
}

export default {
  name: NAME,
  title: 'dnf5 log (/var/log/dnf5.log)',
  paths: [/(^|\/)dnf5\.log$/],
  detect(head: string): boolean {
    for (const l of head.split('\n').slice(0, 50)) {
      const g = RECORD.exec(l)?.groups
      if (g && isoInstantUs(g['date']!, g['time']!, g['zone']!) !== null) return true
    }
    return false
  },
  parse,
} satisfies Parser
