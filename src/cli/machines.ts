/**
 * Several machines in one `explain`: when two or more arguments are directories or archives (copied
 * roots, sosreports, /var/log copies), each argument is a machine of its own and is explained in a run
 * of its own, one after the other, so memory stays that of the biggest one. With at most one such
 * argument, all arguments are one machine (a root plus a journal export copied beside it).
 *
 * A machine is named by its etc/hostname, else by the host most of its events name (`_HOSTNAME`, the
 * syslog host field), else by the argument itself; the name says where it came from.
 */
import { basename } from 'node:path'
import type { MaskEvent } from '../events.ts'
import { evidenceTreeOf } from '../discovery.ts'

export type HostSource = 'etc/hostname' | 'events' | 'argument'

export interface MachineName {
  host: string
  from: HostSource
}

/** The arguments, one per machine, when they are several machines; null when they are one. */
export async function machinesOf(evidence: readonly string[]): Promise<{ arg: string; hostname: string | null }[] | null> {
  if (evidence.length < 2) return null
  const machines = []
  let roots = 0
  for (const arg of evidence) {
    // a missing or unreadable argument is reported by the run that reads it
    const tree = await evidenceTreeOf(arg).catch(() => null)
    if (tree !== null) roots++
    const file = tree === null ? null : await tree.readFile('etc/hostname', 4096).catch(() => null)
    machines.push({ arg, hostname: file?.ok === true ? cleanHostname(file.data.toString('utf8')) : null })
  }
  return roots >= 2 ? machines : null
}

/** The first line of etc/hostname, when it is a plausible host name (no control characters, not empty). */
function cleanHostname(text: string): string | null {
  const line = text.split('\n')[0]!.trim()
  return line.length > 0 && line.length <= 253 && !/[\p{Cc}\s]/u.test(line) ? line : null
}

export function nameMachine(arg: string, hostname: string | null, events: readonly MaskEvent[]): MachineName {
  if (hostname !== null) return { host: hostname, from: 'etc/hostname' }
  const counts = new Map<string, number>()
  for (const e of events) if (e.host !== null && e.host !== '') counts.set(e.host, (counts.get(e.host) ?? 0) + 1)
  let best: string | null = null
  for (const [host, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && host < best)) best = host
  if (best !== null) return { host: best, from: 'events' }
  return { host: arg === '-' ? 'stdin' : basename(arg.replace(/\/+$/, '')) || arg, from: 'argument' }
}
