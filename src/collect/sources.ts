/**
 * What `maskwhy collect` gathers: everything the readers of a copied root filesystem look at. The unit
 * directories and package databases come from the lists discovery and unit-state use; the logs are the
 * ones a parser claims (by path, or by content when `sniff` is set) plus the journal.
 */
import { ROOTFS_EVIDENCE_DIRS, ROOTFS_EVIDENCE_FILES, rotationOf } from '../discovery.ts'
import { SYSTEM_UNIT_DIRS, USER_UNIT_DIRS } from '../unit-state.ts'
import { PARSERS } from '../../parsers/index.ts'
import type { Parser } from '../parser.ts'

export interface Source {
  /** Path relative to the root; `*` in a component matches any name within that component. */
  pattern: string
  /** Only entries below a match that pass are kept (their directories come along); default: all. */
  keep?: (rel: string) => boolean
  /** Paths below the match not even looked at (another source covers them). */
  exclude?: RegExp
  /** Also keep a regular file below the match that a parser recognises by content (first 64 KiB). */
  sniff?: true
  /** State of the running system (`run/`): gathered only when the root is `/`. */
  liveOnly?: true
  /** Binary journal files: left out with --no-journal. */
  journal?: true
}

// The names the issue lists, kept even when no parser reads them yet (dnf.librepo.log, hawkey.log, audit rotations…).
const LOG_NAMES = /^(?:apt\/.+|dpkg\.log.*|dnf.*|hawkey\.log.*|yum\.log.*|syslog.*|messages.*|secure.*|auth\.log.*|daemon\.log.*|user\.log.*|audit\/.+)$/
const JOURNAL_DIR = /^(?:var|run)\/log\/journal(?:\/|$)/

const claimedByPath = (rel: string): boolean => {
  const base = rotationOf(rel).base
  return (Object.values(PARSERS) as Parser[]).some((p) => p.paths.some((re) => re.test(base)))
}

/** A log maskwhy reads, by name. */
export function isWantedLog(rel: string): boolean {
  const inLogDir = /^(?:var|run)\/log\/(?<name>.+)$/.exec(rel)?.groups?.['name']
  return (inLogDir !== undefined && LOG_NAMES.test(inLogDir)) || claimedByPath(rel)
}

const tree = (pattern: string, extra: Omit<Source, 'pattern'> = {}): Source => ({
  pattern,
  ...(pattern.startsWith('run/') && { liveOnly: true as const }),
  ...extra,
})

export const SOURCES: readonly Source[] = [
  // unit files, links, drop-ins and generator output, in systemd's search order, and all of etc/systemd
  ...[...SYSTEM_UNIT_DIRS, ...USER_UNIT_DIRS].map(([dir]) => tree(dir)),
  tree('etc/systemd'),
  tree('root/.config/systemd/user'),
  tree('home/*/.config/systemd/user'),
  // deb-systemd-helper-{enabled,masked} and the user variants
  tree('var/lib/systemd/deb-systemd-*'),
  // logs, package databases and kernel command lines where discovery looks for them; a copied proc/
  // is never read (on the running system /proc/cmdline is made into a file of its own, see generated.ts)
  ...ROOTFS_EVIDENCE_DIRS.map(({ dir, only }) =>
    // journal directories are a source of their own (--no-journal)
    tree(dir, only === undefined ? { keep: isWantedLog, sniff: true, exclude: JOURNAL_DIR } : { keep: (rel) => only.test(rel) }),
  ),
  ...ROOTFS_EVIDENCE_FILES.filter((file) => !file.startsWith('proc/')).map((file) => tree(file)),
  tree('var/log/journal', { journal: true }),
  tree('run/log/journal', { journal: true }),
  // the time zone local times were written in, the machine's identity
  tree('etc/timezone'),
  tree('etc/localtime'),
  tree('etc/hostname'),
  tree('etc/machine-id'),
  tree('etc/os-release'),
  tree('usr/lib/os-release'),
  // boot loader entries (BLS, Fedora/RHEL: their `options` line is the kernel command line)
  tree('boot/loader/entries'),
]
