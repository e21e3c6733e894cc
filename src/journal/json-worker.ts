/**
 * Worker thread of the journal-json parser: scans one byte range of a plain file with the prefilter and
 * returns where the lines it keeps are (line number in the range, file offsets) and the number of lines.
 * The main thread reads those lines and runs the full path over them in file order, so every diagnostic,
 * count and event is its own; nothing big crosses threads.
 *
 * The worker tracks boots only within its range, and only from the lines kept for their boot or their
 * framing (a fresh recogniser sees those): knowing less than the main thread, it keeps more, never less —
 * a line that could change the boots of the whole file could change what the worker knows of them.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import type { MaskEvent } from '../events.ts'
import { fileLineBlocks } from '../line-blocks.ts'
import { MAX_LINE_BYTES } from '../lines.ts'
import { KEEP_CONTENT } from './json-prefilter.ts'
import { decodeLine, RecordReader } from './json-records.ts'
import { scanPieces, type KeptLines } from './json-scan.ts'

// Smaller reads than the main thread's: a worker's memory counts once per thread.
const WORKER_CHUNK_BYTES = 1024 * 1024

export interface RangeTask {
  id: number
  path: string
  start: number
  end: number
}

export interface RangeResult {
  id: number
  lines: number
  /** Per kept line: line number in the range (1-based), then its file offsets [start, end); end -1 for a too-long line (its length then in start). */
  kept: Float64Array
  /** First bytes of the too-long lines, in order. */
  heads: Uint8Array[]
  error?: string
}

async function scanRange(task: RangeTask): Promise<RangeResult> {
  const fd = openSync(task.path, 'r')
  try {
    const kept: number[] = []
    const heads: Uint8Array[] = []
    const reader = new RecordReader({ path: task.path, warn() {} }, { line() {} }, 'journal-json')
    const scratch: MaskEvent[] = []
    const recorder: KeptLines = {
      recogniser: reader.recogniser,
      get inPretty() {
        return reader.inPretty
      },
      keep(bytes, start, end, line, reason, at) {
        kept.push(line, at + start, at + end)
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
    const pieces = fileLineBlocks((b, o, l, p) => readSync(fd, b, o, l, p), task.start, task.end, () => {}, MAX_LINE_BYTES, WORKER_CHUNK_BYTES)
    const scan = scanPieces(pieces, recorder, { firstLine: 1, skipped() {} })
    let step = await scan.next()
    while (step.done !== true) step = await scan.next()
    return { id: task.id, lines: step.value, kept: Float64Array.from(kept), heads }
  } finally {
    closeSync(fd)
  }
}

parentPort?.on('message', (task: RangeTask) => {
  scanRange(task).then(
    (result) => parentPort!.postMessage(result, [result.kept.buffer as ArrayBuffer]),
    (error: unknown) =>
      parentPort!.postMessage({
        id: task.id,
        lines: 0,
        kept: new Float64Array(0),
        heads: [],
        error: error instanceof Error ? error.message : String(error),
      } satisfies RangeResult),
  )
})
