/**
 * Positional reads through a small LRU cache of fixed-size pages, so that walking a journal costs
 * about one read per page instead of one per object, and memory stays bounded whatever the file size.
 */
import type { RandomAccessSource } from '../../parser.ts'

const PAGE_SIZE = 64 * 1024
const MAX_PAGES = 64
// Objects bigger than this (huge fields, hash tables) are read directly, not through the cache.
const DIRECT_READ_MIN = 4 * PAGE_SIZE

export class BlockReader {
  readonly size: number
  readonly #source: RandomAccessSource
  readonly #pages = new Map<number, Buffer>()
  /** Reads issued to the source (for tests and benchmarks). */
  sourceReads = 0

  constructor(source: RandomAccessSource) {
    this.#source = source
    this.size = source.size
  }

  /** Up to `length` bytes at `offset`; shorter only at the end of the file. */
  async read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(offset + length, this.size)
    if (offset >= end) return Buffer.alloc(0)
    const first = Math.floor(offset / PAGE_SIZE)
    const last = Math.floor((end - 1) / PAGE_SIZE)
    if (first === last) {
      const page = this.#pages.get(first) ?? (await this.#load(first))
      const start = offset - first * PAGE_SIZE
      return page.subarray(start, start + (end - offset))
    }
    if (end - offset >= DIRECT_READ_MIN) {
      this.sourceReads++
      return this.#source.read(offset, end - offset)
    }
    // Only the bytes asked for are copied, not the whole pages.
    const out = Buffer.allocUnsafe(end - offset)
    for (let p = first, at = offset; p <= last; p++) {
      const page = this.#pages.get(p) ?? (await this.#load(p))
      const from = at - p * PAGE_SIZE
      const n = Math.min(page.length - from, end - at)
      page.copy(out, at - offset, from, from + n)
      at += n
    }
    return out
  }

  /** The bytes at once when they lie in one cached page (the common case), else null: then use read(). */
  cached(offset: number, length: number): Buffer | null {
    const index = Math.floor(offset / PAGE_SIZE)
    const start = offset - index * PAGE_SIZE
    const page = this.#pages.get(index)
    if (page === undefined) return null
    // Enough when the bytes are in this page, or when it is the file's last (reads are clipped to the end).
    if (start + length > page.length && index * PAGE_SIZE + page.length < this.size) return null
    return page.subarray(start, start + length)
  }

  async #load(index: number): Promise<Buffer> {
    this.sourceReads++
    const page = await this.#source.read(index * PAGE_SIZE, PAGE_SIZE)
    this.#pages.set(index, page)
    if (this.#pages.size > MAX_PAGES) this.#pages.delete(this.#pages.keys().next().value!)
    return page
  }
}

export const BLOCK_PAGE_SIZE = PAGE_SIZE
