/** `maskwhy timeline`: the merged, filtered, chronological view of everything relevant. */
import type { EventKind, MaskEvent } from '../events.ts'
import { requireReadableEvidence } from './evidence-check.ts'
import { collectEvents, type Collected, type CollectOptions } from '../run.ts'
import { TimelineStore } from '../timeline-store.ts'
import { buildTimeline, type TimelineFilter } from '../timeline.ts'
import { parseInstant } from '../time.ts'
import { parseFormatOverride } from '../routing.ts'
import { eventRecord, inventoryRecord, diagnosticsRecord } from '../report/records.ts'
import { renderSummary, totalsOf } from '../report/summary.ts'
import { renderTimelineTable } from '../report/table.ts'
import { renderTimelineCsv } from '../report/csv.ts'
import { renderTimesketch, withSkippedNote } from '../report/timesketch.ts'
import { VERSION } from '../version.ts'

export const TIMELINE_FORMATS = ['table', 'jsonl', 'json', 'csv', 'timesketch'] as const
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number]

export interface TimelineArgs {
  evidence: string[]
  /** --jobs and the progress bar. */
  speed?: Pick<CollectOptions, 'jobs' | 'progress'>
  since?: string | undefined
  until?: string | undefined
  /** Zone for the evidence's zone-less local times and for --since/--until; null: the evidence's own (else UTC). */
  tz: string | null
  /** Zone in which times are displayed. */
  displayTz: string
  year: number | null
  unit: string[]
  kind: EventKind[]
  host: string[]
  format: TimelineFormat
  formatOf: string[]
  width: number
}

export interface CommandOutput {
  stdout: string
  stderr: string
}

/**
 * A command whose standard output may come in pieces (written one after the other, never joined);
 * its stderr may be known only once they are all written.
 */
export interface StreamedOutput {
  stdout: string | AsyncIterable<string>
  stderr: string | (() => string)
}

/** Lines in pieces of this many, so a long timeline is never one string in memory. */
const LINES_PER_PIECE = 100

/** One line per event: these formats are written as the sorted events come, never held whole. */
const LINE_FORMATS: ReadonlySet<TimelineFormat> = new Set(['jsonl', 'csv', 'timesketch'])

export async function timelineCommand(args: TimelineArgs): Promise<StreamedOutput> {
  const filter: TimelineFilter = { units: args.unit, kinds: args.kind, hosts: args.host }
  if (args.since !== undefined) filter.sinceUs = parseInstant(args.since, args.tz ?? 'UTC')
  if (args.until !== undefined) filter.untilUs = parseInstant(args.until, args.tz ?? 'UTC')
  if (LINE_FORMATS.has(args.format)) return lineTimeline(args, filter)
  const formatOf = args.formatOf.map(parseFormatOverride)
  const collected = await collectEvents({
    ...args.speed,
    evidence: args.evidence,
    formatOf,
    ...(args.tz !== null && { localZone: { zone: args.tz, source: '--tz' } }),
    ...(args.year !== null && { yearHint: args.year }),
  })
  requireReadableEvidence(collected, args.evidence)
  const timeline = buildTimeline(collected.events, filter)
  const extra = {
    shown: timeline.events.length,
    duplicatesDropped: collected.duplicatesDropped,
    unknownTimeExcluded: timeline.unknownTimeExcluded,
  }
  const summary = renderSummary(collected.inventory, collected.diagnostics, extra)
  switch (args.format) {
    case 'table':
      return { stdout: renderTimelineTable(timeline.events, { zone: args.displayTz, width: args.width }), stderr: summary }
    case 'json': {
      const body = {
        tool: 'maskwhy',
        version: VERSION,
        command: 'timeline',
        displayTimeZone: args.displayTz,
        evidenceTimeZones: collected.zones,
        filter: {
          since: args.since ?? null,
          until: args.until ?? null,
          units: args.unit,
          kinds: args.kind,
          hosts: args.host,
        },
        inventory: collected.inventory.map(inventoryRecord),
        events: timeline.events.map((e) => eventRecord(e, args.displayTz)),
        summary: { ...totalsOf(collected.inventory), ...extra },
        diagnostics: diagnosticsRecord(collected.diagnostics),
      }
      return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '' }
    }
    default:
      throw new Error(`${args.format} is written line by line (lineTimeline)`)
  }
}

/**
 * jsonl, csv and timesketch: the events go through a TimelineStore (sorted with bounded memory,
 * spilling to temporary files past its limit) and are written as they come out of it.
 */
async function lineTimeline(args: TimelineArgs, filter: TimelineFilter): Promise<StreamedOutput> {
  const store = new TimelineStore(filter)
  let collected: Collected
  try {
    collected = await collectEvents({
      ...args.speed,
      evidence: args.evidence,
      formatOf: args.formatOf.map(parseFormatOverride),
      ...(args.tz !== null && { localZone: { zone: args.tz, source: '--tz' } }),
      ...(args.year !== null && { yearHint: args.year }),
      store,
    })
    requireReadableEvidence(collected, args.evidence)
  } catch (error) {
    store.close()
    throw error
  }
  let written = 0
  let unknownTime = 0
  let first = true
  const render = (events: MaskEvent[]): string => {
    const header = first
    first = false
    if (args.format === 'csv') {
      written += events.length
      return renderTimelineCsv(events, args.displayTz, { header })
    }
    if (args.format === 'timesketch') {
      // Always UTC (Timesketch converts for display); events with unknown time are not written, and counted.
      const ts = renderTimesketch(events)
      written += ts.written
      unknownTime += ts.skippedUnknownTime
      return ts.stdout
    }
    written += events.length
    return events.map((e) => `${JSON.stringify(eventRecord(e, args.displayTz))}\n`).join('')
  }
  async function* pieces(): AsyncGenerator<string> {
    try {
      let piece: MaskEvent[] = []
      for await (const e of store.sorted()) {
        piece.push(e)
        if (piece.length >= LINES_PER_PIECE) {
          yield render(piece)
          piece = []
        }
      }
      // the last piece, and for an empty timeline, the CSV header
      if (piece.length > 0 || first) yield render(piece)
    } finally {
      store.close()
    }
  }
  const stderr = (): string => {
    const extra = { shown: written, duplicatesDropped: collected.duplicatesDropped, unknownTimeExcluded: store.unknownTimeExcluded }
    if (args.format !== 'timesketch') return renderSummary(collected.inventory, collected.diagnostics, extra)
    return withSkippedNote(renderSummary(collected.inventory, collected.diagnostics, extra, 'written'), unknownTime)
  }
  return { stdout: pieces(), stderr }
}
