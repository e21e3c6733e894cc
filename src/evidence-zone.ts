/**
 * The zone the copied machine's programs wrote local times in (apt, dpkg, term.log, yum, syslog).
 * Order: `--tz`; the evidence's `etc/localtime` (symlink target, or the TZif file itself matched
 * against this machine's tzdata); `etc/timezone` (Debian's extra copy, can be stale); else UTC, loudly.
 */
import { lstat, readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Diagnostic } from './diagnostics.ts'
import type { EvidenceZone } from './parser.ts'
import { isValidTimeZone } from './time.ts'
import { DiskTree } from './tree/disk.ts'
import type { EvidenceTree } from './tree/tree.ts'

export const DEFAULT_ZONE: EvidenceZone = { zone: 'UTC', source: 'default (UTC): the evidence does not say' }

/** `/usr/share/zoneinfo/Europe/Berlin`, `../usr/share/zoneinfo/posix/UTC` → `Europe/Berlin`, `UTC`. */
export function zoneFromLinkTarget(target: string): string | null {
  const m = /zoneinfo\/(?:posix\/|right\/)?(.+)$/.exec(target)
  return m && isValidTimeZone(m[1]!) ? m[1]! : null
}

const TZIF_MAGIC = 'TZif'

/** The POSIX TZ string at the end of a v2+ TZif file (`CET-1CEST,M3.5.0,M10.5.0/3`), or null. */
export function tzifFooter(data: Buffer): string | null {
  if (data.subarray(0, 4).toString('latin1') !== TZIF_MAGIC || data.length < 2 || data[data.length - 1] !== 0x0a) return null
  const before = data.lastIndexOf(0x0a, data.length - 2)
  return before === -1 ? null : data.subarray(before + 1, data.length - 1).toString('latin1')
}

async function* zoneFiles(dir: string, prefix = ''): AsyncGenerator<[string, string]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  for (const name of names.sort()) {
    if (prefix === '' && (name === 'posix' || name === 'right' || name.includes('.'))) continue
    const full = path.join(dir, name)
    const info = await lstat(full).catch(() => null)
    if (info?.isDirectory()) yield* zoneFiles(full, `${prefix}${name}/`)
    else if (info?.isFile() && info.size < 10_000) yield [`${prefix}${name}`, full]
  }
}

/**
 * Names of the zones whose tzdata file on this machine is byte-identical to the evidence's TZif file.
 * A copied `etc/localtime` that is a plain file (not a link) is identified this way.
 */
export async function zonesMatchingTzif(data: Buffer, tzdataDir = '/usr/share/zoneinfo'): Promise<string[]> {
  const matches: string[] = []
  for await (const [name, file] of zoneFiles(tzdataDir)) {
    const candidate = await readFile(file).catch(() => null)
    if (candidate !== null && candidate.equals(data) && isValidTimeZone(name)) matches.push(name)
  }
  return matches
}

function warning(code: 'TIMEZONE_UNCERTAIN' | 'TIMEZONE_CONFLICT', file: string, message: string): Diagnostic {
  return { code, severity: 'warning', path: file, line: null, message, excerpt: null }
}

export interface ZoneFinding {
  zone: EvidenceZone | null
  problems: Diagnostic[]
}

/** A TZif file is a few KiB; a zone.tab-sized text at most. */
const ZONE_FILE_CAP = 1024 * 1024

/**
 * Reads the zone of a copied root filesystem (`root` is the evidence directory, or an evidence
 * tree such as an archive). Never follows links.
 */
export async function zoneOfRootfs(root: string | EvidenceTree, display = (p: string): string => p): Promise<ZoneFinding> {
  const tree = typeof root === 'string' ? new DiskTree(root) : root
  const problems: Diagnostic[] = []
  let fromLocaltime: string | null = null
  let localtimeNote = ''
  const info = await tree.lstat('etc/localtime').catch(() => null)
  const localtimeData = info?.type === 'file' ? await tree.readFile('etc/localtime', ZONE_FILE_CAP) : null
  if (info?.type === 'symlink') {
    const target = await tree.readlink('etc/localtime')
    fromLocaltime = zoneFromLinkTarget(target)
    localtimeNote = `etc/localtime → ${target}`
    if (fromLocaltime === null) problems.push(warning('TIMEZONE_UNCERTAIN', display('etc/localtime'), `link target ${target} names no known zone`))
  } else if (localtimeData?.ok === false) {
    problems.push(warning('TIMEZONE_UNCERTAIN', display('etc/localtime'), localtimeData.message))
  } else if (localtimeData?.ok === true) {
    const data = localtimeData.data
    const matches = await zonesMatchingTzif(data)
    const footer = tzifFooter(data)
    if (matches.length > 0) {
      // Several names share one file (Europe/Berlin, Arctic/Longyearbyen…); all give the same times.
      fromLocaltime = matches.includes('UTC') ? 'UTC' : matches[0]!
      localtimeNote = `etc/localtime (a copy of ${fromLocaltime}'s tzdata${matches.length > 1 ? `, same as ${matches.length - 1} other name(s)` : ''})`
    } else if (footer === 'UTC0' || footer === 'GMT0') {
      fromLocaltime = 'UTC'
      localtimeNote = `etc/localtime (TZif rule ${footer})`
    } else {
      problems.push(
        warning('TIMEZONE_UNCERTAIN', display('etc/localtime'), `TZif file (rule ${footer ?? 'none'}) matches no zone in this machine's tzdata`),
      )
    }
  }
  let fromTimezone: string | null = null
  const timezoneInfo = await tree.lstat('etc/timezone').catch(() => null)
  const timezoneRead = timezoneInfo?.type === 'file' ? await tree.readFile('etc/timezone', ZONE_FILE_CAP) : null
  if (timezoneRead?.ok === true) {
    const name = timezoneRead.data.toString('utf8').split('\n')[0]!.trim()
    if (isValidTimeZone(name)) fromTimezone = name
    else problems.push(warning('TIMEZONE_UNCERTAIN', display('etc/timezone'), `"${name}" is not a known zone`))
  }
  if (fromLocaltime !== null && fromTimezone !== null && !sameZone(fromLocaltime, fromTimezone)) {
    problems.push(
      warning(
        'TIMEZONE_CONFLICT',
        display('etc/timezone'),
        `etc/timezone says ${fromTimezone} but etc/localtime says ${fromLocaltime}; using etc/localtime (what programs used)`,
      ),
    )
  }
  if (fromLocaltime !== null) return { zone: { zone: fromLocaltime, source: localtimeNote }, problems }
  if (fromTimezone !== null) return { zone: { zone: fromTimezone, source: 'etc/timezone' }, problems }
  return { zone: null, problems }
}

/** Two names for the same rules (Etc/UTC and UTC) are not a conflict. */
function sameZone(a: string, b: string): boolean {
  if (a === b) return true
  const probe = [Date.UTC(2021, 0, 1), Date.UTC(2021, 6, 1)].map((t) => new Date(t))
  const offsets = (z: string): string =>
    probe.map((d) => new Intl.DateTimeFormat('en-US', { timeZone: z, timeZoneName: 'longOffset' }).format(d)).join()
  return offsets(a) === offsets(b)
}
