import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isDeepStrictEqual } from 'node:util'
import { bufferSource } from '../../src/inputs.ts'
import { readAllJournalEntries, type JournalFileProblem } from '../../src/journal/binary/index.ts'
import { decompressPayload, DecompressError } from '../../src/journal/binary/decompress.ts'
import { fixture, fixtureJson, fromJournalctl, fromRaw, type ComparableEntry } from '../helpers/journal-binary.ts'

const u64 = (d: Buffer, at: number): number => Number(d.readBigUInt64LE(at))
const align8 = (n: number): number => (n + 7) & ~7

/** An independent walk of a sound file: every object in order (the header's tail object is the last). */
function objectsOf(d: Buffer): { at: number; type: number; flags: number; size: number }[] {
  const list = []
  for (let at = u64(d, 88); at <= u64(d, 136); at += align8(u64(d, at + 8))) {
    list.push({ at, type: d[at]!, flags: d[at + 1]!, size: u64(d, at + 8) })
  }
  return list
}

function chainOf(d: Buffer): number[] {
  const arrays = []
  for (let at = u64(d, 176); at !== 0; at = u64(d, at + 16)) arrays.push(at)
  return arrays
}

async function read(d: Buffer): Promise<{ read: ComparableEntry[]; problems: JournalFileProblem[]; lost: number }> {
  const { entries, problems, stats } = await readAllJournalEntries(bufferSource(d))
  return { read: entries.map(fromRaw), problems, lost: stats.lost }
}

describe('binary journal: truncated at every 8th byte', () => {
  for (const name of ['user-1000', 'system']) {
    it(`${name}.journal: no throw, no hang; exactly the entries wholly before the cut, equal to the originals`, async () => {
      const whole = fixture(name)
      const original = fixtureJson(name).map(fromJournalctl)
      const objects = objectsOf(whole)
      const entryEnds = objects.filter((o) => o.type === 3).map((o) => o.at + o.size)
      const used = objects.at(-1)!.at + objects.at(-1)!.size
      // Every 8-byte slot of the header and of the object region; through the 3.7 MB of hash tables
      // in between, whose cuts all behave alike, every 40961st byte.
      const cuts = new Set<number>()
      for (let c = 0; c < 400; c += 8) cuts.add(c).add(c + 3)
      for (let c = 400; c < objects[2]!.at; c += 40961) cuts.add(c)
      // One cut per 8-byte slot, at a different position within the slot each time.
      for (let c = objects[2]!.at; c <= used + 8; c += 8) cuts.add(c + ((c / 8) % 8))
      let previous = 0
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        const { read: got, lost } = await read(whole.subarray(0, cut))
        const expected = entryEnds.filter((end) => end <= cut).length
        assert.equal(got.length, expected, `cut at ${cut}`)
        assert.deepEqual(got, original.slice(0, expected), `cut at ${cut}`)
        assert.ok(got.length >= previous, `cut at ${cut}: fewer entries than a shorter file gave`)
        if (cut >= 208 + 64) assert.equal(lost, original.length - expected, `cut at ${cut}: lost`)
        previous = got.length
      }
      assert.equal(previous, original.length)
    })
  }
})

describe('binary journal: damaged structure, patched in memory', () => {
  const all = fixtureJson('system').map(fromJournalctl)
  interface Case {
    name: string
    patch: (d: Buffer) => void
    codes: string[]
    lost?: number
    entries?: ComparableEntry[]
  }
  const cases: Case[] = [
    {
      name: 'the last entry array points back at the first (a loop over the whole chain)',
      patch: (d) => d.writeBigUInt64LE(BigInt(chainOf(d)[0]!), chainOf(d).at(-1)! + 16),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
    },
    {
      name: 'the first entry array points at itself',
      patch: (d) => d.writeBigUInt64LE(BigInt(chainOf(d)[0]!), chainOf(d)[0]! + 16),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
    },
    {
      name: "the header's entry_array_offset is misaligned",
      patch: (d) => d.writeBigUInt64LE(BigInt(u64(d, 176) + 4), 176),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
    },
    {
      name: "the header's entry_array_offset points past the end of the file",
      patch: (d) => d.writeBigUInt64LE(1n << 40n, 176),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
    },
    {
      name: "the header's entry_array_offset is 0 while n_entries says 55",
      patch: (d) => d.writeBigUInt64LE(0n, 176),
      codes: ['JOURNAL_SALVAGED'],
    },
    {
      name: 'the second entry array became a DATA object (too small for one: the scan skips it as garbage)',
      patch: (d) => void (d[chainOf(d)[1]!] = 1),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
    },
    {
      name: 'an entry array item points into the header (the scan finds that entry, after the others)',
      patch: (d) => d.writeUInt32LE(8, chainOf(d)[0]! + 24),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
      entries: [...all.slice(1), all[0]!],
    },
    {
      name: 'an entry array item points 4 bytes into its entry (the scan still finds that entry)',
      patch: (d) => d.writeUInt32LE(d.readUInt32LE(chainOf(d)[0]! + 24) + 4, chainOf(d)[0]! + 24),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
      entries: [...all.slice(1), all[0]!],
    },
    {
      name: "an entry claims 2^50 bytes: that entry is lost, the scan resynchronises after it",
      patch: (d) => d.writeBigUInt64LE(1n << 50n, objectsOf(d).filter((o) => o.type === 3)[9]!.at + 8),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
      lost: 1,
      entries: all.filter((_, i) => i !== 9),
    },
    {
      name: 'n_entries claims more entries than the file could hold: the count is ignored',
      patch: (d) => d.writeBigUInt64LE(1n << 60n, 152),
      codes: ['JOURNAL_OBJECT_INVALID', 'JOURNAL_SALVAGED'],
    },
  ]
  for (const c of cases) {
    it(`${c.name}: terminates, every entry read once, reported with offsets`, async () => {
      const d = fixture('system')
      c.patch(d)
      const { read: got, problems, lost } = await read(d)
      assert.deepEqual(got, c.entries ?? all)
      assert.deepEqual(
        problems.map((p) => p.code),
        c.codes,
        problems.map((p) => p.message).join('\n'),
      )
      assert.ok(problems.every((p) => Number.isInteger(p.offset) && p.offset >= 0))
      assert.equal(lost, c.lost ?? 0)
    })
  }
})

describe('binary journal: compressed fields that are damaged or too big', () => {
  function compressedObjects(d: Buffer, flags: number): { at: number; size: number }[] {
    return objectsOf(d).filter((o) => o.type === 1 && o.flags === flags)
  }

  it('an LZ4 field claiming 2^40 bytes is refused (no allocation), the entry keeps its other fields', async () => {
    const d = fixture('lz4')
    const [blob] = compressedObjects(d, 2)
    d.writeBigUInt64LE(1n << 40n, blob!.at + 64)
    const { read: got, problems } = await read(d)
    assert.equal(got.length, 59)
    assert.deepEqual(
      problems.map((p) => [p.code, p.offset]),
      [['JOURNAL_DECOMPRESS_FAILED', blob!.at]],
    )
    assert.match(problems[0]!.message, /claims 1099511627776 bytes, over the 67108864-byte cap/)
    const damaged = got.find((e) => e.fields['MESSAGE']?.[0] === 'Reloading.')!
    assert.equal(damaged.fields['X_BLOB'], undefined)
    assert.ok(damaged.fields['_PID'])
  })

  it('a corrupt XZ stream is reported, and the next XZ field still decompresses (the decoder is released)', async () => {
    const d = fixture('xz')
    const [first, second] = compressedObjects(d, 1)
    assert.ok(first && second)
    d.fill(0x5a, first.at + 64 + 24, first.at + 64 + 40)
    const { read: got, problems } = await read(d)
    assert.deepEqual(
      problems.map((p) => [p.code, p.offset]),
      [['JOURNAL_DECOMPRESS_FAILED', first.at]],
    )
    const reference = fixtureJson('xz').map(fromJournalctl)
    const differing = got.flatMap((e, i) => {
      const want = reference[i]!
      return isDeepStrictEqual(e, want) ? [] : [Object.keys(want.fields).filter((k) => !isDeepStrictEqual(e.fields[k], want.fields[k]))]
    })
    assert.deepEqual(differing, [['X_BLOB']])
    assert.ok(got.some((e) => e.fields['MESSAGE']?.[0]?.includes('systemctl mask cups.service')))
  })

  it('caps each decompressor: zstd frame headers, lz4 size prefixes, xz output', async () => {
    // zstd frame with a 4-byte content size of 2^31 (single segment): refused before fzstd allocates.
    const zstdHeader = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0x00, 0x00, 0x00, 0x80, 0x00])
    const overCap = (e: Error): boolean => e instanceof DecompressError && /over the/.test(e.message)
    await assert.rejects(decompressPayload(4, zstdHeader), overCap)
    await assert.rejects(decompressPayload(4, Buffer.from('not zstd at all')), DecompressError)
    const lz4 = Buffer.alloc(16)
    lz4.writeBigUInt64LE(10n)
    lz4[8] = 0x50 // 5 literals promised, none there
    await assert.rejects(decompressPayload(2, lz4), DecompressError)
    await assert.rejects(decompressPayload(1, Buffer.from('garbage that is not xz')), DecompressError)
    await assert.rejects(decompressPayload(3, Buffer.from('x')), DecompressError)
    // A real XZ field of the fixture with a cap below its size.
    const d = fixture('xz')
    const [blob] = compressedObjects(d, 1)
    const payload = d.subarray(blob!.at + 64, blob!.at + blob!.size)
    assert.equal((await decompressPayload(1, payload)).toString(), `X_BLOB=${'x'.repeat(5000)}`)
    await assert.rejects(decompressPayload(1, payload, 1000), /over the 1000-byte cap/)
  })
})
