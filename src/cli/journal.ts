/**
 * `maskwhy journal`: a portable, read-only stand-in for `journalctl --file/-D` on copied journals.
 * Binary journal files and export files are merged as journalctl merges them and written as
 * journalctl 252 writes `-o short-iso`, `-o json --all` and `-o export`. Output is streamed: memory
 * holds one pending entry per input (plus the last N with `--lines`).
 */
import type { Readable, Writable } from 'node:stream'
import { DiagnosticLog, locationOf, type Diagnostic } from '../diagnostics.ts'
import { discoverEvidence, UsageError } from '../discovery.ts'
import { parseInstant } from '../time.ts'
import { escapeControl } from '../report/escape.ts'
import { entryToExport } from '../journal/export-writer.ts'
import { entryMatches, parseBootId, unitMatcher, type EntryFilter } from '../journal/filter.ts'
import { entryToJson } from '../journal/json-writer.ts'
import { mergeEntries, type MergeStats } from '../journal/merge.ts'
import { openJournalInputs, type JournalInput, type LocatedEntry } from '../journal/open-inputs.ts'
import { entryToShortIso } from '../journal/short-writer.ts'

export const JOURNAL_OUTPUTS = ['short-iso', 'json', 'export'] as const
export type JournalOutput = (typeof JOURNAL_OUTPUTS)[number]

export interface JournalArgs {
  evidence: string[]
  output: JournalOutput
  since?: string | undefined
  until?: string | undefined
  unit: string[]
  /** A boot id, or `all`. */
  boot?: string | undefined
  /** Zone for short-iso times and for --since/--until without a zone; default UTC. */
  tz: string | null
  /** Show only the last N matching entries. */
  lines?: number | undefined
}

export interface JournalIo {
  stdout: Writable
  stderr: Writable
  stdin: Readable
}

const SHOWN_DIAGNOSTICS = 10
const FLUSH_BYTES = 256 * 1024

/** Batches small writes and waits for the stream to drain, so a slow reader bounds memory. */
class Output {
  #parts: (string | Buffer)[] = []
  #size = 0
  readonly #stream: Writable

  constructor(stream: Writable) {
    this.#stream = stream
  }

  async write(chunk: string | Buffer): Promise<void> {
    this.#parts.push(chunk)
    this.#size += chunk.length
    if (this.#size >= FLUSH_BYTES) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return
    const data = Buffer.concat(this.#parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)))
    this.#parts = []
    this.#size = 0
    if (!this.#stream.write(data)) {
      await new Promise<void>((resolve) => {
        this.#stream.once('drain', resolve)
        this.#stream.once('close', resolve)
      })
    }
  }
}

function filterOf(args: JournalArgs): EntryFilter {
  const zone = args.tz ?? 'UTC'
  let bootId: string | null = null
  if (args.boot !== undefined && args.boot !== 'all') {
    bootId = parseBootId(args.boot)
    if (bootId === null) {
      throw new UsageError(`--boot expects a boot id (32 hex digits, as journalctl --list-boots shows) or "all" (got "${args.boot}")`)
    }
  }
  if (args.lines !== undefined && !(Number.isInteger(args.lines) && args.lines >= 0)) {
    throw new UsageError('--lines expects a whole number')
  }
  return {
    sinceUs: args.since === undefined ? null : BigInt(parseInstant(args.since, zone)),
    untilUs: args.until === undefined ? null : BigInt(parseInstant(args.until, zone)),
    units: args.unit.map(unitMatcher),
    bootId,
  }
}

/** One input's entries; a read error ends that input with a diagnostic, never the run. */
async function* guarded(input: JournalInput, report: (d: Diagnostic) => void): AsyncGenerator<LocatedEntry & { path: string }> {
  try {
    for await (const e of input.entries()) yield { ...e, path: input.path }
  } catch (error) {
    const message = `reading stopped: ${(error as Error).message}`
    report({ code: 'READ_ERROR', severity: 'error', path: input.path, line: null, message, excerpt: null })
  }
}

function renderDiagnostics(
  diagnostics: DiagnosticLog,
  totals: { inputs: number; shown: number; notShown: number; stats: MergeStats },
): string {
  const out: string[] = []
  for (const d of diagnostics.examples.slice(0, SHOWN_DIAGNOSTICS)) {
    out.push(`${d.severity}[${d.code}]: ${escapeControl(d.message)}`)
    out.push(`  --> ${escapeControl(locationOf(d))}`)
    if (d.excerpt !== null) out.push(`   | ${escapeControl(d.excerpt)}`)
  }
  if (diagnostics.total > SHOWN_DIAGNOSTICS) out.push(`… and ${diagnostics.total - SHOWN_DIAGNOSTICS} more diagnostics`)
  out.push(
    `maskwhy journal: ${totals.inputs} input(s); ${totals.shown} entries shown` +
      (totals.stats.duplicatesDropped > 0 ? `; ${totals.stats.duplicatesDropped} duplicate entries dropped` : '') +
      (totals.notShown > 0 ? `; ${totals.notShown} entries without a valid time left out of short-iso` : '') +
      `; ${diagnostics.total} diagnostic(s)`,
  )
  return `${out.join('\n')}\n`
}

/** Runs the command; returns the exit code. Throws UsageError / TimeArgumentError for bad arguments. */
export async function journalCommand(args: JournalArgs, io: JournalIo): Promise<number> {
  const filter = filterOf(args)
  const zone = args.tz ?? 'UTC'
  const diagnostics = new DiagnosticLog()
  const report = (d: Diagnostic): void => diagnostics.add(d)
  const { files, problems } = await discoverEvidence(args.evidence)
  for (const p of problems) report(p)
  const inputs = await openJournalInputs(files, io.stdin, report)
  if (inputs.length === 0 && !files.some((f) => f.explicit)) {
    const where = args.evidence.join(' ')
    const message = 'no journal file (*.journal, *.journal~) found'
    report({ code: 'FORMAT_UNKNOWN', severity: 'warning', path: where, line: null, message, excerpt: null })
  }

  const out = new Output(io.stdout)
  const stats: MergeStats = { duplicatesDropped: 0 }
  let shown = 0
  let notShown = 0
  let previousBoot: string | null = null
  const emit = async (item: LocatedEntry & { path: string }): Promise<void> => {
    const e = item.entry
    switch (args.output) {
      case 'json':
        return out.write(entryToJson(e))
      case 'export':
        return out.write(entryToExport(e))
      case 'short-iso': {
        // journalctl marks each change of boot between consecutive entries.
        if (e.bootId !== null) {
          if (previousBoot !== null && previousBoot !== e.bootId) await out.write(`-- Boot ${e.bootId} --\n`)
          previousBoot = e.bootId
        }
        const text = entryToShortIso(e, zone)
        if (text !== null) return out.write(text)
        if (e.realtimeUs === null && e.fields.some((f) => f.name === 'MESSAGE')) {
          notShown++
          const message = 'entry without __REALTIME_TIMESTAMP: not shown in short-iso'
          report({ code: 'TIMESTAMP_MISSING', severity: 'warning', path: item.path, line: item.line, message, excerpt: null })
        }
      }
    }
  }

  // --lines N: a ring of the last N matches.
  const ring: (LocatedEntry & { path: string })[] = []
  let matched = 0
  for await (const item of mergeEntries(inputs.map((i) => guarded(i, report)), stats)) {
    if (!entryMatches(item.entry, filter)) continue
    if (args.lines === undefined) await emit(item)
    else if (args.lines > 0) ring[matched % args.lines] = item
    matched++
  }
  shown = matched
  if (args.lines !== undefined) {
    shown = Math.min(matched, args.lines)
    for (let i = matched - shown; i < matched; i++) await emit(ring[i % args.lines]!)
  }
  if (shown === 0 && args.output === 'short-iso') await out.write('-- No entries --\n')
  await out.flush()
  if (diagnostics.total > 0 || stats.duplicatesDropped > 0) {
    io.stderr.write(renderDiagnostics(diagnostics, { inputs: inputs.length, shown, notShown, stats }))
  }
  return 0
}
