/** `maskwhy timeline`: the merged, filtered, chronological view of everything relevant. */
import type { EventKind, MaskEvent } from '../events.ts'
import { requireReadableEvidence } from './evidence-check.ts'
import { collectEvents, type CollectOptions } from '../run.ts'
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

/** A command whose standard output may come in pieces (written one after the other, never joined). */
export interface StreamedOutput {
  stdout: string | Iterable<string>
  stderr: string
}

/** Lines in pieces of this many, so a long timeline is never one string in memory. */
const LINES_PER_PIECE = 2000

function* jsonlPieces(events: readonly MaskEvent[], zone: string): Generator<string> {
  for (let i = 0; i < events.length; i += LINES_PER_PIECE) {
    yield events
      .slice(i, i + LINES_PER_PIECE)
      .map((e) => `${JSON.stringify(eventRecord(e, zone))}\n`)
      .join('')
  }
}

export async function timelineCommand(args: TimelineArgs): Promise<StreamedOutput> {
  const filter: TimelineFilter = { units: args.unit, kinds: args.kind, hosts: args.host }
  if (args.since !== undefined) filter.sinceUs = parseInstant(args.since, args.tz ?? 'UTC')
  if (args.until !== undefined) filter.untilUs = parseInstant(args.until, args.tz ?? 'UTC')
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
    case 'jsonl':
      return { stdout: jsonlPieces(timeline.events, args.displayTz), stderr: summary }
    case 'csv':
      return { stdout: renderTimelineCsv(timeline.events, args.displayTz), stderr: summary }
    case 'timesketch': {
      // Always UTC (Timesketch converts for display); events with unknown time are not written, and counted.
      const ts = renderTimesketch(timeline.events)
      const tsSummary = renderSummary(collected.inventory, collected.diagnostics, { ...extra, shown: ts.written }, 'written')
      return { stdout: ts.stdout, stderr: withSkippedNote(tsSummary, ts.skippedUnknownTime) }
    }
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
  }
}
