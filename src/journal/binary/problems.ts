import type { DiagnosticCode, Severity } from '../../diagnostics.ts'

/** Something wrong (or worth knowing) about a journal file, at a byte offset. Reading goes on. */
export interface JournalFileProblem {
  offset: number
  code: DiagnosticCode
  message: string
  /** error (data lost), warning (data possibly incomplete), info (how the file was read). Default error. */
  severity?: Severity
  /** Entries this problem made unreadable (each counts as a skipped entry in the inventory). */
  entriesLost?: number
}

export type ProblemSink = (p: JournalFileProblem) => void
