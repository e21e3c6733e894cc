/**
 * Masks from the kernel command line (`systemd.mask=`), per unit, and what each source proves. Pure.
 *
 * Which boot a command line applies to depends on where it was read (events.ts CommandLineOrigin):
 * the kernel's `Command line:` message proves the boot it was logged in; proc/cmdline proves the boot
 * running when the evidence was copied; a grub.cfg entry applies to every boot from that entry (which
 * entry was booted it does not say); etc/default/grub and etc/kernel/cmdline only say what the next
 * update-grub / kernel-install will write.
 */
import type { KernelCommandLine, MaskEvent } from '../events.ts'

export interface BootMasks {
  /** Every logged boot's command line (kernel-log), oldest first. */
  boots: KernelCommandLine[]
  /** Logged boots whose command line masks the unit. */
  maskedBoots: KernelCommandLine[]
  /** proc/cmdline, when copied. */
  running: KernelCommandLine | null
  /** The sources that mask the unit, by origin. */
  loaderEntries: KernelCommandLine[]
  nextConfig: KernelCommandLine[]
  /** Whether the running boot (proc/cmdline), else the last logged boot, else a boot-loader entry masks it. */
  applies: 'running-boot' | 'last-logged-boot' | 'boot-loader-entry' | null
}

export function commandLines(events: readonly MaskEvent[]): KernelCommandLine[] {
  return events.filter((e): e is KernelCommandLine => e.kind === 'kernel-command-line')
}

/** The units any kernel command line in the evidence masks. */
export function unitsMaskedByCommandLine(lines: readonly KernelCommandLine[]): Set<string> {
  return new Set(lines.flatMap((l) => l.masks))
}

export function bootMasksOf(lines: readonly KernelCommandLine[], unit: string): BootMasks {
  const boots = lines.filter((l) => l.origin === 'kernel-log').sort((a, b) => (a.timeUs ?? Infinity) - (b.timeUs ?? Infinity))
  const has = (l: KernelCommandLine): boolean => l.masks.includes(unit)
  const running = lines.find((l) => l.origin === 'proc-cmdline') ?? null
  const loaderEntries = lines.filter((l) => l.origin === 'grub-cfg' && has(l))
  const nextConfig = lines.filter((l) => (l.origin === 'grub-default' || l.origin === 'kernel-install') && has(l))
  const last = boots.at(-1)
  let applies: BootMasks['applies'] = null
  if (running !== null) applies = has(running) ? 'running-boot' : null
  else if (last !== undefined) applies = has(last) ? 'last-logged-boot' : null
  else if (loaderEntries.length > 0) applies = 'boot-loader-entry'
  return { boots, maskedBoots: boots.filter(has), running: running && has(running) ? running : null, loaderEntries, nextConfig, applies }
}

/** Any source names the unit at all. */
export function namedAnywhere(b: BootMasks): boolean {
  return b.maskedBoots.length > 0 || b.running !== null || b.loaderEntries.length > 0 || b.nextConfig.length > 0
}

/**
 * The first boot of the latest run of logged boots that mask the unit: the mask has been on the
 * command line since then. `since` is null when the earliest logged boot already has it.
 */
export function maskedSince(b: BootMasks): { first: KernelCommandLine; before: KernelCommandLine | null } | null {
  let first: KernelCommandLine | null = null
  let before: KernelCommandLine | null = null
  for (let i = b.boots.length - 1; i >= 0; i--) {
    const boot = b.boots[i]!
    if (!b.maskedBoots.includes(boot)) {
      before = boot
      break
    }
    first = boot
  }
  return first === null ? null : { first, before }
}
