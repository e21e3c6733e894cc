/** The pipeline up to events: discover → route → parse, with an inventory row per input. */
import type { Readable } from 'node:stream'
import { DiagnosticLog, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics.ts'
import { discoverEvidence, type Compression, type EvidenceFile } from './discovery.ts'
import type { MaskEvent } from './events.ts'
import { openFile, peekStream, readHead, type ByteCount } from './inputs.ts'
import { readLines } from './lines.ts'
import type { EvidenceZone, InputCounters, ParseContext, Parser } from './parser.ts'
import { routeInput, type FormatOverride } from './routing.ts'

export type InputStatus = 'parsed' | 'unrecognised' | 'ambiguous' | 'unsupported' | 'unreadable'

export interface InventoryRow extends InputCounters {
  path: string
  parser: string | null
  /** How the parser was chosen: forced, path, content. */
  routedBy: string | null
  status: InputStatus
  compression: Compression
}

export interface Collected {
  /** Events in stable order: input order, then the order each parser emitted them. */
  events: MaskEvent[]
  inventory: InventoryRow[]
  diagnostics: DiagnosticLog
  /** Journal entries seen more than once (same cursor) across inputs, counted once. */
  duplicatesDropped: number
}

export interface CollectOptions {
  evidence: readonly string[]
  formatOf?: readonly FormatOverride[]
  stdin?: Readable
  /** `--tz`: overrides the evidence's own zone for zone-less local times. */
  localZone?: EvidenceZone
}

// Replaced by the evidence's own etc/localtime when the time-zone work lands (issue 3).
const DEFAULT_ZONE: EvidenceZone = { zone: 'UTC', source: 'default (UTC)' }

const zeroCounters = (): InputCounters => ({ linesRead: 0, linesParsed: 0, linesSkipped: 0, eventsKept: 0, bytes: 0 })

function diagnostic(code: DiagnosticCode, path: string, line: number | null, message: string, severity: Severity = 'error'): Diagnostic {
  return { code, severity, path, line, message, excerpt: null }
}

/** The journal cursor's seqnum id + seqnum: the same entry read from two exports has the same one. */
function entryKey(e: MaskEvent): string | null {
  if (e.cursor === null) return null
  const s = /(?:^|;)s=([0-9a-f]+)/.exec(e.cursor)
  const i = /(?:^|;)i=([0-9a-f]+)/.exec(e.cursor)
  return s && i ? `${s[1]}:${i[1]}:${e.kind}` : null
}

async function parseInput(
  file: EvidenceFile,
  localZone: EvidenceZone,
  parser: Parser,
  bytes: () => Readable,
  row: InventoryRow,
  diagnostics: DiagnosticLog,
  sink: (e: MaskEvent) => void,
): Promise<void> {
  const ctx: ParseContext = {
    path: file.path,
    localZone,
    fileMtimeUs: file.mtimeUs,
    yearHint: null,
    warn(code, line, message, excerpt, severity = 'error') {
      diagnostics.add({ code, severity, path: file.path, line, message, excerpt: excerpt ?? null })
    },
  }
  const counter = {
    line(parsed: boolean) {
      row.linesRead++
      if (parsed) row.linesParsed++
      else row.linesSkipped++
    },
  }
  let stream: Readable | null = null
  const input = {
    bytes: () => (stream = bytes()),
    lines: () => readLines((stream = bytes())),
  }
  try {
    for await (const event of parser.parse(input, ctx, counter)) {
      row.eventsKept++
      sink(event)
    }
  } catch (error) {
    const err = error as NodeJS.ErrnoException
    const damaged = file.compression !== null && (err.code?.startsWith('Z_') === true || /unexpected end of file/i.test(err.message))
    diagnostics.add(
      diagnostic(
        damaged ? 'COMPRESSED_DATA_DAMAGED' : 'READ_ERROR',
        file.path,
        row.linesRead > 0 ? row.linesRead : null,
        damaged
          ? `compressed data damaged after line ${row.linesRead}: ${err.message}; everything before was read`
          : `reading stopped after line ${row.linesRead}: ${err.message}`,
      ),
    )
  } finally {
    ;(stream as Readable | null)?.destroy()
  }
}

/** Reads every input and returns all kept events with the inventory and diagnostics. */
export async function collectEvents(options: CollectOptions): Promise<Collected> {
  const diagnostics = new DiagnosticLog()
  const { files, problems } = await discoverEvidence(options.evidence)
  for (const p of problems) diagnostics.add(p)
  const inventory: InventoryRow[] = []
  const events: MaskEvent[] = []
  const seen = new Set<string>()
  let duplicatesDropped = 0
  const sink = (e: MaskEvent): void => {
    const key = entryKey(e)
    if (key !== null) {
      if (seen.has(key)) {
        duplicatesDropped++
        return
      }
      seen.add(key)
    }
    events.push(e)
  }

  for (const file of files) {
    const row: InventoryRow = {
      path: file.path,
      parser: null,
      routedBy: null,
      status: 'unrecognised',
      compression: file.compression,
      ...zeroCounters(),
    }
    inventory.push(row)
    if (file.compression !== null && file.compression !== 'gzip') {
      row.status = 'unsupported'
      diagnostics.add(diagnostic('READ_ERROR', file.path, null, `${file.compression} compression is not supported yet; decompress it first`, 'warning'))
      continue
    }
    const counted: ByteCount = { bytes: 0 }
    let head: () => Promise<string>
    let bytes: () => Readable
    if (file.absPath === null) {
      const peeked = await peekStream(options.stdin ?? process.stdin, counted)
      head = async () => peeked.head
      bytes = () => peeked.stream
    } else {
      head = () => readHead(file)
      bytes = () => openFile(file, counted)
    }
    const route = await routeInput(file, head, options.formatOf ?? [])
    if (route.status === 'ambiguous') {
      row.status = 'ambiguous'
      diagnostics.add(
        diagnostic(
          'FORMAT_AMBIGUOUS',
          file.path,
          null,
          `several parsers claim this input: ${route.candidates.join(', ')}; choose one with --format-of '${file.path}=PARSER'`,
        ),
      )
      continue
    }
    if (route.status === 'unrecognised') {
      if (file.explicit) {
        diagnostics.add(diagnostic('FORMAT_UNKNOWN', file.path, null, 'no parser recognises this input; force one with --format-of', 'warning'))
      }
      continue
    }
    row.parser = route.parser.name
    row.routedBy = route.how
    row.status = 'parsed'
    await parseInput(file, options.localZone ?? DEFAULT_ZONE, route.parser, bytes, row, diagnostics, sink)
    row.bytes = file.size ?? counted.bytes
  }
  return { events, inventory, diagnostics, duplicatesDropped }
}
