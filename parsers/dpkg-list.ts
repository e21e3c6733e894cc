// https://man7.org/linux/man-pages/man1/dpkg.1.html (--listfiles; the database files under /var/lib/dpkg/info)
/**
 * dpkg's per-package file lists, `/var/lib/dpkg/info/<package>[:<arch>].list`: one absolute path
 * per line, in archive order (`/.` first, parents before children); a removed-not-purged package
 * keeps a list of its conffiles only. The package is the file name minus `.list` and `:arch`.
 *
 * Events: `unit-file-owner` for each systemd unit file directly in a system or user unit
 * directory (`/lib/systemd/system/foo.service`, `/usr/lib/systemd/user/bar.socket` …); links in
 * `*.wants/` and drop-ins in `*.d/` are not unit files of the package and, like every other path,
 * are counted as parsed without an event. No time of its own: `timeUs` null, basis `unknown`.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { eventBase, readableLines, UNKNOWN_TIME } from '../src/parse-kit.ts'

const NAME = 'dpkg-list'
const TOOL = 'dpkg'

/** systemd.unit(5) unit search paths a package can ship into (system, then user). */
const UNIT_DIRS = [
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/etc/systemd/system',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/user',
  '/usr/lib/systemd/user',
  '/etc/systemd/user',
  '/usr/share/systemd/user',
  '/usr/local/lib/systemd/user',
  '/usr/local/share/systemd/user',
]
const UNIT_SUFFIXES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope']
// /lib/systemd/system/demo.service      /usr/lib/systemd/user/getty@.service
const UNIT_PATH = new RegExp(
  String.raw`^(?:${UNIT_DIRS.map((d) => d.replaceAll('/', '\\/')).join('|')})\/(?<unit>[^/]+\.(?:${UNIT_SUFFIXES.join('|')}))$`,
)
// var/lib/dpkg/info/libc6:armhf.list  →  libc6
const LIST_FILE = /^(?<pkg>[^/:]+)(?::[^/]*)?\.list$/

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const file = ctx.path.split('/').pop() ?? ctx.path
  const named = LIST_FILE.exec(file)
  const pkg = named?.groups?.['pkg'] ?? file
  if (!named) {
    ctx.warn('RECORD_INVALID', null, `file name is not <package>.list: the package is taken to be "${pkg}"`, undefined, 'warning')
  }
  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (text === '') {
      count.line(true)
      continue
    }
    if (!text.startsWith('/') || text.includes('\0')) {
      ctx.warn('RECORD_INVALID', line, 'not an absolute path', excerptOf(text))
      count.line(false)
      continue
    }
    count.line(true)
    const unit = UNIT_PATH.exec(text)?.groups?.['unit']
    if (unit === undefined) continue
    yield {
      kind: 'unit-file-owner',
      ...eventBase(ctx, NAME, line, text, {
        ...UNKNOWN_TIME,
        timeNote: 'ownership when the evidence was copied (dpkg info/*.list); no time of its own',
      }),
      tool: TOOL,
      package: pkg,
      unit,
      unitPath: text,
    }
  }
}

export default {
  name: NAME,
  title: 'dpkg package file lists (/var/lib/dpkg/info/*.list)',
  paths: [/(^|\/)var\/lib\/dpkg\/info\/[^/]+\.list$/],
  detect(head: string): boolean {
    // Absolute paths only, and each one's parent listed before it (or `/`): dpkg writes archive
    // order, so directories precede their contents. Plain path lists rarely have that shape.
    const lines = head.split('\n')
    if (!head.endsWith('\n') && lines.length > 1) lines.pop()
    const seen = new Set<string>(['/', '/.'])
    let checked = 0
    for (const raw of lines.slice(0, 200)) {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
      if (text === '') continue
      if (!text.startsWith('/') || text.includes('\0') || text.includes('\t')) return false
      const parent = text.slice(0, text.lastIndexOf('/')) || '/'
      if (checked > 0 && !seen.has(parent)) return false
      seen.add(text)
      checked++
    }
    return checked >= 2
  },
  parse,
} satisfies Parser
