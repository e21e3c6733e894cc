/**
 * MANIFEST.json, the bundle's last member: what was collected, from where, by which command, and
 * the SHA-256 of every file as stored in the bundle (verify with `sha256sum -c`, see README).
 */
import type { Member } from './archive.ts'
import type { Plan, Problem } from './walk.ts'

export interface Generated {
  /** Path in the bundle. */
  path: string
  /** The command (or file) its content came from. */
  from: string
}

export interface Manifest {
  tool: 'maskwhy'
  version: string
  manifestVersion: 1
  /** The collecting command line, as argv. */
  command: string[]
  /** The machine collect ran on. */
  host: string
  /** etc/hostname of the root collected (for --root: the broken machine), null when it has none. */
  targetHost: string | null
  collectedAt: string
  /** The root directory collected; `/` is the running system. */
  root: string
  live: boolean
  /** The bundle's top-level directory: every path below is relative to it. */
  bundleRoot: string
  files: (Member & { generatedFrom?: string })[]
  absent: string[]
  omitted: Plan['omitted']
  skipped: Plan['skipped']
  notFollowed: Plan['notFollowed']
  errors: Problem[]
}

export interface ManifestContext {
  version: string
  command: string[]
  host: string
  targetHost: string | null
  collectedAt: Date
  root: string
  live: boolean
  bundleRoot: string
  plan: Plan
  generated: Generated[]
  /** Problems met outside the walk (journal export, /proc/cmdline). */
  errors: Problem[]
}

// tar: var/log/syslog: file changed as we read it
const TAR_MESSAGE = /^tar: (?<path>.+?): (?<message>[^:]+(?::.*)?)$/

function tarProblem(line: string, prefix: string): Problem {
  const m = TAR_MESSAGE.exec(line)
  if (!m?.groups) return { path: null, message: line }
  const p = m.groups['path']!
  return { path: p.startsWith(`${prefix}/`) ? p.slice(prefix.length + 1) : p, message: `tar: ${m.groups['message']}` }
}

export function buildManifest(context: ManifestContext, members: readonly Member[], tarMessages: readonly string[]): Manifest {
  const generated = new Map(context.generated.map((g) => [g.path, g.from]))
  return {
    tool: 'maskwhy',
    version: context.version,
    manifestVersion: 1,
    command: context.command,
    host: context.host,
    targetHost: context.targetHost,
    collectedAt: context.collectedAt.toISOString(),
    root: context.root,
    live: context.live,
    bundleRoot: context.bundleRoot,
    files: members.map((m) => (generated.has(m.path) ? { ...m, generatedFrom: generated.get(m.path)! } : m)),
    absent: context.plan.absent,
    omitted: context.plan.omitted,
    skipped: context.plan.skipped,
    notFollowed: context.plan.notFollowed,
    errors: [...context.plan.errors, ...context.errors, ...tarMessages.map((line) => tarProblem(line, context.bundleRoot))],
  }
}
