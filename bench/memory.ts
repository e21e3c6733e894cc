/**
 * `npm run bench:memory [-- --sizes 100,1024,4096 --dir DIR]`: peak RSS of `maskwhy explain` and
 * `maskwhy timeline` on generated journal exports of growing size, and on a directory of rotated
 * files (half of them gzip'd). Passes when every peak is at most 200 MiB and, for each command, the
 * peaks of the single files stay within ±20 % of each other: memory must not grow with the number of
 * entries.
 * Each input is generated into DIR (default $TMPDIR/maskwhy-bench-memory), measured and deleted.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statfsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeJournalJson } from './generate-journal.ts'
import { machine, measure } from './measure.ts'

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback)
}

const sizes = option('sizes', '100,1024,4096').split(',').map(Number)
const dir = option('dir', join(tmpdir(), 'maskwhy-bench-memory'))
const CLI = option('cli', new URL('../dist/src/cli.js', import.meta.url).pathname)
const LIMIT_MIB = 200
const FLAT = 0.2

mkdirSync(dir, { recursive: true })
const free = (): number => {
  const s = statfsSync(dir)
  return s.bavail * s.bsize
}

interface Case {
  name: string
  megabytes: number
  explain: number
  timeline: number
  events: string
}
const cases: Case[] = []

function measureEvidence(name: string, evidence: string, megabytes: number): void {
  process.stderr.write(`memory: ${name} … `)
  const explain = measure([process.execPath, CLI, 'explain', evidence, '--quiet'], 1, { discard: true })
  const timeline = measure([process.execPath, CLI, 'timeline', evidence, '--quiet', '--format', 'jsonl'], 1, { discard: true })
  const summary = spawnSync(process.execPath, [CLI, 'timeline', evidence, '--quiet', '--format', 'jsonl'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] })
  const events = /(\d+) events kept/.exec(summary.stderr)?.[1] ?? '?'
  process.stderr.write(`explain ${explain.peakRssMiB.toFixed(0)} MiB, timeline ${timeline.peakRssMiB.toFixed(0)} MiB\n`)
  cases.push({ name, megabytes, explain: explain.peakRssMiB, timeline: timeline.peakRssMiB, events })
}

for (const mb of sizes) {
  const file = join(dir, `journal-${mb}MB.json`)
  if (free() < mb * 1024 * 1024 * 1.2) {
    console.error(`memory: not enough free space in ${dir} for ${mb} MB; skipped`)
    continue
  }
  process.stderr.write(`memory: generating ${mb} MB … `)
  await writeJournalJson(file, { bytes: mb * 1024 * 1024, seed: 1, host: 'web1' })
  process.stderr.write('done\n')
  try {
    measureEvidence(`${mb} MB file`, file, statSync(file).size / 1e6)
  } finally {
    rmSync(file, { force: true })
  }
}

// A copied /var/log with many rotated exports: read one at a time, whatever their number.
const rotated = join(dir, 'rotated', 'var', 'log')
mkdirSync(rotated, { recursive: true })
try {
  const files = 12
  const each = 64
  let total = 0
  for (let i = 0; i < files; i++) {
    const name = join(rotated, i === 0 ? 'journal-export.json' : `journal-export.json.${i}`)
    await writeJournalJson(name, { bytes: each * 1024 * 1024, seed: 100 + i, host: 'web1' })
    total += statSync(name).size
    if (i >= files / 2) spawnSync('gzip', ['-f', name])
  }
  measureEvidence(`${files} rotated files (half .gz)`, join(dir, 'rotated'), total / 1e6)
} finally {
  rmSync(join(dir, 'rotated'), { recursive: true, force: true })
}
if (!existsSync(join(dir, 'rotated'))) rmSync(dir, { recursive: true, force: true })

console.log(`\nmaskwhy peak RSS (MiB) by input size — ${machine()}\n`)
console.log('| input | MB | events | explain | timeline |')
console.log('|:--|--:|--:|--:|--:|')
for (const c of cases) console.log(`| ${c.name} | ${c.megabytes.toFixed(0)} | ${c.events} | ${c.explain.toFixed(0)} | ${c.timeline.toFixed(0)} |`)

const singles = cases.filter((c) => c.name.endsWith('MB file'))
const flatness = (peaks: number[]): boolean => peaks.length < 2 || Math.max(...peaks) <= Math.min(...peaks) * (1 + FLAT)
const flatExplain = flatness(singles.map((c) => c.explain))
const flatTimeline = flatness(singles.map((c) => c.timeline))
const bounded = cases.every((c) => c.explain <= LIMIT_MIB && c.timeline <= LIMIT_MIB)
const answer = (ok: boolean): string => (ok ? 'yes' : 'NO')
console.log(
  `\npeak RSS flat within ±${FLAT * 100} % across sizes (largest ≤ smallest × ${1 + FLAT}): explain ${answer(flatExplain)}, timeline ${answer(flatTimeline)}; every peak ≤ ${LIMIT_MIB} MiB: ${answer(bounded)}`,
)
process.exitCode = flatExplain && flatTimeline && bounded ? 0 : 1
