/**
 * Worker thread of the journal-json parser: scans the byte ranges it is sent (src/journal/json-range-scan.ts)
 * and posts back what each kept, transferring its buffers.
 */
import { parentPort } from 'node:worker_threads'
import { scanRange, type RangeResult, type RangeTask } from './json-range-scan.ts'

parentPort?.on('message', (task: RangeTask) => {
  scanRange(task).then(
    (result) =>
      parentPort!.postMessage(result, [result.kept.buffer as ArrayBuffer, ...(result.bytes.buffer instanceof ArrayBuffer ? [result.bytes.buffer] : [])]),
    (error: unknown) =>
      parentPort!.postMessage({
        id: task.id,
        lines: 0,
        kept: new Float64Array(0),
        bytes: new Uint8Array(0),
        heads: [],
        error: error instanceof Error ? error.message : String(error),
      } satisfies RangeResult),
  )
})
