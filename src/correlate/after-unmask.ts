/**
 * What `systemctl unmask` would leave behind, and where each dependency comes from. Pure: reads the
 * unit-state reader's entries, which are in search-path order (the first holding a name wins).
 */
import { templateOf } from './activation.ts'
import type { FsDependency, FsEntry, FsState } from './explain.ts'
import type { AfterUnmask } from './types.ts'

/** Layers `systemctl unmask` removes links from (persistent and runtime configuration), install.c. */
const UNMASKABLE = new Set(['admin', 'runtime'])

const isMask = (e: FsEntry): boolean => e.masked ?? (e.kind === 'masked-link' || e.kind === 'empty-file')

/** Entries of one unit in the mask's scope, in search order. */
function sameUnit(fs: FsState, entry: FsEntry, unit: string): FsEntry[] {
  return fs.files.filter((f) => f.unit === unit && f.scope === entry.scope)
}

/** `packageGone`: how the evidence knows the package that shipped the unit is removed, else null. */
export function afterUnmaskOf(fs: FsState, unit: string, mask: FsEntry, packageGone: string | null): AfterUnmask | null {
  if (!UNMASKABLE.has(mask.layer) || mask.kind !== 'masked-link') return null
  const entries = sameUnit(fs, mask, unit)
  const next = entries.slice(entries.indexOf(mask) + 1)[0]
  const template = templateOf(unit)
  const viaTemplate = next === undefined && template !== null ? fs.files.find((f) => f.unit === template && f.scope === mask.scope && f.effective) : undefined
  const found = next ?? viaTemplate
  if (found === undefined) {
    if (packageGone !== null) {
      return { path: null, masked: false, known: true, note: `no unit file is left once ${mask.path} is removed (the package that shipped it is ${packageGone}): systemd would report "Unit ${unit} not found."` }
    }
    if (fs.files.some((f) => f.layer === 'vendor' && f.scope === mask.scope)) {
      return { path: null, masked: false, known: true, note: `no unit file is left once ${mask.path} is removed: systemd would report "Unit ${unit} not found."` }
    }
    return { path: null, masked: false, known: false, note: `the copy has no vendor unit directory (lib/systemd/system, usr/lib/systemd/system): whether a unit file is left after unmasking is unknown` }
  }
  if (isMask(found)) {
    return { path: found.path, masked: true, known: true, note: `${found.path} would take effect, and it is a mask too (${found.layer === 'vendor' ? 'shipped masked' : found.layer}): ${unit} stays masked` }
  }
  const what = viaTemplate ? `the template ${found.unit}` : found.layer === 'vendor' ? 'the vendor unit' : `the ${found.layer} unit file`
  return { path: found.path, masked: false, known: true, note: `${found.path} (${what}) takes effect after unmasking` }
}

/** The file an effective unit file overrides (same name, later in the search path), if any. */
export function shadowedBy(fs: FsState, path: string): FsEntry | undefined {
  const entry = fs.files.find((f) => f.path === path)
  if (!entry?.effective) return undefined
  const entries = sameUnit(fs, entry, entry.unit)
  return entries.slice(entries.indexOf(entry) + 1).find((f) => !isMask(f))
}

const DROP_IN = /^(?<dir>.*\/(?<unit>[^/]+)\.d)\/[^/]+\.conf$/

/** Where a dependency comes from, in words, and whether the vendor file would have it too. */
export function originOf(fs: FsState, dep: FsDependency): string {
  if (dep.type === 'wants-link' || dep.type === 'requires-link') {
    return `a link in ${dep.source.slice(0, dep.source.lastIndexOf('/') + 1)} (made by systemctl enable or by hand)`
  }
  const file = dep.source.replace(/:\d+$/, '')
  const same = (d: FsDependency): boolean => d.from === dep.from && d.to === dep.to && d.type === dep.type && d !== dep
  const dropIn = DROP_IN.exec(file)
  if (dropIn?.groups) {
    const inUnitFile = fs.dependencies.some((d) => same(d) && !d.shadowed && !DROP_IN.test(d.source.replace(/:\d+$/, '')))
    return `the drop-in ${file}${inUnitFile ? ' (the unit file says so too)' : ' (the unit file itself does not have it)'}`
  }
  const entry = fs.files.find((f) => f.path === file || (f.kind === 'link' && f.effective && f.unit === dep.from))
  const shadowed = entry === undefined ? undefined : shadowedBy(fs, entry.path)
  if (entry !== undefined && shadowed !== undefined) {
    const inShadowed = (d: FsDependency): boolean => d.shadowed === true && d.from === dep.from && d.to === dep.to && d.source.replace(/:\d+$/, '') === shadowed.path
    const there = fs.dependencies.filter(inShadowed)
    const what = there.some((d) => d.type === dep.type)
      ? 'which has it too'
      : there.length > 0
        ? `which only has ${[...new Set(there.map((d) => `${d.type}=${d.to}`))].join(', ')}`
        : 'which does not have it'
    return `${file}, a copy that overrides ${shadowed.path} (${what})`
  }
  return entry?.layer === 'vendor' ? `the vendor unit file ${file}` : `the unit file ${file}`
}
