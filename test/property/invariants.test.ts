/**
 * Property tests over every registered parser (parsers/index.ts), on real seed inputs damaged the
 * way broken disks and hostile logs damage them (test/property/mutate.ts). A fixed seed keeps CI
 * reproducible; `npm run fuzz` runs the same properties far longer with a random seed.
 *
 * Invariants (test/property/check.ts):
 *  - no exception escapes, no hang (each case runs in a worker with a timeout), memory bounded
 *    (the worker's heap is capped);
 *  - every input line is counted once: linesRead = lines in the input = parsed + skipped, and
 *    skipped lines come with a diagnostic naming a line;
 *  - diagnostics carry a code from DIAGNOSTIC_CODES and a line (or byte offset) inside the input;
 *  - feeding the bytes in chunks of any size changes nothing;
 *  - line damage loses nothing valid around it: every event whose record survived untouched
 *    (test/property/seeds.ts defines a record per format) is produced again, with the same fields.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { PARSER_NAMES } from '../../parsers/index.ts'
import { bytesRecipeArb, foreignPool, linesRecipeArb, loadSeeds, runCase, runChecked, requestFor, type Recipe } from './cases.ts'
import { checkSurvivors } from './check.ts'
import { splitLines, type LineInput } from './mutate.ts'
import { ParserSandbox } from './sandbox.ts'
import { PARSER_SEEDS } from './seeds.ts'

/** Fixed, so a CI failure reproduces; change it only together with a fix. */
const SEED = 20240301
/** Cases per parser and mode in CI (a few thousand in all); `npm run fuzz` runs many more. */
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 100)
/** Byte offsets tried per parser for "truncated at any byte" (evenly spread over the smallest seed). */
const TRUNCATIONS = 100

const sandbox = new ParserSandbox()
const pool = foreignPool()
after(() => sandbox.close())

describe('property suite covers every parser', () => {
  it('every registered parser has seed inputs (test/property/seeds.ts)', () => {
    const missing = PARSER_NAMES.filter((p) => (PARSER_SEEDS[p]?.seeds.length ?? 0) === 0)
    assert.deepEqual(missing, [], `add seeds and a record extent for: ${missing.join(', ')}`)
  })

  it('the seed table names only registered parsers, and its seeds parse without trouble', async () => {
    for (const name of Object.keys(PARSER_SEEDS)) {
      assert.ok((PARSER_NAMES as string[]).includes(name), `${name} is not in parsers/index.ts`)
      for (const seed of loadSeeds(name)) {
        const { violations, result } = await runChecked(sandbox, requestFor(name, seed, seed.data, null), PARSER_SEEDS[name]!.binary === true)
        assert.deepEqual(violations, [], `${name} on ${seed.file}`)
        assert.ok(result !== null && result.counters.linesRead + result.events.length > 0, `${seed.file} gives ${name} nothing to read`)
      }
    }
  })
})

/** Binary inputs are megabytes (a journal file's arena): fewer cases, each one costlier. */
const BINARY_RUNS = Math.max(5, Math.round(RUNS / 12))

async function assertProperty(parser: string, arb: fc.Arbitrary<Recipe>): Promise<void> {
  const seeds = loadSeeds(parser)
  const binary = PARSER_SEEDS[parser]!.binary === true
  await fc.assert(
    fc.asyncProperty(arb, async (recipe) => {
      const { violations } = await runCase(sandbox, parser, seeds, pool, recipe)
      if (violations.length > 0) throw new Error(violations.join('\n'))
    }),
    { seed: SEED, numRuns: binary ? BINARY_RUNS : RUNS, includeErrorInReport: true },
  )
}

/** Inputs every parser must survive, whatever its format. */
function edgeInputs(parser: string): { name: string; data: Buffer }[] {
  const seeds = loadSeeds(parser)
  const other = Object.keys(PARSER_SEEDS)
    .filter((p) => p !== parser && !PARSER_SEEDS[p]!.binary)
    .map((p) => loadSeeds(p)[0]!)
  const out = [
    { name: 'empty', data: Buffer.alloc(0) },
    { name: 'one newline', data: Buffer.from('\n') },
    { name: 'CRLF blank lines', data: Buffer.from('\r\n\r\n') },
    { name: 'a BOM only', data: Buffer.from([0xef, 0xbb, 0xbf]) },
    { name: '64 KiB of NUL (a block zeroed by a crash)', data: Buffer.alloc(65536) },
    { name: 'invalid UTF-8', data: Buffer.from([0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x0a, 0xed, 0xa0, 0x80, 0x0a, 0xf4, 0x90, 0x80, 0x80]) },
    { name: 'terminal escapes', data: Buffer.from('\x1b[2J\x1b[H\x1b]52;c;aGk=\x07\r\x1b[1;32mOK\x1b[0m\n') },
  ]
  if (PARSER_SEEDS[parser]!.binary) {
    const s = seeds[0]!
    return [
      ...out,
      { name: 'the seed twice', data: Buffer.concat([s.data, s.data]) },
      { name: 'the seed with its second half zeroed', data: Buffer.concat([s.data.subarray(0, s.data.length >> 1), Buffer.alloc(s.data.length >> 1)]) },
      { name: 'the seed cut in the middle, then a text log', data: Buffer.concat([s.data.subarray(0, s.data.length >> 1), other[0]!.data]) },
    ]
  }
  for (const s of seeds) {
    const base = s.file.split('/').pop()
    const lines = s.data.toString('latin1').split('\n')
    out.push(
      { name: `${base}: CRLF line ends`, data: Buffer.from(s.data.toString('latin1').replaceAll('\n', '\r\n'), 'latin1') },
      { name: `${base}: bare CR line ends`, data: Buffer.from(s.data.toString('latin1').replaceAll('\n', '\r'), 'latin1') },
      { name: `${base}: lines in reverse order`, data: Buffer.from(lines.reverse().join('\n'), 'latin1') },
      { name: `${base}: twice`, data: Buffer.concat([s.data, s.data]) },
      { name: `${base}: NUL-filled tail`, data: Buffer.concat([s.data.subarray(0, s.data.length >> 1), Buffer.alloc(4096)]) },
    )
    for (const o of other) {
      out.push({ name: `${base} followed by ${o.file.split('/').pop()}`, data: Buffer.concat([s.data, o.data]) })
      const theirs = o.data.toString('latin1').split('\n')
      const mixed = s.data
        .toString('latin1')
        .split('\n')
        .flatMap((l, i) => (i < theirs.length ? [l, theirs[i]!] : [l]))
      out.push({ name: `${base} interleaved line by line with ${o.file.split('/').pop()}`, data: Buffer.from(mixed.join('\n'), 'latin1') })
    }
  }
  return out
}

for (const parser of PARSER_NAMES) {
  const spec = PARSER_SEEDS[parser]
  if (spec === undefined) continue
  describe(`property: ${parser}`, () => {
    it('survives byte damage: flips, truncation, NUL runs, invalid UTF-8, CR/CRLF, BOM, splices', () => assertProperty(parser, bytesRecipeArb))

    if (!spec.binary) {
      it('line damage (drop, duplicate, reorder, garbage, torn lines) loses no record it did not touch', () =>
        assertProperty(parser, linesRecipeArb))

      it('truncated at any byte: every record that ends before the cut is kept', async () => {
        const seeds = loadSeeds(parser)
        const seed = seeds.reduce((a, b) => (b.data.length < a.data.length ? b : a))
        const original = await sandbox.run(requestFor(parser, seed, seed.data, null), 10_000)
        assert.equal(original.status, 'ok')
        if (original.status !== 'ok') return
        const step = Math.max(1, Math.ceil(seed.data.length / TRUNCATIONS))
        for (let cut = 0; cut <= seed.data.length; cut += step) {
          const data = seed.data.subarray(0, cut)
          const { violations, result } = await runChecked(sandbox, requestFor(parser, seed, data, 7), false)
          const kept: LineInput = splitLines(data)
          // Every line of the prefix is a verbatim copy except a line cut in the middle.
          const whole = seed.lines.segments
          kept.segments.forEach((s, i) => (s.origin = whole[i]!.bytes.equals(s.bytes) ? i : null))
          if (result !== null) violations.push(...checkSurvivors(spec, seed.texts, original.result, kept, { status: 'ok', result }))
          assert.deepEqual(violations, [], `${seed.file} cut after ${cut} bytes`)
        }
      })
    }

    it('reads odd whole inputs: empty, NUL blocks, CRLF, reversed, doubled, spliced with every other format', async () => {
      const seed = loadSeeds(parser)[0]!
      for (const input of edgeInputs(parser)) {
        const { violations } = await runChecked(sandbox, requestFor(parser, seed, input.data, 4096), spec.binary === true)
        assert.deepEqual(violations, [], input.name)
      }
    })
  })
}
