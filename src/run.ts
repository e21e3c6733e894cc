/** The pipeline up to events: discover → route → parse, with an inventory row per input. */
import type { Readable } from 'node:stream'
import { DiagnosticLog, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics.ts'
import type { EvidenceArchive } from './archive/archive.ts'
import { peekMember } from './archive/peek.ts'
import { discoverEvidence, UsageError, type Compression, type EvidenceFile } from './discovery.ts'
import { DEFAULT_ZONE, zoneOfRootfs } from './evidence-zone.ts'
import type { EventKind, MaskEvent, PackageAction } from './events.ts'
import { earliestBoots } from './boots.ts'
import { bufferedSource, fileSource, openFile, peekStream, readHead, type ByteCount } from './inputs.ts'
import { readLines } from './lines.ts'
import type { EvidenceZone, InputCounters, ParseContext, Parser, PlainFile, RandomAccessSource } from './parser.ts'
import { NO_PROGRESS, type Progress } from './progress.ts'
import { routeInput, type FormatOverride, type Route } from './routing.ts'
import { sosCollectedAt } from './sos/collected-at.ts'
import { JournalTextDuplicates, supersededJournalText } from './sos/journal-text.ts'
import { isSosCommandOutput } from './sos/layout.ts'

/** `superseded`: left unread because the evidence holds a better copy of the same records (INPUT_SUPERSEDED says which). */
export type InputStatus = 'parsed' | 'unrecognised' | 'ambiguous' | 'unsupported' | 'unreadable' | 'superseded'

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
  /** Journal entries seen more than once (same cursor; or the same line in two of a sosreport's journalctl text copies), counted once. */
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
  /** `--jobs`: threads a parser may use for one big input (default 1). */
  jobs?: number
  /** Told how many bytes were read so far (the CLI's progress bar). */
  progress?: Progress
  /**
   * Event kinds not to keep in `events` (default: keep all). Those that come are counted (inventory,
   * duplicates, time zone notes) but not stored, so memory follows what the command needs, not the size
   * of the journal; parsers are told, and may not even read records that can only give these.
   */
  skipKinds?: ReadonlySet<EventKind>
  /**
   * Where kept events go instead of `events`, which then stays empty (timeline's spilling sorter): in
   * the order they come, duplicate boots included (the store keeps the earliest of each, as
   * earliestBoots does).
   */
  store?: { push(e: MaskEvent): void }
  /**
   * Where package actions go instead of `events` (the PackageHistory of explain and report: a long
   * dpkg.log has hundreds of thousands, and they need only a digest of them).
   */
  packages?: { add(a: PackageAction): void }
}

const zeroCounters = (): InputCounters => ({ linesRead: 0, linesParsed: 0, linesSkipped: 0, eventsKept: 0, bytes: 0 })

function diagnostic(code: DiagnosticCode, path: string, line: number | null, message: string, severity: Severity = 'error'): Diagnostic {
  return { code, severity, path, line, message, excerpt: null }
}

/** A path inside the file's evidence root, shown the way the file's own path is shown. */
function evidencePath(file: EvidenceFile, inRoot: string): string {
  if (file.member !== undefined) return `${file.member.rootDisplay}${inRoot}`
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
  diagnostics: Pick<DiagnosticLog, 'add'>,
  sink: (e: MaskEvent) => void,
  writtenAt: ParseContext['writtenAt'] = null,
  speed: { jobs?: number; plain?: PlainFile | null; skipKinds?: ReadonlySet<EventKind> } = {},
): Promise<void> {
  const ctx: ParseContext = {
    path: file.path,
    localZone,
    fileMtimeUs: file.mtimeUs,
    yearHint,
    writtenAt,
    jobs: speed.jobs ?? 1,
    ...(speed.skipKinds !== undefined && { skipKinds: speed.skipKinds }),
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
    plainFile: () => speed.plain ?? null,
  }
  try {
    for await (const event of parser.parse(input, ctx, counter)) {
      // Kinds the run drops are not counted: whether a parser reads their records at all may vary.
      if (speed.skipKinds?.has(event.kind) !== true) row.eventsKept++
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

/** What reading an archive member produced, kept until its turn in input order. */
type MemberRead =
  | { status: 'read'; route: Route; counters: InventoryRow; diagnostics: Diagnostic[]; events: MaskEvent[] }
  | { status: 'unreadable'; message: string }

/**
 * Pass 2 over one archive: every chosen member is routed and parsed as it streams by (archive order);
 * the results wait for their turn in input order, so the output is that of the extracted directory.
 */
async function readArchiveMembers(
  archive: EvidenceArchive,
  members: readonly EvidenceFile[],
  read: (file: EvidenceFile, bytes: Readable) => Promise<MemberRead>,
): Promise<Map<EvidenceFile, MemberRead>> {
  const results = new Map<EvidenceFile, MemberRead>()
  const wanted = new Map<number, (bytes: Readable) => Promise<void>>()
  for (const file of members) wanted.set(file.member!.ordinal, async (bytes) => void results.set(file, await read(file, bytes)))
  await archive.readMembers(wanted)
  return results
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
  const textDuplicates = new JournalTextDuplicates()
  const sink = (e: MaskEvent): void => {
    if (textDuplicates.isDuplicate(e)) return
    // One input cannot repeat another's entries: no key per event to remember (memory follows the journal).
    const key = files.length > 1 ? entryKey(e) : null
    if (key !== null) {
      const first = firstSeenIn.get(key)
      if (first === undefined) firstSeenIn.set(key, e.path)
      else if (first !== e.path) {
        dropped.add(key)
        return
      }
    }
    if (e.timeBasis === 'local') localTimes++
    if (options.skipKinds?.has(e.kind) === true) return
    if (options.packages !== undefined && e.kind === 'package-action') options.packages.add(e)
    else if (options.store !== undefined) options.store.push(e)
    else events.push(e)
  }
  // Events with a zone-less local time that came through (kept or not), for TIMEZONE_DEFAULTED.
  let localTimes = 0

  const zones = new Map<string | null, EvidenceZone & { evidence: string }>()
  const zoneFindings = new Map<string | null, Promise<{ zone: EvidenceZone & { evidence: string }; problems: Diagnostic[] }>>()
  // The zone of a file's evidence root, without reporting (archive members are parsed before their turn).
  const zoneOf = async (file: EvidenceFile): Promise<EvidenceZone> => {
    if (options.localZone) return options.localZone
    if (!zoneFindings.has(file.root)) {
      zoneFindings.set(file.root, (async () => {
        const found = file.root === null ? { zone: null, problems: [] } : await zoneOfRootfs(file.tree ?? file.root, (p) => evidencePath(file, p))
        const shown = file.root === null ? '(files and stdin)' : evidencePath(file, '') || '.'
        return { zone: { ...(found.zone ?? DEFAULT_ZONE), evidence: shown }, problems: found.problems }
      })())
    }
    return (await zoneFindings.get(file.root)!).zone
  }
  const zoneFor = async (file: EvidenceFile): Promise<EvidenceZone> => {
    if (options.localZone) return options.localZone
    if (!zones.has(file.root)) {
      await zoneOf(file)
      const found = await zoneFindings.get(file.root)!
      for (const p of found.problems) diagnostics.add(p)
      zones.set(file.root, found.zone)
    }
    return zones.get(file.root)!
  }
  let defaultedLocalTimes = 0
  const superseded = supersededJournalText(files)
  // A sosreport's command output was written when it was collected (sos_commands/date/date_--utc).
  const collectedAt = new Map<string | null, Awaited<ReturnType<typeof sosCollectedAt>>>()
  const writtenAtOf = async (file: EvidenceFile): Promise<ParseContext['writtenAt']> => {
    if (file.root === null || !isSosCommandOutput(file.path)) return null
    if (!collectedAt.has(file.root)) collectedAt.set(file.root, await sosCollectedAt(file.tree ?? file.root))
    return collectedAt.get(file.root) ?? null
  }

  const unsupported = (file: EvidenceFile): boolean => file.compression !== null && file.compression !== 'gzip'
  const readMember = async (file: EvidenceFile, stream: Readable): Promise<MemberRead> => {
    const counters: InventoryRow = { path: file.path, parser: null, routedBy: null, status: 'unrecognised', compression: file.compression, ...zeroCounters() }
    const out = { diagnostics: [] as Diagnostic[], events: [] as MaskEvent[] }
    const peeked = await peekMember(stream)
    const route = await routeInput(file, async () => peeked.head, options.formatOf ?? [])
    if (route.status === 'routed') {
      const diagnosticsOut = { add: (d: Diagnostic) => void out.diagnostics.push(d) }
      const sinkOut = (e: MaskEvent): void => void out.events.push(e)
      await parseInput(file, await zoneOf(file), options.yearHint ?? null, route.parser, () => peeked.stream, counters, diagnosticsOut, sinkOut, await writtenAtOf(file), {
        ...(options.skipKinds !== undefined && { skipKinds: options.skipKinds }),
      })
    }
    return { status: 'read', route, counters, ...out }
  }
  const memberReads = new Map<EvidenceArchive, Promise<Map<EvidenceFile, MemberRead>>>()
  const memberRead = (file: EvidenceFile): Promise<MemberRead | undefined> => {
    const { archive } = file.member!
    if (!memberReads.has(archive)) {
      const members = files.filter((f) => f.member?.archive === archive && superseded.get(f.path) === undefined && !unsupported(f))
      memberReads.set(archive, readArchiveMembers(archive, members, readMember))
    }
    return memberReads.get(archive)!.then((reads) => reads.get(file))
  }

  // The progress bar polls: parsers read in large synchronous steps, between which the timer runs.
  const progress = options.progress ?? NO_PROGRESS
  let bytesBefore = 0
  let current: { path: string; counted: ByteCount } = { path: '', counted: { bytes: 0 } }
  progress.start(files.reduce((sum, f) => sum + (f.size ?? 0), 0))
  const ticker = setInterval(() => progress.update(bytesBefore + current.counted.bytes, current.path), 200).unref()
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
    const betterCopy = superseded.get(file.path)
    if (betterCopy !== undefined) {
      row.status = 'superseded'
      diagnostics.add(
        diagnostic('INPUT_SUPERSEDED', file.path, null, `journalctl text not read: the evidence has the binary journal (${betterCopy}), with every field and cursor`, 'info'),
      )
      continue
    }
    if (unsupported(file)) {
      row.status = 'unsupported'
      diagnostics.add(diagnostic('READ_ERROR', file.path, null, `${file.compression} compression is not supported yet; decompress it first`, 'warning'))
      continue
    }
    const counted: ByteCount = { bytes: 0 }
    bytesBefore += current.counted.bytes
    current = { path: file.path, counted }
    let route: Route
    let parse: (zone: EvidenceZone, parser: Parser) => Promise<void>
    if (file.member !== undefined) {
      const read = await memberRead(file)
      if (read?.status !== 'read') {
        row.status = 'unreadable'
        diagnostics.add(diagnostic('READ_ERROR', file.path, null, read?.message ?? "not read: reading the archive stopped in or before this member (see the archive's ARCHIVE_LIMIT or ARCHIVE_DAMAGED)"))
        continue
      }
      route = read.route
      parse = async () => {
        Object.assign(row, { linesRead: read.counters.linesRead, linesParsed: read.counters.linesParsed, linesSkipped: read.counters.linesSkipped, eventsKept: read.counters.eventsKept })
        for (const d of read.diagnostics) diagnostics.add(d)
        for (const e of read.events) sink(e)
      }
    } else {
      let head: () => Promise<string>
      let bytes: () => Readable
      if (file.absPath === null) {
        const peeked = await peekStream(options.stdin ?? process.stdin, counted)
        if (peeked.head.slice(257, 262) === 'ustar') {
          throw new UsageError('stdin holds a tar archive: an archive is read twice (index, then members), so save it to a file and name that file')
        }
        head = async () => peeked.head
        bytes = () => peeked.stream
      } else {
        head = () => readHead(file)
        bytes = () => openFile(file, counted)
      }
      try {
        route = await routeInput(file, head, options.formatOf ?? [])
      } catch (error) {
        row.status = 'unreadable'
        diagnostics.add(diagnostic('READ_ERROR', file.path, null, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`))
        continue
      }
      const plain: PlainFile | null =
        file.absPath !== null && file.compression === null && file.size !== null
          ? { path: file.absPath, size: file.size, consumed: (n) => void (counted.bytes += n) }
          : null
      parse = async (zone, parser) =>
        parseInput(file, zone, options.yearHint ?? null, parser, bytes, row, diagnostics, sink, await writtenAtOf(file), { jobs: options.jobs ?? 1, plain, ...(options.skipKinds !== undefined && { skipKinds: options.skipKinds }) })
    }
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
    const localBefore = localTimes
    await parse(zone, route.parser)
    if (zone.source === DEFAULT_ZONE.source) defaultedLocalTimes += localTimes - localBefore
    row.bytes = file.size ?? counted.bytes
  }
  clearInterval(ticker)
  progress.stop()
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
  return { events: options.store !== undefined ? [] : earliestBoots(events), inventory, diagnostics, duplicatesDropped: dropped.size + textDuplicates.dropped, zones: zoneList }
}
