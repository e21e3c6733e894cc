/**
 * The entry filters of `maskwhy journal`, with journalctl's meanings:
 * `--since/--until` compare the entry's wall-clock time (inclusive); `-u UNIT` is
 * `add_matches_for_unit()` (src/shared/logs-show.c): the unit's own messages (`_SYSTEMD_UNIT`),
 * PID 1's messages about it (`UNIT` with `_PID=1`), its core dumps (`COREDUMP_UNIT` with `_UID=0`
 * and the coredump MESSAGE_ID), messages of privileged daemons about it (`OBJECT_SYSTEMD_UNIT`
 * with `_UID=0`) and, for a slice, everything in it (`_SYSTEMD_SLICE`); `-b ID` matches `_BOOT_ID`.
 */
import type { RawJournalEntry } from './raw-entry.ts'

const COREDUMP_MESSAGE_ID = 'fc2e22bc6ee647b6b90729ab34a250b1'
const UNIT_SUFFIXES = ['service', 'socket', 'target', 'device', 'mount', 'automount', 'swap', 'timer', 'path', 'slice', 'scope']

export interface EntryFilter {
  sinceUs: bigint | null
  untilUs: bigint | null
  /** Unit matchers from `unitMatcher()`; empty: every entry. */
  units: ((value: string) => boolean)[]
  /** 32 lowercase hex digits, or null for every boot. */
  bootId: string | null
}

/** fnmatch() without flags, as journalctl uses for unit globs. */
function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2)
      if (close === -1) re += '\\['
      else {
        let body = glob.slice(i + 1, close)
        if (body.startsWith('!')) body = `^${body.slice(1)}`
        re += `[${body.replace(/\\/g, '\\\\')}]`
        i = close
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&')
  }
  return new RegExp(`^${re}$`, 's')
}

/** `nginx` → `nginx.service` (unit_name_mangle); a glob is kept as it is and matched with fnmatch rules. */
export function unitMatcher(spec: string): (value: string) => boolean {
  if (/[*?[]/.test(spec)) {
    const re = globToRegExp(spec)
    return (v) => re.test(v)
  }
  const dot = spec.lastIndexOf('.')
  const name = dot > 0 && UNIT_SUFFIXES.includes(spec.slice(dot + 1)) ? spec : `${spec}.service`
  return (v) => v === name
}

/** journalctl accepts a boot id with or without dashes; null when `spec` is not one. */
export function parseBootId(spec: string): string | null {
  const id = spec.replace(/-/g, '').toLowerCase()
  return /^[0-9a-f]{32}$/.test(id) ? id : null
}

function valuesOf(e: RawJournalEntry, name: string): string[] {
  const out: string[] = []
  for (const f of e.fields) if (f.name === name) out.push(f.value.toString('utf8'))
  return out
}

function matchesUnit(e: RawJournalEntry, matches: (value: string) => boolean): boolean {
  const has = (name: string, value: string): boolean => valuesOf(e, name).includes(value)
  const any = (name: string, test: (v: string) => boolean = matches): boolean => valuesOf(e, name).some(test)
  if (any('_SYSTEMD_UNIT')) return true
  if (has('MESSAGE_ID', COREDUMP_MESSAGE_ID) && has('_UID', '0') && any('COREDUMP_UNIT')) return true
  if (has('_PID', '1') && any('UNIT')) return true
  if (has('_UID', '0') && any('OBJECT_SYSTEMD_UNIT')) return true
  return any('_SYSTEMD_SLICE', (v) => v.endsWith('.slice') && matches(v))
}

export function entryMatches(e: RawJournalEntry, f: EntryFilter): boolean {
  if (f.sinceUs !== null && (e.realtimeUs === null || e.realtimeUs < f.sinceUs)) return false
  if (f.untilUs !== null && (e.realtimeUs === null || e.realtimeUs > f.untilUs)) return false
  if (f.bootId !== null) {
    const fields = valuesOf(e, '_BOOT_ID')
    if (!(fields.length > 0 ? fields.includes(f.bootId) : e.bootId === f.bootId)) return false
  }
  return f.units.length === 0 || f.units.some((m) => matchesUnit(e, m))
}
