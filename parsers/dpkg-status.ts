// https://man7.org/linux/man-pages/man5/deb822.5.html and https://man7.org/linux/man-pages/man1/dpkg-query.1.html (Status field)
/**
 * dpkg's package database, `/var/lib/dpkg/status`, its previous copy `status-old`, and the daily
 * backups `/var/backups/dpkg.status.N[.gz]`. RFC-822-like stanzas separated by blank lines;
 * `Field: value`, continuation lines begin with a space or tab (Description, Conffiles …), so only a
 * line at column 0 can hold a field (../shared/FORMATS.md §5d).
 *
 * Events, per stanza: one `package-state` (no time of its own: `timeUs` null, basis `unknown`);
 * plus `package-note left-broken` when the error flag is `reinstreq` or the status is
 * transitional (half-installed, unpacked, half-configured, triggers-awaited/pending, legacy
 * *-failed), and `package-note removed-not-purged` for `config-files`.
 *
 * A stanza is one record: accepted, all its lines count as parsed; rejected (no Package or
 * Status, or a Status that is not `<want> <eflag> <status>`), all its lines count as skipped
 * under one diagnostic. Only the Package/Status/Architecture/Version values are kept while reading.
 */
import type { LineCounter, ParseContext, Parser, ParserInput } from '../src/parser.ts'
import type { MaskEvent, PackageNote, Provenance } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { eventBase, readableLines, UNKNOWN_TIME } from '../src/parse-kit.ts'

const NAME = 'dpkg-status'
const TOOL = 'dpkg'

// Package: base-passwd      Status: install ok installed      Multi-Arch: foreign
const FIELD = /^(?<name>[^\s:#-][^\s:]*):[ \t]*(?<value>.*?)[ \t]*$/
// ` /etc/oldmask/oldmask.conf 7d43cb06…` (Conffiles)   ` .` (an empty Description line)
const CONTINUATION = /^[ \t]/
// Status: install reinstreq half-installed
const STATUS = /^(?<want>\S+) (?<eflag>\S+) (?<status>\S+)$/

/** lib/dpkg/pkg-namevalue.c (`hold` and `hold-reinstreq` are the pre-1.13 error flags). */
const WANTS = new Set(['unknown', 'install', 'hold', 'deinstall', 'purge'])
const EFLAGS = new Set(['ok', 'reinstreq', 'hold', 'hold-reinstreq'])
const STATES = new Set([
  'not-installed', 'config-files', 'half-installed', 'unpacked', 'half-configured', 'triggers-awaited',
  'triggers-pending', 'installed', 'failed-config', 'post-inst-failed', 'removal-failed',
])
const SETTLED = new Set(['installed', 'config-files', 'not-installed'])

interface Stanza {
  start: number
  lines: number
  packageLine: string | null
  pkg: string | null
  statusLine: { line: number; text: string; value: string } | null
  arch: string | null
  version: string | null
}

function timeNoteFor(path: string): string {
  const base = path.split('/').pop() ?? path
  if (base.startsWith('status-old')) return "state before dpkg's last database write (dpkg status-old), not when the evidence was copied"
  if (base.startsWith('dpkg.status')) return 'state when this backup of the dpkg status database was made (var/backups, usually daily)'
  return 'state when the evidence was copied (dpkg status database)'
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  const timeNote = timeNoteFor(ctx.path)
  let stanza: Stanza | null = null

  const reject = (s: Stanza, line: number, code: 'RECORD_INVALID' | 'RECORD_UNTERMINATED', message: string, excerpt: string): void => {
    ctx.warn(code, line, message, excerptOf(excerpt))
    for (let i = 0; i < s.lines; i++) count.line(false)
  }

  function* finish(s: Stanza, atEnd: boolean): Generator<MaskEvent> {
    if (s.pkg === null || s.statusLine === null) {
      const missing = s.pkg === null ? (s.statusLine === null ? 'Package and Status' : 'Package') : 'Status'
      if (atEnd) reject(s, s.start, 'RECORD_UNTERMINATED', `stanza cut off by the end of the input (no ${missing} field)`, s.packageLine ?? '')
      else reject(s, s.start, 'RECORD_INVALID', `stanza without a ${missing} field`, s.packageLine ?? '')
      return
    }
    const m = STATUS.exec(s.statusLine.value)
    const want = m?.groups?.['want']
    const eflag = m?.groups?.['eflag']
    const status = m?.groups?.['status']
    if (!want || !eflag || !status || !WANTS.has(want) || !EFLAGS.has(eflag) || !STATES.has(status)) {
      reject(s, s.statusLine.line, 'RECORD_INVALID', 'Status is not "<want> <ok|reinstreq> <state>"', s.statusLine.text)
      return
    }
    for (let i = 0; i < s.lines; i++) count.line(true)
    const base: Provenance = eventBase(ctx, NAME, s.start, `${s.packageLine} ${s.statusLine.text}`, { ...UNKNOWN_TIME, timeNote })
    yield { kind: 'package-state', ...base, tool: TOOL, package: s.pkg, arch: s.arch, version: s.version, want, errorFlag: eflag, status }
    const note = (kind: PackageNote['note']): PackageNote => ({ kind: 'package-note', ...base, tool: TOOL, note: kind, package: s.pkg, transactionId: null })
    if (eflag.endsWith('reinstreq') || !SETTLED.has(status)) yield note('left-broken')
    else if (status === 'config-files') yield note('removed-not-purged')
  }

  // An over-long line is skipped on its own (a huge Description is harmless); the stanza around it goes on.
  for await (const { line, text: raw } of readableLines(input, ctx, count)) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (text.trim() === '') {
      count.line(true)
      if (stanza !== null) yield* finish(stanza, false)
      stanza = null
      continue
    }
    if (CONTINUATION.test(text)) {
      if (stanza === null) {
        ctx.warn('RECORD_INVALID', line, 'continuation line outside a stanza', excerptOf(text))
        count.line(false)
      } else {
        stanza.lines++
      }
      continue
    }
    const field = FIELD.exec(text)
    if (!field?.groups) {
      ctx.warn('RECORD_INVALID', line, 'neither "Field: value" nor a continuation line', excerptOf(text))
      count.line(false)
      continue
    }
    const name = field.groups['name']!.toLowerCase()
    const value = field.groups['value'] ?? ''
    stanza ??= { start: line, lines: 0, packageLine: null, pkg: null, statusLine: null, arch: null, version: null }
    stanza.lines++
    if (name === 'package') {
      stanza.pkg = value || null
      stanza.packageLine = text
    } else if (name === 'status') stanza.statusLine = { line, text, value }
    else if (name === 'architecture') stanza.arch = value || null
    else if (name === 'version') stanza.version = value || null
  }
  if (stanza !== null) yield* finish(stanza, true)
}

export default {
  name: NAME,
  title: 'dpkg status database (/var/lib/dpkg/status, status-old, /var/backups/dpkg.status.N)',
  paths: [/(^|\/)var\/lib\/dpkg\/status(?:-old)?$/, /(^|\/)var\/backups\/dpkg\.status$/],
  detect(head: string): boolean {
    // The first stanza: a Package field first, and a three-word Status among its fields (apt's
    // Packages lists and dpkg's `available` have no Status).
    const lines = head.replace(/^\s*\n/, '').split('\n')
    if (!/^Package: \S+\r?$/.test(lines[0] ?? '')) return false
    for (const l of lines.slice(1, 200)) {
      const text = l.endsWith('\r') ? l.slice(0, -1) : l
      if (text === '') return false
      const m = /^Status: (.*)$/.exec(text)
      if (m) {
        const s = STATUS.exec(m[1]!)
        return s !== null && WANTS.has(s.groups!['want']!) && EFLAGS.has(s.groups!['eflag']!) && STATES.has(s.groups!['status']!)
      }
    }
    return false
  },
  parse,
} satisfies Parser
