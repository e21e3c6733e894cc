/**
 * One entry as `journalctl -o json --all` (systemd 252) writes it: `__CURSOR`,
 * `__REALTIME_TIMESTAMP`, `__MONOTONIC_TIMESTAMP`, `_BOOT_ID` (from the entry header; the
 * `_BOOT_ID=` data field is not repeated), then every field: a string when the value is printable
 * UTF-8 (TAB and newline allowed, src/journal/printable.ts), else an array of byte numbers; a
 * repeated field becomes an array of those values, in stored order. `--all`: no `null` for large
 * values. 252 writes no `__SEQNUM`/`__SEQNUM_ID` (later versions do).
 *
 * journalctl's key order is hash order and changes from run to run; this writer's is fixed: the
 * metadata above, then fields in order of first appearance. Values are byte-identical.
 */
import { isPrintableUtf8 } from './printable.ts'
import type { RawJournalEntry } from './raw-entry.ts'

function jsonValue(value: Buffer): string {
  if (isPrintableUtf8(value, true)) return JSON.stringify(value.toString('utf8'))
  return `[${value.join(',')}]`
}

export function entryToJson(e: RawJournalEntry): string {
  const parts: string[] = []
  if (e.cursor !== null) parts.push(`"__CURSOR":${JSON.stringify(e.cursor)}`)
  if (e.realtimeUs !== null) parts.push(`"__REALTIME_TIMESTAMP":"${e.realtimeUs}"`)
  if (e.monotonicUs !== null) parts.push(`"__MONOTONIC_TIMESTAMP":"${e.monotonicUs}"`)
  if (e.bootId !== null) parts.push(`"_BOOT_ID":"${e.bootId}"`)
  const byName = new Map<string, string[]>()
  for (const f of e.fields) {
    if (f.name === '_BOOT_ID') continue
    const values = byName.get(f.name)
    if (values === undefined) byName.set(f.name, [jsonValue(f.value)])
    else values.push(jsonValue(f.value))
  }
  for (const [name, values] of byName) {
    parts.push(`${JSON.stringify(name)}:${values.length === 1 ? values[0] : `[${values.join(',')}]`}`)
  }
  return `{${parts.join(',')}}\n`
}
