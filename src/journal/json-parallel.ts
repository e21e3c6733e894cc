/**
 * A big plain journal JSON file, split at newlines into byte ranges that worker threads
 * (src/journal/json-worker.ts) and the main thread scan; the kept lines take the full path on the main
 * thread, in file order. Workers send back where their kept lines are, not the lines; a bounded number
 * of ranges is in flight, so memory does not grow with the file.
 */
import { readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { MaskEvent } from '../events.ts'
import type { PlainFile } from '../parser.ts'
import { fileLineBlocks } from '../line-blocks.ts'
import { MAX_LINE_BYTES } from '../lines.ts'
import { decodeLine, type RecordReader } from './json-records.ts'
import { intoFullPath, scanPieces } from './json-scan.ts'
import type { RangeResult, RangeTask } from './json-worker.ts'

// A range's read buffer is garbage after it: small ones keep the dead memory small until the next GC.
const RANGE_CHUNK_BYTES = 1024 * 1024

/** Below this, starting threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024
const RANGE_BYTES = 32 * 1024 * 1024
const PROBE_BYTES = 64 * 1024

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
      worker.on('message', (result: RangeResult) => {
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
 * `jobs` threads in all: `jobs - 1` workers scan their ranges while the main thread scans every
 * `jobs`-th range itself and runs the full path over all kept lines, in file order.
 */
export async function* parseInParallel(
  plain: PlainFile,
  jobs: number,
  reader: RecordReader,
  skipped: (lines: number) => void,
  rangeBytes = RANGE_BYTES,
): AsyncGenerator<MaskEvent> {
  const ranges = await rangesAtNewlines(plain.path, plain.size, rangeBytes)
  const workers = Math.max(1, Math.min(jobs - 1, ranges.length - 1))
  const isMine = (k: number): boolean => k % (workers + 1) === 0
  const pool = new WorkerPool(workers)
  const pending: (Promise<RangeResult> | undefined)[] = []
  const out: MaskEvent[] = []
  // Lines kept by a worker are read again here, one positional read each: cheaper than sending them.
  const handle = await open(plain.path, 'r')
  const fd = handle.fd
  let buffer = Buffer.allocUnsafe(64 * 1024)
  let next = 0
  let lineBase = 0
  const kept = intoFullPath(reader, out)
  try {
    for (let k = 0; k < ranges.length; k++) {
      // keep the workers busy with the ranges ahead (at most `workers + 1` of theirs in flight)
      for (; next < ranges.length && next <= k + 2 * workers; next++) {
        if (isMine(next)) continue
        const { start, end } = ranges[next]!
        const result = pool.run({ id: next, path: plain.path, start, end })
        result.catch(() => {}) // awaited in turn below; this only keeps an early failure from being unhandled
        pending[next] = result
      }
      const { start, end } = ranges[k]!
      if (isMine(k)) {
        const pieces = fileLineBlocks(async (b, o, l, p) => (await handle.read(b, o, l, p)).bytesRead, start, end, () => {}, MAX_LINE_BYTES, RANGE_CHUNK_BYTES)
        const scan = scanPieces(pieces, kept, { firstLine: lineBase + 1, skipped })
        let step = await scan.next()
        for (; step.done !== true; step = await scan.next()) if (out.length > 0) yield* out.splice(0)
        lineBase += step.value
      } else {
        const result = await pending[k]!
        pending[k] = undefined
        const lines = result.kept
        let heads = 0
        for (let i = 0; i < lines.length; i += 3) {
          const line = lineBase + lines[i]!
          if (lines[i + 2] === -1) {
            reader.tooLong(Buffer.from(result.heads[heads++]!).toString('utf8'), lines[i + 1]!, line)
            continue
          }
          const length = lines[i + 2]! - lines[i + 1]!
          if (length > buffer.length) buffer = Buffer.allocUnsafe(Math.max(length, buffer.length * 2))
          const got = readSync(fd, buffer, 0, length, lines[i + 1]!)
          reader.line(decodeLine(buffer, 0, got, line), line, out)
        }
        skipped(result.lines - lines.length / 3)
        lineBase += result.lines
      }
      plain.consumed(end - start)
      if (out.length > 0) yield* out.splice(0)
    }
  } finally {
    await handle.close()
    await pool.close()
  }
  reader.finish(out)
  yield* out
}
