/**
 * User mistakes that only show once the evidence has been looked at: nothing in it is anything
 * maskwhy reads (a wrong directory, a file that is not a log, an "archive" that is not one, files it
 * may not read), or a parser forced with --format-of that reads none of its input. Each is one line
 * saying what is wrong and one `help:` line, exit 2 (README "Exit codes"; test/cli-errors.test.ts).
 */
import { statSync } from 'node:fs'
import { PARSERS } from '../../parsers/index.ts'
import { UsageError } from '../discovery.ts'
import type { Collected, InventoryRow } from '../run.ts'

/** What maskwhy looks for, from the parser registry: "apt history.log; apt term.log; …". */
export function lookedFor(): string {
  return Object.values(PARSERS)
    .map((p) => p.title.replace(/\s*\(.*$/s, '').replace(/:.*$/s, ''))
    .join('; ')
}

function readsHint(withUnitDirectories: boolean): string {
  const units = withUnitDirectories ? '; and, for explain and report, unit directories (etc/systemd/system, lib/systemd/system…)' : ''
  return (
    `help: maskwhy reads ${lookedFor()}${units} — name a copied root filesystem, a copied /var/log, ` +
    'such files or a tar archive of them, or force a parser with --format-of PATH=PARSER'
  )
}

/** A --format-of that read nothing of an input: every line rejected, or the parser gave up on it. */
function forcedMismatch(collected: Collected): InventoryRow | undefined {
  return collected.inventory.find(
    (row) =>
      row.routedBy === 'forced' &&
      row.linesParsed === 0 &&
      row.eventsKept === 0 &&
      (row.linesSkipped > 0 || collected.diagnostics.examples.some((d) => d.path === row.path && d.severity === 'error')),
  )
}

/** Why nothing of the evidence could be read, in one line. */
function whyNothing(collected: Collected, evidence: readonly string[]): string {
  const files = collected.inventory.length
  const unreadable = collected.inventory.filter((r) => r.status === 'unreadable').length
  const [only] = evidence
  if (evidence.length === 1 && only === '-') return 'no parser recognises the input on stdin'
  if (evidence.length === 1 && statSync(only!).isFile() && !collected.inventory.some((r) => r.path.includes('!/'))) {
    const path = collected.inventory[0]?.path
    const notArchive = collected.diagnostics.examples.some((d) => d.path === path && d.code === 'ARCHIVE_DAMAGED')
    return notArchive
      ? `${only} is named like a tar archive but is not one (no tar header, plain, gzip or xz), and no parser recognises its content`
      : `no parser recognises ${only}`
  }
  const looked = `${files === 0 ? 'no file' : `${files} file(s)`} looked at, none recognised${unreadable > 0 ? `, ${unreadable} unreadable` : ''}`
  if (evidence.length === 1) return `nothing maskwhy reads in ${only}: ${looked}`
  return `none of the ${evidence.length} evidence arguments holds anything maskwhy reads: ${looked}`
}

/**
 * Throws a UsageError (its message ends with the `help:` line) when a forced parser read none of its
 * input, or when nothing of the evidence could be read. For explain and report, unit directories
 * (`unitDirectories`) are evidence on their own.
 */
export function requireReadableEvidence(
  collected: Collected,
  evidence: readonly string[],
  options: { unitDirectories?: boolean; command?: string } = {},
): void {
  const command = options.command ?? 'timeline'
  const forced = forcedMismatch(collected)
  if (forced !== undefined) {
    throw new UsageError(
      `--format-of forced ${forced.parser} on ${forced.path}, but it read nothing there (${forced.linesSkipped} of ${forced.linesRead} line(s) rejected)\n` +
        `help: drop --format-of for ${forced.path} and maskwhy recognises it by content, or name the parser that fits (maskwhy ${command} --help lists them)`,
    )
  }
  if (options.unitDirectories === true || collected.inventory.some((r) => r.status === 'parsed')) return
  const unreadable = collected.inventory.filter((r) => r.status === 'unreadable')
  if (unreadable.length > 0 && unreadable.length === collected.inventory.length) {
    const first = unreadable[0]!
    const why = collected.diagnostics.examples.find((d) => d.path === first.path && d.code === 'READ_ERROR')?.message ?? 'cannot read'
    const more = unreadable.length > 1 ? ` (and ${unreadable.length - 1} more file(s) that cannot be read)` : ''
    throw new UsageError(
      `${first.path}: ${why}${more}\n` +
        'help: maskwhy needs read permission on the evidence (copy it, or run as a user who can read it); nothing is ever written to it',
    )
  }
  throw new UsageError(`${whyNothing(collected, evidence)}\n${readsHint(command !== 'timeline')}`)
}
