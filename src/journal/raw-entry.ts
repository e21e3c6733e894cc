/**
 * One journal entry as stored: byte-exact fields plus the entry header. The binary reader and
 * the export reader produce this; the recogniser and `maskwhy journal`'s writers consume it.
 */
import type { JournalEntry } from '../journal-entry.ts'

export interface RawJournalField {
  name: string
  /** Exact bytes after the first `=` (binary-safe, may be non-UTF-8). */
  value: Buffer
}

export interface RawJournalEntry {
  /** Data fields in stored order; names may repeat. No `__` metadata here. */
  fields: RawJournalField[]
  /** µs since the epoch (entry header / `__REALTIME_TIMESTAMP`), null when unknown. */
  realtimeUs: bigint | null
  monotonicUs: bigint | null
  seqnum: bigint | null
  /** 32 lowercase hex digits. */
  seqnumId: string | null
  /** The entry header's boot id (32 lowercase hex digits). */
  bootId: string | null
  /** The entry header's xor_hash (binary files only), part of journalctl's cursor. */
  xorHash: bigint | null
  /** As journalctl prints it: `s=…;i=…;b=…;m=…;t=…;x=…`; taken verbatim from export input. */
  cursor: string | null
}

/** journalctl's cursor for an entry of a binary file (sd_journal_get_cursor). */
export function cursorOf(e: Pick<RawJournalEntry, 'seqnumId' | 'seqnum' | 'bootId' | 'monotonicUs' | 'realtimeUs' | 'xorHash'>): string | null {
  if (e.seqnumId === null || e.seqnum === null || e.bootId === null || e.monotonicUs === null || e.realtimeUs === null || e.xorHash === null) {
    return null
  }
  return `s=${e.seqnumId};i=${e.seqnum.toString(16)};b=${e.bootId};m=${e.monotonicUs.toString(16)};t=${e.realtimeUs.toString(16)};x=${e.xorHash.toString(16)}`
}

/** The recogniser's view: first value of a field as UTF-8 text, metadata under journalctl's `__` names. */
export function entryView(e: RawJournalEntry): JournalEntry {
  return {
    get(name) {
      switch (name) {
        case '__REALTIME_TIMESTAMP':
          return e.realtimeUs?.toString()
        case '__MONOTONIC_TIMESTAMP':
          return e.monotonicUs?.toString()
        case '__CURSOR':
          return e.cursor ?? undefined
        case '__SEQNUM':
          return e.seqnum?.toString()
        case '__SEQNUM_ID':
          return e.seqnumId ?? undefined
      }
      for (const f of e.fields) if (f.name === name) return f.value.toString('utf8')
      if (name === '_BOOT_ID') return e.bootId ?? undefined
      return undefined
    },
  }
}
