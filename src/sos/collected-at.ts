/**
 * When a sosreport was collected: the date plugin runs `date --utc` (sos_commands/date/date_--utc,
 * `Mon Mar  4 08:00:01 UTC 2024` in the C locale sos sets). The command outputs sos wrote are from that
 * run, so nothing in them is much later — a year anchor for year-less journalctl text that survives
 * copies which reset mtimes (unzip, cp without -p, a git checkout).
 */
import { resolveInRoot } from '../fs/confined.ts'
import { DiskTree } from '../tree/disk.ts'
import type { EvidenceTree } from '../tree/tree.ts'
import { MONTHS } from '../formats/yearless.ts'

export const SOS_DATE_UTC = 'sos_commands/date/date_--utc'

// Mon Mar  4 08:00:01 UTC 2024        (date(1) default format, C / C.UTF-8 locale)
const DATE_UTC = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<mon>[A-Z][a-z]{2}) +(?<day>\d{1,2}) (?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2}) UTC (?<y>\d{4})\s*$/

/** µs of `date --utc` output, or null when it is not that. */
export function parseDateUtc(text: string): number | null {
  const g = DATE_UTC.exec(text.split('\n')[0] ?? '')?.groups
  if (!g) return null
  const month = MONTHS.indexOf(g['mon'] as (typeof MONTHS)[number])
  const [y, d, h, mi, s] = [g['y'], g['day'], g['h'], g['mi'], g['s']].map(Number) as [number, number, number, number, number]
  if (month < 0 || d < 1 || d > new Date(Date.UTC(y, month + 1, 0)).getUTCDate() || h > 23 || mi > 59 || s > 60) return null
  return Date.UTC(y, month, d, h, mi, s) * 1000
}

export interface CollectedAt {
  us: number
  /** Where it was read, for time notes. */
  source: string
}

/** The collection time recorded in a sosreport root (a directory or an evidence tree), or null. Never follows links. */
export async function sosCollectedAt(root: string | EvidenceTree): Promise<CollectedAt | null> {
  const tree = typeof root === 'string' ? new DiskTree(root) : root
  const found = await resolveInRoot(tree, '', SOS_DATE_UTC).catch(() => null)
  if (!found?.ok || found.escaped || found.info?.type !== 'file') return null
  const read = await tree.readFile(found.rel, 4096)
  if (!read.ok) return null
  const us = parseDateUtc(read.data.toString('utf8'))
  return us === null ? null : { us, source: SOS_DATE_UTC }
}
