// https://systemd.io/JOURNAL_EXPORT_FORMATS/#journal-export-format
/**
 * `journalctl -o export` (the Journal Export Format, also the input of `systemd-journal-remote`).
 * Framing and damage handling: src/journal/export-reader.ts. Each entry goes through the same
 * recogniser as JSON and binary journals, so the same entry gives the same events; an event's
 * line is its entry's first line. Recognised by content: the first line is `__CURSOR=` (what
 * journalctl writes first) or `__REALTIME_TIMESTAMP=` (hand-made input for journal-remote).
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { JournalRecogniser } from '../src/journal-entry.ts'
import { looksLikeExport, readExportEntries } from '../src/journal/export-reader.ts'
import { entryView } from '../src/journal/raw-entry.ts'

const NAME = 'journal-export'

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const recogniser = new JournalRecogniser()
  const entries = readExportEntries(
    input.bytes(),
    (p) => ctx.warn(p.code, p.line, `${p.message} (byte ${p.offset})`, p.excerpt, p.severity),
    {
      onLines(n, parsed) {
        for (let i = 0; i < n; i++) count.line(parsed)
      },
    },
  )
  for await (const { entry, line } of entries) {
    const { events, timeProblem } = recogniser.entry(entryView(entry), { path: ctx.path, line, parser: NAME })
    if (timeProblem !== null && events.length > 0) {
      ctx.warn(
        timeProblem === 'missing' ? 'TIMESTAMP_MISSING' : 'TIMESTAMP_INVALID',
        line,
        'no usable __REALTIME_TIMESTAMP: the event is kept with an unknown time',
        undefined,
        'warning',
      )
    }
    yield* events
  }
  yield* recogniser.finish()
}

export default {
  name: NAME,
  title: 'systemd journal in the Journal Export Format (journalctl -o export)',
  paths: [],
  detect: looksLikeExport,
  parse,
} satisfies Parser
