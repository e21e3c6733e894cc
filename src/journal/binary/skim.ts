/**
 * Deciding from an entry's header and the names and values of its DATA objects, without building
 * the entry, that it cannot give an event: the binary journal's counterpart of the journal-json line
 * prefilter, with the same rules (src/journal/field-prefilter.ts). Decoding every entry in full (field
 * objects, strings, the cursor) cost most of the time; nearly every entry is noise.
 *
 * Anything unusual about an entry or one of its fields (a bad offset or type, a malformed DATA object,
 * one compressed with xz or that does not decompress) makes it "not skippable": the full path then
 * reads it and reports what is wrong, exactly as without skimming. test/journal/binary-skim.test.ts
 * holds the two paths equal.
 */
import { AUDIT_USER_CMD, bytesStartWith, messageMayMatch } from '../field-prefilter.ts'
import type { BlockReader } from './block-reader.ts'
import { DecompressError, decompressPayloadNow, MAX_FIELD_BYTES } from './decompress.ts'
import { dataPayloadOffset, ENTRY_HEADER_SIZE, entryItemSize, OBJECT_COMPRESSED, OBJECT_TYPE } from './format.ts'
import { u64, type JournalFileInfo } from './header.ts'
import { offsetProblem } from './objects.ts'

export interface SkimRules {
  /** MESSAGE_ID values that make an entry worth reading (the job ids whose kinds the run keeps). */
  jobMessageIds: readonly Buffer[]
  /** As JournalRecogniser.bootFirstUs: undefined for a new boot, null when no entry of it had a time. */
  bootFirstUs(bootId: string): number | null | undefined
}

/** A field that may give an event; any other number: one that cannot; a string: a `_BOOT_ID` value. */
const CONTENT = 1
const NOTHING = 0
type Verdict = typeof CONTENT | typeof NOTHING | string
/** The field cannot be judged here: the entry takes the full path. */
const UNUSUAL = null

const EQUALS = 0x3d
const MESSAGE = Buffer.from('MESSAGE=')
const MESSAGE_ID = Buffer.from('MESSAGE_ID=')
const AUDIT_TYPE_NAME = Buffer.from('_AUDIT_TYPE_NAME=')
const BOOT_ID = Buffer.from('_BOOT_ID=')
const BOOT_ID_TEXT = /^[0-9a-f]{32}$/
const MAX_ENTRY_ITEMS = 65536
// Bytes of a DATA object looked at first: its header and, mostly, all of its payload.
const FIRST_LOOK = 512

/**
 * Verdicts by DATA object offset: an open-addressing table in typed arrays (a Map lookup per item was
 * a third of the time), emptied when half full. Boot ids are kept as indices into a list.
 */
class VerdictTable {
  static readonly BITS = 17
  readonly #keys = new Float64Array(1 << VerdictTable.BITS)
  readonly #values = new Int32Array(1 << VerdictTable.BITS)
  #size = 0
  #boots: string[] = []

  #slot(offset: number): number {
    const mask = this.#keys.length - 1
    let i = Math.imul(offset / 8, 0x9e3779b1) >>> (32 - VerdictTable.BITS)
    while (this.#keys[i] !== 0 && this.#keys[i] !== offset) i = (i + 1) & mask
    return i
  }

  get(offset: number): Verdict | undefined {
    const i = this.#slot(offset)
    if (this.#keys[i] === 0) return undefined
    const v = this.#values[i]!
    return v === -1 ? CONTENT : v === -2 ? NOTHING : this.#boots[v]!
  }

  set(offset: number, verdict: Verdict): void {
    if (this.#size >= this.#keys.length / 2) {
      this.#keys.fill(0)
      this.#size = 0
      this.#boots = []
    }
    const i = this.#slot(offset)
    if (this.#keys[i] === 0) this.#size++
    this.#keys[i] = offset
    this.#values[i] = verdict === CONTENT ? -1 : verdict === NOTHING ? -2 : this.#boots.push(verdict) - 1
  }
}

/** Whether the field name `bytes[start, eq)` is `name` (given with its `=`). */
function hasName(bytes: Buffer, start: number, eq: number, name: Buffer): boolean {
  return eq - start === name.length - 1 && bytesStartWith(bytes, start, eq + 1, name)
}

function isValue(bytes: Buffer, start: number, end: number, value: Buffer): boolean {
  return end - start === value.length && bytesStartWith(bytes, start, end, value)
}

export class EntrySkimmer {
  readonly #reader: BlockReader
  readonly #info: JournalFileInfo
  readonly #rules: SkimRules
  readonly #itemSize: number
  readonly #payloadOffset: number
  readonly #verdicts = new VerdictTable()
  #items = new Float64Array(64)
  #lastBoot = ''
  #lastBootValid = false

  constructor(reader: BlockReader, info: JournalFileInfo, rules: SkimRules) {
    this.#reader = reader
    this.#info = info
    this.#rules = rules
    this.#itemSize = entryItemSize(info.compact)
    this.#payloadOffset = dataPayloadOffset(info.compact)
  }

  /** True when the entry at `offset` cannot give an event nor change a boot's earliest time. */
  skippable(offset: number): boolean {
    const info = this.#info
    const reader = this.#reader
    if (offsetProblem(info, offset, ENTRY_HEADER_SIZE) !== null) return false
    let bytes = reader.locate(offset, ENTRY_HEADER_SIZE)
    let b = reader.at
    if (reader.available < ENTRY_HEADER_SIZE || bytes[b] !== OBJECT_TYPE.entry) return false
    const size = u64(bytes, b + 8)
    const itemBytes = size - ENTRY_HEADER_SIZE
    if (itemBytes < 0 || offset + size > info.fileSize || itemBytes > MAX_ENTRY_ITEMS * this.#itemSize || itemBytes % this.#itemSize !== 0) return false
    if (itemBytes > 0) {
      bytes = reader.locate(offset, size)
      b = reader.at
      if (reader.available < size) return false
    }
    // Read before the fields are: that may reuse the page (or the scratch buffer) these are in. The
    // realtime as the recogniser reads `__REALTIME_TIMESTAMP`: null past 16 digits.
    const realtime = bytes.readUInt32LE(b + 28) * 4294967296 + bytes.readUInt32LE(b + 24)
    const timeUs = realtime < 1e16 ? realtime : null
    const n = itemBytes / this.#itemSize
    if (this.#items.length < n) this.#items = new Float64Array(n)
    const items = this.#items
    for (let i = 0, at = b + ENTRY_HEADER_SIZE; i < n; i++, at += this.#itemSize) {
      items[i] = info.compact ? bytes.readUInt32LE(at) : bytes.readUInt32LE(at + 4) * 4294967296 + bytes.readUInt32LE(at)
    }
    let bootField: string | null = null
    for (let i = 0; i < n; i++) {
      const dataOffset = items[i]!
      let verdict = this.#verdicts.get(dataOffset)
      if (verdict === undefined) {
        const judged = this.#judge(dataOffset)
        if (judged === UNUSUAL) return false
        verdict = judged
      }
      if (verdict === CONTENT) return false
      if (typeof verdict === 'string' && bootField === null) bootField = verdict
    }
    // As the recogniser: the first _BOOT_ID field, else the header's boot id (read again: see above).
    const boot = bootField ?? this.#reader.read(offset, ENTRY_HEADER_SIZE).toString('hex', 40, 56)
    if (!this.#isBootId(boot)) return true
    const first = this.#rules.bootFirstUs(boot)
    if (first === undefined) return false
    return timeUs === null || (first !== null && timeUs >= first)
  }

  #isBootId(boot: string): boolean {
    if (boot !== this.#lastBoot) {
      this.#lastBoot = boot
      this.#lastBootValid = BOOT_ID_TEXT.test(boot)
    }
    return this.#lastBootValid
  }

  /** What a DATA object's field says, or UNUSUAL when the full path must see it. */
  #judge(offset: number): Verdict | typeof UNUSUAL {
    const info = this.#info
    const reader = this.#reader
    const payloadAt = this.#payloadOffset
    if (offsetProblem(info, offset, payloadAt) !== null) return UNUSUAL
    // Enough for most objects at once (fewer at the end of the file: `available` says).
    let bytes = reader.locate(offset, FIRST_LOOK)
    let b = reader.at
    if (reader.available < payloadAt || bytes[b] !== OBJECT_TYPE.data) return UNUSUAL
    const flags = bytes[b + 1]!
    if (flags !== 0 && flags !== OBJECT_COMPRESSED.zstd && flags !== OBJECT_COMPRESSED.lz4) return UNUSUAL
    const size = u64(bytes, b + 8)
    if (size < payloadAt || offset + size > info.fileSize || size - payloadAt > MAX_FIELD_BYTES) return UNUSUAL
    // n_entries: a field of one entry only is not met again
    const shared = u64(bytes, b + 56) !== 1
    if (size > reader.available) {
      bytes = reader.locate(offset, size)
      b = reader.at
      if (reader.available < size) return UNUSUAL
    }
    let start = b + payloadAt
    let end = b + size
    if (flags !== 0) {
      try {
        bytes = decompressPayloadNow(flags, bytes.subarray(start, end))!
      } catch (error) {
        if (error instanceof DecompressError) return UNUSUAL
        throw error
      }
      start = 0
      end = bytes.length
    }
    let eq = start
    while (eq < end && bytes[eq] !== EQUALS) eq++
    if (eq === end) return UNUSUAL
    let verdict: Verdict = NOTHING
    const initial = bytes[start]
    if (initial === MESSAGE[0]) {
      if (hasName(bytes, start, eq, MESSAGE)) verdict = messageMayMatch(bytes, eq + 1, end) ? CONTENT : NOTHING
      else if (hasName(bytes, start, eq, MESSAGE_ID)) {
        for (const id of this.#rules.jobMessageIds) if (isValue(bytes, eq + 1, end, id)) verdict = CONTENT
      }
    } else if (initial === BOOT_ID[0]) {
      if (hasName(bytes, start, eq, AUDIT_TYPE_NAME)) verdict = isValue(bytes, eq + 1, end, AUDIT_USER_CMD) ? CONTENT : NOTHING
      else if (hasName(bytes, start, eq, BOOT_ID)) verdict = bytes.toString('utf8', eq + 1, end)
    }
    if (shared) this.#verdicts.set(offset, verdict)
    return verdict
  }
}
