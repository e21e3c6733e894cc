/**
 * A sosreport's journal as journalctl text (see layout.ts SOS_JOURNAL_TEXT): which copies to read, and
 * the lines two copies share. sos 4 writes the whole journal, this boot and the boot before, so every
 * recent entry is there two or three times, with no cursor to tell.
 */
import type { EvidenceFile } from '../discovery.ts'
import type { MaskEvent } from '../events.ts'
import { PARSERS } from '../../parsers/index.ts'
import type { Parser } from '../parser.ts'
import { BINARY_JOURNAL_FILE, SOS_JOURNAL_TEXT } from './layout.ts'

const claimedByPath = (f: EvidenceFile): boolean =>
  (Object.values(PARSERS) as Parser[]).some((p) => p.paths.some((re) => re.test(f.basePath)))

/**
 * journalctl text of a sosreport that also holds the machine's binary journal files (`sos report
 * --all-logs`) and a parser that reads them: the binary journal has the same entries with all their
 * fields and cursors (exact deduplication), so the text is left unread. Text path → a binary journal
 * file of the same evidence root. `readable`: whether a binary journal file will be read (a parser claims its path).
 */
export function supersededJournalText(
  files: readonly EvidenceFile[],
  readable: (f: EvidenceFile) => boolean = claimedByPath,
): Map<string, string> {
  const binaryByRoot = new Map<string, string>()
  for (const f of files) {
    if (f.root === null || binaryByRoot.has(f.root) || !BINARY_JOURNAL_FILE.test(f.basePath)) continue
    if (readable(f)) binaryByRoot.set(f.root, f.path)
  }
  const out = new Map<string, string>()
  for (const f of files) {
    const binary = f.root === null ? undefined : binaryByRoot.get(f.root)
    if (binary !== undefined && SOS_JOURNAL_TEXT.test(f.basePath)) out.set(f.path, binary)
  }
  return out
}

/**
 * Drops an event read from a sos journalctl text file when an earlier such file of the same sosreport
 * gave the same line: within one file every occurrence counts (two identical lines are two entries), so a
 * line is a duplicate only up to the number of times an earlier copy had it. Files are read one after the
 * other (the whole journal sorts before `…_--boot`), so the events kept cite the most complete copy.
 */
export class JournalTextDuplicates {
  /** Events dropped as already read from another copy. */
  dropped = 0
  /** Directory of the copies → line key → the most occurrences of it in one earlier copy. */
  readonly #earlier = new Map<string, Map<string, number>>()
  #path: string | null = null
  #dir = ''
  #counts = new Map<string, number>()

  isDuplicate(e: MaskEvent): boolean {
    if (e.cursor !== null || !SOS_JOURNAL_TEXT.test(e.path)) return false
    if (e.path !== this.#path) this.#switchTo(e.path)
    const key = `${e.kind}\0${e.text}`
    const n = (this.#counts.get(key) ?? 0) + 1
    this.#counts.set(key, n)
    if (n > (this.#earlier.get(this.#dir)?.get(key) ?? 0)) return false
    this.dropped++
    return true
  }

  #switchTo(path: string): void {
    if (this.#path !== null) {
      const earlier = this.#earlier.get(this.#dir) ?? new Map<string, number>()
      for (const [key, n] of this.#counts) earlier.set(key, Math.max(n, earlier.get(key) ?? 0))
      this.#earlier.set(this.#dir, earlier)
    }
    this.#path = path
    this.#dir = path.slice(0, path.lastIndexOf('/') + 1)
    this.#counts = new Map()
  }
}
