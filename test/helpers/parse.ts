/** Runs one parser over in-memory text or a file, the way the pipeline does, and returns everything it produced. */
import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Diagnostic } from '../../src/diagnostics.ts'
import type { EventKind, MaskEvent } from '../../src/events.ts'
import { readLines } from '../../src/lines.ts'
import { bufferSource } from '../../src/inputs.ts'
import type { EvidenceZone, InputCounters, Parser } from '../../src/parser.ts'

export interface ParseResult {
  events: MaskEvent[]
  diagnostics: Pick<Diagnostic, 'code' | 'line' | 'offset' | 'message' | 'excerpt'>[]
  counters: Omit<InputCounters, 'bytes'>
}

export interface ParseOptions {
  path?: string
  localZone?: EvidenceZone
  fileMtimeUs?: number | null
  yearHint?: number | null
  /** ParseContext.writtenAt: when the input was written (a sosreport's collection time). */
  writtenAt?: { us: number; source: string } | null
  /** Feed the input in chunks of this many bytes (exercises chunk boundaries). */
  chunkSize?: number
  /** ParseContext.skipKinds: kinds the run drops (explain's). */
  skipKinds?: ReadonlySet<EventKind>
}

export async function parseBytes(parser: Parser, data: Buffer, options: ParseOptions = {}): Promise<ParseResult> {
  const events: MaskEvent[] = []
  const diagnostics: ParseResult['diagnostics'] = []
  const counters = { linesRead: 0, linesParsed: 0, linesSkipped: 0, eventsKept: 0 }
  const chunk = options.chunkSize ?? data.length
  const chunks = (): Buffer[] => {
    const out: Buffer[] = []
    for (let i = 0; i < data.length; i += Math.max(1, chunk)) out.push(data.subarray(i, i + Math.max(1, chunk)))
    return out
  }
  const ctx = {
    path: options.path ?? 'input',
    localZone: options.localZone ?? { zone: 'UTC', source: 'test' },
    fileMtimeUs: options.fileMtimeUs ?? null,
    yearHint: options.yearHint ?? null,
    writtenAt: options.writtenAt ?? null,
    ...(options.skipKinds !== undefined && { skipKinds: options.skipKinds }),
    warn(code: Diagnostic['code'], line: number | null, message: string, excerpt?: string) {
      diagnostics.push({ code, line, message, excerpt: excerpt ?? null })
    },
    warnAt(code: Diagnostic['code'], offset: number, message: string) {
      diagnostics.push({ code, line: null, offset, message, excerpt: null })
    },
  }
  const count = {
    line(parsed: boolean) {
      counters.linesRead++
      if (parsed) counters.linesParsed++
      else counters.linesSkipped++
    },
  }
  const input = {
    lines: () => readLines(chunks()),
    bytes: () => Readable.from(chunks()),
    randomAccess: async () => bufferSource(data),
  }
  for await (const e of parser.parse(input, ctx, count)) {
    events.push(e)
    counters.eventsKept++
  }
  return { events, diagnostics, counters }
}

export function parseText(parser: Parser, text: string, options: ParseOptions = {}): Promise<ParseResult> {
  return parseBytes(parser, Buffer.from(text, 'utf8'), options)
}

export async function parseFile(parser: Parser, file: string, options: ParseOptions = {}): Promise<ParseResult> {
  return parseBytes(parser, await readFile(file), { path: file, ...options })
}

/** Compares with a golden file; `UPDATE_GOLDEN=1` rewrites it (review the diff). */
export async function assertGolden(actual: string, file: string): Promise<void> {
  if (process.env['UPDATE_GOLDEN']) {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, actual)
    return
  }
  assert.equal(actual, await readFile(file, 'utf8'), `golden file ${file} differs (UPDATE_GOLDEN=1 to rewrite, then review)`)
}

/** The shared corpus lives beside the repo; tests that need it say so when it is absent. */
export const SHARED = new URL('../../../shared/', import.meta.url).pathname
