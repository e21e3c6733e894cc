// https://salsa.debian.org/apt-team/apt/-/blob/main/apt-pkg/deb/dpkgpm.cc (OpenLog, CloseLog, WriteHistoryTag)
/**
 * apt's `/var/log/apt/history.log` (and rotated `history.log.N.gz`): one block per dpkg run.
 *
 * ```
 *
 * Start-Date: 2019-07-11  12:25:24                       ← "\nStart-Date: %F  %T\n", local time, no zone
 * Commandline: apt-get install -y docker-ce …
 * Requested-By: jxs (1005)                               ← only when run through sudo/pkexec/PackageKit
 * Install: containerd.io:amd64 (1.2.6-3), aufs-dkms:amd64 (4.9+20161219-1, automatic)
 * Upgrade: vim-common:amd64 (2:8.0.0197-4+deb9u1, 2:8.0.0197-4+deb9u3)
 * Error: Sub-process /usr/bin/dpkg returned an error code (1)   ← CloseLog
 * End-Date: 2019-07-11  12:26:07                         ← CloseLog
 * ```
 *
 * Everything up to the lists is written when dpkg starts; `Disappeared:`, `Error:` and `End-Date:`
 * only when apt closes the log. So a block with no `End-Date` is a run that was killed, lost power,
 * or was still running when the evidence was copied (../shared/FORMATS.md §5e, §6). Such blocks are
 * kept as `interrupted` transactions (plaso drops them).
 *
 * Events: one `package-transaction` per block (time = Start-Date, `endUs` = End-Date) and one
 * `package-action` per listed package, at the block's Start-Date (the file has no per-package time).
 */
import type { ParseContext, Parser, ParserInput, LineCounter } from '../src/parser.ts'
import type { EventBase, MaskEvent, PackageAction, PackageActionType, PackageTransaction } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { localEventTime } from '../src/time.ts'
import { eventBase, joinNotes, readableLines, UNKNOWN_TIME, type TimeFields } from '../src/parse-kit.ts'
import { aptTransactionId, parseAptTime } from '../src/formats/apt.ts'

const NAME = 'apt-history'
const TOOL = 'apt'

// Start-Date: 2019-07-10  16:38:08     End-Date: 2019-07-10  16:38:10     Commandline: apt-get upgrade
const FIELD = /^(?<key>[A-Z][A-Za-z-]*): ?(?<value>.*)$/
// jxs (1005)
const REQUESTED_BY = /^(?<name>.*?) \((?<uid>\d+)\)$/
// One list entry and its separator:
//   containerd.io:amd64 (1.2.6-3),   python-six:amd64 (1.10.0-3, automatic),   xxd:amd64 (2:8.0.0197-4+deb9u1, 2:8.0.0197-4+deb9u3)
//   Disappeared: may list a bare name with no version.  Versions hold `:~+.` but never `,` or `)`.
const ENTRY = /(?<name>[^\s,():]+)(?::(?<arch>[^\s,():]+))?(?: \((?<inner>[^()]*)\))?(?<sep>, |$)/y

/** History list fields and the package action each stands for. */
const LIST_FIELDS: Readonly<Record<string, PackageActionType>> = {
  Install: 'install',
  Reinstall: 'reinstall',
  Upgrade: 'upgrade',
  Downgrade: 'downgrade',
  Remove: 'remove',
  Purge: 'purge',
  Disappeared: 'disappear',
}
const OTHER_FIELDS = new Set(['Start-Date', 'End-Date', 'Commandline', 'Requested-By', 'Comment', 'Error'])

const NOTE_ACTION_TIME = "history.log has one time per transaction: time of the block's Start-Date"
export const REASON_INTERRUPTED_EOF = 'no End-Date: interrupted, or still running when the evidence was copied'
const REASON_INTERRUPTED_NEXT = 'no End-Date before the next Start-Date: apt was interrupted (killed, crashed or lost power)'

interface Entry {
  name: string
  arch: string | null
  inner: string | null
  text: string
}

/** Splits a package list; entries before and after a damaged stretch are kept. */
function splitPackageList(value: string): { entries: Entry[]; damaged: string | null } {
  const entries: Entry[] = []
  let damaged: string | null = null
  let at = 0
  while (at < value.length) {
    ENTRY.lastIndex = at
    const m = ENTRY.exec(value)
    if (m?.groups && m[0].length > 0) {
      const g = m.groups
      entries.push({ name: g['name']!, arch: g['arch'] ?? null, inner: g['inner'] ?? null, text: m[0].replace(/, $/, '') })
      at += m[0].length
      continue
    }
    // Resynchronise at the next ", " after which an entry can be read, remembering what was skipped.
    let resume = value.length
    for (let comma = value.indexOf(', ', at); comma !== -1; comma = value.indexOf(', ', comma + 1)) {
      ENTRY.lastIndex = comma + 2
      if (ENTRY.test(value)) {
        resume = comma + 2
        break
      }
    }
    damaged ??= value.slice(at, resume).replace(/, $/, '')
    at = resume
  }
  return { entries, damaged }
}

interface Block {
  line: number
  text: string
  transactionId: string
  time: TimeFields
  commandLine: string | null
  actor: string | null
  error: string | null
  actions: PackageAction[]
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  let block: Block | null = null

  const base = (line: number, text: string, time: TimeFields): EventBase => eventBase(ctx, NAME, line, text, time)

  function* close(b: Block, endUs: number | null, outcomeReason: string | null): Generator<MaskEvent> {
    const interrupted = outcomeReason !== null
    const transaction: PackageTransaction = {
      kind: 'package-transaction',
      ...base(b.line, b.text, b.time),
      tool: TOOL,
      transactionId: b.transactionId,
      commandLine: b.commandLine,
      actor: b.actor,
      outcome: interrupted ? 'interrupted' : b.error !== null ? 'error' : 'completed',
      outcomeReason:
        outcomeReason === null
          ? b.error !== null
            ? `Error: ${b.error}`
            : 'End-Date present, no Error:'
          : b.error !== null
            ? `${outcomeReason}; Error: ${b.error}`
            : outcomeReason,
      endUs,
    }
    yield transaction
    yield* b.actions
  }

  function listActions(b: Block, key: string, value: string, line: number): string | null {
    const action = LIST_FIELDS[key]!
    const { entries, damaged } = splitPackageList(value)
    let badVersions: string | null = null
    for (const e of entries) {
      const parts = e.inner === null ? [] : e.inner.split(', ')
      if (action === 'install' && parts[parts.length - 1] === 'automatic') parts.pop()
      const two = action === 'upgrade' || action === 'downgrade'
      if (two ? parts.length !== 2 : parts.length > 1 || (parts.length === 0 && action !== 'disappear')) {
        badVersions ??= `unexpected version list in ${key}: entry "${excerptOf(e.text)}" (the other entries are kept)`
        continue
      }
      const installs = action === 'install' || action === 'reinstall'
      b.actions.push({
        kind: 'package-action',
        ...base(line, `${key}: ${e.text}`, { ...b.time, timeNote: joinNotes(NOTE_ACTION_TIME, b.time.timeNote) }),
        tool: TOOL,
        transactionId: b.transactionId,
        package: e.name,
        arch: e.arch,
        action,
        fromVersion: two ? parts[0]! : installs ? null : (parts[0] ?? null),
        toVersion: two ? parts[1]! : installs ? parts[0]! : null,
        state: null,
      })
    }
    if (entries.length === 0 && damaged === null) return `empty ${key}: list`
    if (damaged !== null) return `unreadable ${key}: entry "${excerptOf(damaged)}" (the other entries are kept)`
    return badVersions
  }

  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (text.trim() === '') {
      count.line(true)
      continue
    }
    const field = FIELD.exec(text)?.groups
    const key = field?.['key']
    const value = field?.['value'] ?? ''
    if (key === undefined || (!(key in LIST_FIELDS) && !OTHER_FIELDS.has(key))) {
      const message = key === undefined ? 'not a history.log field line' : `unknown history.log field "${key}"`
      ctx.warn('RECORD_INVALID', line, message, excerptOf(text))
      count.line(false)
      continue
    }

    if (key === 'Start-Date') {
      if (block !== null) yield* close(block, null, REASON_INTERRUPTED_NEXT)
      const wall = parseAptTime(value)
      if (wall === null) {
        const message = 'Start-Date is not "YYYY-MM-DD  HH:MM:SS": the transaction is kept with an unknown time'
        ctx.warn('TIMESTAMP_INVALID', line, message, excerptOf(text))
      }
      block = {
        line,
        text,
        transactionId: wall === null ? `apt@${ctx.path}:${line}` : aptTransactionId(wall),
        time: wall === null ? UNKNOWN_TIME : localEventTime(wall, ctx.localZone),
        commandLine: null,
        actor: null,
        error: null,
        actions: [],
      }
      count.line(wall !== null)
      continue
    }

    if (block === null) {
      ctx.warn('RECORD_INVALID', line, `${key}: outside a transaction (no Start-Date before it)`, excerptOf(text))
      count.line(false)
      continue
    }

    let problem: string | null = null
    let code: 'RECORD_INVALID' | 'TIMESTAMP_INVALID' = 'RECORD_INVALID'
    if (key === 'End-Date') {
      const wall = parseAptTime(value)
      if (wall === null) {
        code = 'TIMESTAMP_INVALID'
        problem = 'End-Date is not "YYYY-MM-DD  HH:MM:SS": the transaction is kept without an end time'
      }
      yield* close(block, wall === null ? null : localEventTime(wall, ctx.localZone).timeUs, null)
      block = null
    } else if (key === 'Commandline') {
      block.commandLine = value
    } else if (key === 'Requested-By') {
      block.actor = REQUESTED_BY.exec(value)?.groups?.['name'] ?? value
    } else if (key === 'Error') {
      block.error = value
    } else if (key in LIST_FIELDS) {
      problem = listActions(block, key, value, line)
    }
    // Comment: (apt ≥ 2.9.13, `--comment`) is free text with no bearing on units: accepted, not kept.
    if (problem !== null) ctx.warn(code, line, problem, excerptOf(text))
    count.line(problem === null)
  }
  if (block !== null) yield* close(block, null, REASON_INTERRUPTED_EOF)
}

// First non-blank line of a history.log: "Start-Date: 2019-07-10  16:38:08"
const HEAD = /^Start-Date: (?<time>.*?)\r?$/

export default {
  name: NAME,
  title: 'apt history.log (/var/log/apt/history.log*)',
  paths: [/(^|\/)apt\/history\.log$/],
  detect(head: string): boolean {
    const first = head.split('\n').find((l) => l.trim() !== '')
    const time = first === undefined ? undefined : HEAD.exec(first)?.groups?.['time']
    return time !== undefined && parseAptTime(time) !== null
  },
  parse,
} satisfies Parser
