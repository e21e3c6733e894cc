/**
 * The inputs of `maskwhy journal`: binary journal files (by their `LPKSHHRH` signature) and Journal
 * Export Format files (by content), each opened read-only as a stream of entries. Like
 * `journalctl -D`, a directory contributes its `*.journal` and `*.journal~` files; any other kind
 * of file must be named on the command line.
 */
import type { Readable } from 'node:stream'
import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostics.ts'
import type { EvidenceFile } from '../discovery.ts'
import { bufferedSource, fileSource, openFile, peekStream, readHead } from '../inputs.ts'
import type { RandomAccessSource } from '../parser.ts'
import { readJournalEntries, type JournalFileProblem } from './binary/index.ts'
import { looksLikeExport, readExportEntries, type ExportProblem } from './export-reader.ts'
import type { RawJournalEntry } from './raw-entry.ts'

const JOURNAL_SIGNATURE = 'LPKSHHRH'
const JOURNAL_FILE = /\.journal~?$/

export interface LocatedEntry {
  entry: RawJournalEntry
  /** The entry's first line for export input; null for binary files (diagnostics there use byte offsets). */
  line: number | null
}

export interface JournalInput {
  path: string
  kind: 'binary' | 'export'
  entries(): AsyncGenerator<LocatedEntry>
}

type Report = (d: Diagnostic) => void

function problem(
  path: string,
  code: DiagnosticCode,
  message: string,
  severity: Severity = 'error',
  at: { line?: number; offset?: number } = {},
): Diagnostic {
  const offset = at.offset !== undefined && { offset: at.offset }
  return { code, severity, path, line: at.line ?? null, ...offset, message, excerpt: null }
}

function exportEntries(path: string, stream: () => Readable, report: Report): () => AsyncGenerator<LocatedEntry> {
  return async function* () {
    const s = stream()
    try {
      const sink = (p: ExportProblem): void => {
        const message = `${p.message} (byte ${p.offset})`
        report({ ...problem(path, p.code, message, p.severity ?? 'error', { line: p.line }), excerpt: p.excerpt ?? null })
      }
      for await (const { entry, line } of readExportEntries(s, sink)) yield { entry, line }
    } finally {
      s.destroy()
    }
  }
}

function binaryEntries(
  path: string,
  open: () => Promise<RandomAccessSource>,
  report: Report,
): () => AsyncGenerator<LocatedEntry> {
  return async function* () {
    const source = await open()
    try {
      const sink = (p: JournalFileProblem): void => report(problem(path, p.code, p.message, p.severity ?? 'error', { offset: p.offset }))
      for await (const entry of readJournalEntries(source, sink)) yield { entry, line: null }
    } finally {
      await source.close()
    }
  }
}

/**
 * Decides what each discovered file is. Files found by walking a directory count only when they are
 * named like journal files; files named on the command line are recognised by content.
 */
export async function openJournalInputs(
  files: readonly EvidenceFile[],
  stdin: Readable,
  report: Report,
): Promise<JournalInput[]> {
  const inputs: JournalInput[] = []
  for (const file of files) {
    if (!file.explicit && !JOURNAL_FILE.test(file.basePath)) continue
    if (file.compression !== null && file.compression !== 'gzip') {
      const message = `${file.compression} compression is not supported yet; decompress it first`
      report(problem(file.path, 'READ_ERROR', message, 'warning'))
      continue
    }
    let head: string
    let stream: () => Readable
    let randomAccess: () => Promise<RandomAccessSource>
    if (file.member !== undefined) {
      report(problem(file.path, 'READ_ERROR', 'maskwhy journal does not read inside archives; extract the journal files first', 'warning'))
      continue
    }
    if (file.absPath === null) {
      const peeked = await peekStream(stdin, { bytes: 0 })
      head = peeked.head
      stream = () => peeked.stream
      randomAccess = () => bufferedSource(peeked.stream)
    } else {
      const absPath = file.absPath
      try {
        head = await readHead(file)
      } catch (error) {
        report(problem(file.path, 'READ_ERROR', `cannot read: ${(error as Error).message}`))
        continue
      }
      stream = () => openFile(file)
      randomAccess = () => (file.compression === null ? fileSource(absPath) : bufferedSource(openFile(file)))
    }
    if (head.startsWith(JOURNAL_SIGNATURE) || (!file.explicit && JOURNAL_FILE.test(file.basePath))) {
      inputs.push({ path: file.path, kind: 'binary', entries: binaryEntries(file.path, randomAccess, report) })
    } else if (looksLikeExport(head)) {
      inputs.push({ path: file.path, kind: 'export', entries: exportEntries(file.path, stream, report) })
    } else {
      const message = 'neither a binary journal file (*.journal) nor journalctl -o export output: not read'
      report(problem(file.path, 'FORMAT_UNKNOWN', message, 'warning'))
    }
  }
  return inputs
}
