/**
 * The built CLI (dist/src, `npm run build`) stays ASCII: Node then decodes it on its fast path and V8
 * keeps it as a one-byte string, which start-up pays for on every run (scripts/build.mjs says how much).
 * A non-ASCII character in code (a regular expression's `→`, say) must be written as an escape.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO } from './helpers/cli.ts'

describe('the bundle', () => {
  it('is ASCII, every file of it', () => {
    const dir = join(REPO, 'dist/src')
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'))
    assert.ok(files.includes('cli.js') && files.length >= 3, `dist/src holds ${files.join(', ')}: run npm run build`)
    for (const f of files) {
      const bytes = readFileSync(join(dir, f))
      const at = bytes.findIndex((b) => b > 0x7f)
      assert.equal(at, -1, `${f}: a non-ASCII byte at offset ${at}: ${bytes.subarray(Math.max(0, at - 40), at + 10).toString('utf8')}`)
    }
  })
})
