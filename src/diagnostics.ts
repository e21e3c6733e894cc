/** Diagnostics: counted, located complaints about the evidence. They never stop a run. */

export const DIAGNOSTIC_CODES = [
  /** A line or record could not be parsed. */
  'RECORD_INVALID',
  /** A journal JSON line is not valid JSON. */
  'JSON_INVALID',
  /** Valid JSON, but not an object. */
  'RECORD_NOT_OBJECT',
  /** A line longer than the line limit; it was skipped, line numbers stay exact. */
  'LINE_TOO_LONG',
  /** A record has no usable timestamp: the event is kept with an unknown time. */
  'TIMESTAMP_MISSING',
  'TIMESTAMP_INVALID',
  /** A multi-line record was cut off by the end of the input. */
  'RECORD_UNTERMINATED',
  /** A compressed input ends early or is corrupt; everything before the damage was read. */
  'COMPRESSED_DATA_DAMAGED',
  /** The input could not be opened or read. */
  'READ_ERROR',
  /** A symlink in the evidence points outside the evidence root: reported, not followed. */
  'SYMLINK_OUTSIDE_ROOT',
  /** A symlink in the evidence points nowhere (or into a loop). */
  'SYMLINK_BROKEN',
  /** Several parsers claim the input: use --format-of to choose. */
  'FORMAT_AMBIGUOUS',
  /** The evidence's time zone could not be read with certainty. */
  'TIMEZONE_UNCERTAIN',
  /** etc/timezone and etc/localtime disagree (etc/localtime wins: it is what programs used). */
  'TIMEZONE_CONFLICT',
  /** Local times were read as UTC because nothing said otherwise: pass --tz. */
  'TIMEZONE_DEFAULTED',
  /** A file named on the command line that no parser recognises. */
  'FORMAT_UNKNOWN',
  /** An input left unread because the evidence holds a better copy of the same records (a sosreport's journalctl text beside its binary journal files). */
  'INPUT_SUPERSEDED',
  /** A binary journal file is shorter than its header says: entries whose objects lie past the end are lost. */
  'JOURNAL_TRUNCATED',
  /** A binary journal object is unusable (offset out of range or misaligned, wrong type, bad size, loop); it was skipped. */
  'JOURNAL_OBJECT_INVALID',
  /** A binary journal file was still being written (ONLINE) when copied: the last entries may be missing or unlinked. */
  'JOURNAL_ONLINE',
  /** A compressed field of a binary journal could not be decompressed (or is over the size cap); the field was skipped. */
  'JOURNAL_DECOMPRESS_FAILED',
  /** Not a binary journal, or one with a feature maskwhy does not know (unknown incompatible flag): not read. */
  'JOURNAL_UNSUPPORTED',
  /** How a damaged binary journal was read: entries found through the entry arrays, by scanning, and lost. */
  'JOURNAL_SALVAGED',
  /** A tar archive ends early or is corrupt: every member before the damage was read. */
  'ARCHIVE_DAMAGED',
  /** Reading a tar archive stopped at a bound (decompression ratio or size: a decompression bomb?); what came before was read. */
  'ARCHIVE_LIMIT',
  /** A tar member's name or hard-link target climbs out of the archive: refused, never extracted or followed. */
  'ARCHIVE_MEMBER_OUTSIDE_ROOT',
  /** A tar member that is not evidence maskwhy reads (device, FIFO, sparse file, broken hard link): ignored, with a note. */
  'ARCHIVE_MEMBER_IGNORED',
] as const

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number]

export type Severity = 'error' | 'warning' | 'info'

export interface Diagnostic {
  code: DiagnosticCode
  severity: Severity
  path: string
  /** 1-based line, or null when the problem is about the whole input. */
  line: number | null
  /** Byte offset in the (decompressed) input, for binary formats where lines mean nothing. */
  offset?: number
  message: string
  /** Up to EXCERPT_MAX characters of the offending text, or null. */
  excerpt: string | null
}

export const EXCERPT_MAX = 80

export function excerptOf(text: string): string {
  return text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX)}…` : text
}

/** `path:line` when the line is known, `path@byte N` for a binary offset, else the path. */
export function locationOf(d: { path: string; line: number | null; offset?: number }): string {
  if (d.line !== null) return `${d.path}:${d.line}`
  return d.offset === undefined ? d.path : `${d.path}@byte ${d.offset}`
}

/** Collects diagnostics; keeps every count but only the first `keep` examples per code. */
export class DiagnosticLog {
  readonly examples: Diagnostic[] = []
  readonly counts = new Map<DiagnosticCode, number>()
  readonly #perCode = new Map<DiagnosticCode, number>()

  readonly #keep: number

  constructor(keep = 50) {
    this.#keep = keep
  }

  add(d: Diagnostic): void {
    this.counts.set(d.code, (this.counts.get(d.code) ?? 0) + 1)
    const seen = this.#perCode.get(d.code) ?? 0
    this.#perCode.set(d.code, seen + 1)
    if (seen < this.#keep) this.examples.push(d)
  }

  get total(): number {
    let n = 0
    for (const c of this.counts.values()) n += c
    return n
  }
}
