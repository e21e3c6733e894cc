/** Everything a report shows, gathered once by `maskwhy report` and rendered as HTML or Markdown. */
import type { BrokenPackage, UnitExplanation } from '../../correlate/types.ts'
import type { DiagnosticLog } from '../../diagnostics.ts'
import type { Boot, PackageTransaction } from '../../events.ts'
import type { Collected, InventoryRow } from '../../run.ts'

export interface ReportInput extends InventoryRow {
  /** SHA-256 (hex) of the input's bytes as stored (compressed files: the compressed bytes), or null. */
  sha256: string | null
  /** Why there is no hash (`stdin: not hashed`, a read error), or null. */
  hashNote: string | null
}

export interface ReportModel {
  version: string
  /** The only value that is not a function of the evidence and the options (`--generated-at` fixes it). */
  generatedAtUs: number
  displayTz: string
  /** The evidence arguments as given. */
  evidence: string[]
  hosts: string[]
  /** Earliest and latest event time in the evidence, or null when no event has a time. */
  span: { startUs: number; endUs: number } | null
  eventsWithoutTime: number
  zones: Collected['zones']
  unitDirectories: 'read' | 'absent' | 'none'
  unitDirectoryProblems: string[]
  units: UnitExplanation[]
  /** Packages left half-way, and transactions that never completed (explain's brokenPackages). */
  brokenPackages?: readonly BrokenPackage[]
  transactions: PackageTransaction[]
  boots: Boot[]
  inputs: ReportInput[]
  diagnostics: DiagnosticLog
  duplicatesDropped: number
}
