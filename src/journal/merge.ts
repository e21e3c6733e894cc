/**
 * Interleaves the entries of several journals the way journalctl does (sd-journal
 * `compare_entry_order`): same seqnum source → by seqnum; same boot → by monotonic time; else by
 * wall-clock time; then by xor_hash. One pending entry per input, so memory does not grow with
 * the journals. An entry read again from another input is shown once: journalctl 252 skips an
 * entry of another file with the same boot id, wall-clock time and xor_hash (the unkeyed hash of
 * its fields, equal in every copy) as the entry just shown; for export input without a cursor's
 * `x=`, the same seqnum id and seqnum.
 */
import type { RawJournalEntry } from './raw-entry.ts'

type Order = Pick<RawJournalEntry, 'seqnumId' | 'seqnum' | 'bootId' | 'monotonicUs' | 'realtimeUs' | 'xorHash'>

function cmp(a: bigint | null, b: bigint | null): number {
  if (a === null || b === null) return 0
  return a < b ? -1 : a > b ? 1 : 0
}

export function compareEntryOrder(a: Order, b: Order): number {
  if (a.seqnumId !== null && a.seqnumId === b.seqnumId) {
    const r = cmp(a.seqnum, b.seqnum)
    if (r !== 0) return r
  }
  if (a.bootId !== null && a.bootId === b.bootId) {
    const r = cmp(a.monotonicUs, b.monotonicUs)
    if (r !== 0) return r
  }
  return cmp(a.realtimeUs, b.realtimeUs) || cmp(a.xorHash, b.xorHash)
}

/** journalctl 252's `compare_with_location() == 0` across files, with a seqnum fallback for export input. */
function sameEntry(a: Order, b: Order): boolean {
  if (a.xorHash !== null && b.xorHash !== null) {
    const sameBoot = a.bootId !== null && a.bootId === b.bootId
    return sameBoot && a.realtimeUs !== null && a.realtimeUs === b.realtimeUs && a.xorHash === b.xorHash
  }
  return a.seqnumId !== null && a.seqnumId === b.seqnumId && a.seqnum !== null && a.seqnum === b.seqnum
}

export interface MergeStats {
  duplicatesDropped: number
}

/** Merged entries of all sources; `source` is the index of the input each came from. */
export async function* mergeEntries<T extends { entry: RawJournalEntry }>(
  sources: readonly AsyncIterator<T>[],
  stats: MergeStats,
): AsyncGenerator<T & { source: number }> {
  if (sources.length === 1) {
    // Nothing to interleave; journalctl shows a single file's entries in its own order too.
    const only = sources[0]!
    for (let next = await only.next(); next.done !== true; next = await only.next()) yield { ...next.value, source: 0 }
    return
  }
  const heads: (T | null)[] = await Promise.all(sources.map(async (s) => ((await s.next()).value as T | undefined) ?? null))
  let last: (Order & { source: number }) | null = null
  for (;;) {
    let best = -1
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]
      if (h === null || h === undefined) continue
      if (best === -1 || compareEntryOrder(h.entry, heads[best]!.entry) < 0) best = i
    }
    if (best === -1) return
    const item = heads[best]!
    const next = await sources[best]!.next()
    heads[best] = next.done === true ? null : next.value
    if (last !== null && last.source !== best && sameEntry(item.entry, last)) {
      stats.duplicatesDropped++
      continue
    }
    last = { ...item.entry, source: best }
    yield { ...item, source: best }
  }
}
