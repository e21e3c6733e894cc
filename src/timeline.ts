/** The merged timeline: every event from every input, filtered, in stable chronological order. Pure. */
import picomatch from 'picomatch'
import { STATE_KINDS, unitsOf, type EventKind, type MaskEvent } from './events.ts'

export interface TimelineFilter {
  /** µs since the epoch, inclusive. */
  sinceUs?: number
  /** µs since the epoch, inclusive. */
  untilUs?: number
  /** Globs; `nginx*` and `nginx` match `nginx.service`. */
  units?: readonly string[]
  /** Kinds to keep; by default every kind except the timeless STATE_KINDS. */
  kinds?: readonly EventKind[]
  /** Globs on the host name. */
  hosts?: readonly string[]
}

export interface Timeline {
  events: MaskEvent[]
  /** Events left out because a time filter was given and their time is unknown. */
  unknownTimeExcluded: number
}

function unitMatcher(patterns: readonly string[]): (unit: string) => boolean {
  const matchers = patterns.map((p) => picomatch(p, { dot: true }))
  return (unit) => {
    const bare = unit.endsWith('.service') ? unit.slice(0, -'.service'.length) : unit
    return matchers.some((m) => m(unit) || m(bare))
  }
}

/**
 * The order of the timeline: by time (unknown last); equal times keep source order (input, then line),
 * and a boot comes before what happened in it; then arrival order (`ia`, `ib`).
 */
export function compareTimeline(a: MaskEvent, ia: number, b: MaskEvent, ib: number): number {
  const ta = a.timeUs
  const tb = b.timeUs
  if (ta !== tb) {
    if (ta === null) return 1
    if (tb === null) return -1
    return ta - tb
  }
  if (a.path === b.path) {
    if (a.line !== b.line) return a.line - b.line
    if ((a.kind === 'boot') !== (b.kind === 'boot')) return a.kind === 'boot' ? -1 : 1
  }
  return ia - ib
}

/** Sorts in timeline order (compareTimeline), stable. */
export function sortEvents(events: readonly MaskEvent[]): MaskEvent[] {
  const indexed = events.map((e, i) => ({ e, i }))
  indexed.sort((a, b) => compareTimeline(a.e, a.i, b.e, b.i))
  return indexed.map((x) => x.e)
}

/** Whether an event is in the timeline; 'unknown-time' when only its unknown time keeps it out. */
export type TimelineVerdict = 'keep' | 'drop' | 'unknown-time'

export function timelinePredicate(filter: TimelineFilter = {}): (e: MaskEvent) => TimelineVerdict {
  const unitOk = filter.units && filter.units.length > 0 ? unitMatcher(filter.units) : null
  const hostMatchers = filter.hosts?.map((h) => picomatch(h, { dot: true })) ?? []
  const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : null
  const timeFiltered = filter.sinceUs !== undefined || filter.untilUs !== undefined
  return (e) => {
    if (kinds ? !kinds.has(e.kind) : STATE_KINDS.includes(e.kind)) return 'drop'
    if (unitOk && !unitsOf(e).some(unitOk)) return 'drop'
    if (hostMatchers.length > 0 && (e.host === null || !hostMatchers.some((m) => m(e.host!)))) return 'drop'
    if (timeFiltered) {
      if (e.timeUs === null) return 'unknown-time'
      if (filter.sinceUs !== undefined && e.timeUs < filter.sinceUs) return 'drop'
      if (filter.untilUs !== undefined && e.timeUs > filter.untilUs) return 'drop'
    }
    return 'keep'
  }
}

export function buildTimeline(events: readonly MaskEvent[], filter: TimelineFilter = {}): Timeline {
  const verdict = timelinePredicate(filter)
  let unknownTimeExcluded = 0
  const kept = events.filter((e) => {
    const v = verdict(e)
    if (v === 'unknown-time') unknownTimeExcluded++
    return v === 'keep'
  })
  return { events: sortEvents(kept), unknownTimeExcluded }
}
