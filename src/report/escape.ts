/**
 * Log text is untrusted. On a terminal, control characters (ESC sequences that clear the screen or
 * move the cursor, CR that overwrites a line), C1 controls and bidi overrides are shown escaped.
 */
// C0 controls incl. TAB/LF/CR, DEL, C1 controls, bidi embedding/override/isolate marks, line/paragraph
// separators, and the invisible ones that make two names look alike (zero-width space/joiners, word
// joiner, BOM): `ng\u200binx.service` must not pass for nginx.service.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' }

export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c]
    if (named !== undefined) return named
    const code = c.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}
