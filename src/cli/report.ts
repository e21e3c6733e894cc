/**
 * `maskwhy report`: the explanation (same pipeline as `explain`), a timeline of masks, transactions and
 * boots, and the inputs with their SHA-256, as one self-contained HTML file (or Markdown).
 * Deterministic: the generation time (`--generated-at`) is the only value not taken from the evidence.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { realpath, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { discoverEvidence, UsageError } from '../discovery.ts'
import { STATE_KINDS, type Boot, type PackageTransaction } from '../events.ts'
import { renderSummary } from '../report/summary.ts'
import { renderReportMarkdown } from '../report/html/markdown.ts'
import type { ReportInput, ReportModel } from '../report/html/model.ts'
import { renderReportHtml } from '../report/html/page.ts'
import { parseInstant } from '../time.ts'
import type { CollectOptions } from '../run.ts'
import { VERSION } from '../version.ts'
import type { CommandOutput } from './timeline.ts'
import { runExplain } from './explain.ts'

export const REPORT_FORMATS = ['html', 'markdown'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export interface ReportArgs {
  evidence: string[]
  /** Output file, or null for stdout. */
  output: string | null
  format: ReportFormat
  /** ISO 8601; null: now. */
  generatedAt: string | null
  unit: string[]
  tz: string | null
  displayTz: string
  year: number | null
  formatOf: string[]
  /** stdin for `-` (tests); default process.stdin. */
  stdin?: Readable
  /** --jobs and the progress bar. */
  speed?: Pick<CollectOptions, 'jobs' | 'progress'>
}

const within = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel))
}

/** The path the output would really be written to (an existing link followed, as writeFile would). */
async function realOutputPath(output: string): Promise<string> {
  const abs = path.resolve(output)
  try {
    return await realpath(abs)
  } catch {
    try {
      return path.join(await realpath(path.dirname(abs)), path.basename(abs))
    } catch {
      throw new UsageError(`cannot write ${output}: its directory does not exist`)
    }
  }
}

/** Evidence is read-only: refuse an output inside an evidence directory, or onto an evidence file. */
export async function refuseOutputInEvidence(output: string, evidence: readonly string[]): Promise<void> {
  const out = await realOutputPath(output)
  for (const arg of evidence) {
    if (arg === '-') continue
    let real: string
    let isDir: boolean
    try {
      real = await realpath(arg)
      isDir = (await stat(real)).isDirectory()
    } catch {
      continue // discovery reports an unreadable argument with its own message
    }
    if (isDir ? within(out, real) : out === real) {
      throw new UsageError(`refusing to write the report to ${output}: it is inside the evidence ${arg} (evidence is read-only); choose -o elsewhere`)
    }
  }
}


/** SHA-256 of a file's stored bytes, streamed, opened read-only. */
function sha256OfFile(absPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(absPath, { flags: 'r', highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

/** stdin passed through a hash: the digest exists only if the parser read it to the end. */
function hashingStdin(source: Readable): { stream: Readable; digest: () => string | null } {
  const hash = createHash('sha256')
  let digest: string | null = null
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    },
    flush(done) {
      digest = hash.digest('hex')
      done()
    },
  })
  source.pipe(stream)
  return { stream, digest: () => digest }
}

export async function reportCommand(args: ReportArgs): Promise<CommandOutput> {
  const generatedAtUs = args.generatedAt === null ? Date.now() * 1000 : parseInstant(args.generatedAt, 'UTC')
  if (args.output !== null) await refuseOutputInEvidence(args.output, args.evidence)

  const stdin = args.evidence.includes('-') ? hashingStdin(args.stdin ?? process.stdin) : null
  // Package actions are shown only through the span and the transactions: the report keeps their digest.
  const { collected, units, brokenPackages, packages, fs, problems } = await runExplain({
    ...args,
    digestPackages: true,
    ...(stdin !== null && { stdin: stdin.stream }),
  })

  // The inventory has display paths only: discovery (read-only, no file contents) gives the same files in the same order.
  const { files } = await discoverEvidence(args.evidence)
  const inputs: ReportInput[] = []
  for (const [i, row] of collected.inventory.entries()) {
    const file = files[i]?.path === row.path ? files[i]! : files.find((f) => f.path === row.path)
    let sha256: string | null = null
    let hashNote: string | null = null
    if (file === undefined) hashNote = 'not hashed: the file was not found again'
    else if (file.member !== undefined) {
      // The member's bytes as stored in the archive (`tar -xOf ARCHIVE MEMBER | sha256sum`), hashed as they were read.
      sha256 = await file.member.archive.sha256Of(file.member.ordinal)
      if (sha256 === null) hashNote = 'not hashed: the member is cut off in the archive'
    } else if (file.absPath === null) {
      sha256 = stdin?.digest() ?? null
      if (sha256 === null) hashNote = 'stdin: not hashed (not read to the end)'
    } else {
      try {
        sha256 = await sha256OfFile(file.absPath)
      } catch (error) {
        hashNote = `not hashed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
      }
    }
    inputs.push({ ...row, sha256, hashNote })
  }

  let start: number | null = null
  let end: number | null = null
  let eventsWithoutTime = 0
  const hosts = new Set<string>()
  const transactions: PackageTransaction[] = []
  const boots: Boot[] = []
  for (const e of collected.events) {
    if (e.host !== null) hosts.add(e.host)
    if (e.kind === 'package-transaction') transactions.push(e)
    if (e.kind === 'boot') boots.push(e)
    if (e.timeUs === null) {
      // Timeless state records (package-state, unit-file-owner, unit-file-state) have no time by nature.
      if (!STATE_KINDS.includes(e.kind)) eventsWithoutTime++
      continue
    }
    if (start === null || e.timeUs < start) start = e.timeUs
    if (end === null || e.timeUs > end) end = e.timeUs
  }
  for (const h of packages.hosts) hosts.add(h)
  eventsWithoutTime += packages.untimed
  if (packages.earliestUs !== null && (start === null || packages.earliestUs < start)) start = packages.earliestUs
  if (packages.latestUs !== null && (end === null || packages.latestUs > end)) end = packages.latestUs
  for (const x of units) if (x.host !== null) hosts.add(x.host)
  const byTime = (a: { timeUs: number | null }, b: { timeUs: number | null }): number => (a.timeUs ?? Infinity) - (b.timeUs ?? Infinity)

  const model: ReportModel = {
    version: VERSION,
    generatedAtUs,
    displayTz: args.displayTz,
    evidence: args.evidence,
    hosts: [...hosts].sort(),
    span: start === null || end === null ? null : { startUs: start, endUs: end },
    eventsWithoutTime,
    zones: collected.zones,
    unitDirectories: fs === null ? 'none' : fs.hasFilesystem ? 'read' : 'absent',
    unitDirectoryProblems: problems,
    units,
    brokenPackages,
    transactions: transactions.sort(byTime),
    boots: boots.sort(byTime),
    inputs,
    diagnostics: collected.diagnostics,
    duplicatesDropped: collected.duplicatesDropped,
  }
  const body = args.format === 'html' ? renderReportHtml(model) : renderReportMarkdown(model)
  const extra = { shown: units.length, duplicatesDropped: collected.duplicatesDropped, unknownTimeExcluded: 0 }
  const summary = problems.map((p) => `warning: unit directories: ${p}\n`).join('') + renderSummary(collected.inventory, collected.diagnostics, extra, 'units explained')
  if (args.output === null) return { stdout: body, stderr: summary }
  try {
    await writeFile(args.output, body, { encoding: 'utf8' })
  } catch (error) {
    throw new UsageError(`cannot write ${args.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  return { stdout: '', stderr: `${summary}maskwhy: report written to ${args.output}\n` }
}
