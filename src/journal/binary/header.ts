/** The journal file header: what it claims, and whether maskwhy can read the file. */
import type { RandomAccessSource } from '../../parser.ts'
import {
  COMPATIBLE,
  HEADER,
  INCOMPATIBLE,
  KNOWN_HEADER_SIZES,
  KNOWN_INCOMPATIBLE,
  MAX_HEADER_SIZE,
  MIN_HEADER_SIZE,
  SIGNATURE,
  STATES,
} from './format.ts'
import type { JournalFileProblem } from './problems.ts'

export type JournalState = 'offline' | 'online' | 'archived' | 'unknown'

/** What a journal file's header says about it. Offsets and sizes are bytes from the start of the file. */
export interface JournalFileInfo {
  headerSize: number
  /** A header size no known systemd writes (read anyway: the fields used are all in the first 208 bytes). */
  unknownHeaderSize: boolean
  compatibleFlags: number
  incompatibleFlags: number
  /** Incompatible flag bits maskwhy does not know; a file with any is not read. */
  unknownIncompatibleFlags: number
  compact: boolean
  keyedHash: boolean
  sealed: boolean
  compressedXz: boolean
  compressedLz4: boolean
  compressedZstd: boolean
  /** OFFLINE (closed cleanly), ONLINE (being written: dirty if copied like this), ARCHIVED (rotated). */
  state: JournalState
  /** The raw state byte. */
  stateByte: number
  /** 32 lowercase hex digits each. */
  fileId: string
  machineId: string
  tailEntryBootId: string
  seqnumId: string
  /** header_size + arena_size: where the file's allocated space ends. */
  arenaEnd: number
  /** Bytes actually there. */
  fileSize: number
  /** The file is shorter than header_size + arena_size. */
  truncated: boolean
  nObjects: bigint
  nEntriesClaimed: bigint
  headEntrySeqnum: bigint
  tailEntrySeqnum: bigint
  /** µs since the epoch; 0 when the file has no entries. */
  headEntryRealtime: bigint
  tailEntryRealtime: bigint
  tailEntryMonotonic: bigint
  entryArrayOffset: number
  tailObjectOffset: number
  dataHashTableOffset: number
  dataHashTableSize: number
  fieldHashTableOffset: number
  fieldHashTableSize: number
}

export function hexId(bytes: Buffer, at: number): string {
  return bytes.toString('hex', at, at + 16)
}

/** A u64 as a number when it fits (offsets and sizes), else Infinity (always out of range). */
export function u64(bytes: Buffer, at: number): number {
  const high = bytes.readUInt32LE(at + 4)
  // MAX_SAFE_INTEGER is 2^53 - 1: the high word has 21 bits at most (no BigInt: this is called per item)
  return high < 0x200000 ? high * 4294967296 + bytes.readUInt32LE(at) : Infinity
}

/** Reads and checks the header; null (with a problem) when this is not a journal file maskwhy can read. */
export async function readJournalHeader(
  source: RandomAccessSource,
  report: (p: JournalFileProblem) => void = () => {},
): Promise<JournalFileInfo | null> {
  const head = await source.read(0, MAX_HEADER_SIZE)
  return parseJournalHeader(head, source.size, report)
}

export function parseJournalHeader(
  head: Buffer,
  fileSize: number,
  report: (p: JournalFileProblem) => void,
): JournalFileInfo | null {
  if (head.length < SIGNATURE.length || head.toString('latin1', 0, SIGNATURE.length) !== SIGNATURE) {
    report({
      offset: 0,
      code: 'JOURNAL_UNSUPPORTED',
      message: `not a journal file: it does not start with ${SIGNATURE}`,
    })
    return null
  }
  if (head.length < MIN_HEADER_SIZE) {
    report({
      offset: head.length,
      code: 'JOURNAL_TRUNCATED',
      message: `file ends after ${head.length} bytes, inside the ${MIN_HEADER_SIZE}-byte header: nothing to read`,
    })
    return null
  }
  const headerSize = u64(head, HEADER.headerSize)
  if (headerSize < MIN_HEADER_SIZE || headerSize > MAX_HEADER_SIZE || headerSize % 8 !== 0) {
    report({
      offset: HEADER.headerSize,
      code: 'JOURNAL_UNSUPPORTED',
      message: `implausible header_size ${headerSize}: the header is damaged`,
    })
    return null
  }
  const incompatibleFlags = head.readUInt32LE(HEADER.incompatibleFlags)
  const compatibleFlags = head.readUInt32LE(HEADER.compatibleFlags)
  const stateByte = head[HEADER.state]!
  const arenaEnd = headerSize + u64(head, HEADER.arenaSize)
  return {
    headerSize,
    unknownHeaderSize: !KNOWN_HEADER_SIZES.includes(headerSize),
    compatibleFlags,
    incompatibleFlags,
    unknownIncompatibleFlags: incompatibleFlags & ~KNOWN_INCOMPATIBLE,
    compact: (incompatibleFlags & INCOMPATIBLE.compact) !== 0,
    keyedHash: (incompatibleFlags & INCOMPATIBLE.keyedHash) !== 0,
    sealed: (compatibleFlags & COMPATIBLE.sealed) !== 0,
    compressedXz: (incompatibleFlags & INCOMPATIBLE.compressedXz) !== 0,
    compressedLz4: (incompatibleFlags & INCOMPATIBLE.compressedLz4) !== 0,
    compressedZstd: (incompatibleFlags & INCOMPATIBLE.compressedZstd) !== 0,
    state: STATES[stateByte] ?? 'unknown',
    stateByte,
    fileId: hexId(head, HEADER.fileId),
    machineId: hexId(head, HEADER.machineId),
    tailEntryBootId: hexId(head, HEADER.tailEntryBootId),
    seqnumId: hexId(head, HEADER.seqnumId),
    arenaEnd,
    fileSize,
    truncated: arenaEnd > fileSize,
    nObjects: head.readBigUInt64LE(HEADER.nObjects),
    nEntriesClaimed: head.readBigUInt64LE(HEADER.nEntries),
    headEntrySeqnum: head.readBigUInt64LE(HEADER.headEntrySeqnum),
    tailEntrySeqnum: head.readBigUInt64LE(HEADER.tailEntrySeqnum),
    headEntryRealtime: head.readBigUInt64LE(HEADER.headEntryRealtime),
    tailEntryRealtime: head.readBigUInt64LE(HEADER.tailEntryRealtime),
    tailEntryMonotonic: head.readBigUInt64LE(HEADER.tailEntryMonotonic),
    entryArrayOffset: u64(head, HEADER.entryArrayOffset),
    tailObjectOffset: u64(head, HEADER.tailObjectOffset),
    dataHashTableOffset: u64(head, HEADER.dataHashTableOffset),
    dataHashTableSize: u64(head, HEADER.dataHashTableSize),
    fieldHashTableOffset: u64(head, HEADER.fieldHashTableOffset),
    fieldHashTableSize: u64(head, HEADER.fieldHashTableSize),
  }
}

/** One line for diagnostics: `v254+ layout (272-byte header), COMPACT, KEYED_HASH, ZSTD, ARCHIVED`. */
export function describeHeader(info: JournalFileInfo): string {
  const flags = [
    info.compact ? 'COMPACT' : 'regular',
    info.keyedHash ? 'KEYED_HASH' : null,
    info.compressedZstd ? 'ZSTD' : null,
    info.compressedLz4 ? 'LZ4' : null,
    info.compressedXz ? 'XZ' : null,
    info.sealed ? 'SEALED' : null,
  ].filter((f) => f !== null)
  return `${info.headerSize}-byte header, ${flags.join('+')}, ${info.state.toUpperCase()}`
}
