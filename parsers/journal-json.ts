// https://systemd.io/JOURNAL_EXPORT_FORMATS/#journal-json-format
/**
 * `journalctl -o json` (one object per line), `-o json-seq` (RS-prefixed), `-o json-sse`
 * (`data: ` lines) and `-o json-pretty` (an object over several lines, `{` and `}` alone on theirs).
 * Value forms and framing: src/journal/json-records.ts. Only the lines the prefilter keeps
 * (src/journal/json-prefilter.ts) are JSON-parsed; a big plain file is scanned by worker threads
 * (`--jobs`, src/journal/json-parallel.ts).
 */
import type { ParseContext, Parser, ParserInput, LineCounter } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { isOneRecordPerLine, parseInParallel, PARALLEL_MIN_BYTES, type ParallelOptions } from '../src/journal/json-parallel.ts'
import { payloadOf, RecordReader } from '../src/journal/json-records.ts'
import { intoFullPath, scanPieces } from '../src/journal/json-scan.ts'
import { fileLineBlocks, lineBlocks } from '../src/line-blocks.ts'

export { decodeJournalValue } from '../src/journal/json-records.ts'

const NAME = 'journal-json'
// {"__CURSOR":"s=…;i=1;…","__REALTIME_TIMESTAMP":"1700000000000000",…}   and   { "__CURSOR" : "s=…", … }
const JOURNAL_KEY = /"(?:__CURSOR|__REALTIME_TIMESTAMP|__MONOTONIC_TIMESTAMP|_BOOT_ID|_TRANSPORT)"\s*:/

/** Every line through the full path: the reference the prefilter is tested against. */
export async function* parseAll(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const reader = new RecordReader(ctx, count, NAME)
  const out: MaskEvent[] = []
  for await (const { line, text, tooLong } of input.lines()) {
    if (tooLong) reader.tooLong(text, tooLong.length, line)
    else reader.line(text, line, out)
    if (out.length > 0) yield* out.splice(0)
  }
  reader.finish(out)
  yield* out
}

/**
 * Only the lines the prefilter keeps take the full path; the others are counted as read and parsed.
 * A plain file is read in large positional reads into one buffer, and split among worker threads when
 * `--jobs` allows and it is big enough to pay for them.
 */
export async function* parseJournalJson(
  input: ParserInput,
  ctx: ParseContext,
  count: LineCounter,
  options: ParallelOptions = {},
): AsyncGenerator<MaskEvent> {
  const reader = new RecordReader(ctx, count, NAME)
  const out: MaskEvent[] = []
  const plain = input.plainFile?.() ?? null
  const skipped = (lines: number): void => {
    for (let i = 0; i < lines; i++) count.line(true)
  }
  if (plain !== null && (ctx.jobs ?? 1) > 1 && plain.size >= (options.minBytes ?? PARALLEL_MIN_BYTES) && (await isOneRecordPerLine(plain.path))) {
    yield* parseInParallel(plain, ctx.jobs ?? 1, reader, skipped, { ...(options.rangeBytes !== undefined && { rangeBytes: options.rangeBytes }), skipKinds: ctx.skipKinds })
    return
  }
  const handle = plain === null ? null : await open(plain.path, 'r')
  try {
    const pieces =
      handle === null
        ? lineBlocks(input.bytes())
        : fileLineBlocks((b, o, l, p) => readSync(handle.fd, b, o, l, p), 0, Number.MAX_SAFE_INTEGER, plain!.consumed)
    const kept = intoFullPath(reader, out)
    for await (const _ of scanPieces(pieces, kept, { firstLine: 1, skipped, skipKinds: ctx.skipKinds })) {
      if (out.length > 0) yield* out.splice(0)
    }
  } finally {
    await handle?.close()
  }
  reader.finish(out)
  yield* out
}

export default {
  name: NAME,
  title: 'systemd journal as JSON (journalctl -o json, json-seq, json-sse, json-pretty)',
  paths: [],
  detect(head: string): boolean {
    const firstRecord = head.split('\n').find((l) => payloadOf(l) !== null)
    if (firstRecord === undefined || !payloadOf(firstRecord)!.trimStart().startsWith('{')) return false
    return JOURNAL_KEY.test(head)
  },
  parse: (input, ctx, count) => parseJournalJson(input, ctx, count),
} satisfies Parser
