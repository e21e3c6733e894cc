/**
 * Finding the entries of a journal file: the global entry-array chain first (the normal way, in
 * seqnum order), then — when the chain is broken, runs past the end, the entry count does not
 * add up or the file was ONLINE — a linear scan of the objects, which are laid out back to back.
 */
import type { BlockReader } from './block-reader.ts'
import { BLOCK_PAGE_SIZE } from './block-reader.ts'
import {
  align8,
  ENTRY_ARRAY_HEADER_SIZE,
  ENTRY_HEADER_SIZE,
  entryItemSize,
  MIN_OBJECT_SIZE,
  OBJECT_HEADER_SIZE,
  OBJECT_TYPE,
} from './format.ts'
import { u64, type JournalFileInfo } from './header.ts'
import { offsetProblem, typeName } from './objects.ts'
import type { ProblemSink } from './problems.ts'

// A chain longer than this is a loop or garbage (arrays double in size: 64 arrays hold 2^64 items).
const MAX_CHAIN_ARRAYS = 100_000
// Entry array items are read in slices of this many bytes.
const ITEM_SLICE_BYTES = 64 * 1024

/** Entry offsets already handled (yielded or found bad), one bit per 8-byte slot of the file. */
export class OffsetSet {
  readonly #bits: Uint8Array

  constructor(fileSize: number) {
    this.#bits = new Uint8Array(Math.ceil(fileSize / 64) + 1)
  }

  // Only 8-aligned offsets inside the file have a bit (others are never entries); plain arithmetic, not
  // bit shifts, keeps files over 16 GiB right.
  has(offset: number): boolean {
    const slot = offset / 8
    return Number.isInteger(slot) && ((this.#bits[Math.floor(slot / 8)] ?? 0) & (1 << slot % 8)) !== 0
  }

  add(offset: number): void {
    const slot = offset / 8
    const byte = Math.floor(slot / 8)
    if (Number.isInteger(slot) && byte >= 0 && byte < this.#bits.length) this.#bits[byte]! |= 1 << slot % 8
  }
}

export interface ChainResult {
  /** A problem was found: the chain does not reach every entry it should. */
  broken: boolean
  arrays: number
}

/**
 * Yields the entry offsets listed by the global entry-array chain, in order, a slice of an array at a
 * time. Items equal to 0 are pre-allocated space and skipped. Every array is checked; a revisited one
 * (a loop) ends the walk.
 */
export async function* walkEntryArrays(
  reader: BlockReader,
  info: JournalFileInfo,
  report: ProblemSink,
  result: ChainResult,
): AsyncGenerator<number[]> {
  const itemSize = info.compact ? 4 : 8
  const visited = new Set<number>()
  let offset = info.entryArrayOffset
  let from = 'the header'
  while (offset !== 0) {
    if (visited.has(offset) || visited.size >= MAX_CHAIN_ARRAYS) {
      report({
        offset,
        code: 'JOURNAL_OBJECT_INVALID',
        message: `the entry-array chain loops back to ${offset} (from ${from}): walk stopped`,
      })
      result.broken = true
      return
    }
    visited.add(offset)
    const bad = offsetProblem(info, offset, ENTRY_ARRAY_HEADER_SIZE)
    if (bad !== null) {
      report({
        offset,
        code: bad.pastEnd && info.truncated ? 'JOURNAL_TRUNCATED' : 'JOURNAL_OBJECT_INVALID',
        message: `entry array referenced by ${from}: ${bad.message}`,
      })
      result.broken = true
      return
    }
    const head = reader.read(offset, ENTRY_ARRAY_HEADER_SIZE)
    const type = head[0]!
    const size = u64(head, 8)
    if (type !== OBJECT_TYPE.entryArray || size < ENTRY_ARRAY_HEADER_SIZE) {
      report({
        offset,
        code: 'JOURNAL_OBJECT_INVALID',
        message: `expected an ENTRY_ARRAY object (referenced by ${from}), found ${typeName(type)} of ${size} bytes`,
      })
      result.broken = true
      return
    }
    const next = u64(head, 16)
    result.arrays++
    let end = offset + size
    if (end > info.fileSize) {
      end = info.fileSize
      report({
        offset,
        code: 'JOURNAL_TRUNCATED',
        message: `entry array at ${offset} (${size} bytes) is cut off by the end of the file: only the items before byte ${end} are read`,
      })
      result.broken = true
    }
    const first = offset + ENTRY_ARRAY_HEADER_SIZE
    const itemsEnd = first + Math.floor((end - first) / itemSize) * itemSize
    for (let at = first; at < itemsEnd; at += ITEM_SLICE_BYTES) {
      const slice = reader.read(at, Math.min(ITEM_SLICE_BYTES, itemsEnd - at))
      // Copied out: the slice is a view of a cached page that reading the entries may evict.
      const items: number[] = []
      for (let i = 0; i + itemSize <= slice.length; i += itemSize) {
        const item = info.compact ? slice.readUInt32LE(i) : u64(slice, i)
        if (item !== 0) items.push(item)
      }
      yield items
    }
    from = `the entry array at ${offset}`
    offset = next
  }
}

export interface ScanResult {
  /** Object types the format does not define, reported once each. */
  unknownTypes: Set<number>
}

function isZeroHeader(buf: Buffer, at: number): boolean {
  return (
    buf.readUInt32LE(at) === 0 &&
    buf.readUInt32LE(at + 4) === 0 &&
    buf.readUInt32LE(at + 8) === 0 &&
    buf.readUInt32LE(at + 12) === 0
  )
}

// Types a future systemd might add: the format says readers skip objects they do not know.
const MAX_UNKNOWN_TYPE = 31

/** The size of a plausible object header at `at` of `buf` (16 bytes there), else 0. */
function plausibleObject(buf: Buffer, at: number, itemSize: number): number {
  const type = buf[at]!
  if (type === OBJECT_TYPE.unused || type > MAX_UNKNOWN_TYPE) return 0
  const flags = buf[at + 1]!
  // Only DATA objects have flags: at most one compression bit.
  if (type === OBJECT_TYPE.data ? ![0, 1, 2, 4].includes(flags) : flags !== 0) return 0
  for (let i = 2; i < 8; i++) if (buf[at + i] !== 0) return 0
  const size = u64(buf, at + 8)
  if (size < (MIN_OBJECT_SIZE[type] ?? OBJECT_HEADER_SIZE)) return 0
  if (type === OBJECT_TYPE.entry && (size - ENTRY_HEADER_SIZE) % itemSize !== 0) return 0
  return size
}

/**
 * Yields the offsets of ENTRY objects found by walking objects back to back from `start`. Zero
 * space is skipped (before the header's tail object it may be a hole; after it, the file's unused
 * end, where the scan stops); garbage is skipped 8 bytes at a time until a plausible object appears.
 */
export async function* scanObjects(
  reader: BlockReader,
  info: JournalFileInfo,
  start: number,
  report: ProblemSink,
  result: ScanResult,
): AsyncGenerator<number> {
  const limit = Math.min(info.fileSize, info.arenaEnd)
  const itemSize = entryItemSize(info.compact)
  const tailValid = info.tailObjectOffset >= info.headerSize && info.tailObjectOffset < limit
  let at = start
  let garbageFrom = -1
  const endGarbage = (upTo: number): void => {
    if (garbageFrom < 0) return
    report({
      offset: garbageFrom,
      code: 'JOURNAL_OBJECT_INVALID',
      message: `${upTo - garbageFrom} bytes at ${garbageFrom} hold no valid object: skipped up to byte ${upTo}`,
    })
    garbageFrom = -1
  }
  while (at + OBJECT_HEADER_SIZE <= limit) {
    // Copied: entries are read between the offsets yielded, and pages are reused.
    const window = Buffer.from(reader.read(at, Math.min(BLOCK_PAGE_SIZE, limit - at)))
    let i = 0
    // Objects whose header lies in this window are handled synchronously; the loop refills after.
    while (i + OBJECT_HEADER_SIZE <= window.length) {
      let size = plausibleObject(window, i, itemSize)
      // Past the arena it is no object; past the bytes there it is one cut off (unless resynchronising).
      if (size > info.arenaEnd - (at + i) || (garbageFrom >= 0 && size > info.fileSize - (at + i))) size = 0
      if (size === 0) {
        if (isZeroHeader(window, i)) {
          endGarbage(at + i)
          if (!tailValid || at + i > info.tailObjectOffset) return
        } else if (garbageFrom < 0) {
          garbageFrom = at + i
        }
        i += 8
        continue
      }
      endGarbage(at + i)
      const offset = at + i
      if (offset + size > info.fileSize) {
        report({
          offset,
          code: 'JOURNAL_TRUNCATED',
          message: `${typeName(window[i]!)} object at ${offset} (${size} bytes) runs past the end of the file: the scan stops here`,
        })
        return
      }
      const type = window[i]!
      if (type === OBJECT_TYPE.entry) yield offset
      else if (type > OBJECT_TYPE.tag && !result.unknownTypes.has(type)) {
        result.unknownTypes.add(type)
        report({
          offset,
          code: 'JOURNAL_OBJECT_INVALID',
          message: `object of unknown type ${type} at ${offset} (${size} bytes) skipped, as the format says readers should`,
          severity: 'warning',
        })
      }
      const step = align8(size)
      if (i + step + OBJECT_HEADER_SIZE > window.length) {
        at = offset + step
        i = -1
        break
      }
      i += step
    }
    if (i >= 0) at += i
  }
  endGarbage(limit)
}
