// https://www.gnu.org/software/grub/manual/grub/html_node/Simple-configuration.html
/**
 * GRUB's defaults, `/etc/default/grub` and `/etc/default/grub.d/*.cfg`: shell variable assignments
 * that `update-grub` (Debian) / `grub2-mkconfig` (RHEL, Fedora) sources when it writes grub.cfg.
 * `GRUB_CMDLINE_LINUX` goes on every Linux entry, `GRUB_CMDLINE_LINUX_DEFAULT` on the normal (not
 * recovery) ones. The file says what the *next* grub.cfg will contain, not what any boot used:
 * an edit takes effect only after update-grub and a reboot.
 *
 * Events: one `kernel-command-line` per `GRUB_CMDLINE_LINUX*` assignment (`entry` names the
 * variable), with the units its `systemd.mask=` words mask. Other lines are counted, not kept.
 * Values are read as the shell would for plain words and quotes; `$VAR` expansions are kept as
 * written (update-grub would expand them). No time of its own: `timeUs` null.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { masksOf } from '../src/formats/kernel-cmdline.ts'
import { eventBase, readableLines, UNKNOWN_TIME } from '../src/parse-kit.ts'

const NAME = 'grub-default'
const TIME_NOTE = 'what the next update-grub/grub2-mkconfig writes into grub.cfg (etc/default/grub); no time of its own'
/** A quoted value spanning more lines than this is taken to be an unterminated quote. */
const MAX_CONTINUED_LINES = 50

// GRUB_CMDLINE_LINUX_DEFAULT="quiet systemd.mask=foo.service"     export GRUB_CMDLINE_LINUX=''
const ASSIGNMENT = /^\s*(?:export\s+)?(?<name>GRUB_CMDLINE_LINUX(?:_[A-Z0-9]+)?)=(?<rest>.*)$/
// GRUB_TIMEOUT=5      # a comment      (blank)
const OTHER_SHELL = /^\s*(?:#.*|(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*=.*|)$/

/** The shell word at the start of `rest`, unquoted; null while a quote is still open. */
export function shellValue(rest: string): string | null {
  let value = ''
  let quote: '"' | "'" | null = null
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!
    if (quote === "'") {
      if (c === "'") quote = null
      else value += c
    } else if (quote === '"') {
      if (c === '"') quote = null
      else if (c === '\\' && i + 1 < rest.length && '"\\$`'.includes(rest[i + 1]!)) value += rest[++i]
      else value += c
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (/\s|;|#/.test(c)) {
      break
    } else if (c === '\\' && i + 1 < rest.length) {
      value += rest[++i]
    } else {
      value += c
    }
  }
  return quote === null ? value : null
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  let open: { line: number; name: string; rest: string; lines: number; text: string } | null = null
  function* assign(line: number, name: string, value: string, text: string): Generator<MaskEvent> {
    yield {
      kind: 'kernel-command-line',
      ...eventBase(ctx, NAME, line, text, { ...UNKNOWN_TIME, timeNote: TIME_NOTE }),
      origin: 'grub-default',
      bootId: null,
      commandLine: value,
      ...masksOf(value),
      entry: name,
    }
  }
  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (open !== null) {
      open.rest += `\n${text}`
      open.text += `\n${text}`
      open.lines++
      const value = shellValue(open.rest)
      if (value !== null) {
        for (let i = 0; i < open.lines; i++) count.line(true)
        yield* assign(open.line, open.name, value, open.text)
        open = null
      } else if (open.lines >= MAX_CONTINUED_LINES) {
        ctx.warn('RECORD_UNTERMINATED', open.line, `quote in ${open.name} not closed within ${MAX_CONTINUED_LINES} lines`, excerptOf(open.text))
        for (let i = 0; i < open.lines; i++) count.line(false)
        open = null
      }
      continue
    }
    const m = ASSIGNMENT.exec(text)
    if (m?.groups) {
      const value = shellValue(m.groups['rest']!)
      if (value === null) {
        open = { line, name: m.groups['name']!, rest: m.groups['rest']!, lines: 1, text }
        continue
      }
      count.line(true)
      yield* assign(line, m.groups['name']!, value, text)
      continue
    }
    // Anything a shell would accept is fine here (if/fi blocks, commands): only NUL bytes say this is not a shell file.
    if (text.includes('\u0000')) {
      ctx.warn('RECORD_INVALID', line, 'NUL byte: not a shell configuration line', excerptOf(text))
      count.line(false)
      continue
    }
    count.line(true)
  }
  if (open !== null) {
    ctx.warn('RECORD_UNTERMINATED', open.line, `quote in ${open.name} not closed at the end of the file`, excerptOf(open.text))
    for (let i = 0; i < open.lines; i++) count.line(false)
  }
}

export default {
  name: NAME,
  title: 'GRUB defaults (etc/default/grub, etc/default/grub.d/*.cfg)',
  paths: [/(^|\/)etc\/default\/grub$/, /(^|\/)etc\/default\/grub\.d\/[^/]+\.cfg$/],
  detect(head: string): boolean {
    // Shell assignments only, and at least one GRUB_CMDLINE_LINUX*: what update-grub sources.
    const lines = head.split('\n').slice(0, 200)
    if (!head.endsWith('\n') && lines.length > 1) lines.pop()
    return lines.some((l) => ASSIGNMENT.test(l)) && lines.every((l) => OTHER_SHELL.test(l.replace(/\r$/, '')) || /^\s*(?:if|then|else|elif|fi)\b/.test(l))
  },
  parse,
} satisfies Parser
