/**
 * `npm run bench [-- --mb 1024 --runs 3 --seed 1 --dir DIR --keep --no-gzip --no-binary --no-packages]`: maskwhy and its peers
 * side by side on the same generated journal export (bench/generate-journal.ts): median MB/s over
 * several runs, the spread, peak RSS, and each peer's speed relative to `maskwhy explain`.
 *
 * Peers: grep -c (a literal), lnav -n (indexing; and with a MESSAGE query), jq (a select on MESSAGE),
 * cat; and on binary journal files made from the same export (--binary-entries N,M…, default 70000,300000:
 * 62 and 224 MB; needs systemd-journal-remote; --no-binary skips them): maskwhy explain, maskwhy journal -o json and
 * journalctl -o json; and on generated apt/dpkg and dnf logs of --package-mb MB each (default 20;
 * bench/generate-packages.ts; --no-packages skips them): maskwhy explain and grep -c -r. A missing peer is
 * skipped with the command that installs it; nothing is installed here.
 * Measures the built CLI (dist/, `npm run build`). Generated files go to $TMPDIR/maskwhy-bench and are
 * deleted afterwards unless --keep.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeJournalJson } from './generate-journal.ts'
import { JOURNAL_REMOTE, journalBytes, writeBinaryJournal } from './binary-journal.ts'
import { writePackageLogs, type PackageFamily } from './generate-packages.ts'
import { hasCommand, machine, measure, type Measurement } from './measure.ts'

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback)
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`)

const megabytes = Number(option('mb', '1024'))
const runs = Number(option('runs', '3'))
const seed = Number(option('seed', '1'))
const dir = option('dir', join(tmpdir(), 'maskwhy-bench'))
const CLI = option('cli', new URL('../dist/src/cli.js', import.meta.url).pathname)
if (!existsSync(CLI)) {
  console.error(`bench: ${CLI} is missing; run "npm run build" first (npm run bench does)`)
  process.exit(2)
}

mkdirSync(dir, { recursive: true })
const file = join(dir, `journal-${megabytes}MB-seed${seed}.json`)
const gz = `${file}.gz`
const made: string[] = []
if (!existsSync(file)) {
  const started = Date.now()
  process.stderr.write(`bench: generating ${file} … `)
  await writeJournalJson(file, { bytes: megabytes * 1024 * 1024, seed, host: 'web1' })
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  made.push(file)
}
if (!flag('no-gzip') && !existsSync(gz)) {
  process.stderr.write(`bench: gzip ${file} … `)
  const r = spawnSync('sh', ['-c', 'gzip -c "$1" > "$2"', 'sh', file, gz], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('gzip failed')
  process.stderr.write('done\n')
  made.push(gz)
}
const bytes = statSync(file).size

// Binary journal files made from the start of the same export by systemd-journal-remote: a small set,
// where start-up is much of the time, and one of a usual journal directory's size (hundreds of MB).
const binarySets: { entries: number; dir: string; bytes: number }[] = []
if (!flag('no-binary') && existsSync(JOURNAL_REMOTE)) {
  for (const entries of option('binary-entries', '70000,300000').split(',').map(Number)) {
    const binaryDir = join(dir, `binary-${entries}-seed${seed}`)
    if (!existsSync(binaryDir)) {
      process.stderr.write(`bench: binary journal of ${entries} entries … `)
      made.push(binaryDir)
      await writeBinaryJournal(file, binaryDir, entries)
      process.stderr.write('done\n')
    }
    binarySets.push({ entries, dir: binaryDir, bytes: journalBytes(binaryDir) })
  }
}

// Package-manager logs of a Debian and an EL host (bench/generate-packages.ts), in a copied machine's layout.
const packageMegabytes = Number(option('package-mb', '20'))
const packageRoots: { family: PackageFamily; root: string; bytes: number }[] = []
if (!flag('no-packages')) {
  for (const family of ['debian', 'el'] as const) {
    const root = join(dir, `packages-${family}-${packageMegabytes}MB-seed${seed}`)
    if (!existsSync(root)) {
      process.stderr.write(`bench: ${family} package logs … `)
      made.push(root)
      await writePackageLogs(root, { bytes: packageMegabytes * 1024 * 1024, seed, family })
      process.stderr.write('done\n')
    }
    const logs = join(root, 'var/log')
    const bytes = readdirSync(logs, { recursive: true, encoding: 'utf8' }).reduce((sum, f) => sum + (statSync(join(logs, f)).isFile() ? statSync(join(logs, f)).size : 0), 0)
    packageRoots.push({ family, root, bytes })
  }
}

interface Row {
  name: string
  command: string
  m: Measurement | null
  missing?: string
  note?: string
  /** Bytes the MB/s are of (default: the JSON export). */
  bytes?: number
}
const rows: Row[] = []
function run(name: string, argv: string[], options: { discard?: boolean; needs?: string; okStatus?: number[]; note?: string; bytes?: number } = {}): void {
  if (options.needs !== undefined && !hasCommand(options.needs)) {
    rows.push({ name, command: argv.join(' '), m: null, missing: `${options.needs} missing: apt-get install ${options.needs}` })
    return
  }
  process.stderr.write(`bench: ${name} ×${runs} … `)
  const m = measure(argv, runs, options)
  process.stderr.write(`${m.medianSeconds.toFixed(2)} s\n`)
  rows.push({ name, command: argv.join(' '), m, ...(options.note !== undefined && { note: options.note }), ...(options.bytes !== undefined && { bytes: options.bytes }) })
}

const node = process.execPath
run('maskwhy explain', [node, CLI, 'explain', file, '--quiet'], { discard: true })
run('maskwhy explain --jobs 1', [node, CLI, 'explain', file, '--quiet', '--jobs', '1'], { discard: true })
run('maskwhy timeline', [node, CLI, 'timeline', file, '--quiet', '--format', 'jsonl'], { discard: true })
if (existsSync(gz)) run('maskwhy explain (.gz)', [node, CLI, 'explain', gz, '--quiet'], { discard: true, note: 'MB/s of uncompressed bytes' })
run('grep -c', ['grep', '-c', '-F', 'is masked', file], { needs: 'grep', okStatus: [0, 1] })
run('lnav -n (index)', ['lnav', '-n', '-q', file], { needs: 'lnav', discard: true })
run('lnav -n (MESSAGE query)', ['lnav', '-n', '-q', '-c', ';SELECT count(*) FROM all_logs WHERE log_body LIKE "%is masked%"', file], {
  needs: 'lnav',
  discard: true,
})
run('jq select', ['jq', '-c', 'select((.MESSAGE|type)=="string" and (.MESSAGE|contains("is masked")))', file], { needs: 'jq', discard: true })
run('cat', ['cat', file], { discard: true })
const binaryName = (set: (typeof binarySets)[number], command: string): string => `binary ${set.entries / 1000}k entries: ${command}`
for (const set of binarySets) {
  const binary = { discard: true, bytes: set.bytes, note: 'binary journal files' }
  run(binaryName(set, 'maskwhy explain'), [node, CLI, 'explain', set.dir, '--quiet'], binary)
  run(binaryName(set, 'maskwhy journal -o json'), [node, CLI, 'journal', set.dir, '-o', 'json'], binary)
  run(binaryName(set, 'journalctl -o json'), ['journalctl', '-D', set.dir, '-o', 'json', '--all'], { ...binary, needs: 'journalctl' })
}
if (binarySets.length === 0 && !flag('no-binary')) {
  rows.push({ name: 'binary journals', command: '', m: null, missing: `${JOURNAL_REMOTE} missing: apt-get install systemd-journal-remote` })
}

for (const { family, root, bytes: logBytes } of packageRoots) {
  const options = { discard: true, bytes: logBytes, note: `${family} package logs` }
  run(`${family} package logs: maskwhy explain`, [node, CLI, 'explain', root, '--quiet'], options)
  run(`${family} package logs: grep -c -r`, ['grep', '-c', '-r', '-F', 'Created symlink', join(root, 'var/log')], { ...options, needs: 'grep', okStatus: [0, 1] })
}

const mbps = (m: Measurement, s = m.medianSeconds, of = bytes): number => of / 1e6 / s
const reference = rows[0]?.m
console.log(`\nmaskwhy bench: ${(bytes / 1e6).toFixed(0)} MB journalctl -o json (seed ${seed}), ${runs} runs each, warm cache`)
for (const set of binarySets) console.log(`binary ${set.entries / 1000}k entries rows: ${(set.bytes / 1e6).toFixed(0)} MB of journal files holding the export's first ${set.entries} entries (systemd-journal-remote); their MB/s are of those bytes`)
for (const p of packageRoots) console.log(`${p.family} package log rows: ${(p.bytes / 1e6).toFixed(0)} MB of generated logs (bench/generate-packages.ts); their MB/s are of those bytes`)
console.log(`machine: ${machine()}\n`)
const header = ['command', 'median MB/s', 'spread MB/s', 'peak RSS MiB', 'vs explain']
const table = rows.map((r) => {
  if (r.m === null) return [r.name, '-', '-', '-', r.missing ?? '']
  const speeds = r.m.seconds.map((s) => mbps(r.m!, s, r.bytes))
  return [
    r.name,
    mbps(r.m, r.m.medianSeconds, r.bytes).toFixed(0),
    `${Math.min(...speeds).toFixed(0)}–${Math.max(...speeds).toFixed(0)}`,
    r.m.peakRssMiB.toFixed(0),
    reference && r.bytes === undefined ? `${(mbps(r.m) / mbps(reference)).toFixed(2)}×` : '',
  ]
})
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`
console.log(line(header))
console.log(`|${widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`)
for (const row of table) console.log(line(row))

// The issue's targets, checked on this run.
const find = (name: string): Measurement | null => rows.find((r) => r.name === name)?.m ?? null
const targets: [string, boolean | null][] = []
const explain = find('maskwhy explain')
const timeline = find('maskwhy timeline')
const grep = find('grep -c')
const jq = find('jq select')
if (explain) {
  targets.push(['explain ≥ 800 MB/s', mbps(explain) >= 800])
  targets.push(['explain peak RSS ≤ 200 MiB', explain.peakRssMiB <= 200])
  if (grep) targets.push(['explain within 2× of grep -c', mbps(grep) / mbps(explain) <= 2])
  if (jq) targets.push(['explain ≥ 10× jq', mbps(explain) / mbps(jq) >= 10])
}
if (timeline) targets.push(['timeline ≥ 400 MB/s', mbps(timeline) >= 400])
for (const set of binarySets) {
  const binaryExplain = find(binaryName(set, 'maskwhy explain'))
  const journalctl = find(binaryName(set, 'journalctl -o json'))
  if (binaryExplain === null || journalctl === null) continue
  const ratio = journalctl.medianSeconds / binaryExplain.medianSeconds
  targets.push([`binary explain ≥ 4× journalctl on ${(set.bytes / 1e6).toFixed(0)} MB (${ratio.toFixed(1)}×)`, ratio >= 4])
}
console.log(`\ntargets: ${targets.map(([t, ok]) => `${t}: ${ok ? 'yes' : 'NO'}`).join('; ')}`)

if (!flag('keep')) for (const f of made) rmSync(f, { force: true, recursive: true })
