/**
 * Each journal input reports a boot at the earliest entry of that boot it holds. A machine's
 * journal is split over several files (system.journal, user-1000.journal, rotated ones), so the
 * same boot arrives once per file, the later copies at times that are not the boot's: keep the
 * earliest per boot id.
 */
import type { MaskEvent } from './events.ts'

export function earliestBoots(events: MaskEvent[]): MaskEvent[] {
  const earliest = new Map<string, MaskEvent>()
  for (const e of events) {
    if (e.kind !== 'boot') continue
    const seen = earliest.get(e.bootId)
    const earlier = seen === undefined || (e.timeUs !== null && (seen.timeUs === null || e.timeUs < seen.timeUs))
    if (earlier) earliest.set(e.bootId, e)
  }
  return events.filter((e) => e.kind !== 'boot' || earliest.get(e.bootId) === e)
}
