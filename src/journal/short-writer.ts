/**
 * One entry as `journalctl -o short-iso` (systemd 252, output not a terminal, no `--all`) writes it:
 *
 *     2023-11-14T22:13:20+0000 web1 sudo[2345]: first line of MESSAGE
 *                                               continuation lines indented
 *
 * Checked against journalctl 252 (src/shared/logs-show.c `output_short`): the time is
 * `_SOURCE_REALTIME_TIMESTAMP` when valid, else the entry's; `%z` offsets (`+0000`); host,
 * identifier (SYSLOG_IDENTIFIER, else _COMM, else `unknown`) and pid (_PID, else SYSLOG_PID) only
 * when printable and under 300 bytes; the last value of a repeated field; TABs become 8 spaces and
 * colour / OSC sequences and trailing CRs are removed (`strip_tab_ansi`); a message that is still
 * not printable is `[N blob data]`; entries without MESSAGE are not shown. The continuation indent
 * counts bytes, and (a journalctl quirk) not the word `unknown`.
 */
import { TZDate } from '@date-fns/tz'
import { format } from 'date-fns/format'
import { isPrintableUtf8 } from './printable.ts'
import type { RawJournalEntry } from './raw-entry.ts'

const PRINT_CHAR_THRESHOLD = 300
// VALID_REALTIME(): set and below 2^55 µs.
const MAX_REALTIME = 1n << 55n

function lastValue(e: RawJournalEntry, name: string): Buffer | undefined {
  let found: Buffer | undefined
  for (const f of e.fields) if (f.name === name) found = f.value
  return found
}

function shallPrint(v: Buffer | undefined): v is Buffer {
  return v !== undefined && v.length < PRINT_CHAR_THRESHOLD && isPrintableUtf8(v, true)
}

/** The time journalctl shows: `_SOURCE_REALTIME_TIMESTAMP` when it is a valid time, else the entry's. */
export function displayTimeUs(e: RawJournalEntry): bigint | null {
  const source = lastValue(e, '_SOURCE_REALTIME_TIMESTAMP')?.toString('latin1')
  if (source !== undefined && /^\d{1,20}$/.test(source)) {
    const us = BigInt(source)
    if (us > 0n && us < MAX_REALTIME) return us
  }
  return e.realtimeUs !== null && e.realtimeUs > 0n && e.realtimeUs < MAX_REALTIME ? e.realtimeUs : null
}

let lastFormatted = { second: NaN, zone: '', text: '' }

/** `%Y-%m-%dT%H:%M:%S%z` in `zone` (the last result is kept: journal entries come many per second). */
export function isoSeconds(us: bigint, zone: string): string {
  const second = Number(us / 1_000_000n)
  if (second === lastFormatted.second && zone === lastFormatted.zone) return lastFormatted.text
  const text =
    zone === 'UTC'
      ? `${new Date(second * 1000).toISOString().slice(0, 19)}+0000`
      : format(new TZDate(second * 1000, zone), "yyyy-MM-dd'T'HH:mm:ssxx")
  lastFormatted = { second, zone, text }
  return text
}

const TAB = 0x09
const ESC = 0x1b
const CR = 0x0d
const LF = 0x0a
const BEL = 0x07
const CSI_CHARS = new Set([...'01234567890;m'].map((c) => c.charCodeAt(0)))

/**
 * systemd's `strip_tab_ansi()` (252): TAB → 8 spaces, drop `ESC [ digits ; m` and `ESC ] … BEL`,
 * drop CRs before LF or at the end; anything else (other escapes, cut-off sequences) stays.
 */
export function stripTabAnsi(input: Buffer): Buffer {
  const out: number[] = []
  let state: 'other' | 'escape' | 'csi' | 'cso' = 'other'
  let begin = 0
  let carriageReturns = 0
  for (let i = 0; i <= input.length; i++) {
    const eot = i >= input.length
    const c = eot ? 0 : input[i]!
    switch (state) {
      case 'other':
        if (eot) break
        if (c === CR) {
          carriageReturns++
          break
        }
        if (c === LF) carriageReturns = 0
        for (; carriageReturns > 0; carriageReturns--) out.push(CR)
        if (c === ESC) state = 'escape'
        else if (c === TAB) out.push(32, 32, 32, 32, 32, 32, 32, 32)
        else out.push(c)
        break
      case 'escape':
        if (eot) out.push(ESC)
        else if (c === 0x5b) {
          state = 'csi'
          begin = i + 1
        } else if (c === 0x5d) {
          state = 'cso'
          begin = i + 1
        } else {
          out.push(ESC, c)
          state = 'other'
        }
        break
      case 'csi':
        if (eot || !CSI_CHARS.has(c)) {
          out.push(ESC, 0x5b)
          state = 'other'
          i = begin - 1
        } else if (c === 0x6d) state = 'other'
        break
      case 'cso':
        if (eot || (c !== BEL && c < 32) || c > 126) {
          out.push(ESC, 0x5d)
          state = 'other'
          i = begin - 1
        } else if (c === BEL) state = 'other'
        break
    }
  }
  return Buffer.from(out)
}

const BYTE_UNITS = [
  ['E', 1024 ** 6],
  ['P', 1024 ** 5],
  ['T', 1024 ** 4],
  ['G', 1024 ** 3],
  ['M', 1024 ** 2],
  ['K', 1024],
] as const

/** systemd's `FORMAT_BYTES()`: `1023B`, `1.0K`, `1.4K`, `2.9M` (the decimal is truncated, the IEC way). */
export function formatBytes(n: number): string {
  for (let i = 0; i < BYTE_UNITS.length; i++) {
    const [suffix, factor] = BYTE_UNITS[i]!
    if (n < factor) continue
    const next = BYTE_UNITS[i + 1]
    const decimal =
      next !== undefined ? Math.floor((Math.floor(n / next[1]) * 10) / 1024) % 10 : Math.floor((n * 10) / factor) % 10
    return `${Math.floor(n / factor)}.${decimal}${suffix}`
  }
  return `${n}B`
}

/** The short-iso text of one entry, or null when journalctl shows nothing (no MESSAGE, or no valid time). */
export function entryToShortIso(e: RawJournalEntry, zone: string): string | null {
  const messageRaw = lastValue(e, 'MESSAGE')
  const timeUs = displayTimeUs(e)
  if (messageRaw === undefined || timeUs === null) return null
  let head = isoSeconds(timeUs, zone)
  let n = Buffer.byteLength(head)
  const host = lastValue(e, '_HOSTNAME')
  if (shallPrint(host)) {
    head += ` ${host.toString('utf8')}`
    n += host.length + 1
  }
  const identifier = lastValue(e, 'SYSLOG_IDENTIFIER')
  const comm = lastValue(e, '_COMM')
  if (shallPrint(identifier)) {
    head += ` ${identifier.toString('utf8')}`
    n += identifier.length + 1
  } else if (shallPrint(comm)) {
    head += ` ${comm.toString('utf8')}`
    n += comm.length + 1
  } else head += ' unknown'
  const pid = [lastValue(e, '_PID'), lastValue(e, 'SYSLOG_PID')].find(shallPrint)
  if (pid !== undefined) {
    head += `[${pid.toString('utf8')}]`
    n += pid.length + 2
  }
  head += ': '

  const message = stripTabAnsi(messageRaw)
  if (!isPrintableUtf8(message, true)) return `${head}[${formatBytes(message.length)} blob data]\n`
  if (message.length === 0) return `${head}\n`
  const indent = ' '.repeat(n + 2)
  const lines = message.toString('utf8').split('\n')
  // "a\n" is one line: the loop in print_multiline() stops at the end of the message.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  return `${head}${lines.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join('\n')}\n`
}
