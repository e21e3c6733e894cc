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
import { JOURNAL_OUTPUTS, journalCommand } from './cli/journal.ts'
import { PARSER_NAMES } from '../parsers/index.ts'
import { VERSION } from './version.ts'
import { progressBar, type Progress } from './progress.ts'
import { availableParallelism } from 'node:os'
import { adoptLeanHeapPolicy } from './heap-policy.ts'

adoptLeanHeapPolicy()

/** Documented in README ("Exit codes"). */
export const EXIT_CODES = { ok: 0, found: 1, usage: 2 } as const

async function write(stream: NodeJS.WriteStream, text: string | AsyncIterable<string>): Promise<void> {
  if (typeof text !== 'string') {
    for await (const piece of text) await write(stream, piece)
    return
  }
  if (text === '') return
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
    .option('jobs', { type: 'number', default: availableParallelism(), describe: 'threads for reading a big input (default: the number of cores)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar (it is shown only on a terminal, for runs of more than a few seconds)' })
    .check((a) => {
      if (!(Number.isInteger(a.jobs) && a.jobs >= 1)) throw new Error('--jobs expects a whole number of threads, 1 or more')
      for (const zone of [a.tz, a.displayTz]) {
        if (typeof zone === 'string' && !isValidTimeZone(zone)) throw new Error(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin)`)
      }
      if (a.year !== undefined && !(Number.isInteger(a.year) && a.year >= 1970 && a.year <= 2200)) throw new Error('--year expects a year such as 2024')
      if (a.evidence.filter((e) => e === STDIN_TOKEN).length > 1) throw new Error('stdin (-) can be given only once')
      return true
    })
}

/** --jobs, and a progress bar on stderr when it is a terminal and --quiet is not given. */
function speedOf(a: { jobs: number; quiet: boolean }): { jobs: number; progress: Progress } {
  activeProgress = progressBar(process.stderr, { quiet: a.quiet })
  return { jobs: a.jobs, progress: activeProgress }
}
// Stopped on errors too: the bar hides the cursor while it is drawn.
let activeProgress: Progress | null = null

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
          speed: speedOf(a),
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
          speed: speedOf(a),
        })
        await write(process.stdout, out.stdout)
        await write(process.stderr, typeof out.stderr === 'function' ? out.stderr() : out.stderr)
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
          speed: speedOf(a),
        })
        await write(process.stdout, out.stdout)
        await write(process.stderr, out.stderr)
      },
    )
    .command(
      'collect',
      'gather what maskwhy reads from this machine (or a mounted disk: --root) into one .tar.gz with a MANIFEST.json',
      (y) =>
        y
          .option('root', { type: 'string', default: '/', describe: 'root of the machine to collect (a mounted disk); / is the running system' })
          .option('output', { alias: 'o', type: 'string', describe: 'bundle file, or - for stdout (default: ./maskwhy-collect-HOST-TIME.tar.gz); never inside the root' })
          .option('journal', { type: 'boolean', default: true, describe: 'copy the binary journal files (--no-journal: leave them out)' })
          .option('journal-export', { type: 'boolean', default: false, describe: 'also add journalctl -o export output (with --root: journalctl -D ROOT/var/log/journal)' })
          .option('since', { type: 'string', describe: 'with --journal-export: only entries since this time (journalctl --since syntax)' })
          .option('include', { type: 'string', array: true, default: [] as string[], describe: 'more paths below the root to collect (* matches within a name)' }),
      async (a) => {
        // Loaded only here: collect runs tools through zx, which the other commands need not start up with.
        const { collectCommand } = await import('./cli/collect.ts')
        const out = await collectCommand({
          root: a.root,
          output: a.output === STDIN_TOKEN ? '-' : (a.output ?? null),
          journal: a.journal,
          journalExport: a.journalExport,
          since: a.since ?? null,
          include: a.include,
          command: ['maskwhy', ...argv],
        })
        await write(process.stderr, out.stderr)
        process.exitCode = out.exitCode
      },
    )
    .command(
      'journal <evidence..>',
      'journalctl for copied journals (*.journal files, directories of them, -o export output): merged, filtered, read-only',
      (y) =>
        y
          .positional('evidence', { describe: 'journal files, directories holding them (like journalctl -D), export files, or - for stdin', type: 'string', array: true, demandOption: true })
          .option('output', { alias: 'o', choices: JOURNAL_OUTPUTS, default: 'short-iso' as const, describe: 'as journalctl -o short-iso, -o json --all, -o export' })
          .option('since', { type: 'string', describe: 'entries at or after this time (ISO 8601 or "YYYY-MM-DD HH:MM[:SS]", read in --tz)' })
          .option('until', { type: 'string', describe: 'entries at or before this time' })
          .option('unit', { alias: 'u', type: 'string', array: true, default: [] as string[], describe: 'as journalctl -u: the unit\'s messages and PID 1\'s about it; "nginx" means nginx.service; globs allowed' })
          .option('boot', { alias: 'b', type: 'string', describe: 'only this boot id (or "all")' })
          .option('lines', { alias: 'n', type: 'number', describe: 'only the last N matching entries' })
          .option('tz', { type: 'string', describe: 'IANA zone for short-iso times and for --since/--until without a zone (default UTC, whatever this computer uses)' })
          .check((a) => {
            if (typeof a.tz === 'string' && !isValidTimeZone(a.tz)) throw new Error(`unknown time zone "${a.tz}" (use an IANA name such as Europe/Berlin)`)
            if (a.evidence.filter((e) => e === STDIN_TOKEN).length > 1) throw new Error('stdin (-) can be given only once')
            return true
          }),
      async (a) => {
        process.exitCode = await journalCommand(
          { evidence: fromToken(a.evidence), output: a.output, since: a.since, until: a.until, unit: a.unit, boot: a.boot, tz: a.tz ?? null, lines: a.lines },
          { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
        )
      },
    )
    .demandCommand(1, 'name a command: explain, timeline, report, journal or collect')
    .strict()
    .help()
    .wrap(Math.min(110, terminalWidth()))
    .fail((message, error) => {
      // Errors from command handlers are rethrown and reported once, by main()'s catch. A usage
      // error is thrown too: yargs would otherwise go on and run the handler with the bad value.
      if (error) throw error
      throw new UsageError(message.replace(/\s*\n\s*/g, ' '))
    })
  skipHelpCaching(parser)
  await parser.parseAsync()
}

/**
 * yargs renders the whole help text (~60 ms here, a fifth of a small run) each time a command's handler
 * starts, so that it could show it if the handler failed later. This CLI's .fail() never shows help
 * (`--help` renders it afresh), so that rendering is skipped. Through yargs' internal methods: if a
 * later yargs has none, nothing changes but the time.
 */
function skipHelpCaching(parser: object): void {
  type Internals = { getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: () => void } } }
  const usage = (parser as Internals).getInternalMethods?.().getUsageInstance?.()
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {}
}

const DEFAULT_HINT = 'run "maskwhy --help" or "maskwhy <command> --help"'
/** What to do about each kind of usage error (README "Exit codes"; test/cli-errors.test.ts). */
const USAGE_HINTS: readonly [RegExp, string][] = [
  [/^cannot read evidence/, 'name a copied root filesystem, a copied /var/log, log files, a tar archive of them, or - for stdin'],
  [/^evidence .* is neither a file nor a directory/, 'FIFOs, sockets and devices are not read; copy the log into a file first'],
  [/^unknown time zone/, 'use an IANA zone name as listed by "timedatectl list-timezones", such as Europe/Berlin or UTC'],
  [/^(?:cannot read time|time ".*" is out of range)/, "--since, --until and --generated-at take ISO 8601 (2024-03-01T10:00:00Z) or '2024-03-01 10:00[:00]' (read in --tz, default UTC)"],
  [/^--format-of expects/, "for example --format-of 'export.txt=journal-json'; the parsers are listed above"],
]

/** Errors thrown from .check() and --format-of parsing are usage errors too. */
function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError || error instanceof TimeArgumentError) return true
  return error instanceof Error && /^(unknown time zone|stdin \(-\)|--format-of expects|--year expects|--jobs expects)/.test(error.message)
}

main(hideBin(process.argv)).catch((error: unknown) => {
  activeProgress?.stop()
  if (isUsageError(error)) {
    // One line saying what is wrong, one saying what to do (unless the message brings its own help: line).
    const help = error.message.includes('\nhelp: ') ? '' : `\nhelp: ${USAGE_HINTS.find(([re]) => re.test(error.message))?.[1] ?? DEFAULT_HINT}`
    process.stderr.write(`maskwhy: ${error.message}${help}\n`)
    process.exitCode = EXIT_CODES.usage
    return
  }
  process.stderr.write(`maskwhy: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 3
})
