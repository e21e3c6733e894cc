/** lineBlocks and fileLineBlocks split exactly as readLines does, whatever the chunks, buffer sizes and line lengths. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { readLines, type Line } from '../src/lines.ts'
import { fileLineBlocks, lineBlocks, type LinePiece } from '../src/line-blocks.ts'

async function viaReadLines(data: Buffer, chunk: number, max: number): Promise<Line[]> {
  const chunks: Buffer[] = []
  for (let i = 0; i < data.length; i += chunk) chunks.push(data.subarray(i, i + chunk))
  const out: Line[] = []
  for await (const l of readLines(chunks, max)) out.push(l)
  return out
}

/** Pieces → the Line objects readLines would give (a block's bytes are copied before the next piece). */
async function viaPieces(pieces: AsyncIterable<LinePiece>): Promise<Line[]> {
  const out: Line[] = []
  let n = 0
  for await (const p of pieces) {
    if (p.kind === 'too-long') {
      n++
      out.push({ line: n, text: p.head.toString('utf8'), tooLong: { length: p.length } })
    } else if (p.kind === 'line') {
      n++
      out.push({ line: n, text: p.bytes.toString('utf8') })
    } else {
      const text = p.bytes.toString('utf8')
      for (const t of text.slice(0, -1).split('\n')) out.push({ line: ++n, text: t })
    }
  }
  // readLines drops a BOM on line 1; pieces leave that to their consumer
  if (out[0] !== undefined && out[0].text.charCodeAt(0) === 0xfeff) out[0] = { ...out[0], text: out[0].text.slice(1) }
  return out
}

const inputArb = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constant(''),
      fc.integer({ min: 50, max: 400 }).map((n) => 'x'.repeat(n)),
      fc.constantFrom('{"MESSAGE":"é → ü"}', '\r', '\ufeff{}'),
    ),
    { maxLength: 30 },
  )
  .chain((lines) => fc.tuple(fc.constant(lines), fc.boolean()))
  .map(([lines, trailing]) => Buffer.from(lines.join('\n') + (trailing ? '\n' : ''), 'utf8'))

describe('line blocks', () => {
  it('lineBlocks: the lines of readLines, for any chunking and line limit', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 16, max: 500 }), async (data, chunk, max) => {
        const chunks: Buffer[] = []
        for (let i = 0; i < data.length; i += chunk) chunks.push(data.subarray(i, i + chunk))
        assert.deepEqual(await viaPieces(lineBlocks(chunks, max)), await viaReadLines(data, chunk, max))
      }),
      { seed: 7, numRuns: 400 },
    )
  })

  it('fileLineBlocks: the same from positional reads into a growing buffer', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 16, max: 500 }), async (data, chunkBytes, max) => {
        const read = (b: Buffer, o: number, l: number, p: number): number => data.copy(b, o, p, Math.min(p + l, data.length))
        assert.deepEqual(await viaPieces(fileLineBlocks(read, 0, data.length, () => {}, max, chunkBytes)), await viaReadLines(data, 7, max))
      }),
      { seed: 8, numRuns: 400 },
    )
  })

  it('fileLineBlocks reads only its range and reports what it read', async () => {
    const data = Buffer.from('a\nbb\nccc\ndddd\n')
    let consumed = 0
    const read = (b: Buffer, o: number, l: number, p: number): number => data.copy(b, o, p, Math.min(p + l, data.length))
    const lines = await viaPieces(fileLineBlocks(read, 2, 9, (n) => (consumed += n), 100, 4))
    assert.deepEqual(
      lines.map((l) => l.text),
      ['bb', 'ccc'],
    )
    assert.equal(consumed, 7)
  })
})
