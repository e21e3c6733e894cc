/**
 * Damage done to real inputs, as data (recipes) so fast-check can generate, shrink and print them
 * and the fuzz campaign can store them.
 *
 * Byte mutations model a broken disk: flipped bytes, a truncated file, NUL-filled blocks, invalid
 * UTF-8, CR/CRLF/LF mixes, a BOM, duplicated or deleted ranges, another format's bytes spliced in.
 * Line mutations do the same per line and remember, for every line of the result, which unmutated
 * line it is a verbatim copy of (its origin), so the suite can tell which records survived untouched.
 */
import fc from 'fast-check'

/** What a garbage payload is made of. */
export type Payload =
  | { kind: 'nul'; length: number }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'invalid-utf8'; which: number }
  | { kind: 'foreign'; index: number }
  | { kind: 'long'; length: number }

export type ByteMutation =
  | { op: 'flip'; at: number; xor: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; payload: Payload }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'eol'; style: 'crlf' | 'cr' | 'mixed'; salt: number }
  | { op: 'bom' }
  | { op: 'empty' }

export type LineDamage =
  | { how: 'flip'; at: number; xor: number }
  | { how: 'cut'; at: number }
  | { how: 'insert'; at: number; payload: Payload }
  | { how: 'crlf' }
  | { how: 'cr-inside'; at: number }

export type LineMutation =
  | { op: 'drop'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; at: number }
  | { op: 'move'; from: number; to: number }
  | { op: 'insert'; at: number; payload: Payload }
  | { op: 'damage'; at: number; damage: LineDamage }
  | { op: 'truncate'; at: number; cut: number }
  | { op: 'bom' }

/** Byte sequences that are not UTF-8: lone continuation, truncated sequences, overlong, surrogate, > U+10FFFF. */
export const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xfe, 0xfe, 0xff, 0xff],
]

const NEWLINE = 0x0a
const BOM = [0xef, 0xbb, 0xbf]

/** Lines of other formats (and of this one), for splicing formats into each other. */
export interface ForeignPool {
  lines: readonly Buffer[]
}

function payloadBytes(p: Payload, pool: ForeignPool, allowNewline: boolean): Buffer {
  let out: Buffer
  switch (p.kind) {
    case 'nul':
      out = Buffer.alloc(p.length)
      break
    case 'bytes':
      out = Buffer.from(p.bytes)
      break
    case 'invalid-utf8':
      out = Buffer.from(INVALID_UTF8[p.which % INVALID_UTF8.length]!)
      break
    case 'foreign':
      out = pool.lines.length === 0 ? Buffer.alloc(0) : pool.lines[p.index % pool.lines.length]!
      if (allowNewline) out = Buffer.concat([out, Buffer.from('\n')])
      break
    case 'long':
      out = Buffer.alloc(p.length, 'A')
      break
  }
  return allowNewline ? out : Buffer.from(out.filter((b) => b !== NEWLINE))
}

// ---- arbitraries ----------------------------------------------------------------------------

export const payloadArb: fc.Arbitrary<Payload> = fc.oneof(
  fc.record({ kind: fc.constant('nul' as const), length: fc.integer({ min: 1, max: 4096 }) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('invalid-utf8' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('foreign' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('long' as const), length: fc.integer({ min: 1000, max: 200_000 }) }),
)

export const byteMutationArb: fc.Arbitrary<ByteMutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), payload: payloadArb }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 512 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 2048 }) }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('eol' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const), salt: fc.nat() }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('bom' as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('empty' as const) }), weight: 1 },
)

const lineDamageArb: fc.Arbitrary<LineDamage> = fc.oneof(
  fc.record({ how: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ how: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ how: fc.constant('insert' as const), at: fc.nat(), payload: payloadArb }),
  fc.record({ how: fc.constant('crlf' as const) }),
  fc.record({ how: fc.constant('cr-inside' as const), at: fc.nat() }),
)

export const lineMutationArb: fc.Arbitrary<LineMutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('swap' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), payload: payloadArb }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('damage' as const), at: fc.nat(), damage: lineDamageArb }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), cut: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('bom' as const) }), weight: 1 },
)

/** How the mutated input is fed to the parser: whole, or in chunks of this many bytes. */
export const chunkSizeArb: fc.Arbitrary<number | null> = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 70_000 }))

// ---- byte mutations -------------------------------------------------------------------------

export function applyByteMutations(data: Buffer, mutations: readonly ByteMutation[], pool: ForeignPool): Buffer {
  let d = data
  for (const m of mutations) {
    const pos = (at: number): number => (d.length === 0 ? 0 : at % (d.length + 1))
    switch (m.op) {
      case 'flip': {
        if (d.length === 0) break
        const i = m.at % d.length
        d = Buffer.from(d)
        d[i] = d[i]! ^ m.xor
        break
      }
      case 'truncate':
        d = d.subarray(0, pos(m.at))
        break
      case 'insert': {
        const i = pos(m.at)
        d = Buffer.concat([d.subarray(0, i), payloadBytes(m.payload, pool, true), d.subarray(i)])
        break
      }
      case 'delete': {
        const i = pos(m.at)
        d = Buffer.concat([d.subarray(0, i), d.subarray(i + m.length)])
        break
      }
      case 'duplicate': {
        const i = pos(m.at)
        const piece = d.subarray(i, i + m.length)
        d = Buffer.concat([d.subarray(0, i + piece.length), piece, d.subarray(i + piece.length)])
        break
      }
      case 'eol':
        d = rewriteLineEnds(d, m.style, m.salt)
        break
      case 'bom':
        d = Buffer.concat([Buffer.from(BOM), d])
        break
      case 'empty':
        d = Buffer.alloc(0)
        break
    }
  }
  return d
}

function rewriteLineEnds(d: Buffer, style: 'crlf' | 'cr' | 'mixed', salt: number): Buffer {
  const out: number[] = []
  let n = salt
  for (const b of d) {
    if (b !== NEWLINE) {
      out.push(b)
      continue
    }
    n = (n * 1103515245 + 12345) >>> 0
    const pick = style === 'mixed' ? (['lf', 'crlf', 'cr'] as const)[n % 3]! : style
    if (pick === 'crlf') out.push(0x0d, NEWLINE)
    else if (pick === 'cr') out.push(0x0d)
    else out.push(NEWLINE)
  }
  return Buffer.from(out)
}

// ---- line mutations -------------------------------------------------------------------------

/** One line of a mutated input: its bytes, and the index of the unmutated line it copies verbatim (or null). */
export interface Segment {
  bytes: Buffer
  origin: number | null
}

export interface LineInput {
  segments: Segment[]
  /** Whether the last segment is followed by a newline. */
  finalNewline: boolean
}

/** Splits like src/lines.ts: on `\n`; a final empty piece after the last newline is no line. */
export function splitLines(data: Buffer): LineInput {
  const segments: Segment[] = []
  let start = 0
  for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
    segments.push({ bytes: data.subarray(start, nl), origin: segments.length })
    start = nl + 1
  }
  const finalNewline = start === data.length
  if (!finalNewline) segments.push({ bytes: data.subarray(start), origin: segments.length })
  return { segments, finalNewline }
}

export function joinLines(input: LineInput): Buffer {
  const parts: Buffer[] = []
  input.segments.forEach((s, i) => {
    parts.push(s.bytes)
    if (i < input.segments.length - 1 || input.finalNewline) parts.push(Buffer.from('\n'))
  })
  return Buffer.concat(parts)
}

function damageLine(bytes: Buffer, d: LineDamage, pool: ForeignPool): Buffer {
  const pos = (at: number): number => at % (bytes.length + 1)
  switch (d.how) {
    case 'flip': {
      if (bytes.length === 0) return Buffer.from([d.xor === NEWLINE ? 0x0b : d.xor])
      const out = Buffer.from(bytes)
      const i = d.at % bytes.length
      out[i] = out[i]! ^ d.xor
      if (out[i] === NEWLINE) out[i] = 0x0b
      return out
    }
    case 'cut':
      return bytes.subarray(0, pos(d.at) === bytes.length ? Math.max(0, bytes.length - 1) : pos(d.at))
    case 'insert': {
      const i = pos(d.at)
      return Buffer.concat([bytes.subarray(0, i), payloadBytes(d.payload, pool, false), bytes.subarray(i)])
    }
    case 'crlf':
      return Buffer.concat([bytes, Buffer.from('\r')])
    case 'cr-inside': {
      const i = pos(d.at)
      return Buffer.concat([bytes.subarray(0, i), Buffer.from('\r'), bytes.subarray(i)])
    }
  }
}

export function applyLineMutations(original: LineInput, mutations: readonly LineMutation[], pool: ForeignPool): LineInput {
  const segs = original.segments.map((s) => ({ ...s }))
  let finalNewline = original.finalNewline
  let bom = false
  for (const m of mutations) {
    const n = segs.length
    const idx = (at: number): number => at % Math.max(1, n)
    switch (m.op) {
      case 'drop':
        if (n > 0) segs.splice(idx(m.at), 1)
        break
      case 'duplicate':
        if (n > 0) segs.splice(idx(m.at) + 1, 0, { ...segs[idx(m.at)]! })
        break
      case 'swap':
        if (n > 1) {
          const i = m.at % (n - 1)
          ;[segs[i], segs[i + 1]] = [segs[i + 1]!, segs[i]!]
        }
        break
      case 'move':
        if (n > 1) {
          const [s] = segs.splice(idx(m.from), 1)
          segs.splice(m.to % n, 0, s!)
        }
        break
      case 'insert':
        segs.splice(m.at % (n + 1), 0, { bytes: payloadBytes(m.payload, pool, false), origin: null })
        break
      case 'damage':
        if (n > 0) {
          const i = idx(m.at)
          const bytes = damageLine(segs[i]!.bytes, m.damage, pool)
          segs[i] = { bytes, origin: bytes.equals(segs[i]!.bytes) ? segs[i]!.origin : null }
        }
        break
      case 'truncate':
        if (n > 0) {
          const i = idx(m.at)
          const s = segs[i]!
          const cut = m.cut % (s.bytes.length + 1)
          segs.splice(i + 1)
          segs[i] = { bytes: s.bytes.subarray(0, cut), origin: cut === s.bytes.length ? s.origin : null }
          finalNewline = false
        }
        break
      case 'bom':
        bom = true
        break
    }
  }
  // src/lines.ts drops a BOM at the start of line 1, so that line is still a verbatim copy.
  if (bom) {
    if (segs.length > 0) segs[0] = { bytes: Buffer.concat([Buffer.from(BOM), segs[0]!.bytes]), origin: segs[0]!.origin }
    else segs.push({ bytes: Buffer.from(BOM), origin: null })
  }
  // An empty last piece with no newline after it is no line at all (src/lines.ts yields nothing for it).
  if (!finalNewline && segs.length > 0 && segs[segs.length - 1]!.bytes.length === 0) {
    segs.pop()
    finalNewline = true
  }
  return { segments: segs, finalNewline }
}
