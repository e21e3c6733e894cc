/**
 * Seed inputs of the property suite, per parser, and what a "record" is for each format.
 *
 * Every parser in parsers/index.ts must have an entry here (test/property/invariants.test.ts fails
 * otherwise), so a new parser cannot escape the suite. An entry gives:
 *  - `seeds`: real inputs of the format (fixtures made by real tools, samples), mutated by the suite;
 *  - `extent(lines, event)`: the lines of the unmutated input that the event was read from and depends
 *    on — its record (see RECORD EXTENTS below);
 *  - `normalise(event)`: fields that legitimately depend on the rest of the file (an inferred year,
 *    a `#2` run counter, line numbers quoted in a reason) are rewritten before comparing;
 *  - `binary: true` for formats where lines mean nothing (only byte mutations are applied).
 *
 * RECORD EXTENTS. Lines are 0-based indices into the unmutated input split like src/lines.ts does;
 * -1 stands for the beginning of the input and `lines.length` for its end. An event survives a
 * line mutation when its whole extent is still present, unchanged and contiguous (with -1/end still
 * at the beginning/end). Such an event must be produced again with the same fields (line numbers
 * aside). An extent therefore includes everything the parser looks at to build the event: the
 * block's opening line, the line that closes it (or the end of the input), the previous record when
 * the parser compares with it. `null` means the event depends on the whole input (end-of-file
 * summaries such as dpkg's left-broken notes, or journal boots at their earliest entry): it is not
 * compared.
 */
import { existsSync } from 'node:fs'
import type { MaskEvent } from '../../src/events.ts'
import { SHARED } from '../helpers/parse.ts'

export const REPO_ROOT = new URL('../../', import.meta.url).pathname

export interface Seed {
  /** File on disk (absolute). */
  file: string
  /** Display path given to the parser (its `ctx.path`): some formats read meaning from the name. */
  path: string
  yearHint?: number
  fileMtimeUs?: number
  /** The file on disk is gzip-compressed (src/run.ts decompresses before the parser sees it). */
  gzip?: boolean
}

export type Extent = readonly [number, number] | null
export type ExtentOf = (lines: readonly string[], event: MaskEvent) => Extent

export interface ParserSeeds {
  seeds: Seed[]
  /** Extra seeds read from ../shared/corpus (used by `npm run fuzz` when present, not in CI). */
  sharedSeeds?: Seed[]
  extent: ExtentOf
  normalise?: (event: Record<string, unknown>) => void
  binary?: boolean
}

const repo = (rel: string, path: string, o: Partial<Seed> = {}): Seed => ({ file: `${REPO_ROOT}${rel}`, path, ...o })
const shared = (rel: string, path: string, o: Partial<Seed> = {}): Seed => ({ file: `${SHARED}corpus/public/${rel}`, path, ...o })

/** 2024-06-01T00:00:00Z in µs: an mtime that makes year-less formats infer their year backwards. */
const MTIME_2024 = Date.UTC(2024, 5, 1) * 1000

const stripCr = (l: string): string => (l.endsWith('\r') ? l.slice(0, -1) : l)

// ---- extent helpers -------------------------------------------------------------------------

/** The event's own line. */
export const ownLine: ExtentOf = (_lines, e) => [e.line - 1, e.line - 1]

/**
 * A block opened by a `start` line and closed by an `end` line, by the next `start`, or by the end of
 * the input (apt's history.log and term.log). An event outside any block depends on everything since
 * the last line that closed one.
 */
function framedBlock(start: RegExp, end: RegExp): ExtentOf {
  return (lines, e) => {
    const at = e.line - 1
    let s = -1
    for (let i = at; i >= 0; i--) {
      if (start.test(lines[i]!) || (i < at && end.test(lines[i]!))) {
        s = i
        break
      }
    }
    if (s === -1 || !start.test(lines[s]!)) return [s, at]
    for (let i = s + 1; i < lines.length; i++) if (start.test(lines[i]!) || end.test(lines[i]!)) return [s, i]
    return [s, lines.length]
  }
}

/** A stanza: from the blank line before it (or the beginning) to the blank line after it (or the end). */
const stanza: ExtentOf = (lines, e) => {
  const blank = (i: number): boolean => stripCr(lines[i]!).trim() === ''
  let s = e.line - 2
  while (s >= 0 && !blank(s)) s--
  let t = e.line
  while (t < lines.length && !blank(t)) t++
  return [s, t]
}

const daemonReloadPairs = (lines: readonly string[], e: MaskEvent, extent: Extent): Extent =>
  // A "Reloading..." is dropped when it follows a "Reloading requested from client" of the same manager.
  extent !== null && e.kind === 'daemon-reload' ? [Math.max(-1, extent[0] - 1), extent[1]] : extent

/** journal-json: one line, or a json-pretty object from its `{` line to its `}` line. */
const journalJson: ExtentOf = (lines, e) => {
  if (e.kind === 'boot') return null
  const at = e.line - 1
  if (lines[at]!.trim() !== '{') return daemonReloadPairs(lines, e, [at, at])
  let t = at + 1
  while (t < lines.length && stripCr(lines[t]!) !== '}') t++
  return daemonReloadPairs(lines, e, [at, Math.min(t, lines.length)])
}

/** syslog: the line, the pieces of a split sudo line joined to it, and the next line (which ended the join). */
const syslog: ExtentOf = (lines, e) => {
  const pieces = e.text.split('\n')
  let t = e.line - 1
  for (const piece of pieces.slice(1)) {
    t++
    while (t < lines.length && lines[t] !== piece) t++
  }
  return daemonReloadPairs(lines, e, [e.line - 1, Math.min(t + 1, lines.length)])
}

const DPKG_STARTUP = /^\S+ \S+ startup (?:archives|packages) /
/** dpkg.log: an action carries the id of the run its `startup` line began; a run's outcome depends on the rest of the file. */
const dpkgLog: ExtentOf = (lines, e) => {
  if (e.kind === 'package-note') return null
  const at = e.line - 1
  if (e.kind === 'package-transaction') return [at, at]
  let s = at
  while (s >= 0 && !DPKG_STARTUP.test(lines[s]!)) s--
  return [s, at]
}

const DNF_MARKER = / --- logging initialized ---\s*$/
/** dnf.log: a transaction is its whole run, from the marker (or the beginning) to the next marker (or the end). */
const dnfLog: ExtentOf = (lines, e) => {
  const at = e.line - 1
  const s = DNF_MARKER.test(lines[at]!) ? at : -1
  let t = at + 1
  while (t < lines.length && !DNF_MARKER.test(lines[t]!)) t++
  return [s, t]
}

/** dnf.rpm.log: an event depends on its run's marker and the lines before it; a left-broken note on the whole run. */
const dnfRpmLog: ExtentOf = (lines, e) => {
  const at = e.line - 1
  let s = at
  while (s >= 0 && !DNF_MARKER.test(lines[s]!)) s--
  if (e.kind !== 'package-note' || e.note !== 'left-broken') return [s, at]
  let t = at + 1
  while (t < lines.length && !DNF_MARKER.test(lines[t]!)) t++
  return [s, t]
}

/** dnf5.log: everything of a run is decided over the run (keyed by pid): from its launch to its end. */
const dnf5Log: ExtentOf = (lines, e) => {
  const at = e.line - 1
  const pid = /^dnf5:(\d+)@/.exec('transactionId' in e && typeof e.transactionId === 'string' ? e.transactionId : '')?.[1]
  if (pid === undefined) return null
  const launch = new RegExp(String.raw`^\S+ \[${pid}\] \S+ --- DNF5 launched with arguments: `)
  const finished = new RegExp(String.raw`^\S+ \[${pid}\] \S+ DNF5 finished\s*$`)
  let s = at
  while (s >= 0 && !launch.test(lines[s]!)) s--
  let t = at + 1
  while (t < lines.length && !launch.test(lines[t]!) && !finished.test(lines[t]!)) t++
  return [s, Math.min(t, lines.length)]
}

/** Everything from the beginning of the input to the event's last line (menus, quotes or a footer before it decide). */
const fromStart: ExtentOf = (_lines, e) => [-1, e.line - 2 + e.text.split('\n').length]

// ---- normalisers ----------------------------------------------------------------------------

/** A year inferred from the file (rollovers, the last entry) shifts when lines around change: compare the rest. */
function yearlessTimes(e: Record<string, unknown>): void {
  if (e['timeBasis'] !== 'inferred' || typeof e['timeUs'] !== 'number') return
  e['timeUs'] = new Date(e['timeUs'] / 1000).toISOString().slice(5)
  e['timeNote'] = null
}

/** `#2` counts earlier runs started in the same second; quoted line numbers move with every insert. */
function runIdsAndLineRefs(e: Record<string, unknown>): void {
  if (typeof e['transactionId'] === 'string') e['transactionId'] = e['transactionId'].replace(/#\d+$/, '')
  if (typeof e['outcomeReason'] === 'string') e['outcomeReason'] = e['outcomeReason'].replace(/\bline \d+/g, 'line N')
}

// ---- the table ------------------------------------------------------------------------------

export const PARSER_SEEDS: Record<string, ParserSeeds> = {
  'apt-history': {
    seeds: [
      repo('test/fixtures/apt/history.log', 'var/log/apt/history.log'),
      repo('samples/package-mask/evidence/var/log/apt/history.log', 'var/log/apt/history.log'),
      repo('samples/package-removal/evidence/var/log/apt/history.log', 'var/log/apt/history.log'),
    ],
    sharedSeeds: [shared('plaso/apt_history.log', 'var/log/apt/history.log')],
    extent: framedBlock(/^Start-Date:/, /^End-Date:/),
    normalise: runIdsAndLineRefs,
  },
  'apt-term': {
    seeds: [
      repo('test/fixtures/apt/term.log', 'var/log/apt/term.log'),
      repo('samples/package-mask/evidence/var/log/apt/term.log', 'var/log/apt/term.log'),
      repo('samples/package-removal/evidence/var/log/apt/term.log', 'var/log/apt/term.log'),
    ],
    sharedSeeds: [shared('debian11-armhf-rootfs/var/log/apt/term.log', 'var/log/apt/term.log')],
    extent: framedBlock(/^Log started:/, /^Log ended:/),
    normalise: runIdsAndLineRefs,
  },
  'audit-log': {
    seeds: [repo('test/fixtures/audit/audit.log', 'var/log/audit/audit.log')],
    sharedSeeds: [shared('plaso/audit_enriched.log', 'var/log/audit/audit.log')],
    extent: ownLine,
  },
  'dnf-log': {
    seeds: [repo('test/fixtures/dnf/real/dnf.log', 'var/log/dnf.log')],
    sharedSeeds: [shared('rhel8-ec2-rootfs/var/log/dnf.log', 'var/log/dnf.log')],
    extent: dnfLog,
    normalise: (e) => (yearlessTimes(e), runIdsAndLineRefs(e)),
  },
  'dnf-rpm-log': {
    seeds: [repo('test/fixtures/dnf/real/dnf.rpm.log', 'var/log/dnf.rpm.log')],
    sharedSeeds: [shared('rhel8-ec2-rootfs/var/log/dnf.rpm.log', 'var/log/dnf.rpm.log')],
    extent: dnfRpmLog,
    normalise: (e) => (yearlessTimes(e), runIdsAndLineRefs(e)),
  },
  'dnf5-log': {
    seeds: [repo('test/fixtures/dnf/dnf5.log', 'var/log/dnf5.log')],
    extent: dnf5Log,
    normalise: runIdsAndLineRefs,
  },
  'dpkg-list': {
    seeds: [
      repo('test/fixtures/dpkg/info/demo.list', 'var/lib/dpkg/info/demo.list'),
      repo('samples/package-mask/evidence/var/lib/dpkg/info/webcache.list', 'var/lib/dpkg/info/webcache.list'),
      repo('samples/vendor-default/evidence/var/lib/dpkg/info/clockcompat.list', 'var/lib/dpkg/info/clockcompat.list'),
    ],
    extent: ownLine,
  },
  'dpkg-log': {
    seeds: [
      repo('test/fixtures/dpkg/dpkg.log', 'var/log/dpkg.log'),
      repo('samples/package-mask/evidence/var/log/dpkg.log', 'var/log/dpkg.log'),
      repo('samples/package-removal/evidence/var/log/dpkg.log', 'var/log/dpkg.log'),
    ],
    sharedSeeds: [shared('debian11-armhf-rootfs/var/log/dpkg.log', 'var/log/dpkg.log'), shared('plaso/dpkg.log', 'var/log/dpkg.log')],
    extent: dpkgLog,
    normalise: (e) => {
      runIdsAndLineRefs(e)
      // A run's outcome and end are decided by the lines after it (a later repair, the end of the file).
      if (e['kind'] === 'package-transaction') Object.assign(e, { outcome: null, outcomeReason: null, endUs: null })
    },
  },
  'dpkg-status': {
    seeds: [
      repo('test/fixtures/dpkg/status', 'var/lib/dpkg/status'),
      repo('samples/package-removal/evidence/var/lib/dpkg/status', 'var/lib/dpkg/status'),
      repo('samples/vendor-default/evidence/var/lib/dpkg/status', 'var/lib/dpkg/status'),
    ],
    sharedSeeds: [shared('debian11-armhf-rootfs/var/lib/dpkg/status', 'var/lib/dpkg/status')],
    extent: stanza,
  },
  'grub-cfg': {
    seeds: [repo('samples/kernel-cmdline-mask/evidence/boot/grub/grub.cfg', 'boot/grub/grub.cfg')],
    // The menu path of a `linux` line comes from every menuentry/submenu (and brace) before it.
    extent: fromStart,
  },
  'grub-default': {
    seeds: [repo('samples/kernel-cmdline-mask/evidence/etc/default/grub', 'etc/default/grub')],
    // A quote left open by any assignment before swallows the lines after it, as in the shell.
    extent: fromStart,
  },
  'journal-binary': {
    seeds: [
      repo('test/fixtures/journal-binary/plain.journal.gz', 'var/log/journal/0123/system.journal', { gzip: true }),
      repo('test/fixtures/journal-binary/lz4.journal.gz', 'var/log/journal/0123/system.journal', { gzip: true }),
    ],
    extent: () => null,
    binary: true,
  },
  'journal-export': {
    seeds: [repo('test/fixtures/journal-export/journal.export', 'var/log/journal.export')],
    extent: (lines, e) => (e.kind === 'boot' ? null : daemonReloadPairs(lines, e, stanza(lines, e))),
  },
  'journal-json': {
    seeds: [
      repo('test/fixtures/journal/journal.json', 'var/log/journal.json'),
      repo('test/fixtures/journal/journal.json-seq', 'var/log/journal.json-seq'),
      repo('test/fixtures/journal/journal.pretty.json', 'var/log/journal.pretty.json'),
      repo('samples/hostile-log/evidence/var/log/journal-export.json', 'var/log/journal-export.json'),
    ],
    sharedSeeds: [shared('lnav/logfile_journald.json', 'logfile_journald.json')],
    extent: journalJson,
  },
  'kernel-cmdline': {
    seeds: [repo('samples/kernel-cmdline-mask/evidence/proc/cmdline', 'proc/cmdline')],
    extent: ownLine,
  },
  syslog: {
    seeds: [
      repo('test/fixtures/syslog/auth.log', 'var/log/auth.log', { yearHint: 2023 }),
      repo('test/fixtures/syslog/syslog', 'var/log/syslog', { fileMtimeUs: MTIME_2024 }),
      repo('test/fixtures/syslog/plaso-syslog', 'var/log/syslog', { fileMtimeUs: MTIME_2024 }),
      repo('test/fixtures/syslog/plaso-syslog_rsyslog', 'var/log/syslog'),
    ],
    sharedSeeds: [shared('rhel8-ec2-rootfs/var/log/secure', 'var/log/secure', { fileMtimeUs: MTIME_2024 })],
    extent: syslog,
    normalise: yearlessTimes,
  },
  'systemctl-list-unit-files': {
    seeds: [
      repo('test/fixtures/systemctl/list-unit-files.v219.txt', 'sos_commands/systemd/systemctl_list-unit-files'),
      repo('test/fixtures/systemctl/list-unit-files.v252.txt', 'sos_commands/systemd/systemctl_list-unit-files'),
    ],
    // Rows after the `N unit files listed.` footer are refused, so every line before a row matters.
    extent: fromStart,
  },
  'yum-log': {
    seeds: [
      repo('test/fixtures/dnf/yum.log-20200601', 'var/log/yum.log-20200601'),
      repo('test/fixtures/dnf/yum.log-20200601', 'var/log/yum.log', { yearHint: 2020 }),
    ],
    sharedSeeds: [shared('rhel7-rootfs/var/log/yum.log', 'var/log/yum.log', { fileMtimeUs: MTIME_2024 })],
    extent: ownLine,
    normalise: yearlessTimes,
  },
}

/** The seeds to use: the in-repo ones, plus the shared corpus's when asked for and present. */
export function seedsOf(name: string, withShared = false): Seed[] {
  const entry = PARSER_SEEDS[name]
  if (entry === undefined) return []
  return [...entry.seeds, ...(withShared ? (entry.sharedSeeds ?? []).filter((s) => existsSync(s.file)) : [])]
}
