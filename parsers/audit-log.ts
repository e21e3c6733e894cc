// https://github.com/linux-audit/audit-userspace/blob/master/lib/audit_logging.c (audit_log_user_command)
/**
 * auditd's log, `/var/log/audit/audit.log` (../shared/FORMATS.md §8): one record per line,
 * `[node=<host> ]type=<NAME> msg=audit(<epoch>.<millis>:<serial>): key=value …`, in the RAW format or
 * the ENRICHED one (`log_format=ENRICHED`: a 0x1D byte, then translated fields `UID="root" AUID="alice"`).
 *
 * Kept:
 * - `USER_CMD` (sudo's record of the command it ran, argv as typed; `cmd=` is uppercase hex when it holds
 *   a space, a quote or non-ASCII) → `admin-command` when the command changes unit state (parseUnitCommands).
 * - `SERVICE_START` / `SERVICE_STOP` sent by PID 1 (systemd's manager_send_unit_audit, services only, the
 *   `.service` suffix cut off) → `unit-started` / `unit-stopped`, or `unit-failed` when `res=failed`.
 *   Records claiming those types from any other pid are not believed.
 * Every other record is counted as parsed and not kept. Times are the kernel's/auditd's UTC epoch.
 */
import type { ParseContext, Parser, ParserInput, LineCounter } from '../src/parser.ts'
import type { EventBase, MaskEvent } from '../src/events.ts'
import { excerptOf } from '../src/diagnostics.ts'
import { parseUnitCommands, normalizeUnitName } from '../src/commands.ts'
import { parseAuditUserCmd } from '../src/messages.ts'
import { eventBase, readableLines, withFields } from '../src/parse-kit.ts'

const NAME = 'audit-log'

// type=USER_CMD msg=audit(1614672177.873:142): pid=5099 uid=0 auid=1000 ses=1 … msg='…'<0x1D>UID="root" AUID="ec2-user"
// Unknown record numbers are written `type=UNKNOWN[1334]`.
const RECORD =
  /^(?:node=(?<node>\S+) )?type=(?<type>[A-Z][A-Z0-9_]*|UNKNOWN\[\d+\]) msg=audit\((?<sec>\d{1,12})\.(?<frac>\d{1,6}):(?<serial>\d+)\):(?<body>.*)$/s
const SNIFF = /^(?:node=\S+ )?type=[A-Z_]+ msg=audit\(\d+\.\d+:\d+\):/
const GS = '\x1d'
/** auid/ses value meaning "never set" ((uid_t)-1); older kernels print -1. */
const UNSET = new Set(['4294967295', '-1'])
// Raw fields: `key=value`, `key="value"`, and the userspace part `msg='…'`.
const RAW_KV = /(?<key>[a-z][a-z0-9_-]*)=(?<value>"[^"]*"|'[^']*'|\S+)/g
// Enriched fields: `AUID="ec2-user"`, `OLD-AUID="unset"`, `ARCH=x86_64`.
const ENRICHED_KV = /(?<key>[A-Z][A-Z0-9_-]*)=(?<value>"[^"]*"|\S+)/g

function fields(text: string, re: RegExp): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of text.matchAll(re)) {
    const key = m.groups!['key']!
    let value = m.groups!['value']!
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1)
    if (!out.has(key)) out.set(key, value)
  }
  return out
}

/** The enriched name for an id, unless auparse could not name it (`unset`, `unknown(1234)`, `?`). */
function enrichedName(name: string | undefined): string | null {
  if (name === undefined || name === '' || name === 'unset' || name === '?' || name.startsWith('unknown(')) return null
  return name
}

function person(name: string | undefined, id: string | null): string | null {
  if (id !== null && UNSET.has(id)) return null
  return enrichedName(name) ?? (id === null ? null : `uid ${id}`)
}

const noneToNull = (v: string | null | undefined): string | null =>
  v === undefined || v === null || v === '?' || v === '(none)' || v === '' ? null : v

function userCmdEvents(body: string, enriched: Map<string, string>, base: EventBase): MaskEvent[] | null {
  const parsed = parseAuditUserCmd(body)
  if (parsed === null) return null
  return parseUnitCommands(parsed.command).map((c) =>
    withFields(base, {
      kind: 'admin-command' as const,
      via: 'audit' as const,
      actor: person(enriched.get('AUID'), parsed.auid),
      runAs: person(enriched.get('UID'), parsed.uid),
      tty: noneToNull(parsed.terminal),
      session: parsed.session !== null && UNSET.has(parsed.session) ? null : parsed.session,
      succeeded: parsed.succeeded,
      command: parsed.command,
      verb: c.verb,
      units: c.units,
      flags: c.program === 'ln' ? ['ln', ...c.flags] : c.flags,
    }),
  )
}

function serviceEvents(type: 'SERVICE_START' | 'SERVICE_STOP', body: string, base: EventBase): MaskEvent[] {
  const outer = fields(body, RAW_KV)
  if (outer.get('pid') !== '1') return []
  const inner = fields(outer.get('msg') ?? '', RAW_KV)
  const name = inner.get('unit')
  if (name === undefined || name === '' || inner.get('comm') !== 'systemd') return []
  const unit = normalizeUnitName(name)
  const res = inner.get('res')
  if (res === 'failed') return [withFields(base, { kind: 'unit-failed' as const, unit, scope: 'system' as const, result: 'failed' })]
  if (res !== 'success') return []
  const kind = type === 'SERVICE_START' ? ('unit-started' as const) : ('unit-stopped' as const)
  return [withFields(base, { kind, unit, scope: 'system' as const })]
}

async function* parse(input: ParserInput, ctx: ParseContext, count: LineCounter): AsyncGenerator<MaskEvent> {
  for await (const { line, text } of readableLines(input, ctx, count)) {
    const record = text.endsWith('\r') ? text.slice(0, -1) : text
    if (record.trim() === '') {
      count.line(true)
      continue
    }
    const m = RECORD.exec(record)
    if (m === null) {
      ctx.warn('RECORD_INVALID', line, 'not an audit record (`type=NAME msg=audit(SECONDS.MILLIS:SERIAL): …`)', excerptOf(text))
      count.line(false)
      continue
    }
    const g = m.groups!
    const type = g['type']!
    if (type !== 'USER_CMD' && type !== 'SERVICE_START' && type !== 'SERVICE_STOP') {
      count.line(true)
      continue
    }
    const rest = g['body']!
    const gsAt = rest.indexOf(GS)
    const body = gsAt === -1 ? rest : rest.slice(0, gsAt)
    const enriched = gsAt === -1 ? new Map<string, string>() : fields(rest.slice(gsAt + 1), ENRICHED_KV)
    const timeUs = Number(g['sec']) * 1_000_000 + Number(g['frac']!.padEnd(6, '0'))
    const base: EventBase = {
      ...eventBase(ctx, NAME, line, text, { timeUs, timeBasis: 'utc', timeZone: null, timeZoneSource: null, timeNote: null }),
      host: g['node'] ?? null,
    }
    if (type === 'USER_CMD') {
      const events = userCmdEvents(body, enriched, base)
      if (events === null) {
        ctx.warn('RECORD_INVALID', line, 'USER_CMD record without a cmd= field', excerptOf(text))
        count.line(false)
        continue
      }
      count.line(true)
      yield* events
    } else {
      count.line(true)
      yield* serviceEvents(type, body, base)
    }
  }
}

export default {
  name: NAME,
  title: 'auditd log (/var/log/audit/audit.log, raw or enriched): sudo USER_CMD, PID 1 SERVICE_START/STOP',
  paths: [/(^|\/)audit\/audit\.log$/],
  detect(head: string): boolean {
    const first = head.split('\n').find((l) => l.trim() !== '')
    return first !== undefined && SNIFF.test(first)
  },
  parse,
} satisfies Parser
