/**
 * Who activates whom, from the copied unit files. Pure.
 *
 * systemd's own pairing (systemd.socket(5), systemd.timer(5), systemd.path(5), systemd.automount(5)):
 * X.socket activates X.service unless `Service=` names another, and with `Accept=yes` one instance
 * of the template X@.service per connection; X.timer and X.path activate X.service unless `Unit=`
 * names another; X.automount activates X.mount. A service's `Sockets=` makes it inherit those
 * sockets (and adds TriggeredBy=). A masked activator is not loaded by systemd: what it would
 * activate is read from the file that would take effect after unmasking (`shadowed` directives),
 * else from the default pairing.
 */
import type { FsDependency, FsState } from './explain.ts'

/** One activation: `by` starts `unit`. */
export interface Trigger {
  unit: string
  by: string
  source: string
  origin: string
}

// getty@tty1.service → getty@.service (as unit-state.ts's templateOf; the correlator stays free of I/O modules)
const INSTANCE = /^(?<prefix>[^@/]+@)[^@/]+(?<suffix>\.[a-z]+)$/

/** The template an instance is made from, else null. */
export function templateOf(unit: string): string | null {
  const m = INSTANCE.exec(unit)
  return m?.groups ? `${m.groups['prefix']}${m.groups['suffix']}` : null
}

const ACTIVATORS = /^(?<stem>.+)\.(?<type>socket|timer|path|automount)$/
const TRUE = new Set(['1', 'yes', 'y', 'true', 't', 'on'])

/** The last assignment of a single-valued setting, from the loaded file and drop-ins, else from the shadowed file. */
function lastOf(deps: readonly FsDependency[], from: string, type: string): FsDependency | undefined {
  const own = deps.filter((d) => d.from === from && d.type === type)
  const loaded = own.filter((d) => !d.shadowed)
  return (loaded.length > 0 ? loaded : own).at(-1)
}

export function triggersOf(fs: FsState): Trigger[] {
  const system = fs.files.filter((f) => f.scope === 'system')
  const exists = (unit: string): boolean => system.some((f) => f.unit === unit) || (templateOf(unit) !== null && system.some((f) => f.unit === templateOf(unit)))
  const out: Trigger[] = []
  const seen = new Set<string>()
  const add = (t: Trigger): void => {
    const key = `${t.by}\0${t.unit}`
    if (seen.has(key) || !exists(t.unit)) return
    seen.add(key)
    out.push(t)
  }
  const activators = [...new Set(system.map((f) => f.unit))].filter((u) => ACTIVATORS.test(u)).sort()
  for (const by of activators) {
    const { stem, type } = ACTIVATORS.exec(by)!.groups!
    // The file that makes the default pairing: the unit file itself, not a mask over it.
    const own = system.filter((f) => f.unit === by)
    const file = own.find((f) => !(f.masked ?? (f.kind === 'masked-link' || f.kind === 'empty-file'))) ?? own[0]!
    if (type === 'socket') {
      const accept = lastOf(fs.dependencies, by, 'Accept')
      if (accept && TRUE.has(accept.to.toLowerCase())) {
        add({ unit: `${stem}@.service`, by, source: accept.source, origin: `Accept=yes in ${by}: one ${stem}@.service instance per connection` })
        continue
      }
    }
    if (type === 'automount') {
      add({ unit: `${stem}.mount`, by, source: file.path, origin: `${by} activates the mount of the same name` })
      continue
    }
    const explicit = lastOf(fs.dependencies, by, type === 'socket' ? 'Service' : 'Unit')
    if (explicit) add({ unit: explicit.to, by, source: explicit.source, origin: `${type === 'socket' ? 'Service' : 'Unit'}= in ${by}` })
    else add({ unit: `${stem}.service`, by, source: file.path, origin: `${by} activates the service of the same name (no ${type === 'socket' ? 'Service' : 'Unit'}= setting)` })
  }
  for (const d of fs.dependencies) {
    if (d.type === 'Sockets' && !d.shadowed) add({ unit: d.from, by: d.to, source: d.source, origin: `Sockets= in ${d.from}` })
  }
  return out
}
