// https://man7.org/linux/man-pages/man1/dpkg.1.html (--log) and https://git.dpkg.org/cgit/dpkg/dpkg.git/tree/lib/dpkg/log.c
/**
 * dpkg's own log, `/var/log/dpkg.log` (and `dpkg.log.1`, `dpkg.log.N.gz`; the core decompresses
 * and orders them). One line per record: `strftime("%Y-%m-%d %H:%M:%S")` in **local time without a
 * zone**, a space, the message (../shared/FORMATS.md §5c).
 *
 * Events:
 * - every `install|upgrade|configure|trigproc|remove|purge|disappear` and `status` line →
 *   `package-action` (versions as written, `<none>` → null; for `status` the version is `toVersion`);
 * - every `startup` line begins a dpkg run → one `package-transaction` (id `dpkg@<time as written>`,
 *   `#2`, `#3` … for further runs in the same second). Outcome, from the packages whose last
 *   status in that run is a transitional state (half-installed, half-configured, unpacked,
 *   triggers-awaited/pending, legacy *-failed — but in an `unpack` run unpacked and triggers-* are
 *   the goal):
 *   none → `completed`; all of them later reach installed/config-files/not-installed in this
 *   file → `error` (the run failed or stopped; a later run repaired it); any never does →
 *   `interrupted` (dpkg was killed, or a maintainer script failed, and it was never repaired).
 *   A run is emitted as soon as its outcome is known (its end, a repair, or the end of the input);
 * - at the end of the input, `package-note left-broken` for each package whose last status is
 *   transitional (at its last status line) and `package-note removed-not-purged` for each `remove`
 *   not followed by `purge`, a reinstall or `status not-installed` (at the `remove` line).
 * `conffile` and `update-alternatives` lines are recognised and produce no event.
 *
 * Memory: one small record per package and per unresolved run, never the lines themselves.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent, PackageActionType, PackageNote, PackageTransaction, Provenance } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { localEventTime, type WallTime } from '../src/time.ts'
import { eventBase, readableLines, withFields, type TimeFields } from '../src/parse-kit.ts'

const NAME = 'dpkg-log'
const TOOL = 'dpkg'

// 2016-08-06 17:35:39 install base-passwd:amd64 <none> 3.5.33
const TIMESTAMP = String.raw`(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2}) (?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})`
const LINE = new RegExp(String.raw`^${TIMESTAMP} (?<msg>.*)$`)
// update-alternatives 2022-10-04 22:32:23: run with --install /usr/bin/groovysh groovysh …
// (update-alternatives writes its own prefix first; normally to alternatives.log, to dpkg.log with --log)
const ALTERNATIVES_LINE = new RegExp(String.raw`^update-alternatives ${TIMESTAMP}: (?<msg>.*)$`)
// startup archives install        startup packages configure
const STARTUP = /^startup (?<kind>archives|packages) (?<command>\S+)$/
// install base-passwd:amd64 <none> 3.5.33      upgrade dpkg 1.20.12 1.20.12   (`:arch` may be missing)
const ACTION = /^(?<action>install|upgrade|configure|trigproc|remove|purge|disappear) (?<pkg>\S+) (?<from>\S+) (?<to>\S+)$/
// status half-installed base-passwd:amd64 3.5.33      status not-installed oldmask:all <none>
const STATUS = /^status (?<state>\S+) (?<pkg>\S+) (?<version>\S+)$/
// conffile /etc/X11/Xsession keep      (a conffile path may contain spaces)
const CONFFILE = /^conffile (?<path>\/.*) (?:install|keep)$/
// 2024-01-01 10:00:00 update-alternatives: using /usr/bin/vim.basic to provide /usr/bin/editor (editor) in auto mode
const ALTERNATIVES_MESSAGE = /^update-alternatives: /
// base-passwd:amd64   dpkg   libstdc++6:armhf
const PACKAGE = /^(?<name>[A-Za-z0-9][A-Za-z0-9+.~_-]*)(?::(?<arch>[A-Za-z0-9-]+))?$/

/** lib/dpkg/pkg-namevalue.c, plus the legacy states lnav's dpkg format lists. */
const STATES = new Set([
  'not-installed', 'config-files', 'half-installed', 'unpacked', 'half-configured', 'triggers-awaited',
  'triggers-pending', 'installed', 'failed-config', 'post-inst-failed', 'removal-failed',
])
/** A package resting in one of these is done with (installed, or removed as far as asked). */
const SETTLED = new Set(['installed', 'config-files', 'not-installed'])

const ACTION_TYPE: Record<string, PackageActionType> = {
  install: 'install',
  upgrade: 'upgrade',
  configure: 'configure',
  trigproc: 'trigger',
  remove: 'remove',
  purge: 'purge',
  disappear: 'disappear',
}

/** Where a fact was seen: enough to build an event later without keeping the line around. */
interface Seen {
  line: number
  text: string
  time: TimeFields
  transactionId: string | null
}

interface PackageRecord {
  name: string
  arch: string | null
  /** Last `status` line, or null when only actions were seen. */
  state: string | null
  stateSeen: Seen | null
  /** The last `remove` not yet followed by purge, reinstall or not-installed. */
  removed: Seen | null
}

interface Run {
  id: string
  startup: Seen
  /** `install`, `unpack`, `configure`, `remove`, `purge`, `triggers-only` … */
  command: string
  /** Last state in this run, per package key. */
  lastState: Map<string, string>
  endUs: number | null
  /** Packages this run left transitional and nothing has settled yet (filled when the run ends). */
  open: Map<string, string>
  /** Packages this run left transitional that a later line settled. */
  settledLater: Map<string, string>
}

function wallOf(g: Record<string, string | undefined>): WallTime | null {
  const [year, month, day, hour, minute, second] = [g['y'], g['mo'], g['d'], g['h'], g['mi'], g['s']].map(Number) as [
    number, number, number, number, number, number,
  ]
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (day < 1 || day > daysInMonth) return null
  return { year, month, day, hour, minute, second }
}

/** Whether `state` means the package was left half-way in a run of `command`. */
function isTransitional(state: string, command: string | null): boolean {
  if (SETTLED.has(state)) return false
  // `dpkg --unpack` (apt's first pass, with --no-triggers) leaves packages unpacked and triggers
  // pending on purpose; apt's later `--configure` run settles them (corpus: debian11 dpkg.log).
  if (command === 'unpack' && (state === 'unpacked' || state.startsWith('triggers-'))) return false
  return true
}

function describe(open: Map<string, string>): string {
  return [...open].map(([pkg, state]) => `${pkg} ${state}`).join(', ')
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const packages = new Map<string, PackageRecord>()
  /** name → keys in `packages`, to match arch-less lines (`upgrade dpkg …`) with `dpkg:armhf`. */
  const archesOf = new Map<string, Set<string>>()
  const runIds = new Map<string, number>()
  /** Runs ended with transitional packages and not yet resolved; few at any time. */
  const unresolved: Run[] = []
  let run: Run | null = null

  const base = (seen: Seen): Provenance => eventBase(ctx, NAME, seen.line, seen.text, seen.time)

  const transaction = (r: Run, outcome: PackageTransaction['outcome'], outcomeReason: string): PackageTransaction => ({
    kind: 'package-transaction',
    ...base(r.startup),
    tool: TOOL,
    transactionId: r.id,
    commandLine: null,
    actor: null,
    outcome,
    outcomeReason,
    endUs: r.endUs,
  })

  const note = (kind: PackageNote['note'], pkg: string, seen: Seen): PackageNote => ({
    kind: 'package-note',
    ...base(seen),
    tool: TOOL,
    note: kind,
    package: pkg,
    transactionId: seen.transactionId,
  })

  /** The record key for `name[:arch]`: an arch-less name joins the one arch seen for it. */
  const keyOf = (name: string, arch: string | null): string => {
    if (arch !== null) return `${name}:${arch}`
    const known = archesOf.get(name)
    if (known && known.size === 1) return [...known][0]!
    return name
  }

  const recordOf = (name: string, arch: string | null): PackageRecord => {
    const key = keyOf(name, arch)
    let rec = packages.get(key)
    if (!rec) {
      rec = { name, arch, state: null, stateSeen: null, removed: null }
      // An arch-less record seen first (dpkg upgrading itself) is the same package as `name:arch`.
      const bare = arch !== null ? packages.get(name) : undefined
      if (bare) {
        packages.delete(name)
        rec = { ...bare, arch }
        for (const states of [run?.lastState, ...unresolved.map((r) => r.open)]) {
          const state = states?.get(name)
          if (states && state !== undefined) {
            states.delete(name)
            if (!states.has(key)) states.set(key, state)
          }
        }
      }
      packages.set(key, rec)
      if (arch !== null) {
        const set = archesOf.get(name) ?? new Set<string>()
        set.add(key)
        archesOf.set(name, set)
      }
    }
    return rec
  }

  function* endRun(): Generator<MaskEvent> {
    if (run === null) return
    const r = run
    run = null
    for (const [pkg, state] of r.lastState) if (isTransitional(state, r.command)) r.open.set(pkg, state)
    r.lastState.clear()
    if (r.open.size === 0) {
      yield transaction(r, 'completed', 'every package the run touched ended installed, config-files or not-installed')
    } else {
      unresolved.push(r)
    }
  }

  /** A package reached a settled state: runs that left it half-way may now be resolved. */
  function* settled(key: string, line: number): Generator<MaskEvent> {
    for (let i = 0; i < unresolved.length; i++) {
      const r = unresolved[i]!
      const state = r.open.get(key)
      if (state === undefined) continue
      r.open.delete(key)
      r.settledLater.set(key, state)
      if (r.open.size === 0) {
        unresolved.splice(i--, 1)
        yield transaction(
          r,
          'error',
          `left ${describe(r.settledLater)} (a maintainer script failed, or dpkg stopped); all settled again by line ${line}`,
        )
      }
    }
  }

  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    // dpkg writes `\n`; a copy that went through a CRLF conversion is still read.
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (text.trim() === '') {
      count.line(true)
      continue
    }
    const alternatives = ALTERNATIVES_LINE.exec(text)
    const m = alternatives ?? LINE.exec(text)
    if (!m?.groups) {
      ctx.warn('RECORD_INVALID', line, 'not a dpkg.log line (expected "YYYY-MM-DD HH:MM:SS message")', excerptOf(text))
      count.line(false)
      continue
    }
    const wall = wallOf(m.groups)
    if (wall === null) {
      ctx.warn('TIMESTAMP_INVALID', line, 'date or time out of range', excerptOf(text))
      count.line(false)
      continue
    }
    if (alternatives) {
      count.line(true)
      continue
    }
    const msg = m.groups['msg']!
    const seen = (): Seen => ({ line, text, time: localEventTime(wall, ctx.localZone), transactionId: run?.id ?? null })

    const startup = STARTUP.exec(msg)
    if (startup?.groups) {
      count.line(true)
      yield* endRun()
      const written = `${m.groups['y']}-${m.groups['mo']}-${m.groups['d']} ${m.groups['h']}:${m.groups['mi']}:${m.groups['s']}`
      const n = (runIds.get(written) ?? 0) + 1
      runIds.set(written, n)
      const id = n === 1 ? `dpkg@${written}` : `dpkg@${written}#${n}`
      const s = seen()
      run = {
        id,
        startup: { ...s, transactionId: id },
        command: startup.groups['command']!,
        lastState: new Map(),
        endUs: s.time.timeUs,
        open: new Map(),
        settledLater: new Map(),
      }
      continue
    }
    if (CONFFILE.test(msg) || ALTERNATIVES_MESSAGE.test(msg)) {
      count.line(true)
      if (run) run.endUs = seen().time.timeUs
      continue
    }

    const action = ACTION.exec(msg)
    const status = action ? null : STATUS.exec(msg)
    const pkgText = action?.groups?.['pkg'] ?? status?.groups?.['pkg']
    const pkg = pkgText === undefined ? null : PACKAGE.exec(pkgText)
    if (!pkg?.groups || (status?.groups && !STATES.has(status.groups['state']!))) {
      const why =
        !action && !status
          ? 'unrecognised dpkg.log message'
          : pkg
            ? `unknown package state "${status?.groups?.['state']}"`
            : `bad package name "${pkgText}"`
      ctx.warn('RECORD_INVALID', line, why, excerptOf(text))
      count.line(false)
      continue
    }
    count.line(true)
    const s = seen()
    if (run) run.endUs = s.time.timeUs
    const name = pkg.groups['name']!
    const arch = pkg.groups['arch'] ?? null
    const rec = recordOf(name, arch)
    const key = keyOf(name, arch)
    const version = (v: string | undefined): string | null => (v === undefined || v === '<none>' ? null : v)
    const common = {
      kind: 'package-action' as const,
      ...base(s),
      tool: TOOL,
      transactionId: s.transactionId,
      package: name,
      arch,
    }

    if (action?.groups) {
      const type = ACTION_TYPE[action.groups['action']!]!
      if (type === 'remove') rec.removed = s
      else if (type === 'purge' || type === 'install' || type === 'upgrade') rec.removed = null
      yield withFields(common, { action: type, fromVersion: version(action.groups['from']), toVersion: version(action.groups['to']), state: null })
      continue
    }
    const state = status!.groups!['state']!
    rec.state = state
    rec.stateSeen = s
    if (state === 'not-installed') rec.removed = null
    if (run) run.lastState.set(key, state)
    yield withFields(common, { action: 'status' as const, fromVersion: null, toVersion: version(status!.groups!['version']), state })
    if (SETTLED.has(state) && unresolved.length > 0) yield* settled(key, line)
  }

  yield* endRun()
  for (const r of unresolved) {
    const also = r.settledLater.size > 0 ? `; ${describe(r.settledLater)} settled later` : ''
    yield transaction(
      r,
      'interrupted',
      `left ${describe(r.open)}, never settled later in this input: dpkg was killed, or a maintainer script failed${also}`,
    )
  }
  for (const rec of packages.values()) {
    if (rec.state !== null && rec.stateSeen !== null && isTransitional(rec.state, null)) {
      yield note('left-broken', rec.name, rec.stateSeen)
    }
    if (rec.removed !== null) yield note('removed-not-purged', rec.name, rec.removed)
  }
}

export default {
  name: NAME,
  title: "dpkg's log (/var/log/dpkg.log)",
  paths: [/(^|\/)dpkg\.log$/],
  detect(head: string): boolean {
    // The first few complete, non-blank lines must all be dpkg.log lines with a valid time, and at
    // least one of them dpkg's own (not only update-alternatives, which has alternatives.log).
    const lines = head.split('\n')
    // The head may end inside a line; a one-line head is taken as it is.
    if (!head.endsWith('\n') && lines.length > 1) lines.pop()
    let own = 0
    let checked = 0
    for (const raw of lines) {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
      if (text.trim() === '') continue
      if (++checked > 5) break
      const alternatives = ALTERNATIVES_LINE.exec(text)
      const m = alternatives ?? LINE.exec(text)
      if (!m?.groups || wallOf(m.groups) === null) return false
      if (alternatives) continue
      const msg = m.groups['msg']!
      const st = STATUS.exec(msg)
      if (!(STARTUP.test(msg) || ACTION.test(msg) || (st && STATES.has(st.groups!['state']!)) || CONFFILE.test(msg) || ALTERNATIVES_MESSAGE.test(msg))) return false
      own++
    }
    return own > 0
  },
  parse,
} satisfies Parser
