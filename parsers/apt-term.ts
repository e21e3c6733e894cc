// https://salsa.debian.org/apt-team/apt/-/blob/main/apt-pkg/deb/dpkgpm.cc (OpenLog, CloseLog: term.log framing)
/**
 * apt's `/var/log/apt/term.log` (and rotated `term.log.N.gz`): the raw pty output of every dpkg run,
 * framed by apt.
 *
 * ```
 *
 * Log started: 2023-01-15  05:19:15                  ← "\nLog started: %F  %T\n", local time, no zone
 * Unpacking dbus (1.12.24-0+deb11u1) ...\r           ← dpkg through a pty: CRLF line ends
 * (Reading database ... \r(Reading database ... 5%\r… ← bare-CR progress redraws
 * Setting up maskdemo (1.0) ...\r
 * Created symlink /etc/systemd/system/maskdemo-legacy.service → /dev/null.\r\r   ← systemctl's stderr (CR CR LF)
 * Log ended: 2023-01-15  05:20:51                    ← CloseLog; absent when apt was killed or lost power
 * ```
 *
 * A line is split on every `\r` and each piece is read on its own, so a mask line is found
 * whatever progress noise shares its line; ANSI colour codes are removed first.
 * There are no per-line times: everything in a block gets the block's `Log started` time
 * (the `timeNote` says so). A block without `Log ended` is an interrupted transaction.
 * Wordings: ../shared/FORMATS.md §4b, §4d, §5e, §6.
 */
import type { ParseContext, Parser, ParserInput, LineCounter } from '../src/parser.ts'
import type { EventBase, MaskEvent, PackageActionType, PackageNoteType } from '../src/events.ts'
import { excerptOf, type DiagnosticCode } from '../src/diagnostics.ts'
import { parseLinkChange } from '../src/messages.ts'
import { localEventTime } from '../src/time.ts'
import { eventBase, joinNotes, readableLines, UNKNOWN_TIME, type TimeFields } from '../src/parse-kit.ts'
import { aptTransactionId, parseAptTime } from '../src/formats/apt.ts'

const NAME = 'apt-term'
const TOOL = 'apt'

// Log started: 2023-01-15  05:19:15        Log ended: 2023-01-15  05:20:51
const FRAME = /^Log (?<which>started|ended): (?<time>.*)$/
// Setting up maskdemo (1.0) ...
// Unpacking libdbus-1-3:armhf (1.12.24-0+deb11u1) ...        Unpacking maskdemo (1.1) over (1.0) ...
// Removing maskdemo (1.2) ...                                 Purging configuration files for maskdemo (1.2) ...
// Processing triggers for libc-bin (2.31-13+deb11u5) ...
// Unpacking replacement foo ...   Unpacking foo (from .../foo_1.0_all.deb) ...   (dpkg before 1.17)
const DPKG_STEP =
  /^(?<verb>Setting up|Unpacking|Removing|Purging configuration files for|Processing triggers for) (?:replacement )?(?<name>[^\s:()]+)(?::(?<arch>[^\s()]+))?(?: \((?<ver>[^()]*)\))?(?: over \((?<old>[^()]*)\))? ?\.\.\.$/
// Selecting previously unselected package libdbus-1-3:armhf.
const SELECTING = /^Selecting previously unselected package (?<name>[^\s:]+)(?::\S+)?\.$/
// Preparing to unpack .../00-libdbus-1-3_1.12.24-0+deb11u1_armhf.deb ...   (apt numbers the archives it links)
const PREPARING = /^Preparing to unpack (?<file>\S+\.deb) \.\.\.$/
// dpkg: error processing package maskdemo (--configure):
// dpkg: error processing archive /tmp/apt-dpkg-install-x/05-foo_1.0_all.deb (--unpack):
// dpkg: error processing foo (--configure):                  (dpkg before 1.17)
const DPKG_ERROR = /^dpkg: error processing (?:package (?<pkg>\S+)|archive (?<archive>.+?)|(?<old>\S+)) \(--[a-z-]+\):$/
// Errors were encountered while processing:
const ERRORS_HEADER = /^Errors were encountered while processing:$/
//  maskdemo            /var/cache/apt/archives/foo_1.0_all.deb      (one per line, indented by one space)
const ERRORS_ITEM = /^ (?<item>\S+)$/
// Running in chroot, ignoring request.       Running in chroot, ignoring request: daemon-reload
const CHROOT = /^Running in chroot, ignoring\b/
// ESC [ … m colour codes (systemctl colours its warnings on a tty) and other CSI sequences
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g

const STEP_ACTIONS: Readonly<Record<string, PackageActionType>> = {
  'Setting up': 'configure',
  Unpacking: 'unpack',
  Removing: 'remove',
  'Purging configuration files for': 'purge',
  'Processing triggers for': 'trigger',
}

const NOTE_LINE_TIME = "term.log has no per-line times: time of the block's Log started"
const NOTE_NO_BLOCK = 'outside any Log started/Log ended block: time unknown'
const REASON_COMPLETED = 'Log ended present, no dpkg errors'
const REASON_ERROR = 'Log ended present; dpkg reported errors (error processing / Errors were encountered)'
const REASON_INTERRUPTED_EOF = 'no Log ended: interrupted, or still running when the evidence was copied'
const REASON_INTERRUPTED_NEXT = 'no Log ended before the next Log started: apt was interrupted (killed, crashed or lost power)'

/** Package name of a .deb path: `.../05-foo_1.0_all.deb` → `foo` (apt's `NN-` link prefix removed). */
function packageOfDeb(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1)
  return file.split('_')[0]!.replace(/^\d+-/, '')
}

const withoutArch = (name: string): string => name.replace(/:.*$/, '')

interface Block {
  line: number
  text: string
  transactionId: string
  time: TimeFields
  errors: boolean
  events: MaskEvent[]
}

interface Problem {
  code: DiagnosticCode
  message: string
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  let block: Block | null = null
  /** Package whose maintainer script output is being read (set by dpkg's progress lines). */
  let current: string | null = null
  let selected: string | null = null
  /** An `Errors were encountered while processing:` list being read. */
  let errorList: { line: number; text: string; items: number } | null = null
  let warnedOutside = false
  /** Events outside any block: emitted as soon as their line is read. */
  let loose: MaskEvent[] = []

  const base = (line: number, text: string): EventBase => {
    const time: TimeFields =
      block === null
        ? { ...UNKNOWN_TIME, timeNote: NOTE_NO_BLOCK }
        : { ...block.time, timeNote: joinNotes(NOTE_LINE_TIME, block.time.timeNote) }
    return eventBase(ctx, NAME, line, text, time)
  }
  const emit = (e: MaskEvent): void => {
    if (block === null) loose.push(e)
    else block.events.push(e)
  }
  const note = (note: PackageNoteType, pkg: string | null, line: number, text: string): void => {
    if (block !== null && (note === 'error-processing' || note === 'errors-encountered')) block.errors = true
    emit({ kind: 'package-note', ...base(line, text), tool: TOOL, note, package: pkg, transactionId: block?.transactionId ?? null })
  }
  const endErrorList = (): void => {
    if (errorList !== null && errorList.items === 0) note('errors-encountered', null, errorList.line, errorList.text)
    errorList = null
  }

  function* close(b: Block, endUs: number | null, interruptedReason: string | null): Generator<MaskEvent> {
    endErrorList()
    const outcome = interruptedReason !== null ? 'interrupted' : b.errors ? 'error' : 'completed'
    yield {
      kind: 'package-transaction',
      ...eventBase(ctx, NAME, b.line, b.text, b.time),
      tool: TOOL,
      transactionId: b.transactionId,
      commandLine: null,
      actor: null,
      outcome,
      outcomeReason:
        interruptedReason === null
          ? b.errors
            ? REASON_ERROR
            : REASON_COMPLETED
          : b.errors
            ? `${interruptedReason}; dpkg had reported errors`
            : interruptedReason,
      endUs,
    }
    yield* b.events
  }

  /** One piece of displayed text. Returns closed-block events to yield, and a problem if any. */
  function* piece(text: string, line: number): Generator<MaskEvent, Problem | null> {
    const frame = FRAME.exec(text)?.groups
    if (frame) {
      const wall = parseAptTime(frame['time']!)
      if (frame['which'] === 'started') {
        if (block !== null) yield* close(block, null, REASON_INTERRUPTED_NEXT)
        endErrorList()
        block = {
          line,
          text,
          transactionId: wall === null ? `apt@${ctx.path}:${line}` : aptTransactionId(wall),
          time: wall === null ? UNKNOWN_TIME : localEventTime(wall, ctx.localZone),
          errors: false,
          events: [],
        }
        current = null
        selected = null
        warnedOutside = false
        return wall === null
          ? { code: 'TIMESTAMP_INVALID', message: 'Log started is not "YYYY-MM-DD  HH:MM:SS": the block is kept with an unknown time' }
          : null
      }
      if (block === null) return { code: 'RECORD_INVALID', message: 'Log ended without a Log started before it' }
      yield* close(block, wall === null ? null : localEventTime(wall, ctx.localZone).timeUs, null)
      block = null
      current = null
      return wall === null
        ? { code: 'TIMESTAMP_INVALID', message: 'Log ended is not "YYYY-MM-DD  HH:MM:SS": the transaction is kept without an end time' }
        : null
    }

    let problem: Problem | null = null
    if (block === null && !warnedOutside) {
      warnedOutside = true
      problem = { code: 'RECORD_INVALID', message: 'output outside a Log started/Log ended block: read with an unknown time' }
    }

    if (errorList !== null) {
      const item = ERRORS_ITEM.exec(text)?.groups?.['item']
      if (item !== undefined) {
        errorList.items++
        note('errors-encountered', item.endsWith('.deb') ? packageOfDeb(item) : withoutArch(item), line, text)
        return problem
      }
      endErrorList()
    }

    const step = DPKG_STEP.exec(text)?.groups
    if (step) {
      const action = STEP_ACTIONS[step['verb']!]!
      const ver = step['ver'] === undefined || step['ver'].startsWith('from ') ? null : step['ver']
      current = step['name']!
      selected = null
      emit({
        kind: 'package-action',
        ...base(line, text),
        tool: TOOL,
        transactionId: block?.transactionId ?? null,
        package: current,
        arch: step['arch'] ?? null,
        action,
        fromVersion: action === 'remove' || action === 'purge' ? ver : (step['old'] ?? null),
        toVersion: action === 'remove' || action === 'purge' ? null : ver,
        state: null,
      })
      return problem
    }
    const selecting = SELECTING.exec(text)?.groups?.['name']
    if (selecting !== undefined) {
      selected = selecting
      return problem
    }
    const preparing = PREPARING.exec(text)?.groups?.['file']
    if (preparing !== undefined) {
      // The preinst runs next: its output belongs to this package, not the one before.
      current = selected ?? packageOfDeb(preparing)
      selected = null
      return problem
    }

    const link = parseLinkChange(text)
    if (link !== null) {
      const who = { actorComm: null, actorUnit: null, package: current, transactionId: block?.transactionId ?? null }
      const at = base(line, text)
      if (link.change === 'mask' || link.change === 'unmask') {
        const kind = link.change === 'mask' ? 'unit-masked' : 'unit-unmasked'
        emit({ kind, ...at, unit: link.unit, form: 'helper', linkPath: link.linkPath, runtime: link.runtime, ...who })
      } else if (link.change === 'enable') {
        emit({ kind: 'unit-enabled', ...at, unit: link.unit, linkPath: link.linkPath, target: link.target, ...who })
      } else {
        emit({ kind: 'unit-disabled', ...at, unit: link.unit, linkPath: link.linkPath, ...who })
      }
      return problem
    }

    if (CHROOT.test(text)) {
      note('chroot-ignored', current, line, text)
    } else if (ERRORS_HEADER.test(text)) {
      errorList = { line, text, items: 0 }
      if (block !== null) block.errors = true
    } else {
      const err = DPKG_ERROR.exec(text)?.groups
      if (err) {
        const archive = err['archive']
        note('error-processing', archive !== undefined ? packageOfDeb(archive) : withoutArch(err['pkg'] ?? err['old']!), line, text)
      }
    }
    return problem
  }

  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    // What the terminal showed: every \r-separated piece (progress redraws, CR CR LF ends), colours removed.
    let problem: Problem | null = null
    for (const part of raw.split('\r')) {
      const text = part.replace(ANSI, '').trimEnd()
      if (text === '') continue
      const found = yield* piece(text, line)
      problem ??= found
    }
    if (problem !== null) ctx.warn(problem.code, line, problem.message, excerptOf(raw))
    count.line(problem === null)
    if (loose.length > 0) {
      yield* loose
      loose = []
    }
  }
  if (block !== null) yield* close(block, null, REASON_INTERRUPTED_EOF)
  else endErrorList()
  yield* loose
}

// First non-blank line of a term.log: "Log started: 2023-01-15  05:19:15"
const HEAD = /^Log started: (?<time>.*?)\r?$/

export default {
  name: NAME,
  title: 'apt term.log (/var/log/apt/term.log*)',
  paths: [/(^|\/)apt\/term\.log$/],
  detect(head: string): boolean {
    const first = head.split('\n').find((l) => l.trim() !== '')
    const time = first === undefined ? undefined : HEAD.exec(first)?.groups?.['time']
    return time !== undefined && parseAptTime(time) !== null
  },
  parse,
} satisfies Parser
