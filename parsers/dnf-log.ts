// https://github.com/rpm-software-management/dnf/blob/master/dnf/logging.py
/**
 * dnf 4 `/var/log/dnf.log` (and `dnf.log.1…4`, rotated by size by dnf itself).
 * Line: `"%(asctime)s %(levelname)s %(message)s"`; a message with newlines (the transaction table,
 * the result list, tracebacks) continues on lines without a timestamp (../shared/FORMATS.md §7a).
 * Timestamp eras (all accepted, also mixed in one file):
 *  - dnf < 2.7.2: `%b %d %H:%M:%S`, local time, no year — the year is inferred as for yum.log;
 *  - dnf 2.7.2 … 4.3: `2020-10-31T05:09:35Z` (UTC);
 *  - dnf ≥ 4.4: `2025-02-03T17:58:21+0530` (local time with its offset; `+00` seen too).
 *
 * Every run starts with `--- logging initialized ---`. One `package-transaction` is emitted per
 * run that reaches `Running transaction`/`RPM transaction start.` (runs such as `makecache` or a
 * depsolve failure change nothing and emit nothing). Outcome:
 *  - `error`: an `Error: …` (CRITICAL/ERROR) record and no `Complete!`;
 *  - `completed`: `Complete!`, or `RPM transaction over.` without a later error;
 *  - `interrupted`: neither — the next run began, or the file ended (killed, or still running when copied).
 * Package actions are **not** taken from the transaction table: dnf.rpm.log records the same
 * actions one per line with their own time (parsers/dnf-rpm-log.ts), so emitting them here would
 * count every package twice.
 * `transactionId` is `dnf:<timestamp of the logging-initialized line>` (`#2`, `#3` for further runs
 * in the same second); dnf.rpm.log gets the same marker at the same moment, so both files' events
 * share the id.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent, PackageTransaction, TransactionOutcome } from '../src/events.ts'
import { eventBase, UNKNOWN_TIME } from '../src/parse-kit.ts'
import { YearlessClock } from '../src/formats/yearless.ts'
import { DETECT_CTX, DNF_RECORD, EventQueue, LOG_MARKER, RunIds, dnfRecordLines, stampOf, type DnfRecordLine, type Stamp } from '../src/formats/dnf.ts'

const NAME = 'dnf-log'

interface Run {
  id: string
  line: number
  text: string
  stamp: Stamp
  /** What the `… version:` line says: dnf, or yum when dnf was invoked as yum. */
  tool: string | null
  commandLine: string | null
  installroot: string | null
  startedLine: number | null
  overLine: number | null
  complete: boolean
  error: string | null
  last: Stamp
  /** True when the run began in an older (rotated) file: no marker seen. */
  headless: boolean
}

// DEBUG DNF version: 4.14.0      DEBUG YUM version: 4.2.23  (dnf invoked as yum)
const VERSION = /^(?<tool>DNF|YUM) version: /
// DDEBUG Command: yum -C -y --noplugins remove linux-firmware     (dnf adds a trailing space)
const COMMAND = /^Command: (?<cmd>.*?)\s*$/
// DDEBUG Installroot: /
const INSTALLROOT = /^Installroot: (?<root>.*?)\s*$/
// CRITICAL Error: Transaction failed      ERROR Error: Unable to find a match
const ERROR = /^Error: (?<why>.*)$/

function finishRun(run: Run, ctx: ParseContext, next: { line: number } | null): { event: PackageTransaction; end: Stamp } | null {
  if (run.startedLine === null) return null
  let outcome: TransactionOutcome
  let outcomeReason: string
  if (run.complete) {
    outcome = 'completed'
    outcomeReason = '"Complete!" logged'
  } else if (run.error !== null) {
    outcome = 'error'
    outcomeReason = `dnf reported "Error: ${run.error}"`
  } else if (run.overLine !== null) {
    outcome = 'completed'
    outcomeReason = `"RPM transaction over." logged (line ${run.overLine}) but no "Complete!": dnf stopped after the RPM transaction`
  } else {
    outcome = 'interrupted'
    const rotated = /\.\d+(?:\.gz)?$/.test(ctx.path)
    outcomeReason =
      next !== null
        ? `no "RPM transaction over."/"Complete!" before the next run (line ${next.line}): interrupted (killed, crashed or power lost)`
        : rotated
          ? 'no "RPM transaction over."/"Complete!" before the end of this rotated file: interrupted, or the run continues in the next file'
          : 'no "RPM transaction over."/"Complete!" before the end of the log: interrupted, or still running when the evidence was copied'
  }
  if (run.headless) outcomeReason += '; the run began in an older (rotated) file'
  if (run.installroot !== null && run.installroot !== '/') outcomeReason += `; installroot ${run.installroot} (not the host's own root)`
  const commandTool = run.commandLine?.split(/\s+/)[0]?.split('/').pop()
  const event: PackageTransaction = {
    kind: 'package-transaction',
    ...eventBase(ctx, NAME, run.line, run.text, UNKNOWN_TIME),
    tool: run.tool ?? (commandTool === 'yum' ? 'yum' : 'dnf'),
    transactionId: run.id,
    commandLine: run.commandLine,
    actor: null,
    outcome,
    outcomeReason,
    endUs: null,
  }
  return { event, end: run.last }
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const clock = new YearlessClock(ctx)
  const queue = new EventQueue(clock, ctx)
  const ids = new RunIds()
  let run: Run | null = null
  const close = (done: Run, next: { line: number } | null): MaskEvent[] => {
    const tx = finishRun(done, ctx, next)
    return tx === null ? [] : queue.push(tx.event, { time: done.stamp, end: tx.end })
  }
  for await (const r of dnfRecordLines(input, ctx, count, clock)) {
    if (r.continuation) continue
    const msg = r.msg
    if (msg === LOG_MARKER) {
      if (run !== null) yield* close(run, { line: r.line })
      run = newRun(ids.next(r.stampText), r, false)
      continue
    }
    // Records before the first marker: a run that began in an older rotated file.
    run ??= newRun(`dnf:${r.stampText}?`, r, true)
    run.last = r.stamp
    let m: RegExpExecArray | null
    if ((m = VERSION.exec(msg))) run.tool = m.groups!['tool']!.toLowerCase()
    else if ((m = COMMAND.exec(msg))) run.commandLine = m.groups!['cmd']!
    else if ((m = INSTALLROOT.exec(msg))) run.installroot = m.groups!['root']!
    else if (msg === 'Running transaction' || msg === 'RPM transaction start.') run.startedLine ??= r.line
    else if (msg === 'RPM transaction over.') run.overLine = r.line
    else if (msg === 'Complete!') run.complete = true
    else if ((m = ERROR.exec(msg)) && (r.level === 'CRITICAL' || r.level === 'ERROR')) run.error ??= m.groups!['why']!
  }
  if (run !== null) yield* close(run, null)
  clock.finish()
  yield* queue.flush()
}

function newRun(id: string, r: DnfRecordLine, headless: boolean): Run {
  return {
    id,
    line: r.line,
    text: r.text,
    stamp: r.stamp,
    tool: null,
    commandLine: null,
    installroot: null,
    startedLine: null,
    overLine: null,
    complete: false,
    error: null,
    last: r.stamp,
    headless,
  }
}

// DDEBUG lines and the "DNF/YUM version:" preamble are written only to dnf.log (dnf.rpm.log,
// dnf.librepo.log and hawkey.log share the line format but not these).
const DNF_LOG_ONLY = /^(?:DDEBUG |DEBUG (?:DNF|YUM) version: )/

export default {
  name: NAME,
  title: 'dnf 4 log (/var/log/dnf.log)',
  paths: [/(^|\/)dnf\.log$/],
  detect(head: string): boolean {
    for (const l of head.split('\n').slice(0, 200)) {
      const m = DNF_RECORD.exec(l)
      if (!m?.groups) continue
      if (DNF_LOG_ONLY.test(`${m.groups['level']} ${m.groups['msg']}`) && stampOf(m.groups, new YearlessClock(DETECT_CTX)) !== null) return true
    }
    return false
  },
  parse,
} satisfies Parser
