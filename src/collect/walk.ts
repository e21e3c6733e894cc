/**
 * Which paths under the root go into the bundle. lstat/readdir/readlink only: a symlink is taken as
 * a link (never followed, never left), special files are listed and left out, and nothing is opened
 * for writing. Content sniffing (for logs no path rule names) opens regular files read-only.
 */
import type { Stats } from 'node:fs'
import { lstat, readdir, readlink } from 'node:fs/promises'
import path from 'node:path'
import { rotationOf, type EvidenceFile } from '../discovery.ts'
import { resolveInRoot } from '../fs/confined.ts'
import { readHead } from '../inputs.ts'
import { routeInput } from '../routing.ts'
import type { Source } from './sources.ts'

export type EntryType = 'file' | 'dir' | 'symlink'

export interface Problem {
  /** Relative to the root; null when about no one path. */
  path: string | null
  message: string
}

export interface Plan {
  /** Relative paths to archive (directories before what they hold), and their type when walked. */
  entries: Map<string, EntryType>
  /** Directories a pattern matched: taken with their contents. */
  trees: string[]
  /** Patterns that matched nothing. */
  absent: string[]
  /** Patterns left out on purpose, and why. */
  omitted: { source: string; reason: string }[]
  /** FIFOs, sockets and device nodes: never archived, never opened. */
  skipped: { path: string; reason: string }[]
  /** Links whose target (inside the root) is something the bundle does not hold, or that climb out of the root. */
  notFollowed: { path: string; linkTarget: string; note: string }[]
  errors: Problem[]
}

export interface PlanOptions {
  /** The root is the running system (`/`): gather `run/` too. */
  live: boolean
  /** Gather binary journal files. */
  journal: boolean
}

const SPECIAL: [test: (s: Stats) => boolean, name: string][] = [
  [(s) => s.isFIFO(), 'FIFO'],
  [(s) => s.isSocket(), 'socket'],
  [(s) => s.isCharacterDevice(), 'character device'],
  [(s) => s.isBlockDevice(), 'block device'],
]

const globOf = (component: string): RegExp =>
  new RegExp(`^${component.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`)

/** Path order with directories before their contents (`etc` < `etc/x` < `etc-x`). */
export function comparePaths(a: string, b: string): number {
  const x = a.split('/')
  const y = b.split('/')
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1
  }
  return x.length - y.length
}

class Planner {
  readonly plan: Plan = { entries: new Map(), trees: [], absent: [], omitted: [], skipped: [], notFollowed: [], errors: [] }
  readonly root: string

  constructor(root: string) {
    this.root = root
  }

  abs(rel: string): string {
    return rel === '' ? this.root : path.join(this.root, ...rel.split('/'))
  }

  async lstat(rel: string): Promise<Stats | null> {
    try {
      return await lstat(this.abs(rel))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        this.plan.errors.push({ path: rel, message: `cannot lstat: ${code ?? (error as Error).message}` })
      }
      return null
    }
  }

  async names(rel: string): Promise<string[]> {
    try {
      return (await readdir(this.abs(rel))).sort()
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      this.plan.errors.push({ path: rel, message: `cannot list: ${code ?? (error as Error).message}` })
      return []
    }
  }

  /** Adds `rel` and the directories above it. */
  add(rel: string, type: EntryType): void {
    const parts = rel.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!this.plan.entries.has(dir)) this.plan.entries.set(dir, 'dir')
    }
    this.plan.entries.set(rel, type)
  }

  special(rel: string, info: Stats): boolean {
    const kind = SPECIAL.find(([test]) => test(info))
    if (kind === undefined) return false
    this.plan.skipped.push({ path: rel, reason: `${kind[1]}: not a regular file; not archived` })
    return true
  }

  /** Paths matching the pattern. A symlink met on the way is itself the match: it is evidence, and it is not followed. */
  async expand(pattern: string): Promise<{ rel: string; info: Stats }[]> {
    const components = pattern.split('/')
    let frontier = ['']
    const found: { rel: string; info: Stats }[] = []
    for (const [i, component] of components.entries()) {
      const last = i === components.length - 1
      const next: string[] = []
      for (const dir of frontier) {
        const names = component.includes('*') ? (await this.names(dir)).filter((n) => globOf(component).test(n)) : [component]
        for (const name of names) {
          const rel = dir === '' ? name : `${dir}/${name}`
          const info = await this.lstat(rel)
          if (info === null) continue
          if (last || info.isSymbolicLink()) found.push({ rel, info })
          else if (info.isDirectory()) next.push(rel)
        }
      }
      frontier = next
    }
    return found
  }

  async sniffed(rel: string, info: Stats): Promise<boolean> {
    const rotation = rotationOf(rel)
    const file: EvidenceFile = {
      path: rel,
      absPath: this.abs(rel),
      basePath: rotation.base,
      compression: rotation.compression,
      size: info.size,
      explicit: false,
      mtimeUs: Math.round(info.mtimeMs * 1000),
      root: this.root,
    }
    const route = await routeInput(file, () => readHead(file), [])
    return route.status !== 'unrecognised'
  }

  /** Takes one entry (a whole directory tree when it is one). Returns whether anything was added. */
  async take(rel: string, info: Stats, source: Source): Promise<boolean> {
    if (source.exclude?.test(rel)) return false
    const kept = async (): Promise<boolean> =>
      source.keep === undefined || source.keep(rel) || (source.sniff === true && info.isFile() && (await this.sniffed(rel, info)))
    if (info.isSymbolicLink()) {
      if (!(await kept())) return false
      this.add(rel, 'symlink')
      return true
    }
    if (info.isFile()) {
      if (!(await kept())) return false
      this.add(rel, 'file')
      return true
    }
    if (info.isDirectory()) {
      let any = false
      for (const name of await this.names(rel)) {
        const child = `${rel}/${name}`
        const childInfo = await this.lstat(child)
        if (childInfo !== null && (await this.take(child, childInfo, source))) any = true
      }
      // With a filter, a directory comes only with something kept in it; without one, even empty (an empty .wants/ says something).
      if (source.keep === undefined && !this.plan.entries.has(rel)) {
        this.add(rel, 'dir')
        any = true
      }
      return any
    }
    if ((source.keep === undefined || source.keep(rel)) && this.special(rel, info)) return false
    return false
  }

  async gather(source: Source): Promise<void> {
    let any = false
    for (const { rel, info } of await this.expand(source.pattern)) {
      // A link where the pattern expects a name (lib -> usr/lib, var/log/journal -> /srv/journal) is kept as is, filter or not.
      if (info.isSymbolicLink()) this.add(rel, 'symlink')
      if (info.isDirectory()) this.plan.trees.push(rel)
      if (info.isSymbolicLink() || (await this.take(rel, info, source))) any = true
    }
    if (!any) this.plan.absent.push(source.pattern)
  }

  /** Links that lead to something inside the root the bundle does not hold (the analyst may want it), or out of the root. */
  async checkLinks(): Promise<void> {
    for (const [rel, type] of this.plan.entries) {
      if (type !== 'symlink') continue
      let target: string
      try {
        target = await readlink(this.abs(rel))
      } catch {
        continue
      }
      const r = await resolveInRoot(this.root, path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel), target)
      if (!r.ok) this.plan.notFollowed.push({ path: rel, linkTarget: target, note: 'leads into a link loop' })
      else if (r.escaped) this.plan.notFollowed.push({ path: rel, linkTarget: target, note: 'climbs out of the root' })
      else if (r.info !== null && !this.plan.entries.has(r.rel) && (r.info.type === 'dir' || r.info.type === 'file')) {
        const what = r.info.type === 'dir' ? 'a directory' : 'a file'
        this.plan.notFollowed.push({ path: rel, linkTarget: target, note: `leads to ${what} the bundle does not hold (/${r.rel})` })
      }
    }
  }
}

/** Walks `root` (absolute, symlink-free) for every source; never follows a link, never writes. */
export async function planCollection(root: string, sources: readonly Source[], options: PlanOptions): Promise<Plan> {
  const planner = new Planner(root)
  for (const source of sources) {
    if (source.liveOnly && !options.live) {
      planner.plan.omitted.push({ source: source.pattern, reason: 'runtime state: only gathered from the running system (root /)' })
    } else if (source.journal && !options.journal) {
      planner.plan.omitted.push({ source: source.pattern, reason: '--no-journal' })
    } else {
      await planner.gather(source)
    }
  }
  await planner.checkLinks()
  const sorted = [...planner.plan.entries].sort((a, b) => comparePaths(a[0], b[0]))
  planner.plan.entries = new Map(sorted)
  // Overlapping sources (etc/systemd and etc/systemd/system) meet the same paths twice.
  planner.plan.skipped = uniqueBy(planner.plan.skipped, (s) => s.path)
  planner.plan.errors = uniqueBy(planner.plan.errors, (e) => `${e.path}\0${e.message}`)
  return planner.plan
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((t) => [key(t), t])).values()]
}
