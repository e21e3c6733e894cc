/**
 * One byte range of a plain journal JSON file through the prefilter, in a worker thread
 * (src/journal/json-worker.ts) or in the main thread: returns the lines it keeps (their bytes, line
 * numbers in the range and file offsets) and the number of lines. The main thread runs the full path
 * over them in file order, so every diagnostic, count and event is its own; only the kept lines (a few
 * per cent of the bytes) cross threads, in one transfer.
 *
 * A range scan tracks boots only within its range, and only from the lines kept for their boot or their
 * framing (a fresh recogniser sees those): knowing less than the whole file's, it keeps more, never less —
 * a line that could change the boots of the whole file could change what the range scan knows of them.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import type { EventKind, MaskEvent } from '../events.ts'
import { FILE_CHUNK_BYTES, fileLineBlocks } from '../line-blocks.ts'
import { MAX_LINE_BYTES } from '../lines.ts'
import { KEEP_CONTENT } from './json-prefilter.ts'
import { decodeLine, RecordReader } from './json-records.ts'
import { scanPieces, type KeptLines } from './json-scan.ts'


export interface RangeTask {
  id: number
  path: string
  start: number
  end: number
  /** Where to put the kept lines' bytes when they fit. */
  into?: SharedArrayBuffer
  /** Kinds the run drops (ScanOptions.skipKinds). */
  skipKinds?: EventKind[]
}

export interface RangeResult {
  id: number
  lines: number
  /** Per kept line: line number in the range (1-based), then its file offsets [start, end); end -1 for a too-long line (its length then in start). */
  kept: Float64Array
  /** The kept lines' bytes, one after another (not the too-long ones): in the task's `into` when they fit. */
  bytes: Uint8Array
  /** First bytes of the too-long lines, in order. */
  heads: Uint8Array[]
  error?: string
}

// Reused from range to range: the read buffer, and the kept lines' bytes.
const readBuffer = Buffer.allocUnsafe(FILE_CHUNK_BYTES)
let blob = Buffer.alloc(0)

export async function scanRange(task: RangeTask): Promise<RangeResult> {
  const fd = openSync(task.path, 'r')
  try {
    const kept: number[] = []
    const heads: Uint8Array[] = []
    let total = 0
    const reader = new RecordReader({ path: task.path, warn() {} }, { line() {} }, 'journal-json')
    const scratch: MaskEvent[] = []
    const recorder: KeptLines = {
      recogniser: reader.recogniser,
      get inPretty() {
        return reader.inPretty
      },
      keep(bytes, start, end, line, reason, at) {
        kept.push(line, at + start, at + end)
        const length = end - start
        if (total + length > blob.length) {
          const bigger = Buffer.allocUnsafeSlow(Math.max(2 * blob.length, total + length, 64 * 1024))
          blob.copy(bigger, 0, 0, total)
          blob = bigger
        }
        bytes.copy(blob, total, start, end)
        total += length
        // Boots are learnt from valid lines only: the full path decides what is valid.
        if (reason !== KEEP_CONTENT) {
          // (line 0: a range's first line is not the file's, so no BOM is stripped)
          reader.line(decodeLine(bytes, start, end, 0), line, scratch)
          scratch.length = 0
        }
      },
      tooLong(head, length, line) {
        kept.push(line, length, -1)
        heads.push(new Uint8Array(head))
      },
    }
    const pieces = fileLineBlocks((b, o, l, p) => readSync(fd, b, o, l, p), task.start, task.end, () => {}, MAX_LINE_BYTES, FILE_CHUNK_BYTES, readBuffer)
    const scan = scanPieces(pieces, recorder, { firstLine: 1, skipped() {}, skipKinds: task.skipKinds === undefined ? undefined : new Set(task.skipKinds) })
    let step = await scan.next()
    while (step.done !== true) step = await scan.next()
    // The kept bytes go into the shared buffer the task came with, reused by the main thread from task to
    // task; only when they do not fit, into a fresh buffer (fresh pages are what memory costs most).
    const into = task.into !== undefined && task.into.byteLength >= total ? new Uint8Array(task.into, 0, total) : new Uint8Array(total)
    into.set(blob.subarray(0, total))
    return { id: task.id, lines: step.value, kept: Float64Array.from(kept), bytes: into, heads }
  } finally {
    closeSync(fd)
  }
}
