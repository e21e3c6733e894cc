// https://systemd.io/JOURNAL_FILE_FORMAT/ (structs: systemd src/libsystemd/sd-journal/journal-def.h)
/** Layout constants of journald's binary file format. All integers are little-endian. */

export const SIGNATURE = 'LPKSHHRH'

/** The oldest header (before systemd 187) is 208 bytes; later fields exist only when header_size says so. */
export const MIN_HEADER_SIZE = 208
/** Header sizes systemd writes: 208 (<187), 224 (187), 240 (189), 256 (246), 264 (252), 272 (254). */
export const KNOWN_HEADER_SIZES: readonly number[] = [208, 224, 240, 256, 264, 272]
/** Anything bigger than this cannot be a header (future versions add a few fields at a time). */
export const MAX_HEADER_SIZE = 4096

export const HEADER = {
  compatibleFlags: 8,
  incompatibleFlags: 12,
  state: 16,
  fileId: 24,
  machineId: 40,
  tailEntryBootId: 56,
  seqnumId: 72,
  headerSize: 88,
  arenaSize: 96,
  dataHashTableOffset: 104,
  dataHashTableSize: 112,
  fieldHashTableOffset: 120,
  fieldHashTableSize: 128,
  tailObjectOffset: 136,
  nObjects: 144,
  nEntries: 152,
  tailEntrySeqnum: 160,
  headEntrySeqnum: 168,
  entryArrayOffset: 176,
  headEntryRealtime: 184,
  tailEntryRealtime: 192,
  tailEntryMonotonic: 200,
} as const

export const COMPATIBLE = { sealed: 1, tailEntryBootId: 2, sealedContinuous: 4 } as const
export const INCOMPATIBLE = {
  compressedXz: 1,
  compressedLz4: 2,
  keyedHash: 4,
  compressedZstd: 8,
  compact: 16,
} as const
export const KNOWN_INCOMPATIBLE = 31

export const STATES = ['offline', 'online', 'archived'] as const

export const OBJECT_TYPE = {
  unused: 0,
  data: 1,
  field: 2,
  entry: 3,
  dataHashTable: 4,
  fieldHashTable: 5,
  entryArray: 6,
  tag: 7,
} as const
export const OBJECT_TYPE_NAMES = [
  'UNUSED',
  'DATA',
  'FIELD',
  'ENTRY',
  'DATA_HASH_TABLE',
  'FIELD_HASH_TABLE',
  'ENTRY_ARRAY',
  'TAG',
]

/** DATA object flags: at most one is set. */
export const OBJECT_COMPRESSED = { xz: 1, lz4: 2, zstd: 4 } as const

/** type u8, flags u8, reserved[6], size u64 (size includes this header). */
export const OBJECT_HEADER_SIZE = 16
/** ENTRY: header + seqnum, realtime, monotonic, boot_id[16], xor_hash; then items. */
export const ENTRY_HEADER_SIZE = 64
/** ENTRY_ARRAY: header + next_entry_array_offset; then items. */
export const ENTRY_ARRAY_HEADER_SIZE = 24
/** DATA: header, hash, next_hash, next_field, entry_offset, entry_array_offset, n_entries (compact: +8). */
export const DATA_PAYLOAD_OFFSET = 64
export const DATA_PAYLOAD_OFFSET_COMPACT = 72

/** Smallest valid size of each object type (index = type); UNUSED is never valid. */
export const MIN_OBJECT_SIZE = [
  Infinity,
  DATA_PAYLOAD_OFFSET,
  40,
  ENTRY_HEADER_SIZE,
  16,
  16,
  ENTRY_ARRAY_HEADER_SIZE,
  64,
]

export function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8)
}

/** Bytes per item of an ENTRY object in a file's layout (COMPACT: a 32-bit offset; else offset and hash). */
export const entryItemSize = (compact: boolean): number => (compact ? 4 : 16)
/** Where a DATA object's payload starts in a file's layout. */
export const dataPayloadOffset = (compact: boolean): number => (compact ? DATA_PAYLOAD_OFFSET_COMPACT : DATA_PAYLOAD_OFFSET)
