// https://systemd.io/JOURNAL_FILE_FORMAT/
/**
 * A native reader of journald's binary files (`*.journal`, `*.journal~`): header versions 208–272
 * bytes, regular and COMPACT layouts, KEYED_HASH, DATA compressed with ZSTD, LZ4 or XZ.
 *
 * Damaged files are the normal case in forensics: every offset is checked before it is followed,
 * bad objects are reported with their byte offset and skipped, a loop in the entry-array chain ends
 * the walk, and when the chain cannot be trusted the objects are scanned linearly so that every
 * entry whose objects lie inside the file is still read. No entry is yielded twice.
 *
 * Memory is bounded whatever the file size: a 1 MiB page cache, a 16 MiB cache of the fields
 * several entries share, and one bit per 64 bytes of file to remember which entries were handled.
 */
import type { RandomAccessSource } from '../../parser.ts'
import type { RawJournalEntry } from '../raw-entry.ts'
import { BlockReader } from './block-reader.ts'
import { describeHeader, readJournalHeader, type JournalFileInfo } from './header.ts'
import { ObjectReader, type DecodedEntry, type ObjectProblem } from './objects.ts'
import type { JournalFileProblem, ProblemSink } from './problems.ts'
import { EntrySkimmer, type SkimRules } from './skim.ts'
import { OffsetSet, scanObjects, walkEntryArrays, type ChainResult, type ScanResult } from './walk.ts'

export type { JournalFileInfo, JournalState } from './header.ts'
export type { JournalFileProblem } from './problems.ts'
export { readJournalHeader, describeHeader } from './header.ts'
export { MAX_FIELD_BYTES } from './decompress.ts'
export type { SkimRules } from './skim.ts'

/** How a file was read, for the summary diagnostic and tests. */
export interface JournalReadStats {
  fromChain: number
  fromScan: number
  /** Entries the header counts that were not read (when the count is unusable: those the arrays list). */
  lost: number
  scanned: 'no' | 'tail' | 'full'
}

/** Entries lost to one cause, reported once with the first offset instead of once per entry. */
class LossTally {
  count = 0
  first = -1
  example = ''

  note(offset: number, problem: ObjectProblem): void {
    if (this.count++ === 0) {
      this.first = offset
      this.example = problem.message
    }
  }
}

/**
 * Every readable entry of a journal file, in entry-array (seqnum) order, then those found only by
 * scanning, in file order. Problems go to `report` with byte offsets; nothing throws for bad data.
 */
export async function* readJournalEntries(
  source: RandomAccessSource,
  report: ProblemSink,
  stats: JournalReadStats = { fromChain: 0, fromScan: 0, lost: 0, scanned: 'no' },
): AsyncGenerator<RawJournalEntry> {
  for await (const entry of readEntries(source, report, stats, null)) if (typeof entry !== 'number') yield entry
}

/**
 * As readJournalEntries, but entries that `rules` show cannot give an event (src/journal/binary/skim.ts)
 * are not built: a number stands for that many such entries, in their place, so that entries keep
 * their ordinals.
 */
export function readJournalEntriesSkimming(
  source: RandomAccessSource,
  report: ProblemSink,
  rules: SkimRules,
  stats: JournalReadStats = { fromChain: 0, fromScan: 0, lost: 0, scanned: 'no' },
): AsyncGenerator<RawJournalEntry | number> {
  return readEntries(source, report, stats, rules)
}

/** Entries read between two turns of the event loop. */
const ENTRIES_PER_TURN = 4096

async function* readEntries(
  source: RandomAccessSource,
  report: ProblemSink,
  stats: JournalReadStats,
  rules: SkimRules | null,
): AsyncGenerator<RawJournalEntry | number> {
  const info = await readJournalHeader(source, report)
  if (info === null) return
  const claimed = plausibleEntryCount(info, report)
  if (info.unknownIncompatibleFlags !== 0) {
    stats.lost = claimed ?? 0
    report({
      offset: 12,
      code: 'JOURNAL_UNSUPPORTED',
      message:
        `unknown incompatible flags 0x${info.unknownIncompatibleFlags.toString(16)} (a newer journal format): ` +
        `not read, as journalctl would refuse it too; ${claimed ?? 'an unknown number of'} entries claimed`,
      entriesLost: claimed ?? 0,
    })
    return
  }
  if (info.unknownHeaderSize) {
    report({
      offset: 88,
      code: 'JOURNAL_UNSUPPORTED',
      message: `header size ${info.headerSize} is not one systemd is known to write: read anyway`,
      severity: 'warning',
    })
  }
  if (info.state !== 'offline' && info.state !== 'archived') {
    report({
      offset: 16,
      code: 'JOURNAL_ONLINE',
      message:
        info.state === 'online'
          ? 'the file was still being written (ONLINE) when it was copied: entries after the last consistent ' +
            'one may be missing; the end of the file is scanned for unlinked entries'
          : `unknown state ${info.stateByte}: the file is checked as if it was being written`,
      severity: 'info',
    })
  }
  if (info.truncated) {
    report({
      offset: info.fileSize,
      code: 'JOURNAL_TRUNCATED',
      message: `the file is ${info.fileSize} bytes but its header says ${info.arenaEnd}: entries whose objects lie past the end are lost`,
      severity: 'warning',
    })
  }

  const reader = new BlockReader(source)
  try {
    const objects = new ObjectReader(reader, info, report)
    const skimmer = rules === null ? null : new EntrySkimmer(reader, info, rules)
    const handled = new OffsetSet(info.fileSize)
    const pastEnd = new LossTally()
    const invalid = new LossTally()
    let lastEntry = -1
    /** Entries skimmed since the last yield. */
    let skipped = 0

    /** Whether the skimmer found the entry can give nothing (then it is handled, and not built). */
    const skim = (offset: number): boolean => {
      if (skimmer?.skippable(offset) !== true) return false
      handled.add(offset)
      lastEntry = Math.max(lastEntry, offset)
      return true
    }

    /** The entry, or null when it is lost (counted, reported at the end). */
    async function decode(offset: number): Promise<DecodedEntry | null> {
      handled.add(offset)
      const decoded = await objects.readEntry(offset)
      if ('pastEnd' in decoded) {
        ;(decoded.pastEnd ? pastEnd : invalid).note(offset, decoded)
        return null
      }
      if (decoded.entry.fields.length === 0 && decoded.items > 0) {
        const message = `ENTRY object at ${offset}: none of its ${decoded.items} fields is readable`
        invalid.note(offset, { pastEnd: false, message })
        return null
      }
      lastEntry = Math.max(lastEntry, offset)
      return decoded
    }

    // Reads are synchronous: the event loop (the progress bar's timer, signals) gets a turn now and then.
    let sinceTurn = 0
    const turn = async (): Promise<void> => {
      sinceTurn = 0
      await new Promise(setImmediate)
    }

    /** The entries at `offsets` not handled yet: built and yielded, or skimmed and counted. */
    async function* visit(offsets: readonly number[], found: () => void): AsyncGenerator<RawJournalEntry | number> {
      for (let k = 0; k < offsets.length; k++) {
        const offset = offsets[k]!
        if (handled.has(offset)) continue
        if (++sinceTurn === ENTRIES_PER_TURN) await turn()
        if (skim(offset)) {
          found()
          skipped++
          continue
        }
        const decoded = await decode(offset)
        if (decoded === null) continue
        found()
        if (skipped > 0) yield skipped
        skipped = 0
        yield decoded.entry
      }
    }

    const chain: ChainResult = { broken: false, arrays: 0 }
    for await (const offsets of walkEntryArrays(reader, info, report, chain)) yield* visit(offsets, () => stats.fromChain++)
    if (pastEnd.count + invalid.count > 0) chain.broken = true

    if (skipped > 0) yield skipped
    skipped = 0

    const online = info.state !== 'offline' && info.state !== 'archived'
    const mismatch = stats.fromChain !== claimed
    if (chain.broken || mismatch || online) {
      const full = chain.broken || mismatch || lastEntry < 0
      stats.scanned = full ? 'full' : 'tail'
      const scan: ScanResult = { unknownTypes: new Set() }
      for await (const offset of scanObjects(reader, info, full ? info.headerSize : lastEntry, report, scan)) yield* visit([offset], () => stats.fromScan++)
    }

    if (skipped > 0) yield skipped
    skipped = 0

    const found = stats.fromChain + stats.fromScan
    // What the header counts but was not read: attributed first to entries listed past the end, then to
    // unreadable items, the rest to entries no readable array lists. An item that pointed nowhere is
    // not a lost entry when the scan found every entry anyway.
    let lost = claimed !== null ? Math.max(0, claimed - found) : pastEnd.count + invalid.count
    stats.lost = lost
    const take = (n: number): number => {
      const t = Math.min(n, lost)
      lost -= t
      return t
    }
    if (pastEnd.count > 0) {
      report({
        offset: pastEnd.first,
        code: info.truncated ? 'JOURNAL_TRUNCATED' : 'JOURNAL_OBJECT_INVALID',
        message: `${pastEnd.count} entries listed by the entry arrays lie past the end of the file (${info.fileSize} bytes; first at ${pastEnd.first})`,
        entriesLost: take(pastEnd.count),
      })
    }
    if (invalid.count > 0) {
      report({
        offset: invalid.first,
        code: 'JOURNAL_OBJECT_INVALID',
        message: `${invalid.count} entry-array items lead to no readable entry (first: ${invalid.example})`,
        entriesLost: take(invalid.count),
      })
    }
    const unaccounted = lost
    if (stats.scanned === 'full' || stats.fromScan > 0 || stats.lost > 0) {
      report({
        offset: info.entryArrayOffset,
        code: 'JOURNAL_SALVAGED',
        message:
          `${describeHeader(info)}: ${stats.fromChain} entries read through ${chain.arrays} entry array(s)` +
          (stats.scanned === 'no' ? '' : `, ${stats.fromScan} more found by scanning the objects`) +
          (claimed === null ? '' : `; the header claims ${claimed}`) +
          (stats.lost > 0 ? `; ${stats.lost} lost` : '') +
          (unaccounted > 0 ? ` (${unaccounted} not found anywhere in the file)` : ''),
        severity: stats.lost > 0 ? 'warning' : 'info',
        entriesLost: unaccounted,
      })
    }
  } finally {
    reader.release()
  }
}

// The smallest ENTRY object: a 64-byte header and one compact item, 8-aligned (DATA objects may be shared).
const MIN_BYTES_PER_ENTRY = 72

/** n_entries of the header, or null when it cannot be true (more entries than the arena can hold). */
function plausibleEntryCount(info: JournalFileInfo, report: ProblemSink): number | null {
  const claimed = info.nEntriesClaimed
  // A damaged arena_size must not make a damaged n_entries look plausible: no journal file is near 4 GiB.
  const room = (Math.min(info.arenaEnd, Math.max(info.fileSize, 2 ** 32)) - info.headerSize) / MIN_BYTES_PER_ENTRY
  if (claimed <= BigInt(Math.floor(room))) return Number(claimed)
  report({
    offset: 152,
    code: 'JOURNAL_OBJECT_INVALID',
    message: `the header claims ${claimed} entries, more than the file could hold: the count is ignored`,
    severity: 'warning',
  })
  return null
}

/** Reads a whole file's entries into memory: for tests and small files only. */
export async function readAllJournalEntries(
  source: RandomAccessSource,
): Promise<{ entries: RawJournalEntry[]; problems: JournalFileProblem[]; stats: JournalReadStats }> {
  const entries: RawJournalEntry[] = []
  const problems: JournalFileProblem[] = []
  const stats: JournalReadStats = { fromChain: 0, fromScan: 0, lost: 0, scanned: 'no' }
  for await (const e of readJournalEntries(source, (p) => problems.push(p), stats)) entries.push(e)
  return { entries, problems, stats }
}
