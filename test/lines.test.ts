import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readLines, type Line } from '../src/lines.ts'

async function lines(chunks: (string | Buffer)[], max?: number): Promise<Line[]> {
  const out: Line[] = []
  for await (const l of readLines(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)), max)) out.push(l)
  return out
}

describe('readLines', () => {
  it('numbers lines across chunk boundaries, keeps CR, drops a BOM, yields a last line without newline', async () => {
    assert.deepEqual(await lines(['\ufeffa\r\nb', 'c\n', '\n', 'd']), [
      { line: 1, text: 'a\r' },
      { line: 2, text: 'bc' },
      { line: 3, text: '' },
      { line: 4, text: 'd' },
    ])
  })
  it('an empty input has no lines; a lone newline is one empty line', async () => {
    assert.deepEqual(await lines([]), [])
    assert.deepEqual(await lines(['\n']), [{ line: 1, text: '' }])
  })
  it('keeps at most the first 200 bytes of an over-long line', async () => {
    const got = await lines(['z'.repeat(300), 'z'.repeat(300), '\n'], 256)
    assert.deepEqual(got, [{ line: 1, text: 'z'.repeat(200), tooLong: { length: 600 } }])
  })
  it('does not split a multi-byte character cut by a chunk boundary', async () => {
    const bytes = Buffer.from('→x\n')
    assert.deepEqual(await lines([bytes.subarray(0, 1), bytes.subarray(1)]), [{ line: 1, text: '→x' }])
  })
  it('marks an over-long line, keeps its start, and keeps numbering exact', async () => {
    const got = await lines(['ok\n', 'x'.repeat(50), 'y'.repeat(50), '\nafter\n'], 64)
    assert.equal(got.length, 3)
    assert.deepEqual(got[1]?.tooLong, { length: 100 })
    assert.equal(got[1]?.text, 'x'.repeat(50) + 'y'.repeat(50))
    assert.deepEqual(got[2], { line: 3, text: 'after' })
  })
})
