/** `maskwhy explain`: for every masked (or once masked, or blocked) unit: when, who or what, how sure, the evidence, the fix. */
import type { Readable } from 'node:stream'
import picomatch from 'picomatch'
import { normalizeUnitName } from '../commands.ts'
import { brokenPackages } from '../correlate/broken-packages.ts'
import { explainMasking, type FsState } from '../correlate/explain.ts'
import { PackageHistory } from '../correlate/package-history.ts'
import type { BrokenPackage, UnitExplanation } from '../correlate/types.ts'
import type { EventKind } from '../events.ts'
import { evidenceTreeOf } from '../discovery.ts'
import { requireReadableEvidence } from './evidence-check.ts'
import { collectEvents, type Collected, type CollectOptions } from '../run.ts'
import { parseFormatOverride } from '../routing.ts'
import { brokenPackageRecord, explanationRecord } from '../report/explain-records.ts'
import { renderExplainMarkdown } from '../report/explain-markdown.ts'
import { renderExplainText } from '../report/explain-text.ts'
import { diagnosticsRecord, inventoryRecord } from '../report/records.ts'
import { renderSummary, totalsOf } from '../report/summary.ts'
import { readUnitState } from '../unit-state.ts'
import { VERSION } from '../version.ts'
import type { CommandOutput } from './timeline.ts'
import { machinesOf, nameMachine } from './machines.ts'

export const EXPLAIN_FORMATS = ['table', 'json', 'markdown'] as const
export type ExplainFormat = (typeof EXPLAIN_FORMATS)[number]

export interface ExplainArgs {
  evidence: string[]
  unit: string[]
  tz: string | null
  displayTz: string
  year: number | null
  format: ExplainFormat
  formatOf: string[]
  width: number
  failOnMasked: boolean
  /** --jobs and the progress bar. */
  speed?: Pick<CollectOptions, 'jobs' | 'progress'>
}

/** The copied unit directories of every directory or archive argument, merged (one machine per run). */
async function unitStateOf(evidence: readonly string[]): Promise<{ fs: FsState | null; problems: string[] }> {
  const states = []
  for (const arg of evidence) {
    const tree = await evidenceTreeOf(arg)
    if (tree !== null) states.push(await readUnitState(tree))
  }
  if (states.length === 0) return { fs: null, problems: [] }
  return {
    fs: {
      hasFilesystem: states.some((s) => s.hasFilesystem),
      files: states.flatMap((s) => s.files),
      helperMasked: states.flatMap((s) => s.helperMasked),
      generators: states.flatMap((s) => s.generators),
      dependencies: states.flatMap((s) => s.dependencies),
    },
    problems: states.flatMap((s) => s.problems.map((p) => `${p.path}: ${p.message}`)),
  }
}

const isGlob = (p: string): boolean => /[*?[\]{}]/.test(p)

/** Masked for a reason other than the distribution's own choice. */
export function isIncident(x: UnitExplanation): boolean {
  return (x.state === 'masked' || x.state === 'masked-runtime') && x.cause !== 'vendor-default'
}

export interface ExplainRun {
  collected: Collected
  units: UnitExplanation[]
  /** Packages left half-way when copied, and transactions that never completed (whatever --unit says). */
  brokenPackages: BrokenPackage[]
  /** The package actions as the correlator keeps them (lean or digested: they are not in `collected.events`). */
  packages: PackageHistory
  fs: FsState | null
  /** Problems met while reading unit directories, as `path: message`. */
  problems: string[]
}

/** The pipeline `explain` and `report` share: events, unit state, correlation, the `--unit` filter. */
export async function runExplain(args: {
  evidence: string[]
  unit: string[]
  tz: string | null
  year: number | null
  formatOf: string[]
  stdin?: Readable
  /** --jobs and the progress bar. */
  speed?: Pick<CollectOptions, 'jobs' | 'progress'>
  /**
   * Keep only the events the correlator uses, and package actions only as a PackageHistory (explain;
   * the report also shows the others).
   */
  lean?: boolean
  /** Package actions only as a PackageHistory, every other event kept (the report). */
  digestPackages?: boolean
}): Promise<ExplainRun> {
  const packages = new PackageHistory()
  const digested = args.lean === true || args.digestPackages === true
  const collected = await collectEvents({
    ...args.speed,
    ...(args.lean === true && { skipKinds: KINDS_EXPLAIN_SKIPS }),
    ...(digested && { packages }),
    evidence: args.evidence,
    formatOf: args.formatOf.map(parseFormatOverride),
    ...(args.stdin !== undefined && { stdin: args.stdin }),
    ...(args.tz !== null && { localZone: { zone: args.tz, source: '--tz' } }),
    ...(args.year !== null && { yearHint: args.year }),
  })
  const { fs, problems } = await unitStateOf(args.evidence)
  requireReadableEvidence(collected, args.evidence, { unitDirectories: fs?.hasFilesystem === true, command: 'explain' })
  const exact = args.unit.filter((u) => !isGlob(u)).map(normalizeUnitName)
  if (!digested) for (const e of collected.events) if (e.kind === 'package-action') packages.add(e)
  let units = explainMasking(collected.events, fs, { alsoExplain: exact, packages })
  if (args.unit.length > 0) {
    const globs = args.unit.filter(isGlob).map((g) => picomatch(g, { dot: true }))
    units = units.filter((x) => exact.includes(x.unit) || globs.some((m) => m(x.unit) || m(x.unit.replace(/\.service$/, ''))))
  }
  return { collected, units, brokenPackages: brokenPackages(collected.events, packages), packages, fs, problems }
}

/**
 * Job results the correlator never looks at, and the bulk of a journal's events (every timer run logs
 * one): explain counts them but does not keep them, so its memory does not grow with the journal.
 * test/explain-lean.test.ts checks that leaving them out changes no explanation.
 */
export const KINDS_EXPLAIN_SKIPS: ReadonlySet<EventKind> = new Set(['unit-started', 'unit-stopped', 'unit-failed'])

export async function explainCommand(args: ExplainArgs): Promise<CommandOutput & { exitCode: number }> {
  const machines = await machinesOf(args.evidence)
  if (machines === null) {
    const run = await runExplain({ ...args, lean: true })
    const exitCode = args.failOnMasked && run.units.some(isIncident) ? 1 : 0
    if (args.format === 'json') return { stdout: `${JSON.stringify({ ...header(args), ...machineBody(run, args) }, null, 2)}\n`, stderr: '', exitCode }
    return { ...renderMachine(run, args), exitCode }
  }
  // One machine after the other: only the rendered result of each is kept.
  const stdout: string[] = []
  const stderr: string[] = []
  const hosts: Record<string, unknown>[] = []
  let exitCode = 0
  for (const { arg, hostname } of machines) {
    const run = await runExplain({ ...args, evidence: [arg], lean: true })
    const name = nameMachine(arg, hostname, run.collected.events)
    if (args.failOnMasked && run.units.some(isIncident)) exitCode = 1
    const from = `host name from ${name.from === 'argument' ? 'the argument (no etc/hostname, no host in its events)' : name.from}`
    if (args.format === 'json') {
      hosts.push({ host: name.host, hostFrom: name.from, evidence: [arg], ...machineBody(run, args) })
      continue
    }
    const out = renderMachine(run, args)
    if (args.format === 'markdown') {
      // one level down, under the machine's own heading
      const body = out.stdout.replace(/^# maskwhy explain\n\n/, '').replace(/^(#+) /gm, '#$1 ')
      stdout.push(`## ${name.host}\n\nEvidence: \`${arg}\` (${from}).\n\n${body}`)
    } else {
      stdout.push(`=== ${name.host} — ${arg} (${from}) ===\n\n${out.stdout}`)
    }
    stderr.push(out.stderr.replace(/^(?=.)/gm, `${name.host}: `))
  }
  if (args.format === 'json') return { stdout: `${JSON.stringify({ ...header(args), hosts }, null, 2)}\n`, stderr: '', exitCode }
  const title = args.format === 'markdown' ? '# maskwhy explain\n\n' : ''
  return { stdout: title + stdout.join('\n'), stderr: stderr.join(''), exitCode }
}

function header(args: ExplainArgs): Record<string, unknown> {
  return { tool: 'maskwhy', version: VERSION, command: 'explain', schemaVersion: 1, displayTimeZone: args.displayTz }
}

/** One machine's part of the JSON output (docs/explain-schema.md). */
function machineBody(run: ExplainRun, args: ExplainArgs): Record<string, unknown> {
  const { collected, units, brokenPackages: broken, fs, problems } = run
  return {
    evidenceTimeZones: collected.zones,
    unitDirectories: fs === null ? 'none' : fs.hasFilesystem ? 'read' : 'absent',
    units: units.map((x) => explanationRecord(x, args.displayTz)),
    brokenPackages: broken.map((b) => brokenPackageRecord(b, args.displayTz)),
    inputs: collected.inventory.map(inventoryRecord),
    summary: { ...totalsOf(collected.inventory), unitsExplained: units.length, duplicatesDropped: collected.duplicatesDropped },
    unitDirectoryProblems: problems,
    diagnostics: diagnosticsRecord(collected.diagnostics),
  }
}

/** One machine as a table or Markdown, and its summary for stderr. */
function renderMachine(run: ExplainRun, args: ExplainArgs): CommandOutput {
  const { collected, units, brokenPackages: broken, problems } = run
  const extra = { shown: units.length, duplicatesDropped: collected.duplicatesDropped, unknownTimeExcluded: 0 }
  const unitProblems = problems.map((p) => `warning: unit directories: ${p}\n`).join('')
  const summary = unitProblems + renderSummary(collected.inventory, collected.diagnostics, extra, 'units explained')
  const stdout = args.format === 'markdown' ? renderExplainMarkdown(units, args.displayTz, broken) : renderExplainText(units, { zone: args.displayTz, width: args.width }, broken)
  return { stdout, stderr: summary }
}
