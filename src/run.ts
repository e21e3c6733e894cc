/** The pipeline up to events: discover → route → parse, with an inventory row per input. */
import type { Readable } from 'node:stream'
import { DiagnosticLog, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics.ts'
import { discoverEvidence, type Compression, type EvidenceFile } from './discovery.ts'
import { DEFAULT_ZONE, zoneOfRootfs } from './evidence-zone.ts'
import type { MaskEvent } from './events.ts'
import { bufferedSource, fileSource, openFile, peekStream, readHead, type ByteCount } from './inputs.ts'
import { readLines } from './lines.ts'
import type { EvidenceZone, InputCounters, ParseContext, Parser, RandomAccessSource } from './parser.ts'
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
  /** The zone each evidence root's local times were read in. */
  zones: { evidence: string; zone: string; source: string }[]
}

export interface CollectOptions {
  evidence: readonly string[]
  formatOf?: readonly FormatOverride[]
  stdin?: Readable
  /** `--tz`: overrides the evidence's own zone for zone-less local times. */
  localZone?: EvidenceZone
  /** `--year`: year for year-less timestamps. */
  yearHint?: number
}

const zeroCounters = (): InputCounters => ({ linesRead: 0, linesParsed: 0, linesSkipped: 0, eventsKept: 0, bytes: 0 })

function diagnostic(code: DiagnosticCode, path: string, line: number | null, message: string, severity: Severity = 'error'): Diagnostic {
  return { code, severity, path, line, message, excerpt: null }
}

/** A path inside the file's evidence root, shown the way the file's own path is shown. */
function evidencePath(file: EvidenceFile, inRoot: string): string {
  const rel = file.absPath && file.root ? file.absPath.slice(file.root.length + 1) : ''
  const prefix = rel !== '' && file.path.endsWith(rel) ? file.path.slice(0, file.path.length - rel.length) : ''
  return `${prefix}${inRoot}`
}

/** The journal cursor's seqnum id + seqnum: the same entry read from two exports has the same one. */
function entryKey(e: MaskEvent): string | null {
  if (e.cursor === null) return null
  const s = /(?:^|;)s=([0-9a-f]+)/.exec(e.cursor)
  const i = /(?:^|;)i=([0-9a-f]+)/.exec(e.cursor)
  return s && i ? `${s[1]}:${i[1]}` : null
}

async function parseInput(
  file: EvidenceFile,
  localZone: EvidenceZone,
  yearHint: number | null,
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
    yearHint,
    warn(code, line, message, excerpt, severity = 'error') {
      diagnostics.add({ code, severity, path: file.path, line, message, excerpt: excerpt ?? null })
    },
    warnAt(code, offset, message, severity = 'error') {
      diagnostics.add({ code, severity, path: file.path, line: null, offset, message, excerpt: null })
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
  let source: RandomAccessSource | null = null
  const input = {
    bytes: () => (stream = bytes()),
    lines: () => readLines((stream = bytes())),
    randomAccess: async () =>
      (source = file.absPath !== null && file.compression === null ? await fileSource(file.absPath) : await bufferedSource((stream = bytes()))),
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
    await (source as RandomAccessSource | null)?.close()
  }
}

/** Reads every input and returns all kept events with the inventory and diagnostics. */
export async function collectEvents(options: CollectOptions): Promise<Collected> {
  const diagnostics = new DiagnosticLog()
  const { files, problems } = await discoverEvidence(options.evidence)
  for (const p of problems) diagnostics.add(p)
  const inventory: InventoryRow[] = []
  const events: MaskEvent[] = []
  // entry key → the input that first delivered it; one entry may yield several events of one input.
  const firstSeenIn = new Map<string, string>()
  const dropped = new Set<string>()
  const sink = (e: MaskEvent): void => {
    const key = entryKey(e)
    if (key !== null) {
      const first = firstSeenIn.get(key)
      if (first === undefined) firstSeenIn.set(key, e.path)
      else if (first !== e.path) {
        dropped.add(key)
        return
      }
    }
    events.push(e)
  }

  const zones = new Map<string | null, EvidenceZone & { evidence: string }>()
  const zoneFor = async (file: EvidenceFile): Promise<EvidenceZone> => {
    if (options.localZone) return options.localZone
    if (!zones.has(file.root)) {
      const found = file.root === null ? { zone: null, problems: [] } : await zoneOfRootfs(file.root, (p) => evidencePath(file, p))
      for (const p of found.problems) diagnostics.add(p)
      const shown = file.root === null ? '(files and stdin)' : evidencePath(file, '') || '.'
      zones.set(file.root, { ...(found.zone ?? DEFAULT_ZONE), evidence: shown })
    }
    return zones.get(file.root)!
  }
  let defaultedLocalTimes = 0

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
    const zone = await zoneFor(file)
    const before = events.length
    await parseInput(file, zone, options.yearHint ?? null, route.parser, bytes, row, diagnostics, sink)
    if (zone.source === DEFAULT_ZONE.source) defaultedLocalTimes += events.slice(before).filter((e) => e.timeBasis === 'local').length
    row.bytes = file.size ?? counted.bytes
  }
  if (defaultedLocalTimes > 0) {
    diagnostics.add(
      diagnostic(
        'TIMEZONE_DEFAULTED',
        '(evidence)',
        null,
        `${defaultedLocalTimes} local time(s) read as UTC: the evidence has no etc/localtime or etc/timezone; pass --tz ZONE`,
        'warning',
      ),
    )
  }
  const zoneList = [...zones.values()].map((z) => ({ evidence: z.evidence, zone: z.zone, source: z.source }))
  if (options.localZone) zoneList.push({ evidence: '(all)', zone: options.localZone.zone, source: options.localZone.source })
  return { events, inventory, diagnostics, duplicatesDropped: dropped.size, zones: zoneList }
}
