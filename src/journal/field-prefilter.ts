/**
 * Whether one journal field's bytes could give an event: the same rules as the journal-json line
 * prefilter (src/journal/json-prefilter.ts), for readers that see fields one by one (binary journal
 * files). The keywords come from RECOGNISABLE (src/journal-entry.ts). Every keyword is ASCII, and an
 * ASCII byte is itself in UTF-8, so the bytes are tested without decoding them.
 */
import type { EventKind } from '../events.ts'
import { RECOGNISABLE } from '../journal-entry.ts'

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1')
const PREFIXES = RECOGNISABLE.messagePrefixes.map(ascii)
// `WORD: Executing command…`: what follows the first space, when the byte before it is the colon.
const AFTER_SPACE = RECOGNISABLE.afterFirstWord.map((w) => ascii(w.slice(1)))
const SUDO = ascii(RECOGNISABLE.sudoSeparator)
const ESCAPE = 0x1b
const SPACE = 0x20
const COLON = 0x3a

/** Whether `bytes[at, end)` starts with `what`. */
export function bytesStartWith(bytes: Buffer, at: number, end: number, what: Buffer): boolean {
  if (at + what.length > end) return false
  for (let i = 0; i < what.length; i++) if (bytes[at + i] !== what[i]) return false
  return true
}

/**
 * A MESSAGE value, `bytes[start, end)`: starts with a recognised prefix, has the shape
 * `WORD: Executing command` or sudo's `[blanks]USER : …`, or holds an escape byte (the recogniser
 * removes colour escapes anywhere first).
 */
export function messageMayMatch(bytes: Buffer, start: number, end: number): boolean {
  // A view, so that the native searches stop at the value's end.
  const value = bytes.subarray(start, end)
  if (value.indexOf(ESCAPE) !== -1) return true
  const first = value[0]
  for (const prefix of PREFIXES) if (first === prefix[0] && bytesStartWith(value, 0, value.length, prefix)) return true
  const space = value.indexOf(SPACE)
  if (space === -1) return false
  if (space - 1 > 0 && value[space - 1] === COLON) for (const after of AFTER_SPACE) if (bytesStartWith(value, space, value.length, after)) return true
  const colon = value.indexOf(COLON)
  return colon > space && colon >= 2 && value[colon - 2] !== SPACE && bytesStartWith(value, colon - 1, value.length, SUDO)
}

/** The job MESSAGE_IDs that give a kind the run keeps (explain drops unit starts and stops). */
export function keptJobMessageIds(skipKinds?: ReadonlySet<EventKind>): Buffer[] {
  return RECOGNISABLE.jobMessageIds.filter((_, j) => RECOGNISABLE.jobMessageKinds[j]!.some((k) => skipKinds?.has(k) !== true)).map(ascii)
}

export const AUDIT_USER_CMD = ascii(RECOGNISABLE.auditTypeName)
