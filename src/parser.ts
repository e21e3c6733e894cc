/** The contract between the core and one input format in parsers/. */
import type { Readable } from 'node:stream'
import type { DiagnosticCode, Severity } from './diagnostics.ts'
import type { EventKind, MaskEvent } from './events.ts'
import type { Line } from './lines.ts'

/** Per-input counters; `linesRead = linesParsed + linesSkipped` always holds. */
export interface InputCounters {
  linesRead: number
  /** Lines that were well-formed (whether or not they produced an event). */
  linesParsed: number
  /** Lines rejected with a diagnostic. */
  linesSkipped: number
  eventsKept: number
  bytes: number
}

/** The zone in which zone-less local times of this evidence are read, and what said so. */
export interface EvidenceZone {
  /** IANA zone name. */
  zone: string
  /** `--tz`, `etc/localtime`, `etc/timezone`, or `default (UTC)`. */
  source: string
}

export interface ParseContext {
  /** Display path of the input (relative to the evidence root, or `<stdin>`). */
  readonly path: string
  /** For formats that log local time without a zone (apt, dpkg, term.log, yum, syslog). */
  readonly localZone: EvidenceZone
  /** The input file's modification time (µs), null for stdin: a hint for year-less formats (yum, syslog). */
  readonly fileMtimeUs: number | null
  /** `--year`: the year to assume for year-less timestamps, or null. */
  readonly yearHint: number | null
  /**
   * When the input was written, known better than from its mtime: a sosreport's command output
   * (`sos_commands/…`) was written during the collection whose time sos recorded. Nothing in the input
   * is later; year-less formats prefer it to `fileMtimeUs`. Absent or null when unknown.
   */
  readonly writtenAt?: { us: number; source: string } | null
  /** `--jobs`: how many threads a parser may use for one big input (absent: 1). */
  readonly jobs?: number
  /**
   * Event kinds the run drops (explain has no use for unit starts and stops): a parser may leave out
   * records that can only give these, to go faster. Events of these kinds may still come; they are dropped.
   */
  readonly skipKinds?: ReadonlySet<EventKind>
  /** Report a problem at a line (null: the whole input). The run goes on. */
  warn(code: DiagnosticCode, line: number | null, message: string, excerpt?: string, severity?: Severity): void
  /** Report a problem at a byte offset of a binary input. The run goes on. */
  warnAt(code: DiagnosticCode, offset: number, message: string, severity?: Severity): void
}

/**
 * Positional reads of an input, for binary formats that follow offsets (journal files).
 * A plain file is read in place; a compressed file, stdin or an archive member is held in
 * memory up to RANDOM_ACCESS_MEMORY_CAP.
 */
export interface RandomAccessSource {
  /** Bytes available (for a truncated file: what is there, not what its header claims). */
  readonly size: number
  /** Up to `length` bytes at `offset`; shorter only at the end of the input. */
  read(offset: number, length: number): Promise<Buffer>
  /** Fills `target` from `offset`, synchronously; returns the bytes read, fewer only at the end of the input. */
  readInto(target: Buffer, offset: number): number
  close(): Promise<void>
}

/** An input that is a plain file on disk (not stdin, not compressed, not an archive member). */
export interface PlainFile {
  readonly path: string
  readonly size: number
  /** Counts bytes a parser read from `path` itself (the inventory and the progress bar see them). */
  consumed(bytes: number): void
}

/** What a parser receives: the input as numbered lines, or as raw bytes for binary formats. */
export interface ParserInput {
  lines(): AsyncIterable<Line>
  bytes(): Readable
  randomAccess(): Promise<RandomAccessSource>
  /** The file itself when the input is a plain file, for parsers that read it by byte ranges in parallel. */
  plainFile?(): PlainFile | null
}

export interface Parser {
  /** Stable kebab-case id, shown in the inventory, diagnostics and JSON. */
  readonly name: string
  readonly title: string
  /** Path patterns (matched against the path relative to the evidence root, `.N`/`.gz` suffixes removed). */
  readonly paths: readonly RegExp[]
  /** Content sniffing on the first bytes (up to 64 KiB, decompressed). Cheap and conservative. */
  detect(head: string): boolean
  /**
   * Streams events. Must count every line it reads: `onLine(ok)` with ok=false exactly when it
   * also reported a diagnostic for that line.
   */
  parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent>
}

export interface LineCounter {
  /** One line consumed: parsed (true) or skipped with a diagnostic (false). */
  line(parsed: boolean): void
}
