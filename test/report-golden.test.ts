// Golden files: `maskwhy report` (HTML) of every bundled sample, with a fixed --generated-at.
// UPDATE_GOLDEN=1 node --import tsx --test test/report-golden.test.ts rewrites samples/*/expected/report.html — then review.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { assertGolden } from './helpers/parse.ts'
import { maskwhy, REPO } from './helpers/cli.ts'

const SAMPLES = `${REPO}samples/`

/** A filesystem fact's time is the file's own mtime, which a git checkout sets: golden files leave it out. */
const withoutFileTimes = (html: string): string => html.replace(/<span class="mtime">[^<]*<\/span>/g, '<span class="mtime">file mtime (set by the checkout)</span>')

const bundles = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${SAMPLES}${d.name}/evidence`))
  .map((d) => d.name)

describe('sample bundles: maskwhy report', () => {
  for (const name of bundles) {
    it(`${name}: report matches expected/report.html`, async () => {
      const run = await maskwhy(['report', 'evidence', '--generated-at', '2025-01-01T00:00:00Z'], { cwd: `${SAMPLES}${name}/` })
      assert.equal(run.exitCode, 0, run.stderr)
      await assertGolden(withoutFileTimes(run.stdout), `${SAMPLES}${name}/expected/report.html`)
    })
  }
})
