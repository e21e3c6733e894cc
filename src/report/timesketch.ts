/**
 * `timeline --format timesketch`: JSONL that Timesketch imports as-is (web upload, `timesketch_importer`).
 *
 * Timesketch requires three fields on every line — `message` (the main column), `datetime` (ISO 8601)
 * and `timestamp_desc` (what the time means) — and indexes every other top-level field as an attribute.
 * `timestamp` (µs since the epoch) is optional there but given, so nothing depends on its date parsing.
 * Attributes are flat primitives (strings, numbers): no nulls (empty string instead), no arrays, no
 * objects, so every line has the same fields with the same types. Fixed field order, deterministic.
 */
import { unitsOf, type MaskEvent } from '../events.ts'
import { formatInstant } from '../time.ts'
import { describeEvent } from './describe.ts'
import { escapeControl } from './escape.ts'

export interface TimesketchRecord {
  message: string
  datetime: string
  timestamp: number
  timestamp_desc: string
  data_type: string
  kind: string
  unit: string
  units: string
  package: string
  host: string
  source_path: string
  source_line: number
  cursor: string
  parser: string
  time_basis: string
  time_zone: string
  time_note: string
  text: string
}

/**
 * What the event's time is. Most events are a log record whose time is when it was logged; a few kinds
 * carry a time with a narrower meaning.
 */
export function timestampDesc(e: MaskEvent): string {
  switch (e.kind) {
    case 'package-transaction':
      return 'Package Transaction Start'
    case 'package-action':
      return 'Package Action Recorded'
    case 'boot':
      return 'First Log Entry Of Boot'
    case 'kernel-command-line':
      return e.origin === 'kernel-log' ? 'Kernel Command Line Logged At Boot' : 'Event Recorded'
    case 'package-state':
    case 'unit-file-owner':
      return 'State When Copied'
    case 'unit-file-state':
      return 'State When Listed'
    default:
      return 'Event Recorded'
  }
}

/** `2024-03-01T10:02:13.250871+00:00`: always UTC (Timesketch shows it in the analyst's zone itself). */
export function timesketchDatetime(timeUs: number): string {
  return formatInstant(timeUs, 'UTC').replace(/Z$/, '+00:00')
}

/** Null for an event whose time is unknown: Timesketch needs a datetime, and maskwhy never invents one. */
export function timesketchRecord(e: MaskEvent): TimesketchRecord | null {
  if (e.timeUs === null) return null
  const units = unitsOf(e)
  const subject = units.join(' ')
  const summary = describeEvent(e)
  const pkg = 'package' in e && typeof e.package === 'string' ? e.package : ''
  return {
    // One line in Timesketch's main column, led by the unit(s) unless the summary names them already;
    // control characters (a newline in a logged command, ESC) are escaped as on a terminal; `text`
    // keeps the evidence verbatim.
    message: escapeControl(units.some((u) => !summary.includes(u)) ? `${subject}: ${summary}` : summary),
    datetime: timesketchDatetime(e.timeUs),
    timestamp: e.timeUs,
    timestamp_desc: timestampDesc(e),
    data_type: `maskwhy:${e.kind}`,
    kind: e.kind,
    unit: units[0] ?? '',
    units: units.join(','),
    package: pkg,
    host: e.host ?? '',
    source_path: e.path,
    source_line: e.line,
    cursor: e.cursor ?? '',
    parser: e.parser,
    time_basis: e.timeBasis,
    time_zone: e.timeZone ?? '',
    time_note: e.timeNote ?? '',
    text: e.text,
  }
}

export interface TimesketchOutput {
  stdout: string
  written: number
  /** Events left out because their time is unknown. */
  skippedUnknownTime: number
}

export function renderTimesketch(events: readonly MaskEvent[]): TimesketchOutput {
  let out = ''
  let written = 0
  let skipped = 0
  for (const e of events) {
    const record = timesketchRecord(e)
    if (record === null) {
      skipped++
      continue
    }
    out += `${JSON.stringify(record)}\n`
    written++
  }
  return { stdout: out, written, skippedUnknownTime: skipped }
}

/** Adds the skipped count to the summary's closing `maskwhy: …` line (the last line). */
export function withSkippedNote(summary: string, skipped: number): string {
  if (skipped === 0) return summary
  return summary.replace(/\n$/, `; ${skipped} events with unknown time not written (Timesketch needs a datetime)\n`)
}
