/** Deterministic plain-object forms of events, inventory and diagnostics for JSON output. */
import { locationOf, type DiagnosticLog } from '../diagnostics.ts'
import type { MaskEvent } from '../events.ts'
import type { InventoryRow } from '../run.ts'
import { formatInstant } from '../time.ts'

const COMMON_FIELDS = new Set([
  'kind', 'timeUs', 'timeBasis', 'timeZone', 'timeZoneSource', 'timeNote', 'host', 'path', 'line', 'cursor', 'parser', 'text',
])

/** Fixed field order: time and kind first, then the kind's own fields (sorted), then provenance, then the verbatim text. */
export function eventRecord(e: MaskEvent, zone: string): Record<string, unknown> {
  const own = Object.keys(e)
    .filter((k) => !COMMON_FIELDS.has(k))
    .sort()
  const record: Record<string, unknown> = {
    time: formatInstant(e.timeUs, zone),
    timeUs: e.timeUs,
    timeBasis: e.timeBasis,
    timeZone: e.timeZone,
    timeZoneSource: e.timeZoneSource,
    timeNote: e.timeNote,
    kind: e.kind,
    host: e.host,
  }
  for (const k of own) record[k] = (e as unknown as Record<string, unknown>)[k]
  record['source'] = `${e.path}:${e.line}`
  record['cursor'] = e.cursor
  record['parser'] = e.parser
  record['text'] = e.text
  return record
}

export function inventoryRecord(row: InventoryRow): Record<string, unknown> {
  return {
    path: row.path,
    parser: row.parser,
    routedBy: row.routedBy,
    status: row.status,
    compression: row.compression,
    bytes: row.bytes,
    linesRead: row.linesRead,
    linesParsed: row.linesParsed,
    linesSkipped: row.linesSkipped,
    eventsKept: row.eventsKept,
  }
}

export function diagnosticsRecord(log: DiagnosticLog): Record<string, unknown> {
  return {
    total: log.total,
    byCode: Object.fromEntries([...log.counts].sort(([a], [b]) => (a < b ? -1 : 1))),
    examples: log.examples.map((d) => ({
      code: d.code,
      severity: d.severity,
      location: locationOf(d),
      message: d.message,
      excerpt: d.excerpt,
    })),
  }
}
