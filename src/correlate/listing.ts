/**
 * `systemctl list-unit-files` as a source of the current state (a sosreport's
 * sos_commands/systemd/systemctl_list-unit-files): systemd's own verdict over every unit directory of
 * the live machine, made when the evidence was collected. The copied unit directories are the better
 * witness (a link can be cited, its layer tells the cause), so they decide whenever they can; the listing
 * decides when the copy cannot say: no unit directories at all, no file for the unit, or only a vendor
 * file while the listing says masked (the mask sits in a directory the copy lacks, e.g. a bundle without
 * etc/). Where both speak and disagree, a conflict says so. Pure.
 */
import type { MaskEvent, UnitFileState } from '../events.ts'
import type { FsEntry, FsState } from './explain.ts'
import { evidenceOf } from './signals.ts'
import type { Cause, Confidence, EvidenceLine, UnitStateName } from './types.ts'

const MASKED_STATES = new Set(['masked', 'masked-runtime'])
/** Layers a mask in `etc/` or `run/` would hide: a non-masked file there says nothing against the listing. */
const BELOW_MASKS = new Set(['vendor', 'local', 'generator'])

/** The last listed row per unit (one listing per sosreport; a later one wins). */
export function listingsByUnit(events: readonly MaskEvent[]): Map<string, UnitFileState> {
  const out = new Map<string, UnitFileState>()
  for (const e of events) if (e.kind === 'unit-file-state') out.set(e.unit, e)
  return out
}

export function listedMasked(l: UnitFileState | undefined): l is UnitFileState {
  return l !== undefined && MASKED_STATES.has(l.state)
}

export function unitsMaskedByListing(listings: ReadonlyMap<string, UnitFileState>): string[] {
  return [...listings.values()].filter(listedMasked).map((l) => l.unit)
}

const isMask = (e: FsEntry): boolean => e.masked ?? (e.kind === 'masked-link' || e.kind === 'empty-file')

/** Does the listing decide the state, because the copied unit directories cannot? */
export function listingDecides(
  entry: FsEntry | undefined,
  listing: UnitFileState | undefined,
  fs: FsState | null,
): listing is UnitFileState {
  if (listing === undefined) return false
  if (!fs?.hasFilesystem || entry === undefined) return true
  return listedMasked(listing) && !isMask(entry) && BELOW_MASKS.has(entry.layer)
}

export function listedStateName(l: UnitFileState): UnitStateName {
  return l.state === 'masked-runtime' ? 'masked-runtime' : l.state === 'masked' ? 'masked' : 'not-masked'
}

export function listingEvidence(l: UnitFileState): EvidenceLine {
  return evidenceOf(l, `systemctl list-unit-files said "${l.state}" when the evidence was collected`)
}

const cite = (e: { path: string; line: number }): string => `${e.path}:${e.line}`

/** The parts of a decision the correlator fills from the listing alone (no logged act explains the mask). */
export interface ListingDecision {
  cause: Cause
  confidence: Confidence
  confidenceReason: string
  actor: null
  maskedAtUs: null
  maskedAtFrom: string
  transaction: null
  evidence: EvidenceLine[]
  package: null
}

/** A mask known from the listing only: who and when are unknown; a runtime mask is one by where it lives. */
export function decideFromListing(l: UnitFileState, entry: FsEntry | undefined): ListingDecision {
  const known = `known from systemctl list-unit-files when the evidence was collected (${cite(l)})`
  const copy = entry ? `the copy has only ${entry.path}, not the mask` : 'the copy has no unit file for it'
  const runtime = l.state === 'masked-runtime'
  return {
    cause: runtime ? 'runtime-mask' : 'unknown',
    confidence: runtime ? 'medium' : 'low',
    confidenceReason: runtime
      ? `"masked-runtime": the link is under /run (gone at reboot), ${known}; ${copy}; nothing records who made it`
      : `masked, ${known}; ${copy}, and no log in the evidence records the act (searched: sudo/pkexec/polkit/audit commands, systemctl output in the journal and its text copies, apt term.log, dnf.rpm.log)`,
    actor: null,
    maskedAtUs: null,
    maskedAtFrom: 'the listing has no time of its own, and no record shows the act',
    transaction: null,
    evidence: [listingEvidence(l)],
    package: null,
  }
}

/** Where the listing and the copied unit directories disagree, and which one the explanation followed. */
export function listingConflict(l: UnitFileState | undefined, entry: FsEntry | undefined, from: string): string | null {
  if (l === undefined || entry === undefined) return null
  const diskMasked = isMask(entry)
  if (from === 'listing') {
    return `systemctl list-unit-files (${cite(l)}) says "${l.state}", but the copied unit directories hold only ${entry.path} (not a mask): the mask sits in a directory the copy lacks; the listing decides`
  }
  if (from !== 'filesystem' || diskMasked === listedMasked(l)) return null
  return diskMasked
    ? `the copied filesystem shows ${entry.path}, but systemctl list-unit-files (${cite(l)}) says "${l.state}": unmasked between the copy and the listing, or the listing comes from another machine; the filesystem wins (it can be cited)`
    : `systemctl list-unit-files (${cite(l)}) says "${l.state}", but the copied filesystem has ${entry.path}, not masked, where a mask would show: masked between the copy and the listing, or the listing comes from another machine; the filesystem wins (it can be cited)`
}

/** When the listing decides: what the logs' last change says against it. */
export function listingVsLogs(l: UnitFileState, last: { action: 'mask' | 'unmask'; at: string } | undefined): string | null {
  if (last === undefined || (last.action === 'mask') === listedMasked(l)) return null
  return last.action === 'unmask'
    ? `the last logged change is an unmask (${last.at}), yet systemctl list-unit-files (${cite(l)}) says "${l.state}": masked again without a trace in these logs; the listing wins (it is the state when collected)`
    : `the last logged change is a mask (${last.at}), but systemctl list-unit-files (${cite(l)}) says "${l.state}": unmasked later without a trace in these logs; the listing wins (it is the state when collected)`
}
