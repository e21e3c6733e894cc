// Throughput of the journal JSON path end to end (discovery → parse → timeline), printed, not asserted.
//   npx tsx bench/timeline.ts [MB=200]
// Builds a journalctl -o json file of the given size from the fixture entries (unique cursors, mostly
// noise as in a real journal: 1 in 50 entries is relevant), then times collectEvents + buildTimeline.
import { mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collectEvents } from '../src/run.ts'
import { buildTimeline } from '../src/timeline.ts'

const megabytes = Number(process.argv[2] ?? 200)
const fixture = readFileSync(new URL('../test/fixtures/journal/journal.json', import.meta.url), 'utf8').trim().split('\n')
const relevant = fixture.map((l) => JSON.parse(l) as Record<string, unknown>)
const noise = { ...relevant[0], _PID: '812', _COMM: 'nginx', SYSLOG_IDENTIFIER: 'nginx', MESSAGE: '192.0.2.7 - - "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"' }

const dir = mkdtempSync(join(tmpdir(), 'maskwhy-bench-'))
const file = join(dir, 'journal.json')
const fd = openSync(file, 'w')
let written = 0
let i = 0
while (written < megabytes * 1024 * 1024) {
  const batch: string[] = []
  for (let k = 0; k < 1000; k++, i++) {
    const base = i % 50 === 0 ? relevant[i % relevant.length]! : noise
    const t = 1_709_287_198_000_001 + i * 1000
    batch.push(JSON.stringify({ ...base, __CURSOR: `s=0123;i=${i.toString(16)};b=6c7c6013a26343b29e964691ff25d04c`, __REALTIME_TIMESTAMP: String(t) }))
  }
  const chunk = `${batch.join('\n')}\n`
  writeSync(fd, chunk)
  written += Buffer.byteLength(chunk)
}
closeSync(fd)

const bytes = statSync(file).size
const started = process.hrtime.bigint()
const collected = await collectEvents({ evidence: [file] })
const timeline = buildTimeline(collected.events)
const seconds = Number(process.hrtime.bigint() - started) / 1e9
rmSync(dir, { recursive: true, force: true })
console.log(
  `journal-json timeline: ${(bytes / 1e6).toFixed(0)} MB, ${i} entries, ${timeline.events.length} events in ${seconds.toFixed(2)} s = ` +
    `${(bytes / 1e6 / seconds).toFixed(0)} MB/s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
)
