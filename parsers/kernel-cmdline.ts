// https://man7.org/linux/man-pages/man5/proc_pid_cmdline.5.html (/proc/cmdline) and
// https://www.freedesktop.org/software/systemd/man/kernel-install.html (/etc/kernel/cmdline)
/**
 * A bare kernel command line: a copied `/proc/cmdline` (the boot running when the evidence was
 * copied; the kernel writes it as one line ending in a newline) or `/etc/kernel/cmdline`, which
 * kernel-install copies into the boot entries it creates for newly installed kernels (systemd-boot,
 * UKIs, BLS). Both have the same grammar, so one parser reads both; the path says which it is.
 *
 * Events: one `kernel-command-line` per non-empty line, with the units `systemd.mask=` masks
 * (src/formats/kernel-cmdline.ts). Neither file has a time of its own (a copied file's mtime says
 * when it was copied or last edited, not which boots used it): `timeUs` null, basis `unknown`.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { masksOf } from '../src/formats/kernel-cmdline.ts'
import { eventBase, readableLines, UNKNOWN_TIME } from '../src/parse-kit.ts'

const NAME = 'kernel-cmdline'
/** Far above COMMAND_LINE_SIZE on any architecture (2–4 KiB, 64 KiB at most). */
const MAX_COMMAND_LINE = 64 * 1024

// proc/cmdline    sosreport-web1/proc/cmdline
const PROC_CMDLINE = /(^|\/)proc\/cmdline$/
// etc/kernel/cmdline
const KERNEL_INSTALL = /(^|\/)etc\/kernel\/cmdline$/

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const origin = KERNEL_INSTALL.test(ctx.path) ? 'kernel-install' : 'proc-cmdline'
  const timeNote =
    origin === 'proc-cmdline'
      ? 'the command line of the boot running when the evidence was copied (proc/cmdline); no time of its own'
      : 'what kernel-install writes into boot entries for kernels installed from now on (etc/kernel/cmdline); no time of its own'
  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (text.trim() === '') {
      count.line(true)
      continue
    }
    // The kernel never writes control characters into its command line; a binary file is not one.
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) {
      ctx.warn('RECORD_INVALID', line, 'control characters in a kernel command line: not a command line', excerptOf(text))
      count.line(false)
      continue
    }
    // Kernels take a few KiB at most (COMMAND_LINE_SIZE); a longer line is damage, and splitting
    // megabytes into words would cost seconds and hundreds of MB.
    if (text.length > MAX_COMMAND_LINE) {
      ctx.warn('RECORD_INVALID', line, `${text.length} characters: longer than any kernel command line`, excerptOf(text))
      count.line(false)
      continue
    }
    count.line(true)
    const commandLine = text.trim()
    yield {
      kind: 'kernel-command-line',
      ...eventBase(ctx, NAME, line, text, { ...UNKNOWN_TIME, timeNote }),
      origin,
      bootId: null,
      commandLine,
      ...masksOf(commandLine),
      entry: null,
    }
  }
}

export default {
  name: NAME,
  title: 'kernel command line (proc/cmdline, etc/kernel/cmdline)',
  paths: [PROC_CMDLINE, KERNEL_INSTALL],
  // A line of words has no shape of its own to sniff: recognised by path only.
  detect: () => false,
  parse,
} satisfies Parser
