/**
 * A big plain journal JSON file, split at newlines into byte ranges that worker threads
 * (src/journal/json-worker.ts) and the main thread scan (src/journal/json-range-scan.ts); the kept lines
 * take the full path on the main thread, in file order. A bounded number of ranges is in flight, so
 * memory does not grow with the file.
 */
import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { EventKind, MaskEvent } from '../events.ts'
import { collectGarbage, reapplyHeapPolicy } from '../heap-policy.ts'
import type { PlainFile } from '../parser.ts'
import { decodeLine, type RecordReader } from './json-records.ts'
import { scanRange, type RangeResult, type RangeTask } from './json-range-scan.ts'

/** Below this, starting threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024
const RANGE_BYTES = 16 * 1024 * 1024
const PROBE_BYTES = 64 * 1024
/** Room for a range's kept bytes (a few per cent of a range, typically); more goes into a fresh buffer. */
const KEPT_BYTES = 2 * 1024 * 1024
const EVENTS_PER_YIELD = 32
/** A full collection on the main thread this often (512 MiB): see collectGarbage. */
const RANGES_PER_COLLECTION = 32

/**
 * Worth splitting: one record per line (json-pretty spreads a record over lines, so every line would be
 * sent back to the main thread). Judged on the first line, as the parser's detection does.
 */
export async function isOneRecordPerLine(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.allocUnsafe(PROBE_BYTES)
    const { bytesRead } = await handle.read(head, 0, PROBE_BYTES, 0)
    const nl = head.subarray(0, bytesRead).indexOf(0x0a)
    const first = head.toString('latin1', 0, nl === -1 ? bytesRead : nl).replace(/^\ufeff|^\xef\xbb\xbf/, '').replace(/^\x1e+/, '').trim()
    return first.startsWith('{') && first.endsWith('}')
  } finally {
    await handle.close()
  }
}

/** Byte ranges of about `rangeBytes`, each starting right after a newline (or at 0). */
export async function rangesAtNewlines(path: string, size: number, rangeBytes = RANGE_BYTES): Promise<{ start: number; end: number }[]> {
  const handle = await open(path, 'r')
  try {
    const probe = Buffer.allocUnsafe(PROBE_BYTES)
    const starts = [0]
    for (let at = rangeBytes; at < size; ) {
      const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, at)
      if (bytesRead === 0) break
      const nl = probe.subarray(0, bytesRead).indexOf(0x0a)
      if (nl === -1) {
        at += bytesRead
        continue
      }
      const start = at + nl + 1
      if (start >= size) break
      starts.push(start)
      at = Math.max(start + rangeBytes, at + nl + 1)
    }
    return starts.map((start, i) => ({ start, end: starts[i + 1] ?? size }))
  } finally {
    await handle.close()
  }
}

// The worker is this directory's json-worker, compiled (.js) or run from source (.ts).
const WORKER_URL = new URL(`./json-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

// A worker holds one read buffer and a few thousand kept lines: small heaps keep the process's peak
// RSS flat (V8's default young generation alone would add tens of MiB per thread).
const WORKER_LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 4 } }

function startWorker(): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, WORKER_LIMITS)
  // Run from source: on Node 20 tsx registers its loader in the main thread only, so the worker does.
  const tsx = import.meta.resolve('tsx/esm/api')
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER_URL.href)}) })`, {
    eval: true,
    ...WORKER_LIMITS,
  })
}

class WorkerPool {
  #broken: Error | null = null
  readonly #idle: Worker[] = []
  readonly #queue: { task: RangeTask; resolve: (r: RangeResult) => void; reject: (e: Error) => void }[] = []
  readonly #running = new Map<Worker, { resolve: (r: RangeResult) => void; reject: (e: Error) => void }>()
  readonly #all: Worker[] = []

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker()
      worker.once('online', reapplyHeapPolicy)
      worker.on('message', (result: RangeResult) => {
        // again: a worker run from source starts a module-hooks thread of its own after 'online'
        reapplyHeapPolicy()
        const job = this.#running.get(worker)!
        this.#running.delete(worker)
        this.#idle.push(worker)
        if (result.error !== undefined) job.reject(new Error(result.error))
        else job.resolve(result)
        this.#dispatch()
      })
      // A worker that dies fails the parse (the caller reports it); nothing waits for it forever.
      worker.on('error', (error) => {
        this.#broken = error
        this.#running.get(worker)?.reject(error)
        this.#running.delete(worker)
        for (const queued of this.#queue.splice(0)) queued.reject(error)
      })
      this.#all.push(worker)
      this.#idle.push(worker)
    }
  }

  run(task: RangeTask): Promise<RangeResult> {
    if (this.#broken !== null) return Promise.reject(this.#broken)
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, resolve, reject })
      this.#dispatch()
    })
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop()!
      const { task, resolve, reject } = this.#queue.shift()!
      this.#running.set(worker, { resolve, reject })
      worker.postMessage(task)
    }
  }

  /**
   * Takes back the first task no worker has started, to run it elsewhere; what `run` returned for it
   * then settles with `result`.
   */
  steal(): { task: RangeTask; settle: (result: Promise<RangeResult>) => void } | null {
    const queued = this.#queue.shift()
    if (queued === undefined) return null
    return { task: queued.task, settle: (result) => result.then(queued.resolve, queued.reject) }
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()))
  }
}

/** Thresholds, smaller in tests. */
export interface ParallelOptions {
  /** Files below this are read in the calling thread. */
  minBytes?: number
  rangeBytes?: number
}

/**
 * `jobs` threads in all: `jobs - 1` workers take the ranges ahead in turn, and the main thread, which
 * runs the full path over every kept line in file order, scans a waiting range itself (the same way a
 * worker does) whenever the one it needs next is not ready: nobody idles while there is work.
 */
export async function* parseInParallel(
  plain: PlainFile,
  jobs: number,
  reader: RecordReader,
  skipped: (lines: number) => void,
  { rangeBytes = RANGE_BYTES, skipKinds }: { rangeBytes?: number; skipKinds?: ReadonlySet<EventKind> | undefined } = {},
): AsyncGenerator<MaskEvent> {
  const ranges = await rangesAtNewlines(plain.path, plain.size, rangeBytes)
  const workers = Math.max(1, Math.min(jobs - 1, ranges.length - 1))
  const pool = new WorkerPool(workers)
  const pending: (Promise<RangeResult> | undefined)[] = []
  const ready: boolean[] = []
  // The tasks' buffers for kept bytes, reused as their results are read (a task has at most one).
  const spare: SharedArrayBuffer[] = []
  const out: MaskEvent[] = []
  let lineBase = 0
  try {
    for (let k = 0, next = 0; k < ranges.length; k++) {
      // at most two ranges per thread in flight or waiting, so memory stays bounded
      for (; next < ranges.length && next <= k + 2 * (workers + 1); next++) {
        const { start, end } = ranges[next]!
        const id = next
        const result = pool.run({ id, path: plain.path, start, end, into: spare.pop() ?? new SharedArrayBuffer(KEPT_BYTES), ...(skipKinds !== undefined && { skipKinds: [...skipKinds] }) })
        result.then(
          () => (ready[id] = true),
          () => (ready[id] = true),
        ) // awaited in turn below; this also keeps an early failure from being unhandled
        pending[id] = result
      }
      while (ready[k] !== true) {
        const stolen = pool.steal()
        if (stolen === null) break
        const done = scanRange(stolen.task)
        stolen.settle(done)
        await done
        // a scan never waits on I/O (positional reads are synchronous): let the workers' messages in
        await new Promise(setImmediate)
      }
      const result = await pending[k]!
      pending[k] = undefined
      const lines = result.kept
      const bytes = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength)
      let heads = 0
      let at = 0
      for (let i = 0; i < lines.length; i += 3) {
        const line = lineBase + lines[i]!
        if (lines[i + 2] === -1) {
          reader.tooLong(Buffer.from(result.heads[heads++]!).toString('utf8'), lines[i + 1]!, line)
          continue
        }
        const length = lines[i + 2]! - lines[i + 1]!
        reader.line(decodeLine(bytes, at, at + length, line), line, out)
        at += length
        // passed on as they come: a range's events held together would outlive young collections
        if (out.length >= EVENTS_PER_YIELD) yield* out.splice(0)
      }
      if (result.bytes.buffer instanceof SharedArrayBuffer) spare.push(result.bytes.buffer)
      skipped(result.lines - lines.length / 3)
      lineBase += result.lines
      plain.consumed(ranges[k]!.end - ranges[k]!.start)
      if (k % RANGES_PER_COLLECTION === RANGES_PER_COLLECTION - 1) collectGarbage()
      if (out.length > 0) yield* out.splice(0)
    }
  } finally {
    await pool.close()
  }
  reader.finish(out)
  yield* out
}
