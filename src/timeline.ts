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
 * Sorts by time (unknown last); equal times keep source order (input, then line), and a boot
 * comes before what happened in it.
 */
export function sortEvents(events: readonly MaskEvent[]): MaskEvent[] {
  const indexed = events.map((e, i) => ({ e, i }))
  indexed.sort((a, b) => {
    const ta = a.e.timeUs
    const tb = b.e.timeUs
    if (ta !== tb) {
      if (ta === null) return 1
      if (tb === null) return -1
      return ta - tb
    }
    if (a.e.path === b.e.path) {
      if (a.e.line !== b.e.line) return a.e.line - b.e.line
      if ((a.e.kind === 'boot') !== (b.e.kind === 'boot')) return a.e.kind === 'boot' ? -1 : 1
    }
    return a.i - b.i
  })
  return indexed.map((x) => x.e)
}

export function buildTimeline(events: readonly MaskEvent[], filter: TimelineFilter = {}): Timeline {
  const unitOk = filter.units && filter.units.length > 0 ? unitMatcher(filter.units) : null
  const hostMatchers = filter.hosts?.map((h) => picomatch(h, { dot: true })) ?? []
  const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : null
  const timeFiltered = filter.sinceUs !== undefined || filter.untilUs !== undefined
  let unknownTimeExcluded = 0
  const kept = events.filter((e) => {
    if (kinds ? !kinds.has(e.kind) : STATE_KINDS.includes(e.kind)) return false
    if (unitOk && !unitsOf(e).some(unitOk)) return false
    if (hostMatchers.length > 0 && (e.host === null || !hostMatchers.some((m) => m(e.host!)))) return false
    if (timeFiltered) {
      if (e.timeUs === null) {
        unknownTimeExcluded++
        return false
      }
      if (filter.sinceUs !== undefined && e.timeUs < filter.sinceUs) return false
      if (filter.untilUs !== undefined && e.timeUs > filter.untilUs) return false
    }
    return true
  })
  return { events: sortEvents(kept), unknownTimeExcluded }
}
