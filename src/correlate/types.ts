/** What `maskwhy explain` says about a unit. The JSON schema in docs/explain-schema.md documents these fields. */

/** Closed set, named exactly so in JSON. */
export const CAUSES = [
  'admin-command',
  'package-removal',
  'package-script',
  'interrupted-transaction',
  'vendor-default',
  'empty-unit-file',
  'runtime-mask',
  'unknown',
] as const
export type Cause = (typeof CAUSES)[number]

export type Confidence = 'high' | 'medium' | 'low'

export type UnitStateName = 'masked' | 'masked-runtime' | 'not-masked' | 'unknown'

/** One cited line of evidence, verbatim. */
export interface EvidenceLine {
  path: string
  /** 1-based line, or null for a filesystem fact (a link, a marker). */
  line: number | null
  cursor: string | null
  /** µs since the epoch (UTC), or null. */
  timeUs: number | null
  /** What this line shows, in a few words ("sudo ran systemctl mask", "link on disk"). */
  role: string
  text: string
}

export interface HistoryItem {
  timeUs: number | null
  action: 'masked' | 'unmasked' | 'mask-refused' | 'masked-dependency' | 'mask-attempt-refused'
  /** Who or what, as the source says ("alice via sudo on pts/0", "package webcache's maintainer script"). */
  by: string
  source: string
  text: string
}

export interface TransactionInfo {
  manager: string
  id: string
  startUs: number | null
  endUs: number | null
  command: string | null
  requestedBy: string | null
  outcome: string
  outcomeReason: string
}

export interface UnitExplanation {
  unit: string
  host: string | null
  state: UnitStateName
  /** Where the state came from: the copied unit directories, or (logs only) the last logged change. */
  stateFrom: 'filesystem' | 'events' | 'none'
  /** Where the mask lives, relative to the evidence root, or null. */
  path: string | null
  /** When the current mask was made (UTC µs), or null when no evidence dates it. */
  maskedAtUs: number | null
  /** What dated it (the record that shows the act), or why it is unknown. */
  maskedAtFrom: string
  cause: Cause | null
  confidence: Confidence | null
  confidenceReason: string
  actor: string | null
  transaction: TransactionInfo | null
  history: HistoryItem[]
  /** Units that cannot start because they depend on this masked unit. */
  blockedUnits: { unit: string; dependency: string; source: string }[]
  /** Masked units this unit depends on (it is blocked by them). */
  blockedBy: { unit: string; dependency: string; source: string }[]
  summary: string
  evidence: EvidenceLine[]
  /** Advice, never executed. */
  fix: string[]
  /** Signals that disagree, and which one won and why. */
  conflicts: string[]
}
