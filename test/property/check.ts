/**
 * The invariants every parser must keep on any input, as functions that return the violations they
 * find (an empty list: the case passed). Shared by the CI property tests, the regression replay and
 * the long fuzz campaign (test/property/fuzz.ts).
 */
import { DIAGNOSTIC_CODES, EXCERPT_MAX } from '../../src/diagnostics.ts'
import { EVENT_KINDS } from '../../src/events.ts'
import type { MaskEvent } from '../../src/events.ts'
import type { LineInput } from './mutate.ts'
import { lineCount, type RunRequest, type RunResult } from './run-parser.ts'
import type { SandboxOutcome } from './sandbox.ts'
import type { ParserSeeds } from './seeds.ts'

const CODES = new Set<string>(DIAGNOSTIC_CODES)
const KINDS = new Set<string>(EVENT_KINDS)
const SEVERITIES = new Set(['error', 'warning', 'info'])
const BASES = new Set(['utc', 'local', 'inferred', 'unknown'])

/** The largest |ms| a JavaScript Date holds (ECMA-262 TimeClip): beyond it every reporter's date formatting throws. */
const MAX_DATE_MS = 8.64e15

const isCount = (n: unknown, min: number, max: number): boolean => Number.isSafeInteger(n) && (n as number) >= min && (n as number) <= max

/**
 * No exception, no hang, no crash; every line counted once (parsed or skipped); skipped lines come
 * with a located diagnostic; diagnostics carry a known code and a real location; events are
 * well-formed, serialisable, and never claim a time they do not have.
 */
export function checkRun(req: RunRequest, outcome: SandboxOutcome, binary = false): string[] {
  if (outcome.status === 'threw') return [`the parser threw: ${outcome.error}`]
  if (outcome.status === 'timeout') return [`no result within ${outcome.ms} ms (hang?)`]
  if (outcome.status === 'crashed') return [`the worker died: ${outcome.error}`]
  const { events, diagnostics, counters } = outcome.result
  const v: string[] = []
  const lines = lineCount(req.data)
  if (!binary && counters.linesRead !== lines) v.push(`linesRead ${counters.linesRead} but the input has ${lines} lines`)
  if (counters.linesParsed + counters.linesSkipped !== counters.linesRead) v.push(`parsed + skipped != read: ${JSON.stringify(counters)}`)
  if (counters.eventsKept !== events.length) v.push(`eventsKept ${counters.eventsKept} != ${events.length} events`)
  if (counters.linesSkipped > 0 && !diagnostics.some((d) => (binary ? d.offset !== undefined : d.line !== null))) {
    v.push(`${counters.linesSkipped} ${binary ? 'record' : 'line'}(s) skipped without a diagnostic naming a ${binary ? 'byte offset' : 'line'}`)
  }
  for (const d of diagnostics) {
    const where = `diagnostic ${JSON.stringify(d).slice(0, 200)}`
    if (!CODES.has(d.code)) v.push(`${where}: code not in DIAGNOSTIC_CODES`)
    if (!SEVERITIES.has(d.severity)) v.push(`${where}: bad severity`)
    if (typeof d.message !== 'string' || d.message.trim() === '') v.push(`${where}: empty message`)
    if (d.line !== null && !isCount(d.line, 1, Math.max(lines, counters.linesRead))) v.push(`${where}: line outside the input`)
    // An offset may lie past the end: "the entry array at offset N is missing" names what a truncated file lacks.
    if (d.offset !== undefined && !isCount(d.offset, 0, Number.MAX_SAFE_INTEGER)) v.push(`${where}: offset is not a byte offset`)
    if (d.excerpt !== null && (typeof d.excerpt !== 'string' || d.excerpt.length > EXCERPT_MAX + 1)) v.push(`${where}: excerpt longer than ${EXCERPT_MAX}`)
  }
  for (const e of events) {
    const where = `event ${e.kind}@${e.line}`
    if (!KINDS.has(e.kind)) v.push(`${where}: unknown kind`)
    if (e.path !== req.path) v.push(`${where}: path ${e.path} is not the input's`)
    if (e.parser !== req.parser) v.push(`${where}: parser ${e.parser}`)
    if (!binary && !isCount(e.line, 1, Math.max(1, lines))) v.push(`${where}: line outside the input`)
    if (!BASES.has(e.timeBasis)) v.push(`${where}: bad timeBasis ${e.timeBasis}`)
    if ((e.timeUs === null) !== (e.timeBasis === 'unknown')) v.push(`${where}: timeUs ${e.timeUs} with basis ${e.timeBasis}`)
    // Any integer a Date can hold (a damaged year such as 1026 is what the record says, not a crash).
    if (e.timeUs !== null && !(Number.isInteger(e.timeUs) && Math.abs(e.timeUs / 1000) <= MAX_DATE_MS)) v.push(`${where}: timeUs ${e.timeUs} is no printable time`)
    if (typeof e.text !== 'string') v.push(`${where}: text is not a string`)
    const json = JSON.stringify(e)
    if (JSON.stringify(JSON.parse(json)) !== json || Object.values(e).some((x) => x === undefined || (typeof x === 'number' && !Number.isFinite(x)))) {
      v.push(`${where}: not plain JSON data`)
    }
  }
  return v
}

/** Feeding the same bytes in other chunks must not change anything. */
export function checkSameResult(a: SandboxOutcome, b: SandboxOutcome, chunkSize: number | null): string[] {
  if (a.status !== 'ok' || b.status !== 'ok') return []
  if (JSON.stringify(a.result) === JSON.stringify(b.result)) return []
  const brief = (r: RunResult): string =>
    `${JSON.stringify(r.counters)} diagnostics ${r.diagnostics.map((d) => `${d.code}@${d.line ?? d.offset}`).join(',')}`
  return [`fed in chunks of ${chunkSize} bytes, the result differs from one chunk:\n  whole:  ${brief(a.result)}\n  chunks: ${brief(b.result)}`]
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** The event as compared across mutations: no line number, and the spec's context-dependent fields normalised. */
export function comparable(e: MaskEvent, spec: ParserSeeds): string {
  const copy = JSON.parse(JSON.stringify(e)) as Record<string, unknown>
  delete copy['line']
  spec.normalise?.(copy)
  return canonical(copy)
}

/** How many surviving events were compared (the fuzz campaign prints it: a check that never runs proves nothing). */
export const STATS = { compared: 0 }

/** Whether original lines s..t (with -1 and `originalLines` as start/end of input) appear verbatim and contiguous. */
export function survives(extent: readonly [number, number], origins: readonly (number | null)[], originalLines: number): boolean {
  const [s, t] = extent
  // The mutated input as origins, framed by the start (-1) and end (originalLines) of input.
  const framed = [-1, ...origins.map((o) => (o === null ? Number.NaN : o)), originalLines]
  for (let j = 0; j + (t - s) < framed.length; j++) {
    let ok = true
    for (let k = 0; k <= t - s && ok; k++) ok = framed[j + k] === s + k
    if (ok) return true
  }
  return false
}

/**
 * Nothing valid is lost around damage: every event of the unmutated input whose record (its extent)
 * survived the line mutations untouched is produced again, with the same fields.
 */
export function checkSurvivors(
  spec: ParserSeeds,
  originalLines: readonly string[],
  original: RunResult,
  mutated: LineInput,
  outcome: SandboxOutcome,
): string[] {
  if (outcome.status !== 'ok') return []
  const origins = mutated.segments.map((s) => s.origin)
  const required = new Map<string, { count: number; example: MaskEvent; extent: readonly [number, number] }>()
  const v: string[] = []
  for (const e of original.events) {
    const extent = spec.extent(originalLines, e)
    if (extent === null) continue
    const [s, t] = extent
    if (!(s >= -1 && t <= originalLines.length && s <= t)) {
      v.push(`the seed table gives event ${e.kind}@${e.line} an impossible extent [${s}, ${t}]`)
      continue
    }
    if (!survives(extent, origins, originalLines.length)) continue
    STATS.compared++
    const key = comparable(e, spec)
    const r = required.get(key)
    if (r) r.count++
    else required.set(key, { count: 1, example: e, extent })
  }
  const produced = new Map<string, number>()
  for (const e of outcome.result.events) {
    const key = comparable(e, spec)
    produced.set(key, (produced.get(key) ?? 0) + 1)
  }
  for (const [key, r] of required) {
    const got = produced.get(key) ?? 0
    if (got < r.count) {
      const near = outcome.result.events.filter((e) => e.kind === r.example.kind && e.text === r.example.text).map((e) => comparable(e, spec))
      v.push(
        `lost: ${r.count - got} of ${r.count} × ${r.example.kind} from original line ${r.example.line} ` +
          `(record = original lines ${r.extent[0] + 1}..${r.extent[1] + 1}, intact): ${key.slice(0, 400)}` +
          (near.length > 0 ? `\n  same kind and text, other fields: ${near.map((n) => n.slice(0, 400)).join('\n  ')}` : ''),
      )
    }
  }
  return v
}
