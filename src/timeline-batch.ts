/**
 * A batch of timeline events held as JSON bytes outside the JS heap, with the sort keys of
 * compareTimeline in typed arrays. Event objects then die young: holding thousands of them would have
 * V8 promote them and grow its young and old generations with the input (the timeline's peak RSS was
 * +70 % from 100 MB to 4 GB of journal), although only a bounded number is ever held at once.
 */
import type { MaskEvent } from './events.ts'

const INITIAL_BYTES = 1024 * 1024

export class SerializedBatch {
  readonly capacity: number
  readonly maxBytes: number
  #bytes = Buffer.allocUnsafe(INITIAL_BYTES)
  #used = 0
  #count = 0
  readonly #time: Float64Array
  readonly #line: Float64Array
  readonly #arrival: Float64Array
  readonly #path: Int32Array
  readonly #boot: Uint8Array
  readonly #start: Float64Array
  readonly #end: Float64Array
  readonly #pathIds = new Map<string, number>()

  constructor(capacity: number, maxBytes: number) {
    this.capacity = capacity
    this.maxBytes = maxBytes
    this.#time = new Float64Array(capacity)
    this.#line = new Float64Array(capacity)
    this.#arrival = new Float64Array(capacity)
    this.#path = new Int32Array(capacity)
    this.#boot = new Uint8Array(capacity)
    this.#start = new Float64Array(capacity)
    this.#end = new Float64Array(capacity)
  }

  get length(): number {
    return this.#count
  }

  /** Whether `push` would go over the batch's item or byte budget (an empty batch takes anything). */
  wouldOverflow(json: string): boolean {
    return this.#count > 0 && (this.#count >= this.capacity || this.#used + Buffer.byteLength(json) > this.maxBytes)
  }

  /** Adds an event, already serialised as `json` (a JSON line, newline included). */
  push(e: MaskEvent, arrival: number, json: string): void {
    const need = Buffer.byteLength(json)
    if (this.#used + need > this.#bytes.length) this.#grow(this.#used + need)
    const k = this.#count++
    this.#time[k] = e.timeUs ?? Number.NaN
    this.#line[k] = e.line
    this.#arrival[k] = arrival
    this.#boot[k] = e.kind === 'boot' ? 1 : 0
    let id = this.#pathIds.get(e.path)
    if (id === undefined) this.#pathIds.set(e.path, (id = this.#pathIds.size))
    this.#path[k] = id
    this.#start[k] = this.#used
    this.#used += this.#bytes.write(json, this.#used, 'utf8')
    this.#end[k] = this.#used
  }

  #grow(need: number): void {
    let size = this.#bytes.length * 2
    while (size < need) size *= 2
    const bigger = Buffer.allocUnsafe(size)
    this.#bytes.copy(bigger, 0, 0, this.#used)
    this.#bytes = bigger
  }

  /** Item indices in compareTimeline order (time, unknown last; then line and boot-first within a file; then arrival). */
  sortedOrder(): Uint32Array {
    const order = new Uint32Array(this.#count)
    for (let k = 0; k < order.length; k++) order[k] = k
    const time = this.#time
    return order.sort((a, b) => {
      const ta = time[a]!
      const tb = time[b]!
      const na = Number.isNaN(ta)
      const nb = Number.isNaN(tb)
      if (na !== nb) return na ? 1 : -1
      if (!na && ta !== tb) return ta - tb
      if (this.#path[a] === this.#path[b]) {
        if (this.#line[a] !== this.#line[b]) return this.#line[a]! - this.#line[b]!
        if (this.#boot[a] !== this.#boot[b]) return this.#boot[a] === 1 ? -1 : 1
      }
      return this.#arrival[a]! - this.#arrival[b]!
    })
  }

  /** The JSON line of item `k`. */
  bytesOf(k: number): Buffer {
    return this.#bytes.subarray(this.#start[k], this.#end[k])
  }

  clear(): void {
    this.#count = 0
    this.#used = 0
    this.#pathIds.clear()
    if (this.#bytes.length > INITIAL_BYTES * 8) this.#bytes = Buffer.allocUnsafe(INITIAL_BYTES)
  }
}
