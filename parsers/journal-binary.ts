// https://systemd.io/JOURNAL_FILE_FORMAT/
/**
 * journald's binary files, read natively (no journalctl): `system.journal`, `user-1000.journal`,
 * rotated `system@….journal` and disposed `….journal~`, under `var/log/journal/<machine-id>/` or
 * `run/log/journal/<machine-id>/`. The reader is src/journal/binary/; events come from the same
 * recogniser as `journalctl -o json` input.
 *
 * Counting: each entry is one "line". An entry read is counted parsed; an entry the file claims
 * but that is lost (past the end of a truncated file, unreadable) is counted skipped, and its
 * diagnostic (with the byte offset) says why. An event's `line` is the entry's 1-based ordinal in
 * the file, in reading order; the exact citation is its journal cursor.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { JournalRecogniser } from '../src/journal-entry.ts'
import { readJournalEntriesSkimming, type JournalFileProblem } from '../src/journal/binary/index.ts'
import { keptJobMessageIds } from '../src/journal/field-prefilter.ts'
import { SIGNATURE } from '../src/journal/binary/format.ts'
import { entryView } from '../src/journal/raw-entry.ts'

const NAME = 'journal-binary'

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const source = await input.randomAccess()
  const recogniser = new JournalRecogniser()
  let ordinal = 0
  const report = (p: JournalFileProblem): void => {
    ctx.warnAt(p.code, p.offset, p.message, p.severity ?? 'error')
    for (let i = 0; i < (p.entriesLost ?? 0); i++) count.line(false)
  }
  // Entries that cannot give an event are not built (a count stands for them): the journal-json prefilter's rules.
  const rules = { jobMessageIds: keptJobMessageIds(ctx.skipKinds), bootFirstUs: (id: string) => recogniser.bootFirstUs(id) }
  for await (const entry of readJournalEntriesSkimming(source, report, rules)) {
    if (typeof entry === 'number') {
      for (let i = 0; i < entry; i++) count.line(true)
      ordinal += entry
      continue
    }
    count.line(true)
    const { events } = recogniser.entry(entryView(entry), { path: ctx.path, line: ++ordinal, parser: NAME })
    yield* events
  }
  yield* recogniser.finish()
}

export default {
  name: NAME,
  title: 'systemd journal files (*.journal, *.journal~), read natively',
  // system.journal, user-1000.journal, system@<seqnum id>-<seqnum>-<time>.journal, system@<…>.journal~
  paths: [/\.journal~?$/],
  detect(head: string): boolean {
    return head.startsWith(SIGNATURE)
  },
  parse,
} satisfies Parser
