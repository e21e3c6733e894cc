/**
 * The dependency directives of a unit file or drop-in: `[Unit]` Requires=, Requisite=, BindsTo=,
 * Wants=. https://www.freedesktop.org/software/systemd/man/systemd.unit.html
 * And the activation ones: `[Socket]` Service= and Accept= (systemd.socket(5)), `[Timer]` and
 * `[Path]` Unit= (systemd.timer(5), systemd.path(5)), `[Service]` Sockets= (systemd.service(5)).
 * Service=, Unit= and Accept= take one value (the last assignment wins); the others are lists.
 *
 * Syntax as systemd's config parser reads it (src/shared/conf-parser.c): `#` and `;` start a
 * comment line; a line ending in `\` continues on the next (comment lines inside a continuation are
 * skipped); `[Section]` headers; `Key=value` with whitespace around both trimmed.
 */

export type DirectiveType = 'Requires' | 'Requisite' | 'BindsTo' | 'Wants' | 'Sockets' | 'Service' | 'Unit' | 'Accept'

/** Per section. `BindTo=` is the pre-v183 spelling of `BindsTo=`, still accepted. */
const KEYS: Record<string, Record<string, DirectiveType>> = {
  Unit: { Requires: 'Requires', Requisite: 'Requisite', BindsTo: 'BindsTo', BindTo: 'BindsTo', Wants: 'Wants' },
  Service: { Sockets: 'Sockets' },
  Socket: { Service: 'Service', Accept: 'Accept' },
  Timer: { Unit: 'Unit' },
  Path: { Unit: 'Unit' },
}

export interface Directive {
  type: DirectiveType
  /**
   * The unit names listed (for Accept=: the boolean as written); empty for an empty assignment
   * (`Requires=`), which resets the list.
   */
  units: string[]
  /** 1-based line where the directive starts. */
  line: number
}

// [Unit]
const SECTION = /^\[(?<name>[^\]]*)\]\s*$/
// Requires=network-online.target foo.service
const ASSIGNMENT = /^(?<key>[^=\s]+)\s*=(?<value>.*)$/s

export function parseDirectives(text: string): Directive[] {
  const out: Directive[] = []
  const lines = text.split(/\r?\n/)
  let section: string | null = null
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1
    let logical = lines[i]!.trim()
    if (logical.startsWith('#') || logical.startsWith(';')) continue
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + ' '
      const next = lines[++i]!.trim()
      if (next.startsWith('#') || next.startsWith(';')) {
        logical += '\\' // a comment inside a continuation is skipped, the continuation goes on
        continue
      }
      logical += next
    }
    if (logical.endsWith('\\')) logical = logical.slice(0, -1)
    const header = SECTION.exec(logical)
    if (header) {
      section = header.groups!['name']!
      continue
    }
    // Own keys only: a section or key named `constructor` must not reach Object.prototype.
    const keys = section !== null && Object.hasOwn(KEYS, section) ? KEYS[section]! : undefined
    if (keys === undefined) continue
    const assignment = ASSIGNMENT.exec(logical)
    if (!assignment) continue
    const key = assignment.groups!['key']!
    if (!Object.hasOwn(keys, key)) continue
    const type = keys[key]!
    const value = assignment.groups!['value']!.trim()
    out.push({ type, units: value === '' ? [] : value.split(/\s+/), line: start })
  }
  return out
}
