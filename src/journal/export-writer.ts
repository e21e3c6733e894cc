/**
 * One entry as `journalctl -o export` (systemd 252) writes it: `__CURSOR`, `__REALTIME_TIMESTAMP`,
 * `__MONOTONIC_TIMESTAMP`, `_BOOT_ID` from the entry header, then the fields in stored order
 * (`_BOOT_ID=` not repeated): `NAME=value\n` when the value is printable UTF-8 without a newline,
 * else `NAME\n` + 64-bit little-endian length + bytes + `\n`; a blank line after the entry.
 * 252 writes no `__SEQNUM`/`__SEQNUM_ID` (254 and later do).
 */
import { isPrintableUtf8 } from './printable.ts'
import type { RawJournalEntry } from './raw-entry.ts'

export function entryToExport(e: RawJournalEntry): Buffer {
  const header: string[] = []
  if (e.cursor !== null) header.push(`__CURSOR=${e.cursor}\n`)
  if (e.realtimeUs !== null) header.push(`__REALTIME_TIMESTAMP=${e.realtimeUs}\n`)
  if (e.monotonicUs !== null) header.push(`__MONOTONIC_TIMESTAMP=${e.monotonicUs}\n`)
  if (e.bootId !== null) header.push(`_BOOT_ID=${e.bootId}\n`)
  const parts: Buffer[] = [Buffer.from(header.join(''), 'utf8')]
  for (const f of e.fields) {
    if (f.name === '_BOOT_ID') continue
    if (isPrintableUtf8(f.value, false)) {
      parts.push(Buffer.from(`${f.name}=`, 'latin1'), f.value, Buffer.from('\n'))
    } else {
      const length = Buffer.alloc(8)
      length.writeBigUInt64LE(BigInt(f.value.length))
      parts.push(Buffer.from(`${f.name}\n`, 'latin1'), length, f.value, Buffer.from('\n'))
    }
  }
  parts.push(Buffer.from('\n'))
  return Buffer.concat(parts)
}
