/**
 * Evidence discovery: turns the command-line arguments (files, directories, `-`) into an ordered
 * list of inputs. Read-only; never follows a symlink out of the evidence root.
 */
import { realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { openArchive, type EvidenceArchive } from './archive/archive.ts'
import { ArchiveTree } from './archive/tree.ts'
import type { Diagnostic } from './diagnostics.ts'
import { resolveInRoot, toPosix } from './fs/confined.ts'
import { SOS_COMMANDS_EVIDENCE } from './sos/layout.ts'
import { DiskTree } from './tree/disk.ts'
import type { EvidenceTree, NodeInfo } from './tree/tree.ts'

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
  /**
   * The evidence root this file was found in (its etc/ says the zone), or null for a file argument / stdin:
   * the directory's real path, or `<archive path>!/<folder>` for an archive.
   */
  root: string | null
  /** The evidence tree of `root` (a directory on disk or an archive); absent when `root` is null. */
  tree?: EvidenceTree
  /** A member of an archive argument (`absPath` is then null): read by streaming the archive (run.ts). */
  member?: ArchiveMember
}

export interface ArchiveMember {
  archive: EvidenceArchive
  /** The member's position in the archive. */
  ordinal: number
  /** How the evidence root is shown: `evidence.tar.gz!/` or `evidence.tar.gz!/folder/`. */
  rootDisplay: string
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
  // A sosreport's command output: the unit-file listing and the journal as journalctl printed it (src/sos/layout.ts).
  { dir: 'sos_commands', only: SOS_COMMANDS_EVIDENCE },
  // Kernel command lines (systemd.mask=): the boot loader's entries, what the next update-grub writes.
  { dir: 'boot/grub', only: /^boot\/grub\/grub\.cfg$/ },
  { dir: 'boot/grub2', only: /^boot\/grub2\/grub\.cfg$/ },
  { dir: 'etc/default', only: /^etc\/default\/grub(?:\.d\/[^/]+\.cfg)?$/ },
]
/** Single files of a copied root filesystem that hold evidence (a copied proc/ is never walked: it may be huge, or live). */
export const ROOTFS_EVIDENCE_FILES: readonly string[] = ['proc/cmdline', 'etc/kernel/cmdline']
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

/** `rel` is a directory of the evidence, reached the way the copied machine would (links resolved inside the root). */
async function isDirectory(tree: EvidenceTree, rel: string): Promise<boolean> {
  const r = await resolveInRoot(tree, '', rel).catch(() => null)
  return r?.ok === true && !r.escaped && r.info?.type === 'dir'
}

const treeOf = async (dir: string | EvidenceTree): Promise<EvidenceTree> => (typeof dir === 'string' ? new DiskTree(await realpath(dir)) : dir)

/** A copied machine: the directory (or archive) has var/log or etc/systemd. */
export async function looksLikeRootfs(dir: string | EvidenceTree): Promise<boolean> {
  const tree = await treeOf(dir)
  return (await isDirectory(tree, 'var/log')) || (await isDirectory(tree, 'etc/systemd')) || (await looksLikeSosreport(tree))
}

/** An unpacked sosreport: sos_commands/ beside the machine's copied etc/ or var/. */
export async function looksLikeSosreport(dir: string | EvidenceTree): Promise<boolean> {
  const tree = await treeOf(dir)
  return (await isDirectory(tree, 'sos_commands')) && ((await isDirectory(tree, 'etc')) || (await isDirectory(tree, 'var')))
}

type LinkResolution = { ok: true; rel: string; info: NodeInfo } | { ok: false; problem: Diagnostic }

/**
 * Where a symlink in the evidence leads, resolved the way the copied machine saw it (fs/confined.ts:
 * an absolute target starts at the evidence root, every component is lstat()ed, nothing outside the
 * root is ever looked at). A relative target that climbs above the root is reported, not followed.
 */
async function resolveLink(tree: EvidenceTree, rel: string, target: string, display: string): Promise<LinkResolution> {
  const problem = (code: 'SYMLINK_OUTSIDE_ROOT' | 'SYMLINK_BROKEN', message: string): LinkResolution => ({
    ok: false,
    problem: { code, severity: 'warning', path: display, line: null, message, excerpt: null },
  })
  const r = await resolveInRoot(tree, path.posix.dirname(rel), target)
  if (!r.ok) return problem('SYMLINK_BROKEN', `symlink to ${target} leads into a symlink loop; not followed`)
  if (r.escaped) return problem('SYMLINK_OUTSIDE_ROOT', `symlink to ${target} climbs out of the evidence root; not followed`)
  if (r.info === null) return problem('SYMLINK_BROKEN', `symlink to ${target} leads to nothing in the evidence; not followed`)
  return { ok: true, rel: r.rel, info: r.info }
}

/** Walks an evidence tree (a directory or an archive); paths are relative to its root, already free of symlinks. */
class Walker {
  readonly files: EvidenceFile[] = []
  readonly problems: Diagnostic[] = []
  readonly #seen = new Set<string>()

  readonly tree: EvidenceTree
  readonly display: (rel: string) => string
  readonly #make: (rel: string, display: string, info: NodeInfo) => EvidenceFile

  constructor(tree: EvidenceTree, display: (rel: string) => string, make: (rel: string, display: string, info: NodeInfo) => EvidenceFile) {
    this.tree = tree
    this.display = display
    this.#make = make
  }

  async walk(dir: string, only?: RegExp): Promise<void> {
    if (this.#seen.has(dir)) return
    this.#seen.add(dir)
    let names: string[]
    try {
      names = (await this.tree.readdir(dir)).map((d) => d.name)
    } catch (error) {
      this.problems.push(readProblem(this.display(dir), error))
      return
    }
    for (const name of names) await this.visit(dir === '' ? name : `${dir}/${name}`, only)
  }

  /** visit() for a file that may well be absent (no READ_ERROR for a missing name); its directory may be reached through links. */
  async visitIfPresent(rel: string): Promise<void> {
    const dir = await resolveInRoot(this.tree, '', path.posix.dirname(rel)).catch(() => null)
    if (dir?.ok !== true || dir.escaped || dir.info?.type !== 'dir') return
    const resolved = dir.rel === '' ? path.posix.basename(rel) : `${dir.rel}/${path.posix.basename(rel)}`
    if ((await this.tree.lstat(resolved).catch(() => null)) === null) return
    await this.visit(resolved)
  }

  async visit(rel: string, only?: RegExp): Promise<void> {
    let display = this.display(rel)
    let info: NodeInfo | null
    try {
      info = await this.tree.lstat(rel)
    } catch (error) {
      this.problems.push(readProblem(display, error))
      return
    }
    if (info === null) return // gone since it was listed
    let real = rel
    if (info.type === 'symlink') {
      const target = await this.tree.readlink(rel)
      const link = await resolveLink(this.tree, rel, target, display)
      if (!link.ok) {
        // A mask is a link to /dev/null: that is evidence for the unit-state reader, not a log to open.
        if (target !== '/dev/null') this.problems.push(link.problem)
        return
      }
      real = link.rel
      info = link.info
      // A file reached through a link is shown (and deduplicated) under its own path.
      display = this.display(real)
    }
    if (info.hardLinkOf !== undefined) {
      // A tar hard link is another name of a file stored earlier: read once, under that file's name.
      real = info.hardLinkOf
      display = this.display(real)
    }
    if (info.type === 'dir') return this.walk(real, only)
    if (info.type !== 'file' || info.size === 0) return
    if (only !== undefined && !only.test(real)) return
    if (this.#seen.has(real)) return
    this.#seen.add(real)
    this.files.push(this.#make(real, display, info))
  }

  /** A directory argument, or an archive's evidence root: a copied machine is searched where evidence lives, anything else whole. */
  async walkRoot(): Promise<void> {
    if (await looksLikeRootfs(this.tree)) {
      // A sosreport's own top-level names (sos_logs, sos_reports, version.txt, links into sos_commands) hold no evidence.
      const sos = await looksLikeSosreport(this.tree)
      for (const { name } of await this.tree.readdir('')) {
        if (!FHS_TOP_LEVEL.has(name) && !sos) await this.visit(name)
      }
      for (const { dir, only } of ROOTFS_EVIDENCE_DIRS) {
        const found = await resolveInRoot(this.tree, '', dir).catch(() => null)
        if (found?.ok === true && !found.escaped && found.info?.type === 'dir') await this.walk(found.rel, only)
      }
      for (const file of ROOTFS_EVIDENCE_FILES) await this.visitIfPresent(file)
    } else {
      await this.walk('')
    }
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

/**
 * Where the evidence starts in an archive: its top, unless everything sits in one folder that is
 * not itself a piece of a root filesystem (`sosreport-host-2024…/`, `bundle/`; not `etc/` or `var/`).
 */
export async function archiveRoot(archive: EvidenceArchive): Promise<ArchiveTree> {
  const top = new ArchiveTree(archive, '')
  const names = await top.readdir('')
  const only = names.length === 1 ? names[0]! : null
  if (only === null || only.type !== 'dir' || FHS_TOP_LEVEL.has(only.name) || (await looksLikeRootfs(top))) return top
  return new ArchiveTree(archive, `${only.name}/`)
}

/** The archive at `absPath` as an evidence tree, or null when it is not a tar archive (plain, gzip, xz). */
export async function archiveTreeOf(absPath: string): Promise<ArchiveTree | null> {
  const archive = await openArchive(absPath)
  return archive === null ? null : archiveRoot(archive)
}

/** The evidence tree of a directory or archive argument (for the unit-state reader); null for a plain file or stdin. */
export async function evidenceTreeOf(arg: string): Promise<EvidenceTree | null> {
  if (arg === '-') return null
  const info = await stat(arg)
  if (info.isDirectory()) return new DiskTree(await realpath(arg))
  return info.isFile() ? archiveTreeOf(path.resolve(arg)) : null
}

const ARCHIVE_NAME = /\.(?:tar(?:\.gz|\.xz)?|tgz|txz)$/

/** An archive argument's members, found the way a directory's files are. */
async function archiveEvidence(absPath: string, display: string, tree: ArchiveTree, into: Discovery): Promise<void> {
  const { archive } = tree
  for (const p of archive.problems) {
    const at = p.member === null ? display : `${display}!/${p.member}`
    into.problems.push({ code: p.code, severity: p.severity, path: at, line: null, ...(p.offset !== undefined && { offset: p.offset }), message: p.message, excerpt: null })
  }
  const rootDisplay = `${display}!/${tree.prefix}`
  const root = `${absPath}!/${tree.prefix}`
  const walker = new Walker(tree, (rel) => rootDisplay + rel, (rel, shown, info) => {
    const rotation = rotationOf(shown)
    const ordinal = archive.nodes.get(tree.memberPath(rel))?.ordinal ?? -1
    return { path: shown, absPath: null, basePath: rotation.base, compression: rotation.compression, size: info.size, explicit: false, mtimeUs: info.mtimeUs, root, tree, member: { archive, ordinal, rootDisplay } }
  })
  await walker.walkRoot()
  into.files.push(...sortInputs(walker.files))
  into.problems.push(...walker.problems)
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
      let archive: ArchiveTree | null
      try {
        archive = await archiveTreeOf(path.resolve(arg))
      } catch (error) {
        throw new UsageError(`cannot read evidence ${arg}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
      }
      if (archive !== null) {
        await archiveEvidence(path.resolve(arg), display, archive, { files, problems })
        continue
      }
      if (ARCHIVE_NAME.test(arg)) {
        problems.push({ code: 'ARCHIVE_DAMAGED', severity: 'warning', path: display, line: null, message: 'named like a tar archive, but no tar header was found (plain, gzip or xz); read as a plain file', excerpt: null })
      }
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
    const tree = new DiskTree(realRoot)
    const prefix = several ? toPosix(path.normalize(arg)) : ''
    const walker = new Walker(
      tree,
      (rel) => (prefix === '' ? rel : path.posix.join(prefix, rel)),
      (rel, display, info) => {
        const rotation = rotationOf(display)
        return { path: display, absPath: tree.abs(rel), basePath: rotation.base, compression: rotation.compression, size: info.size, explicit: false, mtimeUs: info.mtimeUs, root: realRoot, tree }
      },
    )
    await walker.walkRoot()
    files.push(...sortInputs(walker.files))
    problems.push(...walker.problems)
  }
  return { files, problems }
}
