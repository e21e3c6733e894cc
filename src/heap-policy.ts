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
import { runInNewContext } from 'node:vm'

let wanted = false
let gc: (() => void) | null | undefined

/**
 * Called by the CLI: the process keeps its young generation at V8's initial size, and collects its
 * garbage when collectGarbage() is called. (A library user's process is left to V8's defaults.)
 */
export function adoptLeanHeapPolicy(): void {
  wanted = true
  apply()
}

/** After a worker thread started: restores the policy if the process asked for it. */
export function reapplyHeapPolicy(): void {
  if (wanted) apply()
}

/**
 * A full collection now, at a point where much has just become garbage (the end of reading, every
 * 512 MiB of a big file), when the process asked for the policy. V8 leaves old-generation garbage
 * until a limit it sets generously, so the longer the run, the more of it at the peak: timeline's peak
 * RSS on 4 GB went from 124 to 109 MiB, for ~10 ms per collection (9 on 4 GB). Node exposes `gc` only
 * under --expose-gc; set now, the flag gives it to a new context.
 */
export function collectGarbage(): void {
  if (!wanted) return
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc')
      gc = runInNewContext('gc') as () => void
    } catch {
      gc = null
    }
  }
  gc?.()
}

function apply(): void {
  try {
    setFlagsFromString('--semi-space-growth-factor=1')
  } catch {
    // a V8 that refuses flags after start: memory then follows V8's defaults
  }
}
