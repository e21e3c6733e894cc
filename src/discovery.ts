/**
 * Evidence discovery: turns the command-line arguments (files, directories, `-`) into an ordered
 * list of inputs. Read-only; never follows a symlink out of the evidence root.
 */
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises'
import { onDisk, resolveInRoot } from './fs/confined.ts'
import path from 'node:path'
import type { Diagnostic } from './diagnostics.ts'

export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2' | null

export interface EvidenceFile {
  /** Display path: relative to the evidence root (POSIX separators), `<stdin>` for stdin. */
  path: string
  /** Path on disk, or null for stdin. */
  absPath: string | null
  /** `path` without rotation and compression suffixes (`var/log/dpkg.log.2.gz` → `var/log/dpkg.log`). */
  basePath: string
  compression: Compression
  /** On-disk size in bytes (null for stdin). */
  size: number | null
  /** True when the user named this file directly (not found by walking a directory). */
  explicit: boolean
  /** Modification time in µs (null for stdin). */
  mtimeUs: number | null
  /** The evidence directory this file was found in (its etc/ says the zone), or null for a file argument / stdin. */
  root: string | null
}

export interface Discovery {
  files: EvidenceFile[]
  problems: Diagnostic[]
}

/**
 * In a directory shaped like a copied root filesystem only these hold evidence; walking /usr or
 * /proc of a copied machine would only cost time. `only` keeps just the files that matter in
 * directories full of others (var/lib/dpkg/info has thousands of maintainer scripts and md5sums).
 * Other top-level names are walked whole.
 */
export const ROOTFS_EVIDENCE_DIRS: readonly { dir: string; only?: RegExp }[] = [
  { dir: 'var/log' },
  { dir: 'run/log' },
  { dir: 'var/lib/dpkg', only: /^var\/lib\/dpkg\/(?:status(?:-old)?|info\/[^/]+\.list)$/ },
  { dir: 'var/backups', only: /^var\/backups\/dpkg\.status\.\d+(?:\.gz)?$/ },
]
const FHS_TOP_LEVEL = new Set([
  'bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib32', 'lib64', 'libx32', 'lost+found', 'media', 'mnt', 'opt',
  'proc', 'root', 'run', 'sbin', 'snap', 'srv', 'sys', 'tmp', 'usr', 'var',
])

const COMPRESSION_SUFFIX: Record<string, Compression> = { '.gz': 'gzip', '.xz': 'xz', '.zst': 'zstd', '.bz2': 'bzip2' }
// dpkg.log.2.gz → dpkg.log, rotation 2;   messages-20210302 → messages (logrotate dateext)
const NUMBERED = /^(?<base>.+?)\.(?<n>\d{1,4})$/
const DATED = /^(?<base>.+?)-(?<date>\d{8}(?:\d{2})?)$/

interface Rotation {
  base: string
  compression: Compression
  /** Sort key within one base, older first: [kind (numbered, dated, current), rotation number, date]. */
  age: [number, number, string]
}

export function rotationOf(displayPath: string): Rotation {
  let p = displayPath
  let compression: Compression = null
  const ext = path.posix.extname(p)
  if (ext in COMPRESSION_SUFFIX) {
    compression = COMPRESSION_SUFFIX[ext] ?? null
    p = p.slice(0, -ext.length)
  }
  const numbered = NUMBERED.exec(p)
  // .10 is older than .2: higher numbers first
  if (numbered?.groups) return { base: numbered.groups['base']!, compression, age: [0, -Number(numbered.groups['n']), ''] }
  const dated = DATED.exec(p)
  if (dated?.groups) return { base: dated.groups['base']!, compression, age: [1, 0, dated.groups['date']!] }
  return { base: p, compression, age: [2, 0, ''] }
}

/** Rotated sets oldest first (`.3.gz`, `.2.gz`, `.1`, current), sets in path order. */
export function sortInputs<T extends { path: string }>(files: T[]): T[] {
  const keyed = files.map((f) => ({ f, r: rotationOf(f.path) }))
  keyed.sort((a, b) => {
    if (a.r.base !== b.r.base) return a.r.base < b.r.base ? -1 : 1
    if (a.r.age[0] !== b.r.age[0]) return a.r.age[0] - b.r.age[0]
    if (a.r.age[1] !== b.r.age[1]) return a.r.age[1] - b.r.age[1]
    if (a.r.age[2] !== b.r.age[2]) return a.r.age[2] < b.r.age[2] ? -1 : 1
    return a.f.path < b.f.path ? -1 : a.f.path > b.f.path ? 1 : 0
  })
  return keyed.map((k) => k.f)
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await lstat(p)).isDirectory()
  } catch {
    return false
  }
}

/** A copied machine: the directory has var/log or etc/systemd. */
export async function looksLikeRootfs(dir: string): Promise<boolean> {
  return (await isDirectory(path.join(dir, 'var/log'))) || (await isDirectory(path.join(dir, 'etc/systemd')))
}

type LinkResolution = { ok: true; real: string } | { ok: false; problem: Diagnostic }

/**
 * Where a symlink in the evidence leads, resolved the way the copied machine saw it (fs/confined.ts:
 * an absolute target starts at the evidence root, every component is lstat()ed, nothing outside the
 * root is ever looked at). A relative target that climbs above the root is reported, not followed.
 */
async function resolveLink(absLink: string, realRoot: string, display: string): Promise<LinkResolution> {
  const target = await readlink(absLink)
  const problem = (code: 'SYMLINK_OUTSIDE_ROOT' | 'SYMLINK_BROKEN', message: string): LinkResolution => ({
    ok: false,
    problem: { code, severity: 'warning', path: display, line: null, message, excerpt: null },
  })
  const fromRel = toPosix(path.relative(realRoot, path.dirname(absLink)))
  const r = await resolveInRoot(realRoot, fromRel, target)
  if (!r.ok) return problem('SYMLINK_BROKEN', `symlink to ${target} leads into a symlink loop; not followed`)
  if (r.escaped) return problem('SYMLINK_OUTSIDE_ROOT', `symlink to ${target} climbs out of the evidence root; not followed`)
  if (r.info === null) return problem('SYMLINK_BROKEN', `symlink to ${target} leads to nothing in the evidence; not followed`)
  return { ok: true, real: onDisk(realRoot, r.rel) }
}

class Walker {
  readonly files: EvidenceFile[] = []
  readonly problems: Diagnostic[] = []
  readonly #seen = new Set<string>()

  readonly realRoot: string
  readonly displayPrefix: string

  constructor(realRoot: string, displayPrefix: string) {
    this.realRoot = realRoot
    this.displayPrefix = displayPrefix
  }

  display(abs: string): string {
    const rel = toPosix(path.relative(this.realRoot, abs))
    return this.displayPrefix === '' ? rel : path.posix.join(this.displayPrefix, rel)
  }

  async walk(dir: string, only?: RegExp): Promise<void> {
    let realDir: string
    try {
      realDir = await realpath(dir)
    } catch {
      return
    }
    if (this.#seen.has(realDir)) return
    this.#seen.add(realDir)
    let names: string[]
    try {
      names = (await readdir(dir)).sort()
    } catch (error) {
      this.problems.push(readProblem(this.display(dir), error))
      return
    }
    for (const name of names) await this.visit(path.join(dir, name), only)
  }

  async visit(abs: string, only?: RegExp): Promise<void> {
    let display = this.display(abs)
    let info
    try {
      info = await lstat(abs)
    } catch (error) {
      this.problems.push(readProblem(display, error))
      return
    }
    let real = abs
    if (info.isSymbolicLink()) {
      const link = await resolveLink(abs, this.realRoot, display)
      if (!link.ok) {
        // A mask is a link to /dev/null: that is evidence for the unit-state reader, not a log to open.
        if ((await readlink(abs)) !== '/dev/null') this.problems.push(link.problem)
        return
      }
      real = link.real
      // A file reached through a link is shown (and deduplicated) under its own path.
      display = this.display(real)
      info = await lstat(real)
    }
    if (info.isDirectory()) return this.walk(real, only)
    if (!info.isFile() || info.size === 0) return
    if (only !== undefined && !only.test(toPosix(path.relative(this.realRoot, real)))) return
    if (this.#seen.has(real)) return
    this.#seen.add(real)
    const rotation = rotationOf(display)
    this.files.push({ path: display, absPath: real, basePath: rotation.base, compression: rotation.compression, size: info.size, explicit: false, mtimeUs: Math.round(info.mtimeMs * 1000), root: this.realRoot })
  }
}

function readProblem(display: string, error: unknown): Diagnostic {
  return {
    code: 'READ_ERROR',
    severity: 'error',
    path: display,
    line: null,
    message: `cannot read: ${(error as Error).message}`,
    excerpt: null,
  }
}

export class UsageError extends Error {}

/** Inputs for the given arguments, in processing order. `-` stands for stdin. */
export async function discoverEvidence(args: readonly string[]): Promise<Discovery> {
  const files: EvidenceFile[] = []
  const problems: Diagnostic[] = []
  const several = args.length > 1
  for (const arg of args) {
    if (arg === '-') {
      files.push({ path: '<stdin>', absPath: null, basePath: '<stdin>', compression: null, size: null, explicit: true, mtimeUs: null, root: null })
      continue
    }
    let info
    try {
      info = await stat(arg)
    } catch (error) {
      throw new UsageError(`cannot read evidence ${arg}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
    if (info.isFile()) {
      const display = several ? toPosix(path.normalize(arg)) : path.basename(arg)
      const rotation = rotationOf(display)
      files.push({
        path: display,
        absPath: path.resolve(arg),
        basePath: rotation.base,
        compression: rotation.compression,
        size: info.size,
        explicit: true,
        mtimeUs: Math.round(info.mtimeMs * 1000),
        root: null,
      })
      continue
    }
    if (!info.isDirectory()) throw new UsageError(`evidence ${arg} is neither a file nor a directory`)
    const realRoot = await realpath(arg)
    const walker = new Walker(realRoot, several ? toPosix(path.normalize(arg)) : '')
    if (await looksLikeRootfs(realRoot)) {
      for (const name of (await readdir(realRoot)).sort()) {
        if (!FHS_TOP_LEVEL.has(name)) await walker.visit(path.join(realRoot, name))
      }
      for (const { dir, only } of ROOTFS_EVIDENCE_DIRS) {
        if (await isDirectory(path.join(realRoot, dir))) await walker.walk(path.join(realRoot, dir), only)
      }
    } else {
      await walker.walk(realRoot)
    }
    files.push(...sortInputs(walker.files))
    problems.push(...walker.problems)
  }
  return { files, problems }
}
