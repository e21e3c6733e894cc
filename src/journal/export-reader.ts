// https://systemd.io/JOURNAL_EXPORT_FORMATS/#journal-export-format
/**
 * A streaming reader of the Journal Export Format (`journalctl -o export`, the input of
 * `systemd-journal-remote`):
 *
 *     __CURSOR=s=…;i=1;b=…;m=…;t=…;x=…      a text field: NAME=value\n
 *     MESSAGE\n<u64 LE length><bytes>\n      a binary field (newlines, control characters, non-UTF-8)
 *     \n                                      a blank line ends the entry
 *
 * Byte-exact (CR is an ordinary byte), binary-safe across chunk boundaries, one entry held at a
 * time. Damage is reported and skipped up to the next entry boundary: a blank line, or a line
 * starting with `__CURSOR=`, which journalctl writes first in every entry. Line numbers count
 * every `\n` byte, including those inside binary values, as `grep -n` does.
 */
import type { DiagnosticCode, Severity } from '../diagnostics.ts'
import { ByteQueue, type QueuePosition } from './byte-queue.ts'
import type { RawJournalEntry, RawJournalField } from './raw-entry.ts'

/** A single value larger than this is taken for a corrupt length (journald's own limit on a field is lower). */
export const MAX_EXPORT_VALUE_BYTES = 64 * 1024 * 1024
/** An entry that grows beyond this without a blank line is given up (garbage without separators). */
const MAX_ENTRY_BYTES = 2 * MAX_EXPORT_VALUE_BYTES
const EXCERPT_BYTES = 80
const CURSOR_LINE = Buffer.from('__CURSOR=')
const EQUALS = 0x3d

export interface ExportProblem {
  /** Line where the problem starts (1-based) and its byte offset. */
  line: number
  offset: number
  code: DiagnosticCode
  message: string
  excerpt?: string
  severity?: Severity
}

export interface ExportEntry {
  entry: RawJournalEntry
  /** The entry's first line and its byte offset. */
  line: number
  offset: number
}

export interface ExportReadOptions {
  /** Physical lines consumed: parsed (entries, blank lines) or skipped (with a reported problem). */
  onLines?: (count: number, parsed: boolean) => void
  /** Cap on one value, for tests; default MAX_EXPORT_VALUE_BYTES. */
  maxValueBytes?: number
}

// journal_field_valid(): A-Z, 0-9 and _, not starting with a digit, at most 64 characters.
const FIELD_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/
const DECIMAL = /^\d{1,20}$/
const ID128 = /^[0-9a-f]{32}$/
const HEX = /^[0-9a-f]{1,16}$/

// __CURSOR=s=f504935326ba46ccbcc7479523f80299;i=1;b=6c7c…;m=3039;t=60a24181e4000;x=3ae1…
// __REALTIME_TIMESTAMP=1700000000000000
const FIRST_LINE = /^(?:__CURSOR=s=[0-9a-f]{32};|__REALTIME_TIMESTAMP=\d{1,20}$)/
// MESSAGE=…  or a binary field's name line (no `=`)
const FIELD_LINE = /^[A-Z_][A-Z0-9_]*(?:=|$)/

/**
 * Content sniffing: the first line is `__CURSOR=` (journalctl writes it first) or
 * `__REALTIME_TIMESTAMP=` (hand-made input for journal-remote), and the second is a field too.
 */
export function looksLikeExport(head: string): boolean {
  const lines = head.split('\n', 2)
  return lines.length === 2 && FIRST_LINE.test(lines[0]!) && FIELD_LINE.test(lines[1]!)
}

function linesBetween(from: QueuePosition, to: QueuePosition): number {
  return to.line - from.line + (to.atLineStart ? 0 : 1)
}

function excerptOf(bytes: Buffer): string {
  const text = bytes.subarray(0, EXCERPT_BYTES).toString('utf8')
  return bytes.length > EXCERPT_BYTES ? `${text}…` : text
}

/** `s=…;i=…;b=…;m=…;t=…;x=…` → its parts, for export input written without __SEQNUM (systemd < 254). */
function cursorParts(cursor: string): Map<string, string> {
  const parts = new Map<string, string>()
  for (const item of cursor.split(';')) {
    const eq = item.indexOf('=')
    if (eq > 0) parts.set(item.slice(0, eq), item.slice(eq + 1))
  }
  return parts
}

class EntryBuilder {
  readonly start: QueuePosition
  readonly fields: RawJournalField[] = []
  readonly meta = new Map<string, string>()
  bytes = 0

  constructor(start: QueuePosition) {
    this.start = start
  }

  add(name: string, value: Buffer): void {
    this.bytes += name.length + value.length
    // Metadata (`__` fields) is not data; unknown ones are skipped, as the format asks.
    if (name.startsWith('__')) this.meta.set(name, value.toString('utf8'))
    else this.fields.push({ name, value })
  }

  get empty(): boolean {
    return this.fields.length === 0 && this.meta.size === 0
  }

  build(): RawJournalEntry {
    const decimal = (name: string): bigint | null => {
      const v = this.meta.get(name)
      return v !== undefined && DECIMAL.test(v) ? BigInt(v) : null
    }
    const cursor = this.meta.get('__CURSOR') ?? null
    const parts = cursor === null ? new Map<string, string>() : cursorParts(cursor)
    const hex = (key: string): bigint | null => {
      const v = parts.get(key)
      return v !== undefined && HEX.test(v) ? BigInt(`0x${v}`) : null
    }
    const id = (v: string | undefined): string | null => (v !== undefined && ID128.test(v) ? v : null)
    const bootField = this.fields.find((f) => f.name === '_BOOT_ID')?.value.toString('latin1')
    return {
      fields: this.fields,
      realtimeUs: decimal('__REALTIME_TIMESTAMP'),
      monotonicUs: decimal('__MONOTONIC_TIMESTAMP'),
      seqnum: decimal('__SEQNUM') ?? hex('i'),
      seqnumId: id(this.meta.get('__SEQNUM_ID')) ?? id(parts.get('s')),
      bootId: id(bootField) ?? id(parts.get('b')),
      xorHash: hex('x'),
      cursor,
    }
  }
}

/** Entries of one export stream, in input order. Problems go to `report`; nothing stops the read. */
export async function* readExportEntries(
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  report: (p: ExportProblem) => void,
  options: ExportReadOptions = {},
): AsyncGenerator<ExportEntry> {
  const maxValue = options.maxValueBytes ?? MAX_EXPORT_VALUE_BYTES
  const onLines = options.onLines ?? (() => {})
  const q = new ByteQueue(stream)
  let entry: EntryBuilder | null = null
  let skipping: { start: QueuePosition; problem: ExportProblem } | null = null

  /** The entry read so far, its lines counted as parsed up to `end`. */
  const finish = (end: QueuePosition): ExportEntry | null => {
    const e = entry
    entry = null
    if (e === null) return null
    onLines(linesBetween(e.start, end), true)
    return e.empty ? null : { entry: e.build(), line: e.start.line, offset: e.start.offset }
  }
  const endSkip = (end: QueuePosition): void => {
    if (skipping === null) return
    const n = linesBetween(skipping.start, end)
    const { problem } = skipping
    report({ ...problem, message: `${problem.message}; ${n} line(s) skipped up to the next entry` })
    onLines(n, false)
    skipping = null
  }
  const warn = (at: QueuePosition, message: string): void =>
    report({ line: at.line, offset: at.offset, code: 'RECORD_UNTERMINATED', message, severity: 'warning' })
  /** Damage at `start`: keep the entry read so far, skip to the next entry boundary. */
  const damaged = (start: QueuePosition, code: DiagnosticCode, message: string, excerpt?: Buffer): ExportEntry | null => {
    const kept = finish(start)
    const at = { line: start.line, offset: start.offset }
    skipping = { start, problem: { ...at, code, message, ...(excerpt && { excerpt: excerptOf(excerpt) }) } }
    return kept
  }

  for (;;) {
    const start = q.position()
    if (skipping !== null) {
      if (await q.atEnd()) break
      if (start.atLineStart && (await q.startsWith(CURSOR_LINE))) {
        endSkip(start)
        continue
      }
      const line = (await q.readLine(0))!
      if (line.length === 0 && line.terminated && start.atLineStart) endSkip(q.position())
      continue
    }

    const line = await q.readLine(maxValue + 66)
    if (line === null) break
    if (line.length === 0) {
      // A blank line ends the entry; blank lines between entries are harmless.
      if (entry === null) onLines(1, true)
      else {
        const done = finish(q.position())
        if (done !== null) yield done
      }
      continue
    }
    if (line.length > line.bytes.length) {
      const why = `line of ${line.length} bytes exceeds the ${maxValue}-byte value limit`
      const kept = damaged(start, 'LINE_TOO_LONG', why, line.bytes)
      if (kept !== null) yield kept
      continue
    }
    const eq = line.bytes.indexOf(EQUALS)
    if (eq === -1 && !line.terminated) {
      const kept = damaged(start, 'RECORD_UNTERMINATED', 'the input ends inside a line', line.bytes)
      if (kept !== null) yield kept
      continue
    }
    const name = line.bytes.subarray(0, eq === -1 ? line.length : eq).toString('latin1')
    if (!FIELD_NAME.test(name)) {
      const why = eq === -1 ? 'neither NAME=value nor a binary field name' : `"${name}" is not a journal field name`
      const kept = damaged(start, 'RECORD_INVALID', `not an export-format field: ${why}`, line.bytes)
      if (kept !== null) yield kept
      continue
    }
    if (name === '__CURSOR' && entry !== null && !entry.empty) {
      // journalctl starts every entry with __CURSOR=: a second one means a lost blank line.
      warn(start, 'entry not ended by a blank line before the next __CURSOR=')
      const done = finish(start)
      if (done !== null) yield done
    }
    entry ??= new EntryBuilder(start)

    let value: Buffer
    if (eq !== -1) {
      value = line.bytes.subarray(eq + 1)
      if (!line.terminated) {
        warn(start, 'the input ends inside this line: its value may be cut off')
      }
    } else {
      const binary = await readBinaryValue(q, name, maxValue)
      if ('problem' in binary) {
        const kept = damaged(start, binary.code, binary.problem, line.bytes)
        if (kept !== null) yield kept
        continue
      }
      value = binary.value
    }
    entry.add(name, value)
    if (entry.bytes > MAX_ENTRY_BYTES) {
      // Dropped: garbage without blank lines must not grow without bound. Its lines count as skipped.
      const from = entry.start
      entry = null
      skipping = {
        start: from,
        problem: {
          line: from.line,
          offset: from.offset,
          code: 'RECORD_INVALID',
          message: `entry grows beyond ${MAX_ENTRY_BYTES} bytes without a blank line: dropped`,
        },
      }
    }
  }
  const end = q.position()
  endSkip(end)
  const last = finish(end)
  if (last !== null) yield last
}

type BinaryValue = { value: Buffer } | { problem: string; code: DiagnosticCode }

/** After a `NAME\n` line: the 64-bit LE length, the bytes, the closing `\n`. On failure nothing is consumed. */
async function readBinaryValue(q: ByteQueue, name: string, maxValue: number): Promise<BinaryValue> {
  const header = await q.read(8)
  if (header.length < 8) {
    q.unread(header, true)
    return { code: 'RECORD_UNTERMINATED', problem: `binary field ${name}: the input ends inside its length` }
  }
  const length = header.readBigUInt64LE(0)
  if (length > BigInt(maxValue)) {
    q.unread(header, true)
    return {
      code: 'RECORD_INVALID',
      problem: `binary field ${name} claims ${length} bytes (over the ${maxValue}-byte limit): corrupt length`,
    }
  }
  const n = Number(length)
  const body = await q.read(n + 1)
  if (body.length < n + 1) {
    q.unread(Buffer.concat([header, body]), true)
    return { code: 'RECORD_UNTERMINATED', problem: `binary field ${name} of ${n} bytes is cut off by the end of the input` }
  }
  if (body[n] !== 0x0a) {
    q.unread(Buffer.concat([header, body]), true)
    return {
      code: 'RECORD_INVALID',
      problem: `binary field ${name}: its ${n} bytes are not followed by a newline (corrupt length or value)`,
    }
  }
  return { value: body.subarray(0, n) }
}
