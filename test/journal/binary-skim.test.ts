// The binary journal parser skims entries (src/journal/binary/skim.ts): it must give exactly what
// building every entry and recognising it gives — events, problems, counts — on sound, compressed,
// damaged and mutated files, with and without the kinds explain drops.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import parser from '../../parsers/journal-binary.ts'
import { KINDS_EXPLAIN_SKIPS } from '../../src/cli/explain.ts'
import type { EventKind, MaskEvent } from '../../src/events.ts'
import { bufferSource } from '../../src/inputs.ts'
import { readJournalEntries } from '../../src/journal/binary/index.ts'
import { entryView } from '../../src/journal/raw-entry.ts'
import { JournalRecogniser, MESSAGE_IDS } from '../../src/journal-entry.ts'
import { writeBinaryJournal } from '../../bench/binary-journal.ts'
import { writeJournalJson } from '../../bench/generate-journal.ts'
import { fixture, READABLE_FIXTURES, velociraptor } from '../helpers/journal-binary.ts'
import { parseBytes } from '../helpers/parse.ts'
import { Random } from '../../bench/random.ts'

/** ENTRY objects of a sound file, walked object by object from the header's end. */
function entryOffsets(d: Buffer): number[] {
  const u64 = (at: number): number => Number(d.readBigUInt64LE(at))
  const out: number[] = []
  for (let at = u64(88); at <= u64(136); at += (u64(at + 8) + 7) & ~7) if (d[at] === 3) out.push(at)
  return out
}

interface Outcome {
  events: MaskEvent[]
  problems: string[]
  parsed: number
  skipped: number
}

const keep = (skipKinds?: ReadonlySet<EventKind>) => (e: MaskEvent) => skipKinds?.has(e.kind) !== true

/** Every entry built and recognised: the parser as it was before skimming. */
async function fullPath(data: Buffer, skipKinds?: ReadonlySet<EventKind>): Promise<Outcome> {
  const recogniser = new JournalRecogniser()
  const out: Outcome = { events: [], problems: [], parsed: 0, skipped: 0 }
  const report = (p: { code: string; offset: number; message: string; entriesLost?: number }): void => {
    out.problems.push(`${p.code} @${p.offset}: ${p.message}`)
    out.skipped += p.entriesLost ?? 0
  }
  let ordinal = 0
  for await (const entry of readJournalEntries(bufferSource(data), report)) {
    out.parsed++
    out.events.push(...recogniser.entry(entryView(entry), { path: 'j.journal', line: ++ordinal, parser: 'journal-binary' }).events)
  }
  out.events.push(...recogniser.finish())
  out.events = out.events.filter(keep(skipKinds))
  return out
}

async function skimmed(data: Buffer, skipKinds?: ReadonlySet<EventKind>): Promise<Outcome> {
  const r = await parseBytes(parser, data, { path: 'j.journal', ...(skipKinds !== undefined && { skipKinds }) })
  return {
    events: r.events.filter(keep(skipKinds)),
    problems: r.diagnostics.map((d) => `${d.code} @${d.offset}: ${d.message}`),
    parsed: r.counters.linesParsed,
    skipped: r.counters.linesSkipped,
  }
}

async function assertSame(data: Buffer, label: string): Promise<number> {
  let events = 0
  for (const skipKinds of [undefined, KINDS_EXPLAIN_SKIPS]) {
    const expected = await fullPath(data, skipKinds)
    const got = await skimmed(data, skipKinds)
    assert.deepEqual(got, expected, `${label}${skipKinds ? ' (explain kinds)' : ''}`)
    events += expected.events.length
  }
  return events
}

describe('binary journal skimming', () => {
  it('gives what building every entry gives: the fixtures (zstd, lz4, xz, compact, regular, damaged, truncated)', async () => {
    let events = 0
    for (const name of [...READABLE_FIXTURES, 'damaged', 'truncated']) events += await assertSame(fixture(name), name)
    // the fixtures tell a story of masks, sudo and reloads: the comparison is not between two empty lists
    assert.ok(events > 40, `${events} events`)
  })

  it('the public velociraptor journals', async () => {
    for (const name of ['system.journal', 'compact.journal', '2004.journal', '2404.journal'] as const) await assertSame(velociraptor(name), name)
  })

  it('files with bytes changed at random in their objects', async () => {
    const random = new Random(11)
    for (const name of ['system', 'lz4', 'regular'] as const) {
      const whole = fixture(name)
      const objectsStart = Number(whole.readBigUInt64LE(88))
      const used = Number(whole.readBigUInt64LE(96)) + objectsStart
      for (let m = 0; m < 25; m++) {
        const copy = Buffer.from(whole)
        for (let k = 0; k < 1 + (m % 4); k++) copy[random.int(objectsStart, used - 1)] = random.int(0, 255)
        await assertSame(copy, `${name} mutant ${m}`)
      }
    }
  })

  describe('look-alike entries written by systemd-journal-remote', () => {
    let dir = ''
    const BOOT = '6c7c6013a26343b29e964691ff25d04c'
    const OTHER = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
    let t = 0
    const entry = (fields: Record<string, unknown>, boot = BOOT): string =>
      JSON.stringify({ __REALTIME_TIMESTAMP: String(1_709_287_000_000_000 + ++t * 1000), __MONOTONIC_TIMESTAMP: String(t * 1000), _BOOT_ID: boot, _HOSTNAME: 'web1', ...fields })
    const noise = { _PID: '812', _COMM: 'nginx', SYSLOG_IDENTIFIER: 'nginx', MESSAGE: '192.0.2.7 - - "GET / HTTP/1.1" 200 2' }
    const pid1 = { _PID: '1', _COMM: 'systemd', SYSLOG_IDENTIFIER: 'systemd' }
    const sudo = { _PID: '2345', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo' }
    const lines = [
      entry(noise),
      entry({ ...noise, _PID: '99', _COMM: 'systemctl', MESSAGE: '\u001b[0;1;31mCreated symlink /etc/systemd/system/a.service → /dev/null.\u001b[0m' }),
      entry({ ...noise, MESSAGE: ['hello', 'Created symlink /etc/systemd/system/b.service → /dev/null.'] }),
      entry({ ...pid1, MESSAGE_ID: MESSAGE_IDS.jobStartFinished, UNIT: 'nginx.service', JOB_RESULT: 'done', MESSAGE: 'Started nginx.service.' }),
      entry({ ...pid1, MESSAGE_ID: MESSAGE_IDS.jobStartFailed, UNIT: 'web.service', JOB_RESULT: 'dependency', MESSAGE: 'Dependency failed for web.service.' }),
      entry({ ...pid1, MESSAGE_ID: MESSAGE_IDS.jobStopFinished, UNIT: 'nginx.service', MESSAGE: 'Stopped nginx.service.' }),
      entry({ ...pid1, MESSAGE: 'rsync.service: Cannot add dependency job, ignoring: Unit rsync.service is masked.' }),
      entry({ ...pid1, MESSAGE: 'Reloading requested from client PID 2101 (\'systemctl\') (unit session-3.scope)...' }),
      entry({ ...sudo, MESSAGE: '   al.i-ce : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/systemctl mask a' }),
      entry({ ...sudo, MESSAGE: '\talice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/systemctl mask b' }),
      entry({ ...sudo, MESSAGE: 'é : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/systemctl mask c' }, OTHER),
      entry({ _COMM: 'pkexec', MESSAGE: 'bob: Executing command [USER=root] [TTY=/dev/pts/0] [CWD=/] [COMMAND=/usr/bin/systemctl mask bluetooth]' }),
      entry({ _TRANSPORT: 'audit', _AUDIT_TYPE_NAME: 'USER_CMD', AUDIT_FIELD_CMD: 'systemctl mask cups.service', MESSAGE: 'no USER_CMD prefix here' }),
      entry({ _TRANSPORT: 'kernel', MESSAGE: 'Kernel command line: BOOT_IMAGE=/vmlinuz ro systemd.mask=cups.service' }, OTHER),
      entry({ ...noise, MESSAGE: `Created symlink /etc/systemd/system/${'x'.repeat(900)}.service → /dev/null.` }),
      entry({ ...noise, MESSAGE: `noise ${'y'.repeat(900)}` }),
      entry(noise, OTHER),
      entry(noise),
      entry({ _SYSTEMD_UNIT: 'user@1000.service', _COMM: 'systemd', MESSAGE_ID: MESSAGE_IDS.unitFailed, USER_UNIT: 'x.service', MESSAGE: 'x.service: Failed with result exit-code.' }),
    ]
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'maskwhy-skim-'))
      writeFileSync(join(dir, 'entries.json'), `${lines.join('\n')}\n`)
      await writeBinaryJournal(join(dir, 'entries.json'), join(dir, 'bin'), lines.length)
    })
    after(() => rmSync(dir, { recursive: true, force: true }))

    const written = (): Buffer => {
      const files = readdirSync(join(dir, 'bin'))
      assert.equal(files.length, 1, files.join(' '))
      return readFileSync(join(dir, 'bin', files[0]!))
    }

    it('same events: colour codes, repeated fields, jobs, sudo and pkexec shapes, audit, kernel, compressed fields, boots', async () => {
      const events = await assertSame(written(), 'look-alikes')
      assert.ok(events >= 20, `${events} events`)
    })

    it('same boots when entries of a seen boot go back in time (their headers rewritten here)', async () => {
      const data = written()
      const entries = entryOffsets(data)
      assert.equal(entries.length, lines.length)
      // the 18th entry (boot BOOT, seen since the first) now precedes every other; the 17th (OTHER) precedes OTHER's first
      for (const [k, back] of [[17, 5_000_000], [16, 3_000_000]] as const) {
        const at = entries[k]! + 24
        data.writeBigUInt64LE(data.readBigUInt64LE(at) - BigInt(back), at)
      }
      const full = await fullPath(data)
      const boots = full.events.filter((e) => e.kind === 'boot').map((e) => e.line)
      assert.deepEqual(boots, [18, 17], 'the boots start at the rewritten entries')
      await assertSame(data, 'time going back')
    })
  })

  describe('a generated journal written by systemd-journal-remote: many boots, hosts and look-alike messages', () => {
    let dir = ''
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'maskwhy-skim-'))
      await writeJournalJson(join(dir, 'journal.json'), { bytes: 3 * 1024 * 1024, seed: 21, host: 'web1' })
      await writeBinaryJournal(join(dir, 'journal.json'), join(dir, 'bin'), 2500)
    })
    after(() => rmSync(dir, { recursive: true, force: true }))

    it('same events and counts', async () => {
      let events = 0
      for (const f of readdirSync(join(dir, 'bin'))) events += await assertSame(readFileSync(join(dir, 'bin', f)), f)
      assert.ok(events > 10, `${events} events`)
    })
  })
})
