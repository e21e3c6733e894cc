// Child process of test/heap-policy.test.ts: fills the old generation with garbage, calls
// collectGarbage() with or without the CLI's heap policy, and prints the heap in use before and after (MiB).
import { getHeapStatistics } from 'node:v8'
import { adoptLeanHeapPolicy, collectGarbage } from '../../src/heap-policy.ts'

if (process.argv[2] === 'policy') adoptLeanHeapPolicy()
let held: string[][] = []
// survive a few young collections each, so that they are promoted, then dropped
for (let round = 0; round < 40; round++) {
  held.push(Array.from({ length: 2000 }, (_, i) => `garbage ${round} ${i} ${'x'.repeat(200)}`))
  if (held.length > 4) held = held.slice(1)
}
held = []
const used = (): number => getHeapStatistics().used_heap_size / 1024 / 1024
const before = used()
collectGarbage()
console.log(JSON.stringify({ before, after: used() }))
