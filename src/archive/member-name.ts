/**
 * Member names as a tar archive stores them (`./var/log/syslog`, `/etc/passwd`, `a/../b`) turned
 * into paths inside the archive, the way GNU tar extracts them: leading `/` and `./` removed, `.`
 * and `..` resolved lexically. A name that climbs above the archive's top is refused.
 */

export type MemberName = { ok: true; path: string } | { ok: false; reason: string }

export function normaliseMemberName(name: string): MemberName {
  const out: string[] = []
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (out.length === 0) return { ok: false, reason: `${JSON.stringify(name)} climbs out of the archive` }
      out.pop()
      continue
    }
    out.push(part)
  }
  return { ok: true, path: out.join('/') }
}

/** The archive path of `rel` under the evidence root `prefix` ('' or 'bundle/'). */
export function underPrefix(prefix: string, rel: string): string {
  return rel === '' ? prefix.replace(/\/$/, '') : `${prefix}${rel}`
}
