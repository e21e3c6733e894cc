/** `maskwhy explain`: for every masked (or once masked, or blocked) unit: when, who or what, how sure, the evidence, the fix. */
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import picomatch from 'picomatch'
import { normalizeUnitName } from '../commands.ts'
import { explainMasking, type FsState } from '../correlate/explain.ts'
import type { UnitExplanation } from '../correlate/types.ts'
import { collectEvents, type Collected } from '../run.ts'
import { parseFormatOverride } from '../routing.ts'
import { explanationRecord } from '../report/explain-records.ts'
import { renderExplainMarkdown } from '../report/explain-markdown.ts'
import { renderExplainText } from '../report/explain-text.ts'
import { diagnosticsRecord, inventoryRecord } from '../report/records.ts'
import { renderSummary, totalsOf } from '../report/summary.ts'
import { readUnitState } from '../unit-state.ts'
import { VERSION } from '../version.ts'
import type { CommandOutput } from './timeline.ts'

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
}

/** The copied unit directories of every directory argument, merged (one machine per run). */
async function unitStateOf(evidence: readonly string[]): Promise<{ fs: FsState | null; problems: string[] }> {
  const states = []
  for (const arg of evidence) {
    if (arg === '-' || !(await stat(arg)).isDirectory()) continue
    states.push(await readUnitState(arg))
  }
  if (states.length === 0) return { fs: null, problems: [] }
  return {
    fs: {
      hasFilesystem: states.some((s) => s.hasFilesystem),
      files: states.flatMap((s) => s.files),
      helperMasked: states.flatMap((s) => s.helperMasked),
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
}): Promise<ExplainRun> {
  const collected = await collectEvents({
    evidence: args.evidence,
    formatOf: args.formatOf.map(parseFormatOverride),
    ...(args.stdin !== undefined && { stdin: args.stdin }),
    ...(args.tz !== null && { localZone: { zone: args.tz, source: '--tz' } }),
    ...(args.year !== null && { yearHint: args.year }),
  })
  const { fs, problems } = await unitStateOf(args.evidence)
  const exact = args.unit.filter((u) => !isGlob(u)).map(normalizeUnitName)
  let units = explainMasking(collected.events, fs, { alsoExplain: exact })
  if (args.unit.length > 0) {
    const globs = args.unit.filter(isGlob).map((g) => picomatch(g, { dot: true }))
    units = units.filter((x) => exact.includes(x.unit) || globs.some((m) => m(x.unit) || m(x.unit.replace(/\.service$/, ''))))
  }
  return { collected, units, fs, problems }
}

export async function explainCommand(args: ExplainArgs): Promise<CommandOutput & { exitCode: number }> {
  const { collected, units, fs, problems } = await runExplain(args)
  const exitCode = args.failOnMasked && units.some(isIncident) ? 1 : 0
  const extra = { shown: units.length, duplicatesDropped: collected.duplicatesDropped, unknownTimeExcluded: 0 }
  const unitProblems = problems.map((p) => `warning: unit directories: ${p}\n`).join('')
  const summary = unitProblems + renderSummary(collected.inventory, collected.diagnostics, extra, 'units explained')
  switch (args.format) {
    case 'table':
      return { stdout: renderExplainText(units, { zone: args.displayTz, width: args.width }), stderr: summary, exitCode }
    case 'markdown':
      return { stdout: renderExplainMarkdown(units, args.displayTz), stderr: summary, exitCode }
    case 'json': {
      const body = {
        tool: 'maskwhy',
        version: VERSION,
        command: 'explain',
        schemaVersion: 1,
        displayTimeZone: args.displayTz,
        evidenceTimeZones: collected.zones,
        unitDirectories: fs === null ? 'none' : fs.hasFilesystem ? 'read' : 'absent',
        units: units.map((x) => explanationRecord(x, args.displayTz)),
        inputs: collected.inventory.map(inventoryRecord),
        summary: { ...totalsOf(collected.inventory), unitsExplained: units.length, duplicatesDropped: collected.duplicatesDropped },
        unitDirectoryProblems: problems,
        diagnostics: diagnosticsRecord(collected.diagnostics),
      }
      return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '', exitCode }
    }
  }
}
