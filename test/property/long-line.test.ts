/**
 * One enormous line in the middle of real input, once per parser (too costly for every property
 * case): a NUL-less torn write that never got its newline, or an attacker's 50 MB log message.
 * The parser must finish in bounded time and memory (a worker with a capped heap and a timeout),
 * count the line, and keep every record around it. Above the line limit (src/lines.ts) the line is
 * skipped as LINE_TOO_LONG at its own line number and numbering goes on exactly.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { PARSER_NAMES } from '../../parsers/index.ts'
import { loadSeeds, requestFor, CASE_TIMEOUT_MS, type LoadedSeed } from './cases.ts'
import { checkRun, checkSurvivors } from './check.ts'
import type { LineInput } from './mutate.ts'
import { ParserSandbox } from './sandbox.ts'
import { PARSER_SEEDS } from './seeds.ts'

const FIFTY_MB = 50 * 1024 * 1024
/** Generous for 50 MB on a busy 2-core machine; a quadratic regex would take hours. */
const LONG_TIMEOUT_MS = 60_000

const sandbox = new ParserSandbox({ maxHeapMb: 768 })
after(() => sandbox.close())

/** The seed's lines with one more line of `length` bytes, built by `build`, at the boundary nearest the middle. */
function layout(seed: LoadedSeed): { before: Buffer; after: Buffer; at: number; lines: (long: Buffer) => LineInput } {
  const segs = seed.lines.segments
  const at = segs.length >> 1
  const join = (list: typeof segs, last: boolean): Buffer =>
    Buffer.concat(list.flatMap((x, i) => [x.bytes, ...(i < list.length - 1 || last ? [Buffer.from('\n')] : [])]))
  return {
    before: join(segs.slice(0, at), true),
    after: join(segs.slice(at), seed.lines.finalNewline),
    at: at + 1,
    lines: (long) => ({ segments: [...segs.slice(0, at), { bytes: long, origin: null }, ...segs.slice(at)], finalNewline: seed.lines.finalNewline }),
  }
}

/** Bytes that give line patterns something to chew on: words, colons, quotes, escapes. */
const FILLER = 'ab  c: "x\\ '

/**
 * One 50 MB shared buffer for every parser (allocating and copying 50 MB per parser would cost
 * more than parsing it): the seed's first half, the long line, a newline, the second half.
 */
const shared = new Uint8Array(new SharedArrayBuffer(FIFTY_MB + 2 * 1024 * 1024))
Buffer.from(shared.buffer).fill(FILLER)

function fiftyMegabyteInput(seed: LoadedSeed): { data: Uint8Array; lines: LineInput; restore: () => void } {
  const { before, after, lines } = layout(seed)
  assert.ok(before.length + after.length < 2 * 1024 * 1024, 'seed too large for the shared buffer')
  const buf = Buffer.from(shared.buffer)
  // The long line starts like a real line of the format, so the parser's patterns get far into it.
  const start = seed.lines.segments[seed.lines.segments.length >> 1]?.bytes ?? Buffer.alloc(0)
  before.copy(buf, 0)
  start.copy(buf, before.length)
  const end = before.length + FIFTY_MB
  buf[end] = 0x0a
  after.copy(buf, end + 1)
  const total = end + 1 + after.length
  return {
    data: shared.subarray(0, total),
    lines: lines(buf.subarray(before.length, end)),
    restore: () => {
      buf.fill(FILLER, 0, before.length + start.length)
      buf.fill(FILLER, end, total)
    },
  }
}

async function original(parser: string, seed: LoadedSeed) {
  const o = await sandbox.run(requestFor(parser, seed, seed.data, null), CASE_TIMEOUT_MS)
  assert.equal(o.status, 'ok')
  return o.status === 'ok' ? o.result : null
}

for (const parser of PARSER_NAMES) {
  const spec = PARSER_SEEDS[parser]
  if (spec === undefined || spec.binary) continue
  describe(`long lines: ${parser}`, () => {
    const seed = loadSeeds(parser)[0]!

    it('a 50 MB line: bounded time and memory, counted, and nothing around it lost', async () => {
      const { data, lines, restore } = fiftyMegabyteInput(seed)
      const req = requestFor(parser, seed, data, null)
      const started = performance.now()
      const outcome = await sandbox.run(req, LONG_TIMEOUT_MS)
      const seconds = (performance.now() - started) / 1000
      const violations = checkRun(req, outcome)
      restore()
      const unmutated = await original(parser, seed)
      if (unmutated !== null) violations.push(...checkSurvivors(spec, seed.texts, unmutated, lines, outcome))
      assert.deepEqual(violations, [], `after ${seconds.toFixed(1)} s`)
    })

    it('a line over the line limit is one skipped LINE_TOO_LONG line (read through src/lines.ts); nothing around it lost', async () => {
      const { before, after, at, lines: linesWith } = layout(seed)
      const long = Buffer.alloc(3 * 1024 * 1024, FILLER)
      const data = Buffer.concat([before, long, Buffer.from('\n'), after])
      const lines = linesWith(long)
      const req = { ...requestFor(parser, seed, data, 65_536), maxLineBytes: 1024 * 1024 }
      const outcome = await sandbox.run(req, CASE_TIMEOUT_MS)
      const violations = checkRun(req, outcome)
      const unmutated = await original(parser, seed)
      if (unmutated !== null) violations.push(...checkSurvivors(spec, seed.texts, unmutated, lines, outcome))
      assert.deepEqual(violations, [])
      assert.ok(outcome.status === 'ok')
      // A parser that frames raw bytes itself (journal-json's fast path, journal-export) has its own
      // limit, which the 1 MiB limit given here does not reach: for those the line is ordinary damage.
      if (outcome.result.read.includes('lines')) {
        assert.deepEqual(
          outcome.result.diagnostics.filter((d) => d.code === 'LINE_TOO_LONG').map((d) => d.line),
          [at],
        )
      }
    })
  })
}
