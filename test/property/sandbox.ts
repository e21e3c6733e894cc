/**
 * Runs parsers in a worker thread so that a hang (a regex that backtracks forever is synchronous:
 * no timer in the same thread would fire) or unbounded memory fails one case instead of stalling or
 * killing the test run. The worker is replaced after a timeout or a crash.
 */
import { Worker } from 'node:worker_threads'
import type { RunRequest, RunResult } from './run-parser.ts'

export type SandboxOutcome =
  | { status: 'ok'; result: RunResult }
  /** The parser threw: the message and stack. */
  | { status: 'threw'; error: string }
  | { status: 'timeout'; ms: number }
  /** The worker died, e.g. ERR_WORKER_OUT_OF_MEMORY. */
  | { status: 'crashed'; error: string }

export interface SandboxOptions {
  /** V8 old-generation limit of the worker: memory must stay bounded. */
  maxHeapMb?: number
}

export class ParserSandbox {
  #worker: { worker: Worker; ready: Promise<void> } | null = null
  #nextId = 0
  #pending: { id: number; worker: Worker; settle: (o: SandboxOutcome) => void } | null = null
  readonly #options: SandboxOptions

  constructor(options: SandboxOptions = {}) {
    this.#options = options
  }

  #spawn(): { worker: Worker; ready: Promise<void> } {
    const worker = new Worker(new URL('./sandbox-worker.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb ?? 512 },
    })
    let markReady: () => void = () => {}
    const ready = new Promise<void>((resolve) => (markReady = resolve))
    worker.on('message', (msg: { id: number; ok: boolean; result?: RunResult; error?: string; ready?: true }) => {
      if (msg.ready) return markReady()
      const p = this.#pending
      if (p === null || p.id !== msg.id) return
      this.#pending = null
      p.settle(msg.ok ? { status: 'ok', result: msg.result! } : { status: 'threw', error: msg.error! })
    })
    const died = (error: unknown): void => {
      markReady()
      if (this.#worker?.worker === worker) this.#worker = null
      const p = this.#pending
      if (p === null || p.worker !== worker) return
      this.#pending = null
      p.settle({ status: 'crashed', error: error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` : String(error) })
    }
    worker.on('error', died)
    worker.on('exit', (code) => died(new Error(`worker exited with code ${code}`)))
    worker.unref()
    return { worker, ready }
  }

  async run(req: RunRequest, timeoutMs: number): Promise<SandboxOutcome> {
    if (this.#pending !== null) throw new Error('ParserSandbox runs one request at a time')
    this.#worker ??= this.#spawn()
    const { worker, ready } = this.#worker
    // Keep the process alive while a request is out (the worker is unref'd between requests).
    worker.ref()
    await ready
    if (this.#worker?.worker !== worker) return { status: 'crashed', error: 'the worker died while starting' }
    const id = this.#nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.#pending?.id !== id) return
        this.#pending = null
        this.#worker = null
        void worker.terminate()
        resolve({ status: 'timeout', ms: timeoutMs })
      }, timeoutMs)
      this.#pending = {
        id,
        worker,
        settle: (o) => {
          clearTimeout(timer)
          worker.unref()
          resolve(o)
        },
      }
      // Shared memory is shared as is (50 MB inputs); anything else is copied, the caller keeps its buffer.
      const data = req.data.buffer instanceof SharedArrayBuffer ? req.data : new Uint8Array(req.data)
      worker.postMessage({ id, req: { ...req, data } })
    })
  }

  async close(): Promise<void> {
    const w = this.#worker
    this.#worker = null
    if (w !== null) await w.worker.terminate()
  }
}
