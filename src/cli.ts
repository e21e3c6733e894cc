#!/usr/bin/env node
/** The command line. Thin: declares options, calls a command, writes what it returns, sets the exit code. */
import yargs, { type Argv } from 'yargs'
import { hideBin } from 'yargs/helpers'
import { EVENT_KINDS } from './events.ts'
import { UsageError } from './discovery.ts'
import { TimeArgumentError, isValidTimeZone } from './time.ts'
import { TIMELINE_FORMATS, timelineCommand, type TimelineFormat } from './cli/timeline.ts'
import { EXPLAIN_FORMATS, explainCommand } from './cli/explain.ts'
import { REPORT_FORMATS, reportCommand } from './cli/report.ts'
import { PARSER_NAMES } from '../parsers/index.ts'
import { VERSION } from './version.ts'

/** Documented in README ("Exit codes"). */
export const EXIT_CODES = { ok: 0, found: 1, usage: 2 } as const

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve()
  return new Promise((resolve) => {
    stream.write(text, () => resolve())
  })
}

// `maskwhy timeline … | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT_CODES.ok)
  throw error
})

function terminalWidth(): number {
  const fromEnv = Number(process.env['COLUMNS'])
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return process.stdout.columns ?? 120
}

// yargs drops a bare `-` from positionals, so it travels under another name and is mapped back.
const STDIN_TOKEN = '\u0000stdin'
const fromToken = (evidence: string[]): string[] => evidence.map((e) => (e === STDIN_TOKEN ? '-' : e))

/** Options every command that reads evidence shares. */
function evidenceOptions<T>(y: Argv<T>) {
  return y
    .positional('evidence', {
      describe: 'files, directories (a copied root filesystem or /var/log), or - for stdin',
      type: 'string',
      array: true,
      demandOption: true,
    })
    .option('unit', { type: 'string', array: true, default: [] as string[], describe: 'unit name or glob; "nginx*" also matches nginx.service' })
    .option('tz', {
      type: 'string',
      describe: "IANA zone of the evidence's zone-less local times (default: its etc/localtime, else UTC); also for --since/--until",
    })
    .option('display-tz', { type: 'string', default: 'UTC', describe: 'IANA zone in which times are shown' })
    .option('year', { type: 'number', describe: 'year for year-less timestamps (yum.log, syslog) when the evidence does not tell' })
    .option('format-of', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: `force a parser: PATH=PARSER (PATH may be a glob); parsers: ${PARSER_NAMES.join(', ')}`,
    })
    .option('width', { type: 'number', hidden: true, describe: 'table width (default: terminal width or $COLUMNS)' })
    .check((a) => {
      for (const zone of [a.tz, a.displayTz]) {
        if (typeof zone === 'string' && !isValidTimeZone(zone)) throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin)`)
      }
      if (a.year !== undefined && !(Number.isInteger(a.year) && a.year >= 1970 && a.year <= 2200)) throw new Error('--year expects a year such as 2024')
      if (a.evidence.filter((e) => e === STDIN_TOKEN).length > 1) throw new Error('stdin (-) can be given only once')
      return true
    })
}

async function main(argv: string[]): Promise<void> {
  const parser = yargs(argv.map((a) => (a === '-' ? STDIN_TOKEN : a)))
    .scriptName('maskwhy')
    .version(VERSION)
    .usage('$0 <command> [evidence…]\n\nExplains when and why systemd units became masked, from evidence copied off a Linux machine.')
    .command(
      'explain <evidence..>',
      'for every masked (or once masked, or blocked) unit: when, who or what, how sure, the evidence, the fix',
      (y) =>
        evidenceOptions(y)
          .option('format', { choices: EXPLAIN_FORMATS, default: 'table' as const, describe: 'output format' })
          .option('fail-on-masked', { type: 'boolean', default: false, describe: 'exit 1 when a unit is masked for a reason other than vendor-default' }),
      async (a) => {
        const out = await explainCommand({
          evidence: fromToken(a.evidence),
          unit: a.unit,
          tz: a.tz ?? null,
          displayTz: a.displayTz,
          year: a.year ?? null,
          format: a.format,
          formatOf: a.formatOf,
          width: a.width ?? terminalWidth(),
          failOnMasked: a.failOnMasked,
        })
        await write(process.stdout, out.stdout)
        await write(process.stderr, out.stderr)
        process.exitCode = out.exitCode
      },
    )
    .command(
      'timeline <evidence..>',
      'merged chronological timeline of everything relevant to unit masking',
      (y) =>
        evidenceOptions(y)
          .option('since', { type: 'string', describe: 'only events at or after this time (ISO 8601 or "YYYY-MM-DD HH:MM[:SS]")' })
          .option('until', { type: 'string', describe: 'only events at or before this time' })
          .option('kind', { choices: EVENT_KINDS, array: true, default: [] as (typeof EVENT_KINDS)[number][], describe: 'event kinds to show' })
          .option('host', { type: 'string', array: true, default: [] as string[], describe: 'host name glob' })
          .option('format', { choices: TIMELINE_FORMATS, describe: 'output format (default: table on a terminal, jsonl otherwise)' }),
      async (a) => {
        const format: TimelineFormat = a.format ?? (process.stdout.isTTY ? 'table' : 'jsonl')
        const out = await timelineCommand({
          evidence: fromToken(a.evidence),
          since: a.since,
          until: a.until,
          tz: a.tz ?? null,
          displayTz: a.displayTz,
          year: a.year ?? null,
          unit: a.unit,
          kind: a.kind,
          host: a.host,
          format,
          formatOf: a.formatOf,
          width: a.width ?? terminalWidth(),
        })
        await write(process.stdout, out.stdout)
        await write(process.stderr, out.stderr)
      },
    )
    .command(
      'report <evidence..>',
      'one self-contained HTML report (or Markdown): summary, timeline, evidence, fixes, inputs with SHA-256',
      (y) =>
        evidenceOptions(y)
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file (default: stdout); never inside the evidence' })
          .option('format', { choices: REPORT_FORMATS, default: 'html' as const, describe: 'output format' })
          .option('generated-at', { type: 'string', describe: 'generation time to print (ISO 8601; default: now), for reproducible reports' }),
      async (a) => {
        const out = await reportCommand({
          evidence: fromToken(a.evidence),
          output: a.output ?? null,
          format: a.format,
          generatedAt: a.generatedAt ?? null,
          unit: a.unit,
          tz: a.tz ?? null,
          displayTz: a.displayTz,
          year: a.year ?? null,
          formatOf: a.formatOf,
        })
        await write(process.stdout, out.stdout)
        await write(process.stderr, out.stderr)
      },
    )
    .demandCommand(1, 'name a command: explain, timeline or report')
    .strict()
    .help()
    .wrap(Math.min(110, terminalWidth()))
    .fail((message, error) => {
      // Errors from command handlers are rethrown and reported once, by main()'s catch.
      if (error) throw error
      process.stderr.write(`maskwhy: ${message}\nhelp: run "maskwhy --help" or "maskwhy <command> --help"\n`)
      process.exitCode = EXIT_CODES.usage
    })
  await parser.parseAsync()
}

/** Errors thrown from .check() and --format-of parsing are usage errors too. */
function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError || error instanceof TimeArgumentError) return true
  return error instanceof Error && /^(unknown time zone|stdin \(-\)|--format-of expects|--year expects)/.test(error.message)
}

main(hideBin(process.argv)).catch((error: unknown) => {
  if (isUsageError(error)) {
    process.stderr.write(`maskwhy: ${error.message}\n`)
    process.exitCode = EXIT_CODES.usage
    return
  }
  process.stderr.write(`maskwhy: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 3
})
