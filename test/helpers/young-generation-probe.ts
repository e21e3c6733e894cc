// Child process of test/heap-policy.test.ts: parses a journal with a worker thread (with or without the
// CLI's heap policy), then makes the main thread's young collections find survivors, and prints the
// young generation's size in MiB.
import { getHeapSpaceStatistics } from 'node:v8'
import { adoptLeanHeapPolicy } from '../../src/heap-policy.ts'
import { parseJournalJson } from '../../parsers/journal-json.ts'
import { readLines } from '../../src/lines.ts'
import { Readable } from 'node:stream'

const [file, size, mode] = process.argv.slice(2)
if (mode === 'policy') adoptLeanHeapPolicy()
const ctx = {
  path: 'journal.json',
  localZone: { zone: 'UTC', source: 'test' },
  fileMtimeUs: null,
  yearHint: null,
  jobs: 2,
  warn() {},
  warnAt() {},
}
const input = {
  lines: () => readLines(Readable.from([])),
  bytes: () => Readable.from([]),
  randomAccess: async () => {
    throw new Error('not used')
  },
  plainFile: () => ({ path: file!, size: Number(size), consumed() {} }),
}
let events = 0
for await (const _ of parseJournalJson(input, ctx, { line() {} }, { minBytes: 0, rangeBytes: 256 * 1024 })) events++

let held: { n: number; s: string }[] = []
for (let i = 0; i < 3_000_000; i++) {
  held.push({ n: i, s: `x${i}` })
  if (held.length > 50_000) held = []
}
const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size / 1024 / 1024
console.log(JSON.stringify({ events, young }))
