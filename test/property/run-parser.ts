/**
 * Runs one parser over bytes the way src/run.ts does (numbered lines from src/lines.ts, optionally
 * in small chunks, or raw bytes and positional reads for binary formats) and records everything:
 * events, every diagnostic with its severity, and the line counters.
 */
import { Readable } from 'node:stream'
import type { Diagnostic, DiagnosticCode, Severity } from '../../src/diagnostics.ts'
import type { MaskEvent } from '../../src/events.ts'
import { bufferSource } from '../../src/inputs.ts'
import { MAX_LINE_BYTES, readLines } from '../../src/lines.ts'
import type { InputCounters, Parser } from '../../src/parser.ts'

export interface RunRequest {
  parser: string
  data: Uint8Array
  path: string
  /** Feed in chunks of this many bytes; null: one chunk. */
  chunkSize: number | null
  yearHint: number | null
  fileMtimeUs: number | null
  maxLineBytes?: number
}

export type RunDiagnostic = Pick<Diagnostic, 'code' | 'severity' | 'line' | 'offset' | 'message' | 'excerpt'>

export interface RunResult {
  events: MaskEvent[]
  diagnostics: RunDiagnostic[]
  counters: Omit<InputCounters, 'bytes'>
  /** How the parser read its input: numbered lines (src/lines.ts, where the line limit applies), raw bytes, or positional reads. */
  read: ('lines' | 'bytes' | 'randomAccess')[]
}

export async function runParser(parser: Parser, req: RunRequest): Promise<RunResult> {
  const data = Buffer.from(req.data.buffer, req.data.byteOffset, req.data.byteLength)
  const events: MaskEvent[] = []
  const diagnostics: RunDiagnostic[] = []
  const counters = { linesRead: 0, linesParsed: 0, linesSkipped: 0, eventsKept: 0 }
  const size = req.chunkSize ?? Math.max(1, data.length)
  function* chunks(): Generator<Buffer> {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size)
  }
  const ctx = {
    path: req.path,
    localZone: { zone: 'UTC', source: 'property test' },
    fileMtimeUs: req.fileMtimeUs,
    yearHint: req.yearHint,
    warn(code: DiagnosticCode, line: number | null, message: string, excerpt?: string, severity: Severity = 'error') {
      diagnostics.push({ code, severity, line, message, excerpt: excerpt ?? null })
    },
    warnAt(code: DiagnosticCode, offset: number, message: string, severity: Severity = 'error') {
      diagnostics.push({ code, severity, line: null, offset, message, excerpt: null })
    },
  }
  const count = {
    line(parsed: boolean) {
      counters.linesRead++
      if (parsed) counters.linesParsed++
      else counters.linesSkipped++
    },
  }
  const read = new Set<RunResult['read'][number]>()
  const input = {
    lines: () => (read.add('lines'), readLines(chunks(), req.maxLineBytes ?? MAX_LINE_BYTES)),
    bytes: () => (read.add('bytes'), Readable.from(chunks())),
    randomAccess: async () => (read.add('randomAccess'), bufferSource(data)),
  }
  for await (const e of parser.parse(input, ctx, count)) {
    events.push(e)
    counters.eventsKept++
  }
  return { events, diagnostics, counters, read: [...read] }
}

/** Lines as src/lines.ts counts them: every `\n`, plus a last line without one. */
export function lineCount(data: Uint8Array): number {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  let n = 0
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) n++
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? n + 1 : n
}
