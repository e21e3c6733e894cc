/** The journal JSON hot loop: pieces of lines → the prefilter → the lines it keeps, as bytes. */
import type { EventKind, MaskEvent } from '../events.ts'
import type { LinePiece } from '../line-blocks.ts'
import { JsonLinePrefilter, KEEP_FRAMING, type BootTimes, type KeepReason } from './json-prefilter.ts'
import { decodeLine, type RecordReader } from './json-records.ts'

/** What gets the kept lines: the full path, or in a worker, a recorder. */
export interface KeptLines {
  readonly recogniser: BootTimes
  /** Inside a json-pretty object: every following line is kept. */
  readonly inPretty: boolean
  /**
   * Line `line` is `bytes[start, end)`; the bytes are valid only during the call. `at`: the file offset
   * of `bytes[0]` when reading a file, else -1.
   */
  keep(bytes: Buffer, start: number, end: number, line: number, reason: KeepReason, at: number): void
  tooLong(head: Buffer, length: number, line: number): void
}

/** Kept lines straight into the full path; the events they give go to `out`. */
export function intoFullPath(reader: RecordReader, out: MaskEvent[]): KeptLines {
  return {
    recogniser: reader.recogniser,
    get inPretty() {
      return reader.inPretty
    },
    keep: (bytes, start, end, line) => reader.line(decodeLine(bytes, start, end, line), line, out),
    tooLong: (head, length, line) => reader.tooLong(head.toString('utf8'), length, line),
  }
}

export interface ScanOptions {
  /** Number of the first line of the pieces (1 at the start of an input). */
  firstLine: number
  /** Lines the prefilter let go: counted as read and well-formed. */
  skipped(lines: number): void
  /** Kinds the run drops (see JsonLinePrefilter). */
  skipKinds?: ReadonlySet<EventKind> | undefined
}

/** Yields after each piece, so the caller can pass on what the kept lines produced; returns the lines read. */
export async function* scanPieces(pieces: AsyncIterable<LinePiece>, kept: KeptLines, options: ScanOptions): AsyncGenerator<void, number> {
  const prefilter = new JsonLinePrefilter(kept.recogniser, { skipKinds: options.skipKinds })
  let lineNo = options.firstLine - 1
  let first = true
  for await (const piece of pieces) {
    if (piece.kind === 'too-long') {
      kept.tooLong(piece.head, piece.length, ++lineNo)
    } else if (piece.kind === 'line' && (first || piece.bytes.length === 0)) {
      kept.keep(piece.bytes, 0, piece.bytes.length, ++lineNo, KEEP_FRAMING, piece.at ?? -1)
    } else if (piece.kind === 'line') {
      // A line that crossed a chunk boundary is filtered like any other, so chunking never changes the result.
      const { bytes } = piece
      const base = lineNo
      let parsed = 0
      prefilter.scan(
        bytes,
        (start, end, index, reason) => {
          parsed++
          kept.keep(bytes, start, end, base + index + 1, reason, piece.at ?? -1)
          return kept.inPretty
        },
        kept.inPretty,
      )
      options.skipped(1 - parsed)
      lineNo += 1
    } else {
      let bytes = piece.bytes
      let at = piece.at ?? -1
      if (first) {
        // The first line (a BOM, a range that starts mid-object) always takes the full path.
        const nl = bytes.indexOf(0x0a)
        kept.keep(bytes, 0, nl, ++lineNo, KEEP_FRAMING, at)
        bytes = bytes.subarray(nl + 1)
        if (at !== -1) at += nl + 1
      }
      const base = lineNo
      let parsed = 0
      const lines = prefilter.scan(
        bytes,
        (start, end, index, reason) => {
          parsed++
          kept.keep(bytes, start, end, base + index + 1, reason, at)
          return kept.inPretty
        },
        kept.inPretty,
      )
      options.skipped(lines - parsed)
      lineNo += lines
    }
    first = false
    yield
  }
  return lineNo - options.firstLine + 1
}
