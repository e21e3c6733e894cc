/**
 * The long fuzz campaign: `npm run fuzz -- [--seed N] [--runs N] [--parser NAME…] [--shared]`.
 * Same properties as test/property/invariants.test.ts, many more cases, a random seed by default
 * (printed, so a run can be repeated). Each failing case is shrunk by fast-check and written to
 * test/fixtures/fuzz-regressions/, which test/property/regressions.test.ts replays in CI.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import fc from 'fast-check'
import { PARSER_NAMES } from '../../parsers/index.ts'
import { bytesRecipeArb, foreignPool, linesRecipeArb, loadSeeds, runCase, type StoredCase } from './cases.ts'
import { STATS } from './check.ts'
import { ParserSandbox } from './sandbox.ts'
import { PARSER_SEEDS } from './seeds.ts'

export const REGRESSIONS_DIR = new URL('../fixtures/fuzz-regressions/', import.meta.url).pathname

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string', default: '2000' },
    parser: { type: 'string', multiple: true },
    shared: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log('npm run fuzz -- [--seed N] [--runs N per parser and mode] [--parser NAME]… [--shared: also seeds from ../shared/corpus]')
  process.exit(0)
}
const seed = values.seed !== undefined ? Number(values.seed) : (Date.now() ^ (Math.random() * 2 ** 31)) | 0
const runs = Number(values.runs)
const unseeded = PARSER_NAMES.filter((p) => !(p in PARSER_SEEDS))
if (unseeded.length > 0) console.warn(`fuzz: no seeds yet for ${unseeded.join(', ')} (add them to test/property/seeds.ts)`)
const parsers = values.parser ?? PARSER_NAMES.filter((p) => p in PARSER_SEEDS)
for (const p of parsers) {
  if (!(p in PARSER_SEEDS)) {
    console.error(`fuzz: no seeds for parser "${p}" (known: ${Object.keys(PARSER_SEEDS).join(', ')})`)
    process.exit(2)
  }
}
console.log(`fuzz: seed ${seed}, ${runs} runs per parser and mode, parsers: ${parsers.join(', ')}`)
console.log(`      repeat with: npm run fuzz -- --seed ${seed} --runs ${runs}${values.parser ? values.parser.map((p) => ` --parser ${p}`).join('') : ''}`)

function save(c: StoredCase): string {
  mkdirSync(REGRESSIONS_DIR, { recursive: true })
  const hash = createHash('sha256').update(JSON.stringify(c.recipe)).update(c.input ?? c.seedFile).digest('hex').slice(0, 12)
  const file = `${REGRESSIONS_DIR}${c.parser}-${hash}.json`
  writeFileSync(file, `${JSON.stringify(c, null, 1)}\n`)
  return file
}

const sandbox = new ParserSandbox()
const pool = foreignPool()
let failures = 0
for (const parser of parsers) {
  const seeds = loadSeeds(parser, values.shared)
  const modes = PARSER_SEEDS[parser]!.binary ? [bytesRecipeArb] : [bytesRecipeArb, linesRecipeArb]
  for (const arb of modes) {
    const started = performance.now()
    const result = await fc.check(
      fc.asyncProperty(arb, async (recipe) => (await runCase(sandbox, parser, seeds, pool, recipe)).violations.length === 0),
      { seed, numRuns: runs, endOnFailure: false },
    )
    const mode = arb === bytesRecipeArb ? 'bytes' : 'lines'
    const secs = ((performance.now() - started) / 1000).toFixed(1)
    if (!result.failed || result.counterexample === null) {
      console.log(`  ok    ${parser} (${mode}): ${result.numRuns} cases, ${secs} s`)
      continue
    }
    failures++
    const { stored } = await runCase(sandbox, parser, seeds, pool, result.counterexample[0])
    console.log(`  FAIL  ${parser} (${mode}) after ${result.numRuns} cases, ${secs} s → ${save(stored)}`)
    for (const v of stored.violations) console.log(`        ${v.split('\n').join('\n        ')}`)
  }
}
await sandbox.close()
console.log(`fuzz: ${STATS.compared} events of untouched records compared after line damage`)
console.log(failures === 0 ? 'fuzz: no failures' : `fuzz: ${failures} failing parser/mode pair(s), saved under test/fixtures/fuzz-regressions/`)
process.exitCode = failures === 0 ? 0 : 1
