/** The `explain --format json` document (schema: docs/explain-schema.md). Deterministic; times in UTC ISO 8601. */
import type { UnitExplanation } from '../correlate/types.ts'
import { formatInstant } from '../time.ts'

const iso = (us: number | null, zone: string): string | null => (us === null ? null : formatInstant(us, zone))

export function explanationRecord(x: UnitExplanation, zone: string): Record<string, unknown> {
  return {
    unit: x.unit,
    host: x.host,
    state: x.state,
    stateFrom: x.stateFrom,
    path: x.path,
    maskedAt: iso(x.maskedAtUs, zone),
    maskedAtUs: x.maskedAtUs,
    maskedAtFrom: x.maskedAtFrom,
    cause: x.cause,
    confidence: x.confidence,
    confidenceReason: x.confidenceReason,
    actor: x.actor,
    transaction: x.transaction && {
      manager: x.transaction.manager,
      id: x.transaction.id,
      start: iso(x.transaction.startUs, zone),
      end: iso(x.transaction.endUs, zone),
      command: x.transaction.command,
      requestedBy: x.transaction.requestedBy,
      outcome: x.transaction.outcome,
      outcomeReason: x.transaction.outcomeReason,
    },
    summary: x.summary,
    history: x.history.map((h) => ({ time: iso(h.timeUs, zone), action: h.action, by: h.by, source: h.source, text: h.text })),
    blockedUnits: x.blockedUnits,
    blockedBy: x.blockedBy,
    evidence: x.evidence.map((e) => ({ path: e.path, line: e.line, cursor: e.cursor, time: iso(e.timeUs, zone), role: e.role, text: e.text })),
    fix: x.fix,
    conflicts: x.conflicts,
  }
}
