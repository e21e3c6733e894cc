/**
 * Reading ENTRY and DATA objects with every offset checked: in range of the bytes actually there,
 * 8-byte aligned, of the expected type and of a sane size. A bad object is reported and skipped.
 */
import type { RawJournalEntry, RawJournalField } from '../raw-entry.ts'
import { cursorOf } from '../raw-entry.ts'
import type { BlockReader } from './block-reader.ts'
import { DecompressError, decompressPayload, MAX_FIELD_BYTES } from './decompress.ts'
import {
  dataPayloadOffset,
  ENTRY_HEADER_SIZE,
  entryItemSize,
  OBJECT_COMPRESSED,
  OBJECT_TYPE,
  OBJECT_TYPE_NAMES,
} from './format.ts'
import { hexId, u64, type JournalFileInfo } from './header.ts'
import type { ProblemSink } from './problems.ts'

// First read of an object: enough for most entries and fields, so one read usually does.
const SPECULATIVE_READ = 1024
// Fields shared by many entries (_HOSTNAME, _BOOT_ID, _SYSTEMD_UNIT…) are decoded once, kept within these.
const DATA_CACHE_BYTES = 16 * 1024 * 1024
const DATA_CACHE_FIELDS = 16 * 1024
// journald refuses entries of over 1024 fields (ENTRY_FIELD_COUNT_MAX): many more is garbage.
const MAX_ENTRY_ITEMS = 65536

export function typeName(type: number): string {
  return OBJECT_TYPE_NAMES[type] ?? `unknown type ${type}`
}

/** Why an object cannot be read; `pastEnd` when (part of) it lies beyond the bytes there (truncation). */
export interface ObjectProblem {
  pastEnd: boolean
  message: string
}

/** Why an offset cannot hold an object of at least `minSize` bytes, or null when it can. */
export function offsetProblem(info: JournalFileInfo, offset: number, minSize: number): ObjectProblem | null {
  if (!Number.isFinite(offset) || offset < info.headerSize) {
    return { pastEnd: false, message: `offset ${offset} is inside the header or invalid` }
  }
  if (offset % 8 !== 0) return { pastEnd: false, message: `offset ${offset} is not 8-byte aligned` }
  if (offset + minSize > info.fileSize) {
    return { pastEnd: true, message: `offset ${offset} lies past the end of the file (${info.fileSize} bytes)` }
  }
  return null
}

const invalidObject = (message: string): ObjectProblem => ({ pastEnd: false, message })

/** A bounded cache in two generations (each up to half the limits): no bookkeeping on a hit. */
class DataCache {
  #young = new Map<number, RawJournalField | null>()
  #old = new Map<number, RawJournalField | null>()
  #youngBytes = 0

  get(offset: number): RawJournalField | null | undefined {
    const hit = this.#young.get(offset)
    if (hit !== undefined) return hit
    const old = this.#old.get(offset)
    if (old !== undefined) this.set(offset, old)
    return old
  }

  set(offset: number, field: RawJournalField | null): void {
    this.#young.set(offset, field)
    this.#youngBytes += 64 + (field === null ? 0 : field.name.length + field.value.length)
    if (this.#youngBytes > DATA_CACHE_BYTES / 2 || this.#young.size > DATA_CACHE_FIELDS / 2) {
      this.#old = this.#young
      this.#young = new Map()
      this.#youngBytes = 0
    }
  }
}

interface DataProblem {
  code: 'JOURNAL_OBJECT_INVALID' | 'JOURNAL_DECOMPRESS_FAILED'
  message: string
}

type DataRead = { field: RawJournalField; shared: boolean } | DataProblem

const invalidData = (message: string): DataProblem => ({ code: 'JOURNAL_OBJECT_INVALID', message })

export interface DecodedEntry {
  entry: RawJournalEntry
  /** Items whose DATA object was unusable (reported; the entry keeps its other fields). */
  badItems: number
  items: number
}

export class ObjectReader {
  readonly #reader: BlockReader
  readonly #info: JournalFileInfo
  readonly #report: ProblemSink
  readonly #cache = new DataCache()
  readonly #itemSize: number
  readonly #payloadOffset: number

  constructor(reader: BlockReader, info: JournalFileInfo, report: ProblemSink) {
    this.#reader = reader
    this.#info = info
    this.#report = report
    this.#itemSize = entryItemSize(info.compact)
    this.#payloadOffset = dataPayloadOffset(info.compact)
  }

  get entryItemSize(): number {
    return this.#itemSize
  }

  /** The entry at `offset`, or a reason why there is none. */
  async readEntry(offset: number): Promise<DecodedEntry | ObjectProblem> {
    const info = this.#info
    const bad = offsetProblem(info, offset, ENTRY_HEADER_SIZE)
    if (bad !== null) return bad
    let bytes = this.#first(offset)
    const type = bytes[0]!
    if (type !== OBJECT_TYPE.entry) {
      return invalidObject(`expected an ENTRY object at ${offset}, found ${typeName(type)}`)
    }
    const size = u64(bytes, 8)
    if (size < ENTRY_HEADER_SIZE) {
      return invalidObject(`ENTRY object at ${offset} claims ${size} bytes, less than its header`)
    }
    if (offset + size > info.fileSize) {
      return { pastEnd: true, message: `ENTRY object at ${offset} (${size} bytes) runs past the end of the file` }
    }
    if (size > ENTRY_HEADER_SIZE + MAX_ENTRY_ITEMS * this.#itemSize) {
      return invalidObject(`ENTRY object at ${offset} claims ${size} bytes, more than ${MAX_ENTRY_ITEMS} fields`)
    }
    if (size > bytes.length) bytes = this.#reader.read(offset, size)
    const seqnum = bytes.readBigUInt64LE(16)
    const realtimeUs = bytes.readBigUInt64LE(24)
    const monotonicUs = bytes.readBigUInt64LE(32)
    const bootId = hexId(bytes, 40)
    const xorHash = bytes.readBigUInt64LE(56)
    const itemBytes = size - ENTRY_HEADER_SIZE
    if (itemBytes % this.#itemSize !== 0) {
      this.#report({
        offset,
        code: 'JOURNAL_OBJECT_INVALID',
        message: `ENTRY object at ${offset} has ${itemBytes} bytes of items, not a multiple of ${this.#itemSize}: the partial item is ignored`,
        severity: 'warning',
      })
    }
    const n = Math.floor(itemBytes / this.#itemSize)
    // Item offsets are copied out first: reading DATA objects may evict the page `bytes` lives in.
    const dataOffsets: number[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const at = ENTRY_HEADER_SIZE + i * this.#itemSize
      dataOffsets[i] = this.#info.compact ? bytes.readUInt32LE(at) : u64(bytes, at)
    }
    const fields: RawJournalField[] = []
    let badItems = 0
    for (const dataOffset of dataOffsets) {
      let field = this.#cache.get(dataOffset)
      if (field === undefined) {
        const read = this.#dataNow(dataOffset) ?? (await this.#readData(dataOffset))
        field = this.#settle(dataOffset, read, offset)
      }
      if (field === null) badItems++
      else fields.push(field)
    }
    const entry: RawJournalEntry = {
      fields,
      realtimeUs,
      monotonicUs,
      seqnum,
      seqnumId: info.seqnumId,
      bootId,
      xorHash,
      cursor: null,
    }
    entry.cursor = cursorOf(entry)
    return { entry, badItems, items: n }
  }

  /** The first bytes of an object. */
  #first(offset: number): Buffer {
    return this.#reader.read(offset, SPECULATIVE_READ)
  }

  /**
   * Fields shared by several entries are cached, bad objects too (as null, so that each is reported
   * once); a field of one entry only (its DATA object's n_entries is 1) is not worth the space.
   */
  #settle(offset: number, result: DataRead, entryOffset: number): RawJournalField | null {
    if ('message' in result) {
      const message = `a field of the entry at ${entryOffset} is skipped: ${result.message}`
      this.#report({ offset, code: result.code, message })
      this.#cache.set(offset, null)
      return null
    }
    if (result.shared) this.#cache.set(offset, result.field)
    return result.field
  }

  /** The DATA object now if it is uncompressed (most are), else undefined: then #readData decompresses it. */
  #dataNow(offset: number): DataRead | undefined {
    if (offsetProblem(this.#info, offset, this.#payloadOffset) !== null) return undefined
    let bytes = this.#first(offset)
    const head = this.#checkData(offset, bytes)
    if ('message' in head) return head
    if (bytes[1] !== 0) return undefined
    if (head.size > bytes.length) bytes = this.#reader.read(offset, head.size)
    return this.#split(offset, bytes.subarray(this.#payloadOffset, head.size), bytes)
  }

  async #readData(offset: number): Promise<DataRead> {
    const bad = offsetProblem(this.#info, offset, this.#payloadOffset)
    if (bad !== null) return invalidData(bad.message)
    let bytes = this.#first(offset)
    const head = this.#checkData(offset, bytes)
    if ('message' in head) return head
    if (head.size > bytes.length) bytes = this.#reader.read(offset, head.size)
    let payload = bytes.subarray(this.#payloadOffset, head.size)
    const flags = bytes[1]!
    if (flags !== 0) {
      try {
        payload = await decompressPayload(flags, payload)
      } catch (error) {
        if (!(error instanceof DecompressError)) throw error
        return { code: 'JOURNAL_DECOMPRESS_FAILED', message: `DATA object at ${offset}: ${error.message}` }
      }
    }
    return this.#split(offset, payload, bytes)
  }

  /** The object's size when its header (at the start of `bytes`) is a sane DATA object's. */
  #checkData(offset: number, bytes: Buffer): { size: number } | DataProblem {
    const type = bytes[0]!
    if (type !== OBJECT_TYPE.data) return invalidData(`expected a DATA object at ${offset}, found ${typeName(type)}`)
    const size = u64(bytes, 8)
    if (size < this.#payloadOffset) return invalidData(`DATA object at ${offset} claims ${size} bytes, less than its header`)
    if (offset + size > this.#info.fileSize) {
      return invalidData(`DATA object at ${offset} (${size} bytes) runs past the end of the file`)
    }
    if (size - this.#payloadOffset > MAX_FIELD_BYTES) {
      return invalidData(`DATA object at ${offset} holds ${size} bytes, over the ${MAX_FIELD_BYTES}-byte cap`)
    }
    const flags = bytes[1]!
    const { xz, lz4, zstd } = OBJECT_COMPRESSED
    if (flags !== 0 && flags !== xz && flags !== lz4 && flags !== zstd) {
      return invalidData(`DATA object at ${offset} has invalid flags ${flags}`)
    }
    return { size }
  }

  /** NAME=value of a payload; `object` holds the DATA header (n_entries says whether other entries share it). */
  #split(offset: number, payload: Buffer, object: Buffer): DataRead {
    const eq = payload.indexOf(0x3d)
    if (eq < 0) return invalidData(`DATA object at ${offset} holds no NAME=value`)
    const shared = u64(object, 56) !== 1
    // Copied out of the page it was read from: pages are reused (src/journal/binary/block-reader.ts).
    return { field: { name: payload.toString('utf8', 0, eq), value: Buffer.from(payload.subarray(eq + 1)) }, shared }
  }
}
