import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { PARSERS } from '../parsers/index.ts'

describe('parser registry', () => {
  it('lists every parser file in parsers/, under its own name', () => {
    const files = readdirSync(new URL('../parsers/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort()
    assert.deepEqual(Object.keys(PARSERS).sort(), files)
    for (const [name, parser] of Object.entries(PARSERS)) assert.equal(parser.name, name)
  })
})
