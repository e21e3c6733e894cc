// Golden tests: every bundled sample's timeline in every format, through the built CLI.
// UPDATE_GOLDEN=1 npm test rewrites samples/*/expected/ — then read the diff before committing.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { assertGolden } from './helpers/parse.ts'
import { maskwhy, REPO } from './helpers/cli.ts'

const SAMPLES = `${REPO}samples/`

/**
 * Filesystem facts (a link, a marker: `line: null`) carry the file's own mtime as weak evidence. git
 * does not keep mtimes, so in a fresh checkout that time is the checkout's: golden files leave it out.
 */
function withoutFileTimes(json: string): string {
  return json.replace(/("line": null,\n\s+"cursor": null,\n\s+"time": )"[^"]*"/g, '$1"(file mtime: set by the checkout)"')
}
const bundles = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${SAMPLES}${d.name}/evidence`))
  .map((d) => d.name)

describe('sample bundles', () => {
  it('there are samples to test', () => assert.ok(bundles.length >= 1))
  for (const name of bundles) {
    const dir = `${SAMPLES}${name}/`
    for (const format of ['json', 'table', 'markdown'] as const) {
      it(`${name}: explain --format ${format} matches expected/`, async () => {
        const run = await maskwhy(['explain', 'evidence', '--format', format, '--width', '140'], { cwd: dir })
        assert.equal(run.exitCode, 0, run.stderr)
        await assertGolden(withoutFileTimes(run.stdout), `${dir}expected/explain.${{ json: 'json', table: 'txt', markdown: 'md' }[format]}`)
      })
    }
    for (const format of ['table', 'jsonl', 'json'] as const) {
      it(`${name}: timeline --format ${format} matches expected/`, async () => {
        const run = await maskwhy(['timeline', 'evidence', '--format', format, '--width', '140'], { cwd: dir })
        assert.equal(run.exitCode, 0, run.stderr)
        const ext = { table: 'txt', jsonl: 'jsonl', json: 'json' }[format]
        await assertGolden(run.stdout, `${dir}expected/timeline.${ext}`)
        if (format !== 'json') await assertGolden(run.stderr, `${dir}expected/timeline.stderr.txt`)
        else assert.equal(run.stderr, '')
      })
    }
    for (const [format, file] of [['csv', 'timeline.csv'], ['timesketch', 'timeline.timesketch.jsonl']] as const) {
      it(`${name}: timeline --format ${format} matches expected/`, async () => {
        const run = await maskwhy(['timeline', 'evidence', '--format', format], { cwd: dir })
        assert.equal(run.exitCode, 0, run.stderr)
        await assertGolden(run.stdout, `${dir}expected/${file}`)
      })
    }
  }
})
