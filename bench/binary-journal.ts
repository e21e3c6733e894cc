/**
 * Binary journal files for the benchmark: the first `entries` records of a generated `journalctl -o
 * json` export, turned into Journal Export Format (src/journal/export-writer.ts) and written by the
 * real `systemd-journal-remote`, which rotates files as journald does (so a directory of several).
 * Needs `apt-get install systemd-journal-remote`.
 */
import { spawn } from 'node:child_process'
import { createReadStream, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { entryToExport } from '../src/journal/export-writer.ts'
import type { RawJournalEntry, RawJournalField } from '../src/journal/raw-entry.ts'

export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote'

function toRawEntry(record: Record<string, unknown>): RawJournalEntry {
  const fields: RawJournalField[] = []
  const add = (name: string, value: unknown): void => {
    if (typeof value === 'string') fields.push({ name, value: Buffer.from(value, 'utf8') })
    else if (Array.isArray(value) && value.every((x) => typeof x === 'number')) fields.push({ name, value: Buffer.from(value as number[]) })
    else if (Array.isArray(value)) for (const v of value) add(name, v)
  }
  for (const [name, value] of Object.entries(record)) if (!name.startsWith('__')) add(name, value)
  const number = (v: unknown): bigint | null => (typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : null)
  return {
    fields,
    realtimeUs: number(record['__REALTIME_TIMESTAMP']),
    monotonicUs: number(record['__MONOTONIC_TIMESTAMP']),
    seqnum: null,
    seqnumId: null,
    bootId: typeof record['_BOOT_ID'] === 'string' ? record['_BOOT_ID'] : null,
    xorHash: null,
    cursor: null,
  }
}

/** Writes the journal files into `dir`; resolves with their total size in bytes. */
export async function writeBinaryJournal(jsonPath: string, dir: string, entries: number): Promise<number> {
  mkdirSync(dir, { recursive: true })
  const remote = spawn(JOURNAL_REMOTE, ['-o', join(dir, 'bench.journal'), '-'], { stdio: ['pipe', 'ignore', 'ignore'] })
  const done = new Promise<void>((resolve, reject) => remote.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`systemd-journal-remote exited ${code}`)))))
  let n = 0
  for await (const line of createInterface({ input: createReadStream(jsonPath) })) {
    if (n++ >= entries) break
    if (!remote.stdin.write(entryToExport(toRawEntry(JSON.parse(line) as Record<string, unknown>)))) await new Promise((r) => remote.stdin.once('drain', r))
  }
  remote.stdin.end()
  await done
  return journalBytes(dir)
}

/** Total size of the journal files in `dir`. */
export function journalBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
}
