/** Runs a command several times under /usr/bin/time: median wall time and peak RSS. Installs nothing. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'

export interface Measurement {
  seconds: number[]
  medianSeconds: number
  /** Largest maximum resident set size over the runs, MiB. */
  peakRssMiB: number
  /** What the command printed (last run), for sanity checks. */
  stdout: string
}

const TIME = '/usr/bin/time'

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** `argv` runs with stdout to a pipe (kept) or to /dev/null (`discard`), under `/usr/bin/time -f %M`. */
export function measure(
  argv: string[],
  runs: number,
  options: { discard?: boolean; env?: NodeJS.ProcessEnv; okStatus?: readonly number[] } = {},
): Measurement {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing (apt-get install time)`)
  const seconds: number[] = []
  // /usr/bin/time writes the RSS here: /dev/fd/N cannot be reopened when stderr is a socket (spawnSync's).
  const rssFile = join(mkdtempSync(join(tmpdir(), 'maskwhy-bench-time-')), 'rss')
  let peakKiB = 0
  let stdout = ''
  for (let i = 0; i < runs; i++) {
    const script = `exec ${TIME} -f '%M' -o "${rssFile}" "$@" ${options.discard ? '> /dev/null' : ''}`
    const started = process.hrtime.bigint()
    const r = spawnSync('sh', ['-c', script, 'sh', ...argv], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: options.env ?? process.env,
    })
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9)
    if (!(options.okStatus ?? [0]).includes(r.status ?? -1)) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`)
    const rss = Number(/(\d+)\s*$/.exec(readFileSync(rssFile, 'utf8').trim())?.[1])
    if (Number.isFinite(rss)) peakKiB = Math.max(peakKiB, rss)
    stdout = r.stdout
  }
  rmSync(dirname(rssFile), { recursive: true, force: true })
  return { seconds, medianSeconds: median(seconds), peakRssMiB: peakKiB / 1024, stdout }
}

/** One line about the machine the figures come from. */
export function machine(): string {
  const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  return `${cpu}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`
}
