/**
 * Which lines of a `journalctl -o json` export must be JSON-parsed: the prefilter of the journal-json
 * parser. Nearly every entry of a real journal is noise to maskwhy; parsing one costs ~5 µs, looking at
 * its bytes here ~0.3 µs.
 *
 * A line is skipped only when its bytes prove that the full path (JSON.parse, then JournalRecogniser)
 * would get nothing from it:
 *  - no MESSAGE value starts with, or has the shape of, anything in RECOGNISABLE (src/journal-entry.ts),
 *    no MESSAGE is a non-string (byte array, array of values), no MESSAGE_ID is a job id whose events
 *    the run keeps (explain drops unit starts and stops);
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
 *
 * The scan itself is WebAssembly (src/journal/wasm/prefilter.c, embedded by its build.sh): it searches
 * with 16-byte SIMD compares, where JS paid one Buffer#indexOf call per needle and line (~3× slower).
 * The keyword tables come from RECOGNISABLE at start-up, so this file and src/journal-entry.ts stay the
 * only places that say what can match. The test (test/journal-prefilter.test.ts) holds it to the full path.
 */
import type { EventKind } from '../events.ts'
import { RECOGNISABLE } from '../journal-entry.ts'
import { PREFILTER_WASM } from './json-prefilter-wasm.ts'

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
/** Bytes handed to the scan at a time: the WebAssembly memory holds one such block. */
const BLOCK_BYTES = 1024 * 1024
/** Zero bytes after a block (and before it, never written): looks past either end read 0, matching nothing. */
const PAD = 64

// The global WebAssembly, as far as it is used here (Node's types leave it to TypeScript's DOM lib).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array)
  }
  class Instance {
    constructor(module: Module, imports: object)
    readonly exports: unknown
  }
  interface Memory {
    readonly buffer: ArrayBuffer
    grow(pages: number): number
  }
}

interface PrefilterExports {
  memory: WebAssembly.Memory
  config_area(): number
  configure(): void
  block_base(): number
  scan(length: number, forced: number, jobs: number): number
}

/** The one instance of this thread, and the prefilter whose scan is running (scans never nest). */
let wasm: PrefilterExports | null = null
let running: JsonLinePrefilter | null = null

function writeTables(memory: WebAssembly.Memory, at: number): void {
  const tables = [RECOGNISABLE.messagePrefixes, RECOGNISABLE.afterFirstWord, RECOGNISABLE.jobMessageIds, [RECOGNISABLE.sudoSeparator]]
  const limits = [64, 8, 16, 1]
  const bytes = new Uint8Array(memory.buffer)
  let i = at
  tables.forEach((table, t) => {
    if (table.length > limits[t]!) throw new Error(`prefilter: more than ${limits[t]} keywords in a table`)
    bytes[i++] = table.length
    for (const word of table) {
      if (!/^[\x20-\x7e]{1,255}$/.test(word)) throw new Error(`prefilter: keyword "${word}" is not printable ASCII`)
      bytes[i++] = word.length
      bytes.set(Buffer.from(word, 'latin1'), i)
      i += word.length
    }
  })
  if (i - at > 4096) throw new Error('prefilter: keyword tables over 4 KiB')
}

function instance(): PrefilterExports {
  if (wasm !== null) return wasm
  const env = {
    visit: (start: number, end: number, index: number, reason: number): number => (running!.fromScan(start, end, index, reason as KeepReason) ? 1 : 0),
    boot_first_us: (at: number): number => {
      const id = Buffer.from(wasm!.memory.buffer, at, 32).toString('latin1')
      const first = running!.bootFirstUs(id)
      return first === undefined ? NaN : first === null ? Infinity : first
    },
  }
  const exports = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(PREFILTER_WASM, 'base64')), { env }).exports as unknown as PrefilterExports
  writeTables(exports.memory, exports.config_area())
  exports.configure()
  wasm = exports
  return exports
}

/** Scans blocks of whole lines and reports the lines to parse. */
export class JsonLinePrefilter {
  readonly #boots: BootTimes
  /** Bit j: RECOGNISABLE.jobMessageIds[j] gives a kind the run keeps. */
  readonly #jobMessages: number
  #visit: VisitLine = () => false
  #offset = 0
  #firstIndex = 0

  /** `skipKinds`: kinds the run drops; a job MESSAGE_ID that can only give these does not keep a line. */
  constructor(boots: BootTimes, { skipKinds }: { skipKinds?: ReadonlySet<EventKind> | undefined } = {}) {
    this.#boots = boots
    this.#jobMessages = RECOGNISABLE.jobMessageKinds.reduce((mask, kinds, j) => (kinds.some((k) => skipKinds?.has(k) !== true) ? mask | (1 << j) : mask), 0)
  }

  /** For the WebAssembly scan: a line to parse, in the block being scanned. */
  fromScan(start: number, end: number, index: number, reason: KeepReason): boolean {
    return this.#visit(this.#offset + start, this.#offset + end, this.#firstIndex + index, reason)
  }

  bootFirstUs(bootId: string): number | null | undefined {
    return this.#boots.bootFirstUs(bootId)
  }

  /**
   * `buf`: whole lines, each ending with `\n`. `forced`: the first lines must be parsed (a json-pretty
   * object continues from the previous block). Returns the number of lines.
   */
  scan(buf: Buffer, visit: VisitLine, forced = false): number {
    const exports = instance()
    let lines = 0
    let stillForced = forced
    this.#visit = (start, end, index, reason) => (stillForced = visit(start, end, index, reason))
    running = this
    try {
      for (let from = 0; from < buf.length; ) {
        // whole lines up to BLOCK_BYTES, or one longer line
        let to = from + BLOCK_BYTES >= buf.length ? buf.length : buf.lastIndexOf(NEWLINE, from + BLOCK_BYTES - 1) + 1
        if (to <= from) {
          const nl = buf.indexOf(NEWLINE, from + BLOCK_BYTES)
          to = nl === -1 ? buf.length : nl + 1
        }
        const base = exports.block_base()
        const need = base + (to - from) + PAD
        if (need > exports.memory.buffer.byteLength) exports.memory.grow(Math.ceil((need - exports.memory.buffer.byteLength) / 65536))
        const memory = new Uint8Array(exports.memory.buffer)
        memory.set(buf.subarray(from, to), base)
        memory.fill(0, base + (to - from), need)
        this.#offset = from
        this.#firstIndex = lines
        lines += exports.scan(to - from, stillForced ? 1 : 0, this.#jobMessages)
        from = to
      }
    } finally {
      running = null
    }
    return lines
  }
}
