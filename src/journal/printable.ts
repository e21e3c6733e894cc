/**
 * systemd's `utf8_is_printable_newline()` (src/basic/utf8.c), which decides how journalctl writes
 * a value: a JSON string or a byte array, an export `NAME=value` line or a binary field, text or
 * `[N blob data]`. Checked against journalctl 252: strict UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF), no noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF), no C0 control except
 * TAB (and `\n` when allowed), no DEL or C1 control (U+007F–U+009F).
 */

function isControl(cp: number, allowNewline: boolean): boolean {
  if (cp < 0x20) return !(cp === 0x09 || (cp === 0x0a && allowNewline))
  return cp >= 0x7f && cp <= 0x9f
}

// unichar_is_valid()
function isValidCodePoint(cp: number): boolean {
  if (cp >= 0x110000) return false
  if ((cp & 0xfffff800) === 0xd800) return false
  if (cp >= 0xfdd0 && cp <= 0xfdef) return false
  return (cp & 0xfffe) !== 0xfffe
}

export function isPrintableUtf8(b: Uint8Array, allowNewline: boolean, from = 0, to = b.length): boolean {
  let i = from
  while (i < to) {
    const lead = b[i]!
    if (lead < 0x80) {
      if (isControl(lead, allowNewline)) return false
      i++
      continue
    }
    const len = lead >= 0xf0 && lead < 0xf8 ? 4 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xc0 && lead < 0xe0 ? 2 : 0
    if (len === 0 || i + len > to) return false
    let cp = lead & (0xff >> (len + 1))
    for (let k = 1; k < len; k++) {
      const c = b[i + k]!
      if ((c & 0xc0) !== 0x80) return false
      cp = (cp << 6) | (c & 0x3f)
    }
    const shortest = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    if (shortest !== len || !isValidCodePoint(cp) || isControl(cp, allowNewline)) return false
    i += len
  }
  return true
}
