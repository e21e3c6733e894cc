/**
 * The timeline's events in timeline order without holding them all: events that pass the filter are
 * kept until there are `maxInMemory` of them, then sorted and written to a temporary file as JSON lines;
 * at the end the files and what is left in memory are merged. Memory follows `maxInMemory`, not the
 * number of events. Boots are held apart (there are few) so that, as collectEvents does, only the
 * earliest event of each boot counts. Temporary files go to a fresh directory under the system's
 * temporary directory and are removed by close().
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { earliestBoots } from './boots.ts'
import type { MaskEvent } from './events.ts'
import { compareTimeline, timelinePredicate, type TimelineFilter } from './timeline.ts'

interface Item {
  e: MaskEvent
  /** Arrival order: the last tie-break of the timeline order. */
  i: number
}

const byTimeline = (a: Item, b: Item): number => compareTimeline(a.e, a.i, b.e, b.i)
const LINES_PER_WRITE = 1000
const RUN_CHUNK_BYTES = 64 * 1024

export class TimelineStore {
  /** Events left out because a time filter was given and their time is unknown. */
  unknownTimeExcluded = 0
  readonly #verdict: ReturnType<typeof timelinePredicate>
  readonly #maxInMemory: number
  #arrivals = 0
  #items: Item[] = []
  readonly #boots: Item[] = []
  readonly #runs: string[] = []
  #dir: string | null = null

  constructor(filter: TimelineFilter, { maxInMemory = 20_000 }: { maxInMemory?: number } = {}) {
    this.#verdict = timelinePredicate(filter)
    this.#maxInMemory = Math.max(1, maxInMemory)
  }

  push(e: MaskEvent): void {
    const item = { e, i: this.#arrivals++ }
    if (e.kind === 'boot') this.#boots.push(item)
    else if (this.#keep(e)) {
      this.#items.push(item)
      if (this.#items.length >= this.#maxInMemory) this.#spill()
    }
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
      const items = this.#items.sort(byTimeline)
      for (let at = 0; at < items.length; at += LINES_PER_WRITE) {
        writeSync(fd, items.slice(at, at + LINES_PER_WRITE).map((x) => `${JSON.stringify([x.i, x.e])}\n`).join(''))
      }
    } finally {
      closeSync(fd)
    }
    this.#runs.push(path)
    this.#items = []
  }

  /** Every kept event once, in timeline order. Call once, after the last push. */
  async *sorted(): AsyncGenerator<MaskEvent> {
    const earliest = new Set(earliestBoots(this.#boots.map((b) => b.e)))
    for (const boot of this.#boots) if (earliest.has(boot.e) && this.#keep(boot.e)) this.#items.push(boot)
    const inMemory = this.#items.sort(byTimeline)
    this.#items = []
    if (this.#runs.length === 0) {
      for (const x of inMemory) yield x.e
      return
    }
    // k-way merge of the sorted files and what is in memory; k is small (events / maxInMemory)
    const sources: Iterator<Item>[] = [...this.#runs.map(readRun), inMemory[Symbol.iterator]()]
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

/** A run's items, read 64 KiB at a time (readline's async iterator would read ahead without bound). */
function* readRun(path: string): Generator<Item> {
  const fd = openSync(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(RUN_CHUNK_BYTES)
    let carry = ''
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      const lines = (carry + chunk.toString('utf8', 0, n)).split('\n')
      carry = lines.pop()!
      for (const line of lines) {
        const [i, e] = JSON.parse(line) as [number, MaskEvent]
        yield { e, i }
      }
    }
  } finally {
    closeSync(fd)
  }
}
