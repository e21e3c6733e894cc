/**
 * Unit state on disk: which unit files, links and masks a copied root filesystem holds, which one
 * systemd would load for each unit, the dependencies between units, and deb-systemd-helper's
 * bookkeeping. Read-only; no symlink is ever followed (targets are read with readlink() and
 * resolved inside the evidence root, see fs/confined.ts).
 *
 * Ground truth: systemd.unit(5) ("Unit File Load Path"), systemd's unit_file_build_name_map() (the
 * first search directory holding a name wins) and install.c (what `systemctl --root=DIR
 * list-unit-files` calls masked). The search order is Debian 12's `systemd-analyze unit-paths`.
 */
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { resolveInRoot } from './fs/confined.ts'
import { DiskTree } from './tree/disk.ts'
import type { EvidenceTree } from './tree/tree.ts'
import { parseDirectives, type DirectiveType } from './unit-state/directives.ts'

export type UnitScope = 'system' | 'user'
/** Which unit directory an entry lives in, by role. */
export type UnitLayer = 'control' | 'transient' | 'generator' | 'admin' | 'attached' | 'runtime' | 'local' | 'vendor'
export type UnitFileKind =
  | 'masked-link' // symlink whose target is /dev/null (absolute, or relative resolving lexically to /dev/null, e.g. ../../../dev/null)
  | 'empty-file' // regular file of size 0
  | 'unit-file' // regular non-empty file
  | 'link' // any other symlink (alias, or link to a unit file elsewhere)

export interface UnitFileEntry {
  /** File name, e.g. nginx.service, getty@tty1.service. */
  unit: string
  /** Relative to the evidence root, POSIX, e.g. etc/systemd/system/nginx.service. */
  path: string
  /**
   * The search directory, relative, e.g. etc/systemd/system. It is the directory actually read:
   * on merged-/usr systems (lib -> usr/lib) vendor units show as usr/lib/systemd/system.
   */
  dir: string
  scope: UnitScope
  layer: UnitLayer
  kind: UnitFileKind
  /** readlink() result for links, else null. */
  linkTarget: string | null
  /** lstat size for regular files, else null. */
  size: number | null
  /** lstat mtime in µs (weak evidence: survives cp -a / tar, not cp -r). For a link: when the link was made. */
  mtimeUs: number | null
  /** True when this entry is the one systemd would load for this unit+scope (first in search order). */
  effective: boolean
  /**
   * Whether systemd calls this entry masked: kind masked-link or empty-file, and also a link whose
   * chain of links ends at /dev/null or at an empty file inside the evidence (systemctl --root
   * chases links the same way). Differs from the kind only for such chains.
   */
  masked: boolean
  /**
   * For links: where the chain of links ends, as a path on the copied machine ('/dev/null',
   * '/usr/lib/systemd/system/foo.service'), resolved inside the evidence (it may not exist there);
   * null for non-links and for link loops.
   */
  linkResolved: string | null
  /** For per-user units (home/NAME/.config/systemd/user, root/...): NAME ('root' for root/); else null. */
  user: string | null
}

/**
 * Directives (see unit-state/directives.ts; `Accept`'s `to` is its boolean as written) and links.
 * Sockets/Service/Unit/Accept are activation settings: the correlator derives who activates whom.
 */
export type DependencyType = DirectiveType | 'wants-link' | 'requires-link'

export interface UnitDependency {
  /** The unit that depends (e.g. app.service; for a .wants/ link: the directory's unit, e.g. multi-user.target). */
  from: string
  /** The unit depended on (verbatim: a template specifier such as %i is left as written). */
  to: string
  type: DependencyType
  /** `path:line` for a directive, `path` for a .wants/.requires link. */
  source: string
  scope: UnitScope
  /**
   * Read from the file the effective one overrides (an etc/ copy over the vendor file), or for a
   * masked unit from the file unmasking would reveal: not in systemd's graph, but it says what the
   * vendor file would do. Absent for everything systemd loads.
   */
  shadowed?: true
}

export interface HelperMarker {
  unit: string
  path: string
  mtimeUs: number | null
  scope: UnitScope
  /**
   * `mask`: a deb-systemd-helper-masked state file; `dsh-also`: `<unit>.dsh-also`, the list of links
   * deb-systemd-helper made for the unit; `link`: the empty marker of one link it made
   * (`multi-user.target.wants/ssh.service`, or an alias name at the top level).
   */
  role: 'mask' | 'dsh-also' | 'link'
  /** For `link`: the link on the machine the marker stands for (/etc/systemd/system/multi-user.target.wants/ssh.service). */
  linkPath: string | null
  /** For `dsh-also`: the link paths listed in it. */
  alsoLinks: string[]
}

export interface UnitProblem {
  path: string
  message: string
}

export interface UnitState {
  /** false when the evidence has no unit directories at all (a copied /var/log, single files): state must then come from events. */
  hasFilesystem: boolean
  /** Every unit file/link found in the search paths (not the contents of .wants/ .requires/ dirs, and not drop-in .d/ dirs). */
  files: UnitFileEntry[]
  /** var/lib/systemd/deb-systemd-helper-masked/<unit>: deb-systemd-helper made that mask and may undo it. */
  helperMasked: HelperMarker[]
  /** var/lib/systemd/deb-systemd-helper-enabled/** entries (unit names). */
  helperEnabled: HelperMarker[]
  /** Generator programs in the copy (systemd.generator(7) directories), relative paths; ones disabled by a /dev/null link are left out. */
  generators: string[]
  dependencies: UnitDependency[]
  /** Problems met (unreadable dir, link loops…) as plain messages with a path; never throw for bad evidence. */
  problems: UnitProblem[]
}

/** Unit files and drop-ins are a few KiB; anything above this is not a unit file worth parsing. */
export const UNIT_FILE_SIZE_CAP = 1024 * 1024

type DirSpec = readonly [dir: string, layer: UnitLayer]

/** Debian 12 `systemd-analyze unit-paths` (system manager). */
export const SYSTEM_UNIT_DIRS: readonly DirSpec[] = [
  ['etc/systemd/system.control', 'control'],
  ['run/systemd/system.control', 'control'],
  ['run/systemd/transient', 'transient'],
  ['run/systemd/generator.early', 'generator'],
  ['etc/systemd/system', 'admin'],
  ['etc/systemd/system.attached', 'attached'],
  ['run/systemd/system', 'runtime'],
  ['run/systemd/system.attached', 'attached'],
  ['run/systemd/generator', 'generator'],
  ['usr/local/lib/systemd/system', 'local'],
  ['lib/systemd/system', 'vendor'],
  ['usr/lib/systemd/system', 'vendor'],
  ['run/systemd/generator.late', 'generator'],
]

/**
 * Debian 12 `systemd-analyze --global unit-paths` (what every user's manager shares), plus
 * lib/systemd/user for split-/usr systems. A user's own ~/.config/systemd/user comes before these.
 */
export const USER_UNIT_DIRS: readonly DirSpec[] = [
  ['etc/systemd/user', 'admin'],
  ['run/systemd/user', 'runtime'],
  ['usr/local/share/systemd/user', 'local'],
  ['usr/share/systemd/user', 'vendor'],
  ['usr/local/lib/systemd/user', 'local'],
  ['lib/systemd/user', 'vendor'],
  ['usr/lib/systemd/user', 'vendor'],
]

/** deb-systemd-helper's state directories (init-system-helpers, `/usr/bin/deb-systemd-helper`). */
const HELPER_DIRS = [
  { dir: 'var/lib/systemd/deb-systemd-helper-masked', scope: 'system', role: 'mask' },
  { dir: 'var/lib/systemd/deb-systemd-user-helper-masked', scope: 'user', role: 'mask' },
  { dir: 'var/lib/systemd/deb-systemd-helper-enabled', scope: 'system', role: 'enabled' },
  { dir: 'var/lib/systemd/deb-systemd-user-helper-enabled', scope: 'user', role: 'enabled' },
] as const

// nginx.service, getty@tty1.service, getty@.service, -.mount, dev-sda1.device
const UNIT_NAME = /^[^/]+\.(?:service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/
// getty@tty1.service → getty@ + .service
const INSTANCE = /^(?<prefix>[^@/]+@)[^@/]+(?<suffix>\.[a-z]+)$/

/** systemd skips hidden files and editor backups in unit directories (hidden_or_backup_file()). */
function hiddenOrBackup(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /\.(?:rpmnew|rpmsave|rpmorig|dpkg-old|dpkg-new|dpkg-tmp|dpkg-dist|dpkg-bak|dpkg-backup|dpkg-remove|ucf-new|ucf-old|ucf-dist|swp|bak|old|new)$/.test(name)
}

/** The template a unit instance is made from (getty@tty1.service → getty@.service), else null. */
export function templateOf(unit: string): string | null {
  const m = INSTANCE.exec(unit)
  return m?.groups ? `${m.groups['prefix']}${m.groups['suffix']}` : null
}

/** A search directory as found in the evidence: `rel` is the resolved path that is read. */
interface FoundDir {
  rel: string
  layer: UnitLayer
  scope: UnitScope
  user: string | null
}

interface Listing {
  /** Unit files and links, by name order. */
  entries: UnitFileEntry[]
  /** `<unit>.wants`, `<unit>.requires`, `<unit>.d` directories: name → resolved relative path. */
  subdirs: Map<string, string>
}

class Reader {
  readonly problems: UnitProblem[] = []
  readonly tree: EvidenceTree
  readonly #listings = new Map<string, Promise<Listing>>()
  readonly #names = new Map<string, Promise<{ name: string; type: 'dir' | 'link' | 'file' | 'other' }[] | null>>()

  constructor(tree: EvidenceTree) {
    this.tree = tree
  }

  problem(p: string, message: string): void {
    this.problems.push({ path: p, message })
  }

  /** A directory given as a path on the machine, resolved inside the evidence; null when absent. */
  async findDir(rel: string): Promise<string | null> {
    const r = await resolveInRoot(this.tree, '', rel)
    if (!r.ok) {
      this.problem(rel, `symlink loop while resolving ${r.rel}; not followed`)
      return null
    }
    return r.info?.type === 'dir' ? r.rel : null
  }

  /** Sorted names in a resolved directory with their lstat types (d_type), or null when unreadable. */
  names(rel: string): Promise<{ name: string; type: 'dir' | 'link' | 'file' | 'other' }[] | null> {
    let cached = this.#names.get(rel)
    if (cached === undefined) {
      cached = (async () => {
        try {
          const entries = await this.tree.readdir(rel)
          return entries.map((d) => ({ name: d.name, type: d.type === 'symlink' ? ('link' as const) : d.type }))
        } catch (error) {
          this.problem(rel, `cannot read directory: ${(error as Error).message}`)
          return null
        }
      })()
      this.#names.set(rel, cached)
    }
    return cached
  }

  listing(dir: FoundDir): Promise<Listing> {
    const key = `${dir.scope}\0${dir.user ?? ''}\0${dir.rel}`
    let cached = this.#listings.get(key)
    if (cached === undefined) {
      cached = this.#list(dir)
      this.#listings.set(key, cached)
    }
    return cached
  }

  async #list(dir: FoundDir): Promise<Listing> {
    const listing: Listing = { entries: [], subdirs: new Map() }
    for (const { name, type } of (await this.names(dir.rel)) ?? []) {
      if (hiddenOrBackup(name)) continue
      const rel = `${dir.rel}/${name}`
      if (/\.(?:wants|requires|d)$/.test(name)) {
        if (type === 'dir') listing.subdirs.set(name, rel)
        else if (type === 'link') {
          const target = await this.findDir(rel)
          if (target !== null) listing.subdirs.set(name, target)
        }
        continue
      }
      if (!UNIT_NAME.test(name) || type === 'dir') continue
      const entry = await this.entry(dir, name, rel)
      if (entry !== null) listing.entries.push(entry)
    }
    return listing
  }

  async entry(dir: FoundDir, unit: string, rel: string): Promise<UnitFileEntry | null> {
    const info = await this.tree.lstat(rel)
    if (info === null) return null // removed since readdir: nothing to say
    const at = { unit, path: rel, dir: dir.rel, scope: dir.scope, layer: dir.layer }
    const mtimeUs = info.mtimeUs
    if (info.type === 'symlink') {
      const target = await this.tree.readlink(rel)
      // The link lives in dir.rel (already resolved), which is what the kernel would resolve a relative target against.
      const lexical = path.posix.resolve('/', dir.rel, target)
      const chain = await resolveInRoot(this.tree, dir.rel, target)
      let linkResolved: string | null = null
      let masked = lexical === '/dev/null'
      if (!chain.ok) this.problem(rel, `symlink to ${target} leads into a symlink loop (at ${chain.rel}); not followed`)
      else {
        linkResolved = `/${chain.rel}`
        // systemctl --root chases links and calls an end at <root>/dev/null or at an empty file masked (install.c).
        if (chain.rel === 'dev/null' || (chain.info?.type === 'file' && chain.info.size === 0)) masked = true
      }
      const kind = lexical === '/dev/null' ? 'masked-link' : 'link'
      return { ...at, kind, linkTarget: target, size: null, mtimeUs, effective: false, masked, linkResolved, user: dir.user }
    }
    if (info.type === 'file') {
      const empty = info.size === 0
      const kind = empty ? 'empty-file' : 'unit-file'
      return { ...at, kind, linkTarget: null, size: info.size, mtimeUs, effective: false, masked: empty, linkResolved: null, user: dir.user }
    }
    this.problem(rel, 'neither a regular file nor a symlink (a device, FIFO or socket copied into the evidence); ignored')
    return null
  }
}

interface SearchPath {
  scope: UnitScope
  user: string | null
  dirs: FoundDir[]
}

async function findSearchPaths(reader: Reader): Promise<SearchPath[]> {
  const found = async (specs: readonly DirSpec[], scope: UnitScope, user: string | null): Promise<FoundDir[]> => {
    const out: FoundDir[] = []
    for (const [dir, layer] of specs) {
      const rel = await reader.findDir(dir)
      // lib -> usr/lib (merged /usr): the same directory twice is read once, at its first place.
      if (rel !== null && !out.some((d) => d.rel === rel)) out.push({ rel, layer, scope, user })
    }
    return out
  }
  const system: SearchPath = { scope: 'system', user: null, dirs: await found(SYSTEM_UNIT_DIRS, 'system', null) }
  const global: SearchPath = { scope: 'user', user: null, dirs: await found(USER_UNIT_DIRS, 'user', null) }
  const paths = [system, global]
  const homes: [user: string, dir: string][] = [['root', 'root/.config/systemd/user']]
  const home = await reader.findDir('home')
  if (home !== null) {
    for (const { name } of (await reader.names(home)) ?? []) homes.push([name, `home/${name}/.config/systemd/user`])
  }
  homes.sort((a, b) => (a[1] < b[1] ? -1 : 1))
  for (const [user, dir] of homes) {
    const own = await found([[dir, 'admin']], 'user', user)
    if (own.length > 0 && !global.dirs.some((d) => d.rel === own[0]!.rel)) paths.push({ scope: 'user', user, dirs: [...own, ...global.dirs] })
  }
  return paths
}

/**
 * `root` is an evidence directory (absolute or relative path) or an evidence tree (an archive).
 * Never writes, never follows a link.
 */
export async function readUnitState(root: string | EvidenceTree): Promise<UnitState> {
  const state: UnitState = { hasFilesystem: false, files: [], helperMasked: [], helperEnabled: [], generators: [], dependencies: [], problems: [] }
  let tree: EvidenceTree
  if (typeof root === 'string') {
    try {
      // The root itself is the analyst's argument, not evidence: resolving it is fine.
      tree = new DiskTree(await realpath(root))
    } catch (error) {
      state.problems.push({ path: root, message: `cannot read evidence root: ${(error as Error).message}` })
      return state
    }
  } else tree = root
  const rootInfo = await tree.lstat('')
  if (rootInfo?.type !== 'dir') return state
  const reader = new Reader(tree)
  const paths = await findSearchPaths(reader)
  state.hasFilesystem = paths.some((p) => p.dirs.length > 0)

  const emitted = new Set<string>()
  const dependencyKeys = new Set<string>()
  for (const searchPath of paths) {
    const effective = new Map<string, UnitFileEntry>()
    for (const dir of searchPath.dirs) {
      const listing = await reader.listing(dir)
      const own = dir.user === searchPath.user // a user's path shares the global dirs: those were emitted with the global path
      for (const entry of listing.entries) {
        const first = !effective.has(entry.unit)
        if (first) effective.set(entry.unit, entry)
        if (own && !emitted.has(entry.path + '\0' + entry.scope)) {
          entry.effective = first
          state.files.push(entry)
          emitted.add(entry.path + '\0' + entry.scope)
        }
      }
    }
    for (const dependency of await readDependencies(reader, searchPath, effective)) {
      const key = [dependency.scope, dependency.from, dependency.to, dependency.type, dependency.source].join('\0')
      if (dependencyKeys.has(key)) continue
      dependencyKeys.add(key)
      state.dependencies.push(dependency)
    }
  }

  for (const helper of HELPER_DIRS) {
    const rel = await reader.findDir(helper.dir)
    if (rel === null) continue
    const list = helper.role === 'mask' ? state.helperMasked : state.helperEnabled
    list.push(...(await readHelperDir(reader, rel, '', helper.scope, helper.role)))
  }
  state.generators = await readGenerators(reader)
  state.problems = reader.problems
  return state
}

/** systemd.generator(7): where the system manager looks for generators, in its order. */
const GENERATOR_DIRS = ['run/systemd/system-generators', 'etc/systemd/system-generators', 'usr/local/lib/systemd/system-generators', 'lib/systemd/system-generators', 'usr/lib/systemd/system-generators']

async function readGenerators(reader: Reader): Promise<string[]> {
  const out: string[] = []
  const seen = new Set<string>()
  for (const dir of GENERATOR_DIRS) {
    const rel = await reader.findDir(dir)
    if (rel === null || seen.has(rel)) continue
    seen.add(rel)
    for (const { name, type } of (await reader.names(rel)) ?? []) {
      if (type !== 'file' && type !== 'link') continue
      // A generator "masked" with a link to /dev/null in an earlier directory is disabled.
      if (type === 'link' && (await reader.tree.readlink(`${rel}/${name}`)) === '/dev/null') continue
      out.push(`${rel}/${name}`)
    }
  }
  return out
}

async function readHelperDir(reader: Reader, dirRel: string, sub: string, scope: UnitScope, role: 'mask' | 'enabled'): Promise<HelperMarker[]> {
  const out: HelperMarker[] = []
  for (const { name, type } of (await reader.names(dirRel)) ?? []) {
    const rel = `${dirRel}/${name}`
    const inner = sub === '' ? name : `${sub}/${name}`
    if (type === 'dir') {
      // deb-systemd-helper-enabled/multi-user.target.wants/ssh.service: one level of link markers.
      if (role === 'enabled' && sub === '') out.push(...(await readHelperDir(reader, rel, inner, scope, role)))
      continue
    }
    if (type !== 'file') {
      reader.problem(rel, `not a regular file in a deb-systemd-helper state directory; ${type === 'link' ? 'not followed' : 'ignored'}`)
      continue
    }
    const info = await reader.tree.lstat(rel)
    const mtimeUs = info === null ? null : info.mtimeUs
    if (role === 'mask') {
      out.push({ unit: name, path: rel, mtimeUs, scope, role: 'mask', linkPath: null, alsoLinks: [] })
    } else if (name.endsWith('.dsh-also') && sub === '') {
      const read = await reader.tree.readFile(rel, UNIT_FILE_SIZE_CAP)
      if (!read.ok) reader.problem(rel, read.message)
      const alsoLinks = read.ok ? read.data.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '') : []
      out.push({ unit: name.slice(0, -'.dsh-also'.length), path: rel, mtimeUs, scope, role: 'dsh-also', linkPath: null, alsoLinks })
    } else {
      const linkPath = `/etc/systemd/${scope}/${inner}`
      out.push({ unit: name, path: rel, mtimeUs, scope, role: 'link', linkPath, alsoLinks: [] })
    }
  }
  return out
}

/**
 * Dependencies in one search path: `.wants/`/`.requires/` links from every directory, and the
 * directives of each unmasked unit's effective file followed by its drop-ins (`<unit>.d/*.conf`
 * from every directory, the first directory holding a file name winning, applied in file-name order).
 * Not handled: type-wide (`service.d/`) and prefix (`foo-.service.d/`) drop-ins.
 */
async function readDependencies(reader: Reader, searchPath: SearchPath, effective: Map<string, UnitFileEntry>): Promise<UnitDependency[]> {
  const out: UnitDependency[] = []
  const { scope } = searchPath
  const dropInDirs = new Map<string, string[]>()
  for (const dir of searchPath.dirs) {
    const listing = await reader.listing(dir)
    for (const [name, rel] of listing.subdirs) {
      const m = /^(?<unit>.+)\.(?<kind>wants|requires|d)$/.exec(name)
      if (!m?.groups) continue
      const unit = m.groups['unit']!
      const kind = m.groups['kind']!
      if (kind === 'd') {
        if (UNIT_NAME.test(unit)) dropInDirs.set(unit, [...(dropInDirs.get(unit) ?? []), rel])
        continue
      }
      for (const { name: to } of (await reader.names(rel)) ?? []) {
        if (hiddenOrBackup(to)) continue
        out.push({ from: unit, to, type: kind === 'wants' ? 'wants-link' : 'requires-link', source: `${rel}/${to}`, scope })
      }
    }
  }

  const units = [...new Set([...effective.keys(), ...dropInDirs.keys()])].sort()
  for (const unit of units) {
    const entry = effective.get(unit) ?? null
    const template = templateOf(unit)
    const loadedFrom = entry ?? (template === null ? null : (effective.get(template) ?? null))
    const shadowed = entry === null ? null : await shadowedFile(reader, searchPath, entry)
    if (shadowed !== null) {
      const read = await reader.tree.readFile(shadowed, UNIT_FILE_SIZE_CAP)
      if (read.ok) {
        for (const d of parseDirectives(read.data.toString('utf8'))) {
          for (const to of d.units) out.push({ from: unit, to, type: d.type, source: `${shadowed}:${d.line}`, scope, shadowed: true })
        }
      } else reader.problem(shadowed, read.message)
    }
    if (loadedFrom?.masked) continue // systemd loads nothing of a masked unit
    const lists = new Map<DirectiveType, { to: string; source: string }[]>()
    const apply = (text: string, file: string): void => {
      for (const d of parseDirectives(text)) {
        if (d.units.length === 0) lists.set(d.type, [])
        else lists.set(d.type, [...(lists.get(d.type) ?? []), ...d.units.map((to) => ({ to, source: `${file}:${d.line}` }))])
      }
    }
    const file = entry === null ? null : await unitFileToRead(reader, entry)
    if (file !== null) {
      const read = await reader.tree.readFile(file, UNIT_FILE_SIZE_CAP)
      if (read.ok) apply(read.data.toString('utf8'), file)
      else reader.problem(file, read.message)
    }
    for (const dropIn of await dropInsOf(reader, dropInDirs.get(unit) ?? [])) {
      const read = await reader.tree.readFile(dropIn, UNIT_FILE_SIZE_CAP)
      if (read.ok) apply(read.data.toString('utf8'), dropIn)
      else reader.problem(dropIn, read.message)
    }
    for (const [type, list] of lists) for (const { to, source } of list) out.push({ from: unit, to, type, source, scope })
  }
  return out
}

/** The first unit file of the same name after the effective entry in the search path (what it overrides, or what unmasking reveals). */
async function shadowedFile(reader: Reader, searchPath: SearchPath, effective: UnitFileEntry): Promise<string | null> {
  let after = false
  for (const dir of searchPath.dirs) {
    for (const e of (await reader.listing(dir)).entries) {
      if (e.unit !== effective.unit) continue
      if (e === effective) after = true
      else if (after && !e.masked) return unitFileToRead(reader, e)
    }
  }
  return null
}

/**
 * The file systemd reads for an effective entry: a unit file itself, or the end of a link to a file
 * of the same name (`systemctl link`). An alias (a link to another unit's name) is read as that unit.
 */
async function unitFileToRead(reader: Reader, entry: UnitFileEntry): Promise<string | null> {
  if (entry.kind === 'unit-file') return entry.path
  if (entry.kind !== 'link' || entry.masked || entry.linkResolved === null) return null
  const rel = entry.linkResolved.slice(1)
  if (path.posix.basename(rel) !== entry.unit) return null
  const info = await reader.tree.lstat(rel)
  return info?.type === 'file' ? rel : null
}

/** Drop-in files in application order; a drop-in name masked (linked to /dev/null or empty) in an earlier directory hides later ones. */
async function dropInsOf(reader: Reader, dirs: string[]): Promise<string[]> {
  const byName = new Map<string, string | null>()
  for (const dir of dirs) {
    for (const { name, type } of (await reader.names(dir)) ?? []) {
      if (!name.endsWith('.conf') || hiddenOrBackup(name) || byName.has(name)) continue
      const rel = `${dir}/${name}`
      if (type === 'file') {
        const info = await reader.tree.lstat(rel)
        byName.set(name, info !== null && info.size > 0 ? rel : null)
      } else if (type === 'link') {
        const target = await reader.tree.readlink(rel)
        const chain = await resolveInRoot(reader.tree, dir, target)
        if (!chain.ok) {
          reader.problem(rel, `symlink to ${target} leads into a symlink loop; not followed`)
          byName.set(name, null)
        } else byName.set(name, chain.info?.type === 'file' && chain.info.size > 0 ? chain.rel : null)
      }
    }
  }
  return [...byName.keys()]
    .sort()
    .map((name) => byName.get(name))
    .filter((rel): rel is string => typeof rel === 'string')
}

/** The effective entry per unit (system scope first), i.e. files.filter(f => f.effective). */
export function effectiveEntries(state: UnitState): UnitFileEntry[] {
  const effective = state.files.filter((f) => f.effective)
  return [...effective.filter((f) => f.scope === 'system'), ...effective.filter((f) => f.scope !== 'system')]
}

/** Effective masked entries (systemd's view, see UnitFileEntry.masked). */
export function maskedEntries(state: UnitState): UnitFileEntry[] {
  return effectiveEntries(state).filter((f) => f.masked)
}

/**
 * The entry systemd would load for `unit`: its own effective entry, else (for an instance such as
 * getty@tty1.service) its template's (getty@.service), with `viaTemplate` saying so.
 */
export function lookupUnit(
  state: UnitState,
  unit: string,
  scope: UnitScope = 'system',
  user: string | null = null,
): { entry: UnitFileEntry; viaTemplate: boolean } | null {
  const find = (name: string): UnitFileEntry | undefined =>
    state.files.find((f) => f.effective && f.unit === name && f.scope === scope && f.user === user) ??
    (user === null ? undefined : state.files.find((f) => f.effective && f.unit === name && f.scope === scope && f.user === null))
  const own = find(unit)
  if (own) return { entry: own, viaTemplate: false }
  const template = templateOf(unit)
  const viaTemplate = template === null ? undefined : find(template)
  return viaTemplate ? { entry: viaTemplate, viaTemplate: true } : null
}
