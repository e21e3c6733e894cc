import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import journalExport from '../../parsers/journal-export.ts'
import journalJson from '../../parsers/journal-json.ts'
import { PARSERS } from '../../parsers/index.ts'
import { readExportEntries, type ExportEntry, type ExportProblem } from '../../src/journal/export-reader.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseBytes, parseFile } from '../helpers/parse.ts'

const FIXTURES = new URL('../fixtures/journal-export/', import.meta.url).pathname
const EXPORT = `${FIXTURES}journal.export`
const JSON_OF_SAME = `${FIXTURES}journal.json`

interface Read {
  entries: { line: number; offset: number; fields: [string, string][]; realtime: string | null; cursor: string | null }[]
  problems: Pick<ExportProblem, 'line' | 'code'>[]
  parsed: number
  skipped: number
}

/** Feeds `data` to the reader in the given chunks and returns everything it reported, compactly. */
async function read(data: Buffer, chunks: number[] | number = data.length, maxValueBytes?: number): Promise<Read> {
  const parts: Buffer[] = []
  if (typeof chunks === 'number') for (let i = 0; i < data.length; i += chunks) parts.push(data.subarray(i, i + chunks))
  else {
    let at = 0
    for (const end of [...chunks, data.length]) {
      parts.push(data.subarray(at, end))
      at = end
    }
  }
  const out: Read = { entries: [], problems: [], parsed: 0, skipped: 0 }
  const entries: ExportEntry[] = []
  const options = {
    onLines: (n: number, parsed: boolean) => (parsed ? (out.parsed += n) : (out.skipped += n)),
    ...(maxValueBytes !== undefined && { maxValueBytes }),
  }
  for await (const e of readExportEntries(parts, (p) => out.problems.push({ line: p.line, code: p.code }), options)) entries.push(e)
  out.entries = entries.map(({ entry, line, offset }) => ({
    line,
    offset,
    fields: entry.fields.map((f) => [f.name, f.value.toString('latin1')]),
    realtime: entry.realtimeUs?.toString() ?? null,
    cursor: entry.cursor,
  }))
  return out
}

function binary(name: string, value: Buffer | string, length?: bigint): Buffer {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value)
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(length ?? BigInt(bytes.length))
  return Buffer.concat([Buffer.from(`${name}\n`), len, bytes, Buffer.from('\n')])
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1')
const newlines = (data: Buffer): number => data.toString('latin1').split('\n').length - 1

// Two entries: text fields, a repeated field, a binary field whose 8-byte length (10) is a newline byte.
const TWO = Buffer.concat([
  b('__CURSOR=s=0123456789abcdef0123456789abcdef;i=1f;b=6c7c6013a26343b29e964691ff25d04c;m=3039;t=60a24181e4000;x=3ae1944f2b103998\n'),
  b('__REALTIME_TIMESTAMP=1700000000000000\n__MONOTONIC_TIMESTAMP=12345\n_BOOT_ID=6c7c6013a26343b29e964691ff25d04c\n'),
  b('TAG=a\nTAG=b\n'),
  binary('MESSAGE', 'bell\u0007 ring'),
  b('\n'),
  b('__REALTIME_TIMESTAMP=1700000001000000\n'),
  binary('MESSAGE', 'line1\nline2'),
  b('_PID=1\n\n'),
])

describe('journal export reader', () => {
  it('reads text, binary and repeated fields, metadata from the cursor, and cites each entry at its first line', async () => {
    const r = await read(TWO)
    assert.deepEqual(r.problems, [])
    assert.deepEqual(r.entries, [
      {
        line: 1,
        offset: 0,
        fields: [
          ['_BOOT_ID', '6c7c6013a26343b29e964691ff25d04c'],
          ['TAG', 'a'],
          ['TAG', 'b'],
          ['MESSAGE', 'bell\u0007 ring'],
        ],
        realtime: '1700000000000000',
        cursor: 's=0123456789abcdef0123456789abcdef;i=1f;b=6c7c6013a26343b29e964691ff25d04c;m=3039;t=60a24181e4000;x=3ae1944f2b103998',
      },
      // line 1 cursor, 2-4 metadata, 5-6 TAG, 7 "MESSAGE", 8 the length's 0x0a byte, 9 value + \n, 10 blank
      { line: 11, offset: TWO.indexOf('__REALTIME_TIMESTAMP=1700000001'), fields: [['MESSAGE', 'line1\nline2'], ['_PID', '1']], realtime: '1700000001000000', cursor: null },
    ])
    assert.equal(r.parsed, newlines(TWO))
    assert.equal(r.skipped, 0)
  })

  it('fills seqnum, seqnum id, boot id and xor hash from the cursor (252 writes no __SEQNUM), __SEQNUM wins', async () => {
    const entries = []
    for await (const e of readExportEntries([TWO.subarray(0, TWO.indexOf('__REALTIME_TIMESTAMP=1700000001'))], () => assert.fail())) entries.push(e.entry)
    assert.equal(entries[0]?.seqnum, 0x1fn)
    assert.equal(entries[0]?.seqnumId, '0123456789abcdef0123456789abcdef')
    assert.equal(entries[0]?.bootId, '6c7c6013a26343b29e964691ff25d04c')
    assert.equal(entries[0]?.xorHash, 0x3ae1944f2b103998n)
    assert.equal(entries[0]?.monotonicUs, 12345n)
    const newer = b('__CURSOR=s=0123456789abcdef0123456789abcdef;i=1f;b=x\n__SEQNUM=7\n__SEQNUM_ID=ffffffffffffffffffffffffffffffff\n__UNKNOWN=skipped\nA=1\n')
    for await (const { entry } of readExportEntries([newer], () => assert.fail())) {
      assert.equal(entry.seqnum, 7n)
      assert.equal(entry.seqnumId, 'ffffffffffffffffffffffffffffffff')
      assert.equal(entry.bootId, null)
      assert.deepEqual(entry.fields.map((f) => f.name), ['A'])
    }
  })

  it('is binary-safe at every chunk boundary (lengths and values split anywhere)', async () => {
    const whole = await read(TWO)
    for (let size = 1; size <= 24; size++) assert.deepEqual(await read(TWO, size), whole, `chunks of ${size}`)
    for (let cut = 1; cut < TWO.length; cut++) assert.deepEqual(await read(TWO, [cut]), whole, `split at byte ${cut}`)
  })

  it('keeps CR bytes verbatim: CRLF is not a line end, and "\\r\\n" is not a blank line', async () => {
    const r = await read(b('MESSAGE=abc\r\nX=1\r\n\r\nY=2\n\nZ=3\n'))
    assert.deepEqual(r.entries.map((e) => e.fields), [[['MESSAGE', 'abc\r'], ['X', '1\r']], [['Z', '3']]])
    assert.deepEqual(r.problems, [{ line: 3, code: 'RECORD_INVALID' }])
    assert.deepEqual([r.parsed, r.skipped], [3, 3])
  })

  it('tolerates a missing final blank line, and a missing final newline with a warning', async () => {
    const noBlank = await read(b('A=1\nB=2\n'))
    assert.deepEqual(noBlank.entries.map((e) => e.fields), [[['A', '1'], ['B', '2']]])
    assert.deepEqual(noBlank.problems, [])
    assert.equal(noBlank.parsed, 2)
    const cut = await read(b('A=1\nB=2'))
    assert.deepEqual(cut.entries.map((e) => e.fields), [[['A', '1'], ['B', '2']]])
    assert.deepEqual(cut.problems, [{ line: 2, code: 'RECORD_UNTERMINATED' }])
    assert.deepEqual([cut.parsed, cut.skipped], [2, 0])
  })

  // Each case: input, the fields of the entries that survive, the problems (line, code), lines parsed/skipped.
  const damaged: { name: string; input: Buffer; fields: [string, string][][]; problems: Read['problems']; lines: [number, number]; max?: number }[] = [
    {
      name: 'garbage between entries, up to the next blank line',
      input: b('A=1\n\nthis is not a field\nnor=this one\n\nB=2\n'),
      fields: [[['A', '1']], [['B', '2']]],
      problems: [{ line: 3, code: 'RECORD_INVALID' }],
      lines: [3, 3],
    },
    {
      name: 'garbage right before the next entry: resynchronised at its __CURSOR= line',
      input: b('A=1\n\n<garbage>\n__CURSOR=s=1;i=2\nB=2\n\n'),
      fields: [[['A', '1']], [['B', '2']]],
      problems: [{ line: 3, code: 'RECORD_INVALID' }],
      lines: [5, 1],
    },
    {
      name: 'garbage inside an entry: the fields before it are kept',
      input: b('A=1\nlower=case\nB=2\n\nC=3\n'),
      fields: [[['A', '1']], [['C', '3']]],
      problems: [{ line: 2, code: 'RECORD_INVALID' }],
      lines: [2, 3],
    },
    {
      name: 'a corrupt length far over the cap allocates nothing and is skipped',
      input: Buffer.concat([b('A=1\n'), binary('MESSAGE', 'hello', 0xffffffffffffn), b('B=2\n\nC=3\n\n')]),
      fields: [[['A', '1']], [['C', '3']]],
      problems: [{ line: 2, code: 'RECORD_INVALID' }],
      lines: [3, 4],
    },
    {
      name: 'a length that does not end at a newline: skipped, the bytes after the name line are re-read',
      input: Buffer.concat([b('A=1\n'), binary('MESSAGE', 'hello', 3n), b('\nC=3\n\n')]),
      fields: [[['A', '1']], [['C', '3']]],
      problems: [{ line: 2, code: 'RECORD_INVALID' }],
      lines: [3, 3],
    },
    {
      name: 'a binary value cut off by the end of the input',
      input: Buffer.concat([b('A=1\n'), binary('MESSAGE', 'hello').subarray(0, 12)]),
      fields: [[['A', '1']]],
      problems: [{ line: 2, code: 'RECORD_UNTERMINATED' }],
      lines: [1, 2],
    },
    {
      name: 'a lost blank line: the second __CURSOR= starts a new entry',
      input: b('__CURSOR=s=1;i=1\nA=1\n__CURSOR=s=1;i=2\nB=2\n\n'),
      fields: [[['A', '1']], [['B', '2']]],
      problems: [{ line: 3, code: 'RECORD_UNTERMINATED' }],
      lines: [5, 0],
    },
    {
      name: 'a text line longer than the value cap is skipped without being held',
      input: b(`A=1\n\nB=${'x'.repeat(100)}\nC=1\n\nD=4\n`),
      fields: [[['A', '1']], [['D', '4']]],
      problems: [{ line: 3, code: 'LINE_TOO_LONG' }],
      lines: [3, 3],
      max: 32,
    },
    {
      name: 'a binary length over a small cap',
      input: Buffer.concat([binary('BIG', 'y'.repeat(40)), b('\nD=4\n')]),
      fields: [[['D', '4']]],
      problems: [{ line: 1, code: 'RECORD_INVALID' }],
      lines: [1, 3],
      max: 32,
    },
  ]
  for (const c of damaged) {
    it(`reports and skips damage: ${c.name}`, async () => {
      const r = await read(c.input, c.input.length, c.max)
      assert.deepEqual(r.entries.map((e) => e.fields), c.fields)
      assert.deepEqual(r.problems, c.problems)
      assert.deepEqual([r.parsed, r.skipped], c.lines)
      assert.equal(r.parsed + r.skipped, newlines(c.input) + (c.input.at(-1) === 0x0a ? 0 : 1), 'every line counted once')
      for (let size = 1; size <= 5; size++) assert.deepEqual(await read(c.input, size, c.max), r, `chunks of ${size}`)
    })
  }
})

/** Events as the recogniser sees them, without where they were read from. */
function withoutProvenance(events: MaskEvent[]): Omit<MaskEvent, 'path' | 'line' | 'parser'>[] {
  return events.map(({ path: _p, line: _l, parser: _r, ...rest }) => rest)
}

describe('journal-export parser', () => {
  it('reads real journalctl -o export output with every line counted and nothing reported', async () => {
    const data = readFileSync(EXPORT)
    const r = await parseBytes(journalExport, data, { path: 'journal.export' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: newlines(data), linesParsed: newlines(data), linesSkipped: 0, eventsKept: 31 })
  })

  it('cites every event at its entry\'s __CURSOR= line, with the cursor journalctl wrote there', async () => {
    const lines = readFileSync(EXPORT, 'latin1').split('\n')
    const r = await parseFile(journalExport, EXPORT)
    for (const e of r.events) assert.equal(lines[e.line - 1], `__CURSOR=${e.cursor}`, `${e.kind} at line ${e.line}`)
  })

  it('recognises the same entries as journalctl -o json gives them to the JSON parser, event for event', async () => {
    const fromExport = await parseFile(journalExport, EXPORT)
    const fromJson = await parseFile(journalJson, JSON_OF_SAME)
    assert.deepEqual(fromJson.diagnostics, [])
    assert.ok(fromExport.events.length >= 25)
    assert.deepEqual(withoutProvenance(fromExport.events), withoutProvenance(fromJson.events))
  })

  it('gives the same result whatever the chunk boundaries', async () => {
    const data = readFileSync(EXPORT)
    const whole = await parseBytes(journalExport, data)
    // (chunks of 1 and 2 bytes are covered on a small input above: here they only cost time in Readable.from)
    for (const chunkSize of [3, 8, 13, 4096]) assert.deepEqual(await parseBytes(journalExport, data, { chunkSize }), whole, `chunks of ${chunkSize}`)
  })

  it('keeps a damaged entry\'s good fields, reports path:line and keeps linesRead = parsed + skipped', async () => {
    const data = Buffer.concat([readFileSync(EXPORT).subarray(0, 2000), b('\x00\x01 disk noise\n\n'), readFileSync(EXPORT)])
    const r = await parseBytes(journalExport, data)
    assert.ok(r.diagnostics.length >= 1)
    assert.equal(r.diagnostics[0]?.code, 'RECORD_INVALID')
    assert.equal(r.counters.linesRead, newlines(data))
    assert.equal(r.counters.linesRead, r.counters.linesParsed + r.counters.linesSkipped)
    assert.ok(r.counters.linesSkipped > 0)
    const clean = await parseFile(journalExport, EXPORT)
    assert.ok(r.events.length >= clean.events.length)
  })

  it('is recognised by content by no other parser, and claims no other fixture', () => {
    const head = readFileSync(EXPORT, 'utf8').slice(0, 65536)
    const claimants = Object.values(PARSERS).filter((p) => p.detect(head)).map((p) => p.name)
    assert.deepEqual(claimants, ['journal-export'])
    const root = new URL('../fixtures/', import.meta.url).pathname
    const others = readdirSync(root, { recursive: true, encoding: 'utf8' })
      // other helpers' export files (e.g. a collect bundle's journal.export) are export files by design
      .filter((f) => !f.startsWith('journal-export') && !f.endsWith('.export'))
    let looked = 0
    for (const f of others) {
      let text: string
      try {
        text = readFileSync(`${root}${f}`).subarray(0, 65536).toString('utf8')
      } catch {
        continue // a directory
      }
      looked++
      assert.equal(journalExport.detect(text), false, f)
    }
    assert.ok(looked > 10)
    // a hand-written journal-remote input starting with __REALTIME_TIMESTAMP= counts too
    assert.equal(journalExport.detect('__REALTIME_TIMESTAMP=1700000000000000\nMESSAGE=x\n\n'), true)
    assert.equal(journalExport.detect('{"__CURSOR":"s=…"}\n'), false)
  })
})
