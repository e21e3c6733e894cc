/**
 * Positional reads through a small cache of fixed-size pages, so that walking a journal costs
 * about one read per page instead of one per object, and memory stays bounded whatever the file size.
 *
 * Reads are synchronous (the source reads synchronously) and an evicted page's memory is reused for
 * the next page: fresh memory costs a page fault per 4 KiB, which was a sixth of the time. So a view
 * returned by read() or located by locate() is valid only until MAX_PAGES further pages are loaded: a
 * caller that keeps bytes longer copies them. locate() avoids even the view, for the skimmer's hot loop.
 */
import type { RandomAccessSource } from '../../parser.ts'

const PAGE_SIZE = 64 * 1024
const MAX_PAGES = 16
/** Pages of readers that are done, for the next reader: a directory holds dozens of journal files. */
const released: Buffer[] = []
// Objects bigger than this (huge fields, hash tables) are read directly, not through the cache.
const DIRECT_READ_MIN = 4 * PAGE_SIZE

export class BlockReader {
  readonly size: number
  readonly #source: RandomAccessSource
  readonly #pages = new Map<number, Buffer>()
  /** Evicted whole pages, whose memory the next load reuses. */
  readonly #spare: Buffer[] = []
  /** Reads issued to the source (for tests and benchmarks). */
  sourceReads = 0

  constructor(source: RandomAccessSource) {
    this.#source = source
    this.size = source.size
  }

  /** Up to `length` bytes at `offset`; shorter only at the end of the file. */
  read(offset: number, length: number): Buffer {
    const end = Math.min(offset + length, this.size)
    if (offset >= end) return Buffer.alloc(0)
    const first = Math.floor(offset / PAGE_SIZE)
    const last = Math.floor((end - 1) / PAGE_SIZE)
    if (first === last) {
      const page = this.#pages.get(first) ?? this.#load(first)
      const start = offset - first * PAGE_SIZE
      return page.subarray(start, start + (end - offset))
    }
    if (end - offset >= DIRECT_READ_MIN) {
      this.sourceReads++
      const out = Buffer.allocUnsafe(end - offset)
      const got = this.#source.readInto(out, offset)
      return got === out.length ? out : out.subarray(0, got)
    }
    // Only the bytes asked for are copied, not the whole pages.
    const out = Buffer.allocUnsafe(end - offset)
    for (let p = first, at = offset; p <= last; p++) {
      const page = this.#pages.get(p) ?? this.#load(p)
      const from = at - p * PAGE_SIZE
      const n = Math.min(page.length - from, end - at)
      page.copy(out, at - offset, from, from + n)
      at += n
    }
    return out
  }

  /**
   * Where `length` bytes at `offset` are, without making a view: returns the buffer that holds them and
   * sets `at` to their start in it (a page, or for bytes across pages a scratch buffer reused by the next
   * call). Fewer bytes only at the end of the file. Valid as read() views are.
   */
  locate(offset: number, length: number): Buffer {
    const end = Math.min(offset + length, this.size)
    const index = Math.floor(offset / PAGE_SIZE)
    if (offset < end && index === Math.floor((end - 1) / PAGE_SIZE)) {
      this.at = offset - index * PAGE_SIZE
      this.available = end - offset
      return this.#pages.get(index) ?? this.#load(index)
    }
    const bytes = this.read(offset, length)
    if (this.#scratch.length < bytes.length) this.#scratch = Buffer.allocUnsafe(Math.max(bytes.length, 2 * this.#scratch.length))
    bytes.copy(this.#scratch)
    this.at = 0
    this.available = bytes.length
    return this.#scratch
  }

  /** Set by locate(): where the bytes start in the buffer it returned, and how many there are. */
  at = 0
  available = 0
  #scratch = Buffer.allocUnsafe(4096)

  /** Gives the pages' memory to the next reader; this one must not be used after. */
  release(): void {
    for (const page of [...this.#spare, ...this.#pages.values()]) if (page.length === PAGE_SIZE && released.length < MAX_PAGES) released.push(page)
    this.#spare.length = 0
    this.#pages.clear()
  }

  #load(index: number): Buffer {
    this.sourceReads++
    const memory = this.#spare.pop() ?? released.pop() ?? Buffer.allocUnsafe(PAGE_SIZE)
    const got = this.#source.readInto(memory, index * PAGE_SIZE)
    const page = got === PAGE_SIZE ? memory : memory.subarray(0, got)
    this.#pages.set(index, page)
    if (this.#pages.size > MAX_PAGES) {
      const oldest = this.#pages.keys().next().value!
      const evicted = this.#pages.get(oldest)!
      this.#pages.delete(oldest)
      if (evicted.length === PAGE_SIZE) this.#spare.push(evicted)
    }
    return page
  }
}

export const BLOCK_PAGE_SIZE = PAGE_SIZE
