/**
 * Binary journal test helpers: the committed fixtures (gzip'd) and the public velociraptor journals
 * (unzipped in memory, never copied), and a comparison of RawJournalEntry with `journalctl -o json --all`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { unzipSync } from 'fflate'
import type { RawJournalEntry } from '../../src/journal/raw-entry.ts'
import { SHARED } from './parse.ts'

export const FIXTURES = new URL('../fixtures/journal-binary/', import.meta.url).pathname

/** The undamaged fixtures, each with its reference `journalctl -o json --all` output. */
export const READABLE_FIXTURES = ['system', 'user-1000', 'regular', 'plain', 'lz4', 'xz'] as const

export function fixture(name: string): Buffer {
  return gunzipSync(readFileSync(join(FIXTURES, `${name}.journal.gz`)))
}

export function fixtureJson(name: string): Record<string, unknown>[] {
  return parseJsonLines(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'))
}

export function parseJsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

let unzipped: Record<string, Uint8Array> | null = null

/** A journal of ../shared/corpus/public/velociraptor/system.journal.zip (AGPL: read in place, never copied). */
export function velociraptor(name: 'system.journal' | 'compact.journal' | '2004.journal' | '2404.journal'): Buffer {
  unzipped ??= unzipSync(readFileSync(join(SHARED, 'corpus/public/velociraptor/system.journal.zip')))
  const data = unzipped[name]
  if (data === undefined) throw new Error(`${name} is not in system.journal.zip`)
  return Buffer.from(data)
}

/** The real journalctl's `-o json --all` of the given bytes (written to a temporary file outside the repo). */
export function journalctlJson(data: Buffer): Record<string, unknown>[] {
  const dir = mkdtempSync(join(tmpdir(), 'maskwhy-journal-'))
  const file = join(dir, 'f.journal')
  writeFileSync(file, data)
  const out = execFileSync('journalctl', ['--file', file, '-o', 'json', '--all'], { encoding: 'utf8', maxBuffer: 1 << 28 })
  return parseJsonLines(out)
}

export function journalctlAvailable(): boolean {
  try {
    execFileSync('journalctl', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Bytes shown as text when they are UTF-8 (so that a failing diff is readable), else as `0x…`. */
function show(bytes: Buffer): string {
  const text = bytes.toString('utf8')
  return Buffer.from(text, 'utf8').equals(bytes) ? text : `0x${bytes.toString('hex')}`
}

/** One entry as both sides can express it: metadata as journalctl prints it, every value as exact bytes. */
export interface ComparableEntry {
  cursor: string | null
  realtime: string | null
  monotonic: string | null
  bootId: string | null
  fields: Record<string, string[]>
}

/** journalctl's value forms: a string, an array of byte numbers, or an array of those for a repeated field. */
function valuesOf(value: unknown): Buffer[] {
  const one = (v: unknown): Buffer => {
    if (typeof v === 'string') return Buffer.from(v, 'utf8')
    if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[])
    throw new Error(`unexpected journalctl JSON value ${JSON.stringify(v)?.slice(0, 80)}`)
  }
  if (Array.isArray(value) && !value.every((b) => typeof b === 'number')) return value.map(one)
  return [one(value)]
}

export function fromJournalctl(record: Record<string, unknown>): ComparableEntry {
  const fields: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(record)) {
    // journalctl prints the entry header's boot id as _BOOT_ID and hides the stored _BOOT_ID field.
    if (name.startsWith('__') || name === '_BOOT_ID') continue
    fields[name] = valuesOf(value).map(show)
  }
  return {
    cursor: record['__CURSOR'] as string,
    realtime: record['__REALTIME_TIMESTAMP'] as string,
    monotonic: record['__MONOTONIC_TIMESTAMP'] as string,
    bootId: record['_BOOT_ID'] as string,
    fields,
  }
}

export function fromRaw(entry: RawJournalEntry): ComparableEntry {
  const fields: Record<string, string[]> = {}
  for (const f of entry.fields) {
    if (f.name === '_BOOT_ID') continue
    ;(fields[f.name] ??= []).push(show(f.value))
  }
  return {
    cursor: entry.cursor,
    realtime: entry.realtimeUs?.toString() ?? null,
    monotonic: entry.monotonicUs?.toString() ?? null,
    bootId: entry.bootId,
    fields,
  }
}
