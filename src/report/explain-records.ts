/** The `explain --format json` document (schema: docs/explain-schema.md). Deterministic; times in UTC ISO 8601. */
import type { BrokenPackage, EvidenceLine, TransactionInfo, UnitExplanation } from '../correlate/types.ts'
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
    transaction: transactionRecord(x.transaction, zone),
    summary: x.summary,
    history: x.history.map((h) => ({ time: iso(h.timeUs, zone), action: h.action, by: h.by, source: h.source, text: h.text })),
    blockedUnits: x.blockedUnits,
    blockedBy: x.blockedBy,
    triggeredBy: x.triggeredBy,
    afterUnmask: x.afterUnmask,
    evidence: x.evidence.map((e) => evidenceRecord(e, zone)),
    fix: x.fix,
    conflicts: x.conflicts,
  }
}

function transactionRecord(t: TransactionInfo | null, zone: string): Record<string, unknown> | null {
  return (
    t && {
      manager: t.manager,
      id: t.id,
      start: iso(t.startUs, zone),
      end: iso(t.endUs, zone),
      command: t.command,
      requestedBy: t.requestedBy,
      outcome: t.outcome,
      outcomeReason: t.outcomeReason,
    }
  )
}

function evidenceRecord(e: EvidenceLine, zone: string): Record<string, unknown> {
  return { path: e.path, line: e.line, cursor: e.cursor, time: iso(e.timeUs, zone), role: e.role, text: e.text }
}

export function brokenPackageRecord(b: BrokenPackage, zone: string): Record<string, unknown> {
  return {
    manager: b.manager,
    package: b.package,
    state: b.state,
    asOf: b.asOf,
    transaction: transactionRecord(b.transaction, zone),
    units: b.units,
    evidence: b.evidence.map((e) => evidenceRecord(e, zone)),
    recovery: b.recovery,
  }
}
