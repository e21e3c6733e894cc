/**
 * Kernel command lines and what systemd reads from them to mask units.
 * https://www.freedesktop.org/software/systemd/man/systemd-debug-generator.html
 *
 * systemd-debug-generator (src/debug-generator/debug-generator.c) reads `/proc/cmdline` with
 * PROC_CMDLINE_RD_STRICT | PROC_CMDLINE_STRIP_RD_PREFIX: in the main system only `systemd.mask=`
 * counts (exact key), in the initrd only `rd.systemd.mask=`. Each value goes through
 * unit_name_mangle() (`foo` → `foo.service`) and becomes a link `<unit> -> /dev/null` in the
 * *early* generator directory, `/run/systemd/generator.early/` [verified locally: systemd 252's
 * generator run with SYSTEMD_PROC_CMDLINE], which comes before /etc/systemd/system in the unit
 * search path: no admin file overrides it, and `systemctl unmask` refuses ("Unit %s is masked via a
 * generator and cannot be unmasked.", src/shared/install.c). It is recreated at every boot and
 * every daemon-reload, for as long as the parameter is on the command line.
 */
import { normalizeUnitName } from '../commands.ts'

export interface KernelParameter {
  key: string
  /** null for a bare flag (`quiet`). */
  value: string | null
}

/**
 * Splits a command line as the kernel's next_arg() (lib/cmdline.c) and systemd's
 * extract_first_word(EXTRACT_UNQUOTE) do: words separated by whitespace, double (or, for systemd,
 * single) quotes group spaces and are removed: `foo="a b"` → key foo, value `a b`.
 */
export function splitKernelCommandLine(line: string): KernelParameter[] {
  const out: KernelParameter[] = []
  let word = ''
  let quote: string | null = null
  let inWord = false
  const flush = (): void => {
    if (!inWord) return
    const eq = word.indexOf('=')
    out.push(eq === -1 ? { key: word, value: null } : { key: word.slice(0, eq), value: word.slice(eq + 1) })
    word = ''
    inWord = false
  }
  for (const c of line) {
    if (quote !== null) {
      if (c === quote) quote = null
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      inWord = true
    } else if (/\s/.test(c)) {
      flush()
    } else {
      word += c
      inWord = true
    }
  }
  flush()
  return out
}

export interface CommandLineMasks {
  /** Units `systemd.mask=` masks in the main system, mangled as systemd does, in order, without repeats. */
  masks: string[]
  /** Units `rd.systemd.mask=` masks in the initrd only. */
  initrdMasks: string[]
}

export function masksOf(line: string): CommandLineMasks {
  const masks = new Set<string>()
  const initrdMasks = new Set<string>()
  for (const { key, value } of splitKernelCommandLine(line)) {
    // proc_cmdline_value_missing(): a bare `systemd.mask` is ignored with a warning.
    if (value === null || value === '') continue
    if (key === 'systemd.mask') masks.add(normalizeUnitName(value))
    else if (key === 'rd.systemd.mask') initrdMasks.add(normalizeUnitName(value))
  }
  return { masks: [...masks], initrdMasks: [...initrdMasks] }
}
