/**
 * Which lines of a `journalctl -o json` export must be JSON-parsed: the prefilter of the journal-json
 * parser. Nearly every entry of a real journal is noise to maskwhy; parsing one costs ~5 µs, looking at
 * its bytes here ~0.3 µs.
 *
 * A line is skipped only when its bytes prove that the full path (JSON.parse, then JournalRecogniser)
 * would get nothing from it:
 *  - no MESSAGE value starts with, or has the shape of, anything in RECOGNISABLE (src/journal-entry.ts),
 *    no MESSAGE is a non-string (byte array, array of values), no MESSAGE_ID is a job id;
 *  - it has no `\u` escape (the only JSON escape that can hide an ASCII letter, in a key or a keyword);
 *  - it is framed as one object (`{…}`), so json-pretty, json-sse, blank and torn lines go the full path;
 *  - it cannot change the boot events: every `_BOOT_ID` key in it holds the same boot, one already seen,
 *    and every `__REALTIME_TIMESTAMP`/`_SOURCE_REALTIME_TIMESTAMP` in it is a plain number at or after
 *    that boot's earliest time so far.
 * Every occurrence of a key counts (duplicate keys, nested objects), so whichever one JSON.parse keeps,
 * the answer holds: valid JSON, compact or spaced (`"KEY" : "v"`), in any field order, is decided
 * exactly. One assumption about content: an `_AUDIT_TYPE_NAME=USER_CMD` record's MESSAGE starts with
 * `USER_CMD ` — journald writes both from the same type name (journald-audit.c), and no client can set
 * a `_` field. A skipped line that is not valid JSON is not diagnosed (it would have produced nothing).
 *
 * Works on the raw bytes: every ASCII byte is itself in UTF-8 (multi-byte characters use only bytes
 * ≥ 0x80), so ASCII keywords and keys are found without decoding.
 */
import { RECOGNISABLE } from '../journal-entry.ts'

/** What the prefilter asks the recogniser (or a stand-in that tracks boots the same way). */
export interface BootTimes {
  bootFirstUs(bootId: string): number | null | undefined
}

/** Why a line is kept: what it says; how it is framed (or a json-pretty object goes on); its boot or time. */
export const KEEP_CONTENT = 1
export const KEEP_FRAMING = 2
export const KEEP_BOOT = 3
export type KeepReason = typeof KEEP_CONTENT | typeof KEEP_FRAMING | typeof KEEP_BOOT

/** Called for each line to parse; returns true while the lines after it must be parsed too (json-pretty). */
export type VisitLine = (start: number, end: number, index: number, reason: KeepReason) => boolean

const NEWLINE = 0x0a
const CR = 0x0d
const RS = 0x1e
const SPACE = 0x20
const QUOTE = 0x22
const COLON = 0x3a
const BACKSLASH = 0x5c
const UNDERSCORE = 0x5f
const BRACE_OPEN = 0x7b
const BRACE_CLOSE = 0x7d
const MAX_SAFE = Number.MAX_SAFE_INTEGER

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1')
// Needles start with a byte that is rare in journal JSON, so the native search skips fast ('B', '\\');
// `GE` finds both "MESSAGE" and "MESSAGE_ID" in one pass.
const GE = ascii('GE')
const MESSA = ascii('"MESSA')
const ID_KEY = ascii('_ID"')
const BOOT_ID = ascii('BOOT_ID"')
const LTIME = ascii('LTIME_TIMESTAMP"')
const REA = ascii('"__REA')
const SOURCE_REA = ascii('"_SOURCE_REA')
const ESCAPE_U = ascii('\\u')

const PREFIXES_BY_FIRST_BYTE: (Buffer[] | undefined)[] = []
for (const p of RECOGNISABLE.messagePrefixes.map(ascii)) (PREFIXES_BY_FIRST_BYTE[p[0]!] ??= []).push(p)
const AFTER_WORD = RECOGNISABLE.afterFirstWord.map((s) => ascii(s.slice(1)))
const JOB_IDS = RECOGNISABLE.jobMessageIds.map(ascii)
const SUDO = ascii(RECOGNISABLE.sudoSeparator)

function startsWith(buf: Buffer, at: number, what: Buffer): boolean {
  if (at < 0 || at + what.length > buf.length) return false
  for (let i = 0; i < what.length; i++) if (buf[at + i] !== what[i]) return false
  return true
}

function find(buf: Buffer, needle: Buffer, from: number, end: number): number {
  const at = buf.indexOf(needle, from)
  return at === -1 ? end : at
}

/** After a key ending at `at`: the index of a string value's first byte; NOT_A_STRING; or NO_VALUE (not a key). */
const NO_VALUE = -1
const NOT_A_STRING = -2
function valueAt(buf: Buffer, at: number): number {
  let i = at
  let c = buf[i]
  while (c === SPACE || c === 0x09 || c === CR) c = buf[++i]
  if (c !== COLON) return NO_VALUE
  c = buf[++i]
  while (c === SPACE || c === 0x09 || c === CR) c = buf[++i]
  return c === QUOTE ? i + 1 : NOT_A_STRING
}

/**
 * Could the recogniser find anything in a MESSAGE whose JSON string starts at `v`? The prefixes, then
 * the shapes `WORD: Executing command` (no space in WORD: the first space follows its colon) and sudo's
 * `[space]USER : ` (no colon before the separator: the first colon sits in ` : `).
 */
function messageMayMatch(buf: Buffer, v: number): boolean {
  const prefixes = PREFIXES_BY_FIRST_BYTE[buf[v]!]
  if (prefixes !== undefined) for (const p of prefixes) if (startsWith(buf, v, p)) return true
  // Both searches may run past the end of the message: what they find there cannot pass the checks.
  const space = buf.indexOf(SPACE, v)
  if (space === -1) return false
  if (space - 1 > v && buf[space - 1] === COLON) for (const w of AFTER_WORD) if (startsWith(buf, space, w)) return true
  // A colon before the first space rules sudo out (its user has no colon); the first one after it is
  // sudo's separator or nothing.
  const colon = buf.indexOf(COLON, v)
  return colon > space && colon - 2 >= v && buf[colon - 2] !== SPACE && startsWith(buf, colon - 1, SUDO)
}

function isJobId(buf: Buffer, v: number): boolean {
  for (const id of JOB_IDS) if (buf[v] === id[0] && startsWith(buf, v, id) && buf[v + id.length] === QUOTE) return true
  return false
}

function isBootId(buf: Buffer, at: number): boolean {
  if (buf[at + 32] !== QUOTE) return false
  for (let i = at; i < at + 32; i++) {
    const c = buf[i]!
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false
  }
  return true
}

/** `{…}` (json-seq's RS allowed before it, `\r` after it). */
function isFramed(buf: Buffer, start: number, end: number): boolean {
  let i = start
  while (buf[i] === RS) i++
  if (buf[i] !== BRACE_OPEN) return false
  const last = buf[end - 1]
  return last === BRACE_CLOSE || (last === CR && buf[end - 2] === BRACE_CLOSE)
}

/**
 * Scans blocks of whole lines and reports the lines to parse. Keeps the last boot id between blocks, a
 * shortcut for the common case (line after line from the same boot).
 */
export class JsonLinePrefilter {
  readonly #boots: BootTimes
  #lastBoot: Buffer | null = null
  #lastBootId = ''

  constructor(boots: BootTimes) {
    this.#boots = boots
  }

  /**
   * `buf`: whole lines, each ending with `\n`. `forced`: the first lines must be parsed (a json-pretty
   * object continues from the previous block). Returns the number of lines.
   */
  scan(buf: Buffer, visit: VisitLine, forced = false): number {
    const len = buf.length
    let pos = 0
    let index = 0
    // Where the next occurrence of each needle is; each search runs once over the block.
    let nextGe = -1
    let nextEscape = -1
    let nextBoot = -1
    let nextTime = -1
    while (pos < len) {
      let end = buf.indexOf(NEWLINE, pos)
      if (end === -1) end = len
      let parse: KeepReason | 0 = forced ? KEEP_FRAMING : 0
      if (parse === 0) {
        if (nextEscape < pos) nextEscape = find(buf, ESCAPE_U, pos, len)
        if (nextEscape < end) parse = KEEP_CONTENT
        else if (!isFramed(buf, pos, end)) parse = KEEP_FRAMING
        if (parse === 0) {
          if (nextGe < pos) nextGe = find(buf, GE, pos, len)
          for (; nextGe < end; nextGe = find(buf, GE, nextGe + 2, len)) {
            if (!startsWith(buf, nextGe - 6, MESSA)) continue
            const isId = startsWith(buf, nextGe + 2, ID_KEY)
            if (!isId && buf[nextGe + 2] !== QUOTE) continue
            const v = valueAt(buf, nextGe + (isId ? 6 : 3))
            if (v === NO_VALUE) continue
            if (v === NOT_A_STRING || (isId ? isJobId(buf, v) : messageMayMatch(buf, v))) {
              parse = KEEP_CONTENT
              break
            }
          }
        }
        if (parse === 0) {
          // boots: every _BOOT_ID key the same seen boot, every time key at or after its earliest time
          if (nextBoot < pos) nextBoot = find(buf, BOOT_ID, pos, len)
          let boot: string | null = null
          for (; nextBoot < end; nextBoot = find(buf, BOOT_ID, nextBoot + 8, len)) {
            if (buf[nextBoot - 1] !== UNDERSCORE || buf[nextBoot - 2] !== QUOTE) continue
            const v = valueAt(buf, nextBoot + 8)
            if (v === NO_VALUE) continue
            const last = this.#lastBoot
            let id: string
            if (v !== NOT_A_STRING && last !== null && startsWith(buf, v, last) && buf[v + 32] === QUOTE) id = this.#lastBootId
            else if (v !== NOT_A_STRING && isBootId(buf, v)) id = buf.toString('latin1', v, v + 32)
            else {
              parse = KEEP_BOOT
              break
            }
            if (boot !== null && boot !== id) {
              parse = KEEP_BOOT
              break
            }
            boot = id
          }
          if (parse === 0 && boot !== null) {
            const firstUs = this.#boots.bootFirstUs(boot)
            if (firstUs === undefined) parse = KEEP_BOOT
            else {
              if (boot !== this.#lastBootId) {
                this.#lastBootId = boot
                this.#lastBoot = ascii(boot)
              }
              if (nextTime < pos) nextTime = find(buf, LTIME, pos, len)
              for (; nextTime < end; nextTime = find(buf, LTIME, nextTime + 16, len)) {
                if (!startsWith(buf, nextTime - 6, REA) && !startsWith(buf, nextTime - 12, SOURCE_REA)) continue
                const v = valueAt(buf, nextTime + 16)
                if (v === NO_VALUE) continue
                if (v === NOT_A_STRING) {
                  parse = KEEP_BOOT
                  break
                }
                let t = 0
                let i = v
                for (let c = buf[i]!; c >= 0x30 && c <= 0x39; c = buf[++i]!) t = t * 10 + (c - 0x30)
                const digits = i - v
                if (digits === 0 || digits > 16 || buf[i] !== QUOTE) {
                  parse = KEEP_BOOT
                  break
                }
                if (t > MAX_SAFE) t = Number(buf.toString('latin1', v, i))
                if (firstUs === null || t < firstUs) {
                  parse = KEEP_BOOT
                  break
                }
              }
            }
          }
        }
      }
      if (parse !== 0) forced = visit(pos, end, index, parse)
      pos = end + 1
      index++
    }
    return index
  }
}
