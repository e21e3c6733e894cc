/**
 * Replays every input the fuzz campaign (`npm run fuzz`) ever found failing: each file in
 * test/fixtures/fuzz-regressions/ holds the damaged bytes (and, for line cases, the unmutated input
 * and which of its lines survived), so the case replays even after the seeds change.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { replayStored, type StoredCase } from './cases.ts'
import { ParserSandbox } from './sandbox.ts'

const DIR = new URL('../fixtures/fuzz-regressions/', import.meta.url).pathname
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : []

describe('fuzz regressions (test/fixtures/fuzz-regressions/)', () => {
  const sandbox = new ParserSandbox()
  after(() => sandbox.close())

  it('the folder holds the cases found so far', () => {
    assert.ok(files.length > 0, `no regression cases in ${DIR}`)
  })

  for (const file of files) {
    it(file, async () => {
      const stored = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as StoredCase
      const violations = await replayStored(sandbox, stored)
      assert.deepEqual(violations, [], `was: ${stored.violations.join('; ')}`)
    })
  }
})
