/**
 * The timeline's events in timeline order without holding them all: events that pass the filter are
 * kept as JSON bytes (src/timeline-batch.ts) until there are `maxInMemory` of them or `maxBytes`, then
 * sorted and written to a temporary file as JSON lines;
 * at the end the files and what is left in memory are merged. Memory follows `maxInMemory`, not the
 * number of events. Boots are held apart (there are few) so that, as collectEvents does, only the
 * earliest event of each boot counts. Temporary files go to a fresh directory under the system's
 * temporary directory and are removed by close().
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { earliestBoots } from './boots.ts'
import { SerializedBatch } from './timeline-batch.ts'
import { collectGarbage } from './heap-policy.ts'
import type { MaskEvent } from './events.ts'
import { compareTimeline, timelinePredicate, type TimelineFilter } from './timeline.ts'

interface Item {
  e: MaskEvent
  /** Arrival order: the last tie-break of the timeline order. */
  i: number
}

const byTimeline = (a: Item, b: Item): number => compareTimeline(a.e, a.i, b.e, b.i)
const RUN_CHUNK_BYTES = 64 * 1024
const WRITE_BYTES = 1024 * 1024

export class TimelineStore {
  /** Events left out because a time filter was given and their time is unknown. */
  unknownTimeExcluded = 0
  readonly #verdict: ReturnType<typeof timelinePredicate>
  readonly #batch: SerializedBatch
  #arrivals = 0
  readonly #boots: Item[] = []
  readonly #runs: string[] = []
  #dir: string | null = null
  #writeBuffer: Buffer | null = null

  constructor(filter: TimelineFilter, { maxInMemory = 5_000, maxBytes = 4 * 1024 * 1024 }: { maxInMemory?: number; maxBytes?: number } = {}) {
    this.#verdict = timelinePredicate(filter)
    this.#batch = new SerializedBatch(Math.max(1, maxInMemory), maxBytes)
  }

  push(e: MaskEvent): void {
    const i = this.#arrivals++
    if (e.kind === 'boot') this.#boots.push({ e, i })
    else if (this.#keep(e)) this.#add(e, i)
  }

  #add(e: MaskEvent, i: number): void {
    const json = `${JSON.stringify([i, e])}\n`
    if (this.#batch.wouldOverflow(json)) this.#spill()
    this.#batch.push(e, i, json)
  }

  #keep(e: MaskEvent): boolean {
    const verdict = this.#verdict(e)
    if (verdict === 'unknown-time') this.unknownTimeExcluded++
    return verdict === 'keep'
  }

  #spill(): void {
    this.#dir ??= mkdtempSync(join(tmpdir(), 'maskwhy-timeline-'))
    const path = join(this.#dir, `run-${this.#runs.length}.jsonl`)
    const fd = openSync(path, 'wx', 0o600)
    try {
      const out = (this.#writeBuffer ??= Buffer.allocUnsafe(WRITE_BYTES))
      let used = 0
      for (const k of this.#batch.sortedOrder()) {
        const line = this.#batch.bytesOf(k)
        if (used + line.length > out.length) {
          writeAll(fd, out.subarray(0, used))
          used = 0
        }
        if (line.length > out.length) writeAll(fd, line)
        else used += line.copy(out, used)
      }
      writeAll(fd, out.subarray(0, used))
    } finally {
      closeSync(fd)
    }
    this.#runs.push(path)
    this.#batch.clear()
  }

  /** Every kept event once, in timeline order. Call once, after the last push. */
  async *sorted(): AsyncGenerator<MaskEvent> {
    collectGarbage()
    const earliest = new Set(earliestBoots(this.#boots.map((b) => b.e)))
    for (const boot of this.#boots) if (earliest.has(boot.e) && this.#keep(boot.e)) this.#add(boot.e, boot.i)
    const inMemory = batchItems(this.#batch)
    if (this.#runs.length === 0) {
      for (const x of inMemory) yield x.e
      return
    }
    // k-way merge of the sorted files and what is in memory; k is small (events / maxInMemory)
    const sources: Iterator<Item>[] = [...this.#runs.map(readRun), inMemory]
    const heads: (Item | null)[] = sources.map((source) => source.next().value ?? null)
    for (;;) {
      let best = -1
      for (let k = 0; k < heads.length; k++) if (heads[k] !== null && (best === -1 || byTimeline(heads[k]!, heads[best]!) < 0)) best = k
      if (best === -1) return
      yield heads[best]!.e
      heads[best] = sources[best]!.next().value ?? null
    }
  }

  /** Sorted batches written to temporary files so far. */
  get spilled(): number {
    return this.#runs.length
  }

  close(): void {
    if (this.#dir !== null) rmSync(this.#dir, { recursive: true, force: true })
    this.#dir = null
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at)
}

function parseItem(line: string): Item {
  const [i, e] = JSON.parse(line) as [number, MaskEvent]
  return { e, i }
}

/** The batch's items in timeline order, each parsed when its turn comes. */
function* batchItems(batch: SerializedBatch): Generator<Item> {
  for (const k of batch.sortedOrder()) yield parseItem(batch.bytesOf(k).toString('utf8'))
}

/** A run's items, read 64 KiB at a time (readline's async iterator would read ahead without bound). */
function* readRun(path: string): Generator<Item> {
  const fd = openSync(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(RUN_CHUNK_BYTES)
    let carry = ''
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      const lines = (carry + chunk.toString('utf8', 0, n)).split('\n')
      carry = lines.pop()!
      for (const line of lines) yield parseItem(line)
    }
  } finally {
    closeSync(fd)
  }
}
