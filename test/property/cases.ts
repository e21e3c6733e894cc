/**
 * One property case end to end: pick a seed, damage it, run the parser in the sandbox (whole and in
 * chunks), check the invariants. Also the stored form of a failing case (test/fixtures/fuzz-regressions/),
 * which holds the bytes themselves so it replays even after the seeds change.
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import fc from 'fast-check'
import { PARSER_SEEDS, REPO_ROOT, seedsOf, type ParserSeeds, type Seed } from './seeds.ts'
import { SHARED } from '../helpers/parse.ts'
import {
  applyByteMutations,
  applyLineMutations,
  byteMutationArb,
  chunkSizeArb,
  joinLines,
  lineMutationArb,
  splitLines,
  type ByteMutation,
  type ForeignPool,
  type LineInput,
  type LineMutation,
} from './mutate.ts'
import { checkRun, checkSameResult, checkSurvivors } from './check.ts'
import type { RunRequest, RunResult } from './run-parser.ts'
import type { ParserSandbox } from './sandbox.ts'

/** Per case; parsers take milliseconds on the seeds, so this only catches hangs. */
export const CASE_TIMEOUT_MS = 10_000

export type Recipe =
  | { mode: 'bytes'; seed: number; mutations: ByteMutation[]; chunkSize: number | null }
  | { mode: 'lines'; seed: number; mutations: LineMutation[]; chunkSize: number | null }

export const bytesRecipeArb: fc.Arbitrary<Recipe> = fc.record({
  mode: fc.constant('bytes' as const),
  seed: fc.nat(),
  mutations: fc.array(byteMutationArb, { minLength: 1, maxLength: 4 }),
  chunkSize: chunkSizeArb,
})

export const linesRecipeArb: fc.Arbitrary<Recipe> = fc.record({
  mode: fc.constant('lines' as const),
  seed: fc.nat(),
  mutations: fc.array(lineMutationArb, { minLength: 1, maxLength: 5 }),
  chunkSize: chunkSizeArb,
})

/** A failing case as stored in test/fixtures/fuzz-regressions/<parser>-<hash>.json. */
export interface StoredCase {
  parser: string
  path: string
  yearHint: number | null
  fileMtimeUs: number | null
  chunkSize: number | null
  /** The damaged input, base64; absent when too large to store (then rebuilt from `seedFile` and `recipe`). */
  input?: string
  /** Line cases: the unmutated input (base64) and, per line of `input`, the unmutated line it copies (or null). */
  original?: string
  origins?: (number | null)[]
  /** What failed when it was found, and how it was made. */
  violations: string[]
  recipe: Recipe
  /** The seed, relative to the repository (or ../shared/corpus/public/), and whether it is gzip-compressed. */
  seedFile: string
  gzip?: boolean
}

/** Inputs above this are stored as seed + recipe, not as bytes (binary journals are megabytes). */
const STORE_BYTES_MAX = 256 * 1024

export interface LoadedSeed extends Seed {
  data: Buffer
  lines: LineInput
  /** The unmutated lines as decoded text (src/lines.ts semantics). */
  texts: string[]
  result: RunResult | null
}

/** Every line of every seed of every parser: material for splicing formats into each other. */
export function foreignPool(): ForeignPool {
  const lines: Buffer[] = []
  for (const name of Object.keys(PARSER_SEEDS)) {
    if (PARSER_SEEDS[name]!.binary) continue
    for (const s of seedsOf(name)) lines.push(...splitLines(readFileSync(s.file)).segments.map((x) => x.bytes))
  }
  return { lines }
}

export function loadSeed(s: Seed): LoadedSeed {
  const data = s.gzip ? gunzipSync(readFileSync(s.file)) : readFileSync(s.file)
  const lines = splitLines(data)
  const texts = lines.segments.map((x, i) => {
    const t = x.bytes.toString('utf8')
    return i === 0 && t.charCodeAt(0) === 0xfeff ? t.slice(1) : t
  })
  return { ...s, data, lines, texts, result: null }
}

export function loadSeeds(name: string, withShared = false): LoadedSeed[] {
  return seedsOf(name, withShared).map(loadSeed)
}

export function requestFor(parser: string, seed: Pick<Seed, 'path' | 'yearHint' | 'fileMtimeUs'>, data: Uint8Array, chunkSize: number | null): RunRequest {
  return { parser, data, path: seed.path, chunkSize, yearHint: seed.yearHint ?? null, fileMtimeUs: seed.fileMtimeUs ?? null }
}

/** Runs the parser once whole and once in chunks; checks the run invariants on both and that they agree. */
export async function runChecked(sandbox: ParserSandbox, req: RunRequest, binary: boolean): Promise<{ violations: string[]; result: RunResult | null }> {
  const whole = await sandbox.run({ ...req, chunkSize: null }, CASE_TIMEOUT_MS)
  const violations = checkRun(req, whole, binary)
  // Binary formats read through positional reads, where chunking means nothing.
  if (req.chunkSize !== null && !binary && whole.status === 'ok') {
    const chunked = await sandbox.run(req, CASE_TIMEOUT_MS)
    violations.push(...checkRun(req, chunked, binary).map((x) => `(chunks of ${req.chunkSize}) ${x}`), ...checkSameResult(whole, chunked, req.chunkSize))
  }
  return { violations, result: whole.status === 'ok' ? whole.result : null }
}

export interface CaseOutcome {
  violations: string[]
  stored: StoredCase
}

/** Builds the damaged input of a recipe, runs it, and checks every invariant. */
export async function runCase(sandbox: ParserSandbox, parser: string, seeds: LoadedSeed[], pool: ForeignPool, recipe: Recipe): Promise<CaseOutcome> {
  const spec: ParserSeeds = PARSER_SEEDS[parser]!
  const seed = seeds[recipe.seed % seeds.length]!
  const binary = spec.binary === true
  let data: Buffer
  let mutated: LineInput | null = null
  if (recipe.mode === 'lines' && !binary) {
    mutated = applyLineMutations(seed.lines, recipe.mutations, pool)
    data = joinLines(mutated)
  } else {
    data = applyByteMutations(seed.data, recipe.mode === 'bytes' ? recipe.mutations : [], pool)
  }
  const req = requestFor(parser, seed, data, recipe.chunkSize)
  const { violations, result } = await runChecked(sandbox, req, binary)
  if (mutated !== null && result !== null && violations.length === 0) {
    if (seed.result === null) {
      const original = await sandbox.run(requestFor(parser, seed, seed.data, null), CASE_TIMEOUT_MS)
      if (original.status !== 'ok') violations.push(`the unmutated seed ${seed.file} does not parse: ${JSON.stringify(original)}`)
      else seed.result = original.result
    }
    if (seed.result !== null) violations.push(...checkSurvivors(spec, seed.texts, seed.result, mutated, { status: 'ok', result }))
  }
  const small = data.length + seed.data.length <= STORE_BYTES_MAX
  const stored: StoredCase = {
    parser,
    path: seed.path,
    yearHint: seed.yearHint ?? null,
    fileMtimeUs: seed.fileMtimeUs ?? null,
    chunkSize: recipe.chunkSize,
    ...(small && { input: data.toString('base64') }),
    ...(small && mutated !== null && { original: seed.data.toString('base64'), origins: mutated.segments.map((s) => s.origin) }),
    violations,
    recipe,
    seedFile: seed.file.startsWith(REPO_ROOT) ? seed.file.slice(REPO_ROOT.length) : seed.file.replace(/^.*\/corpus\/public\//, 'corpus/public/'),
    ...(seed.gzip && { gzip: true }),
  }
  return { violations, stored }
}

/** Replays a stored case: the run invariants, and for line cases the survivors against the stored original. */
export async function replayStored(sandbox: ParserSandbox, c: StoredCase): Promise<string[]> {
  const spec = PARSER_SEEDS[c.parser]
  if (spec === undefined) return [`no seed table entry for ${c.parser}`]
  if (c.input === undefined) {
    // Stored as seed + recipe: rebuild the input (and, for line cases, the survivors check) the way it was found.
    const file = c.seedFile.startsWith('corpus/') ? `${SHARED}${c.seedFile}` : `${REPO_ROOT}${c.seedFile}`
    const seed = loadSeed({ file, path: c.path, ...(c.yearHint !== null && { yearHint: c.yearHint }), ...(c.fileMtimeUs !== null && { fileMtimeUs: c.fileMtimeUs }), ...(c.gzip && { gzip: true }) })
    return (await runCase(sandbox, c.parser, [seed], foreignPool(), { ...c.recipe, seed: 0 })).violations
  }
  const data = Buffer.from(c.input, 'base64')
  const req = requestFor(c.parser, { path: c.path, ...(c.yearHint !== null && { yearHint: c.yearHint }), ...(c.fileMtimeUs !== null && { fileMtimeUs: c.fileMtimeUs }) }, data, c.chunkSize)
  const { violations, result } = await runChecked(sandbox, req, spec.binary === true)
  if (c.original !== undefined && c.origins !== undefined && result !== null) {
    const originalData = Buffer.from(c.original, 'base64')
    const originalReq = { ...req, data: originalData, chunkSize: null }
    const original = await sandbox.run(originalReq, CASE_TIMEOUT_MS)
    if (original.status !== 'ok') return [...violations, `the stored original does not parse: ${original.status}`]
    const split = splitLines(originalData)
    const texts = split.segments.map((x, i) => {
      const t = x.bytes.toString('utf8')
      return i === 0 && t.charCodeAt(0) === 0xfeff ? t.slice(1) : t
    })
    const mutatedLines = splitLines(data)
    if (mutatedLines.segments.length !== c.origins.length) return [...violations, 'stored origins do not match the stored input']
    mutatedLines.segments.forEach((s, i) => (s.origin = c.origins![i]!))
    violations.push(...checkSurvivors(spec, texts, original.result, mutatedLines, { status: 'ok', result }))
  }
  return violations
}
