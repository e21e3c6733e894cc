/**
 * V8 doubles the young generation whenever the bytes that survived its collections since the last
 * doubling exceed its size. Over a long run that sum always does, whatever is actually held, so the
 * young generation grows with the duration of the run up to 16 MiB per semi-space: about +30 MiB of
 * RSS between 100 MB and 4 GB of journal (bench/memory.ts) with nothing more kept. A growth factor of 1
 * keeps it at its initial size. V8 reads the flag when it grows the space, so setting it at start-up is
 * enough, except that a worker thread's start resets V8's flags (Node 20): the thread pool re-applies
 * the policy when a worker is online.
 */
import { setFlagsFromString } from 'node:v8'

let wanted = false

/** Called by the CLI: the process keeps its young generation at V8's initial size. */
export function keepYoungGenerationSmall(): void {
  wanted = true
  apply()
}

/** After a worker thread started: restores the policy if the process asked for it. */
export function reapplyHeapPolicy(): void {
  if (wanted) apply()
}

function apply(): void {
  try {
    setFlagsFromString('--semi-space-growth-factor=1')
  } catch {
    // a V8 that refuses flags after start: memory then follows V8's defaults
  }
}
