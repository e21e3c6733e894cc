/**
 * The journal-json prefilter parses only the lines that can matter; these tests hold it to the full
 * path (JSON.parse of every line): the same events on real exports, on generated bench data, on lines
 * built to fool a byte search (escapes, spacing, field order, duplicate keys, nested objects, byte
 * arrays, clocks that go back), on fuzz-mutated inputs and the fuzz regressions; whatever the chunk
 * boundaries, whether read from a stream, from the file, or by worker threads over byte ranges.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { parseAll, parseJournalJson } from '../parsers/journal-json.ts'
import type { Diagnostic } from '../src/diagnostics.ts'
import type { EventKind, MaskEvent } from '../src/events.ts'
import { MESSAGE_IDS, RECOGNISABLE } from '../src/journal-entry.ts'
import { JsonLinePrefilter } from '../src/journal/json-prefilter.ts'
import { readLines } from '../src/lines.ts'
import type { ParallelOptions } from '../src/journal/json-parallel.ts'
import { writeJournalJson } from '../bench/generate-journal.ts'
import { applyByteMutations, applyLineMutations, byteMutationArb, joinLines, lineMutationArb, splitLines } from './property/mutate.ts'
import { SHARED } from './helpers/parse.ts'

const REPO = new URL('../', import.meta.url).pathname

interface Result {
  events: MaskEvent[]
  diagnostics: Pick<Diagnostic, 'code' | 'line' | 'message' | 'excerpt'>[]
  counters: { linesRead: number; linesParsed: number; linesSkipped: number; eventsKept: number }
}

interface How {
  /** Every line through JSON.parse (the reference). */
  full?: boolean
  /** Stream chunk size (default: whole input as one chunk). */
  chunk?: number
  /** Read as a plain file from this path (positional reads), with this many jobs. */
  file?: string
  jobs?: number
  parallel?: ParallelOptions
  /** Event kinds the run drops (explain drops unit starts and stops). */
  skipKinds?: ReadonlySet<EventKind>
}

async function run(data: Buffer, how: How = {}): Promise<Result> {
  const events: MaskEvent[] = []
  const diagnostics: Result['diagnostics'] = []
  const counters = { linesRead: 0, linesParsed: 0, linesSkipped: 0, eventsKept: 0 }
  const chunk = Math.max(1, how.chunk ?? data.length)
  const chunks = (): Buffer[] => {
    const out: Buffer[] = []
    for (let i = 0; i < data.length; i += chunk) out.push(data.subarray(i, i + chunk))
    return out
  }
  const ctx = {
    path: 'journal.json',
    localZone: { zone: 'UTC', source: 'test' },
    fileMtimeUs: null,
    yearHint: null,
    jobs: how.jobs ?? 1,
    ...(how.skipKinds !== undefined && { skipKinds: how.skipKinds }),
    warn(code: Diagnostic['code'], line: number | null, message: string, excerpt?: string) {
      diagnostics.push({ code, line, message, excerpt: excerpt ?? null })
    },
    warnAt() {},
  }
  const count = {
    line(parsed: boolean) {
      counters.linesRead++
      if (parsed) counters.linesParsed++
      else counters.linesSkipped++
    },
  }
  const file = how.file
  const input = {
    lines: () => readLines(chunks()),
    bytes: () => Readable.from(chunks()),
    randomAccess: async () => {
      throw new Error('not used')
    },
    plainFile: () => (file === undefined ? null : { path: file, size: data.length, consumed() {} }),
  }
  const parse = how.full === true ? parseAll(input, ctx, count) : parseJournalJson(input, ctx, count, how.parallel ?? {})
  for await (const e of parse) {
    events.push(e)
    counters.eventsKept++
  }
  return { events, diagnostics, counters }
}

/** Lines the prefilter keeps, with every boot already seen at time 0: the lines kept for what they say. */
function keptForContent(data: Buffer): Set<number> {
  const kept = new Set<number>()
  const block = data[data.length - 1] === 0x0a ? data : Buffer.concat([data, Buffer.from('\n')])
  new JsonLinePrefilter({ bootFirstUs: () => 0 }).scan(block, (_s, _e, index) => {
    kept.add(index + 1)
    return false
  })
  return kept
}

const fixture = (path: string): Buffer => readFileSync(join(REPO, path))

// A realistic record to dress up: PID 1 finishing a job, a sudo mask, plain noise.
const BOOT = '6c7c6013a26343b29e964691ff25d04c'
const OTHER_BOOT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
function record(fields: Record<string, unknown>, t: number, boot = BOOT, seq = t): Record<string, unknown> {
  return {
    __CURSOR: `s=90078af787ea4f1d99ac758a5277ea6c;i=${seq.toString(16)};b=${boot};m=1;t=${t.toString(16)};x=1`,
    __REALTIME_TIMESTAMP: String(1_709_287_000_000_000 + t),
    _BOOT_ID: boot,
    _HOSTNAME: 'web1',
    ...fields,
  }
}
const noise = { _PID: '812', _COMM: 'nginx', SYSLOG_IDENTIFIER: 'nginx', MESSAGE: '192.0.2.7 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 2' }
const jobDone = { _PID: '1', _COMM: 'systemd', MESSAGE_ID: MESSAGE_IDS.jobStartFinished, UNIT: 'nginx.service', JOB_RESULT: 'done', MESSAGE: 'Started nginx.service.' }
const sudoMask = { _PID: '2345', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', MESSAGE: 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl mask nginx.service' }
const linkMask = { _PID: '99', _COMM: 'systemctl', _SYSTEMD_UNIT: 'cloud-final.service', MESSAGE: 'Created symlink /etc/systemd/system/cups.service → /dev/null.' }
const json = (r: Record<string, unknown>): string => JSON.stringify(r)
/** journalctl's own escaping of one key (never done by journalctl, valid JSON all the same). */
const escapeKey = (line: string, key: string): string => line.replace(`"${key}"`, `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`)

/** Lines built to fool a byte search; each must come out exactly as JSON.parse sees it. */
const TRICKY: [string, string[]][] = [
  ['noise only', [json(record(noise, 1)), json(record(noise, 2))]],
  ['spaced keys (old systemd)', [json(record(noise, 1)).replace(/":"/g, '" : "').replace(/^\{/, '{ '), json(record(sudoMask, 2)).replace(/":"/g, '" : "')]],
  ['escaped MESSAGE key', [json(record(noise, 1)), escapeKey(json(record(sudoMask, 2)), 'MESSAGE')]],
  ['escaped MESSAGE_ID key', [json(record(noise, 1)), escapeKey(json(record(jobDone, 2)), 'MESSAGE_ID')]],
  ['escaped _BOOT_ID key with a new boot', [json(record(noise, 1)), escapeKey(json(record(noise, 2, OTHER_BOOT)), '_BOOT_ID')]],
  ['escaped letter in a keyword', [json(record(noise, 1)), json(record(linkMask, 2)).replace('Created symlink', 'Created\\u0020symlink')]],
  ['colour codes around a keyword', [json(record(noise, 1)), json(record({ ...linkMask, MESSAGE: '\u001b[0;1;31mCreated symlink /etc/systemd/system/a.service → /dev/null.\u001b[0m' }, 2))]],
  ['MESSAGE as a byte array', [json(record(noise, 1)), json(record({ ...linkMask, MESSAGE: [...Buffer.from('Created symlink /etc/systemd/system/b.service → /dev/null.')] }, 2))]],
  ['MESSAGE as an array of strings', [json(record({ ...linkMask, MESSAGE: ['Created symlink /etc/systemd/system/c.service → /dev/null.', 'x'] }, 1))]],
  ['MESSAGE_ID as a byte array', [json(record({ ...jobDone, MESSAGE_ID: [...Buffer.from(MESSAGE_IDS.jobStartFinished)] }, 1))]],
  ['duplicate MESSAGE keys, the last one counts', [json(record(noise, 1)).replace('"MESSAGE":', `"MESSAGE":"hello","MESSAGE":`), `${json(record(noise, 2)).slice(0, -1)},"MESSAGE":"Created symlink /etc/systemd/system/d.service → /dev/null."}`]],
  ['duplicate _BOOT_ID keys, the last one counts', [json(record(noise, 1)), `${json(record(noise, 2)).slice(0, -1)},"_BOOT_ID":"${OTHER_BOOT}"}`]],
  ['a new boot, then a seen one in a nested object', [json(record(noise, 1)), json({ ...record(noise, 2, OTHER_BOOT), X: { _BOOT_ID: BOOT } })]],
  ['an earlier time in a duplicate key', [json(record(noise, 5)), `${json(record(noise, 6)).slice(0, -1)},"__REALTIME_TIMESTAMP":"1709287000000001"}`]],
  ['nested object holding a time', [json(record(noise, 5)), json({ ...record(noise, 6), __REALTIME_TIMESTAMP: undefined, X: { __REALTIME_TIMESTAMP: '1709287000000009' }, _SOURCE_REALTIME_TIMESTAMP: '1709287000000001' })]],
  ['the clock steps back within a boot', [json(record(noise, 50)), json(record(noise, 60)), json(record(noise, 10)), json(record(noise, 70))]],
  ['a boot whose first entries have no time', [json({ ...record(noise, 1), __REALTIME_TIMESTAMP: undefined }), json(record(noise, 3)), json(record(noise, 2))]],
  ['_SOURCE_REALTIME_TIMESTAMP only', [json(record(noise, 9)), json({ ...record(noise, 10), __REALTIME_TIMESTAMP: undefined, _SOURCE_REALTIME_TIMESTAMP: '1709287000000001' })]],
  ['time as a number, null, too long', [json(record(noise, 9)), json({ ...record(noise, 1), __REALTIME_TIMESTAMP: 1709287000000001 }), json({ ...record(noise, 1), __REALTIME_TIMESTAMP: null }), json({ ...record(noise, 1), __REALTIME_TIMESTAMP: '17092870000000010' })]],
  ['boots interleaved', [json(record(noise, 1)), json(record(noise, 2, OTHER_BOOT)), json(record(noise, 0)), json(record(noise, 1, OTHER_BOOT)), json(record(noise, 3))]],
  ['a boot id in upper case, or short', [json(record(noise, 1, BOOT.toUpperCase())), json(record(noise, 2, 'abc'))]],
  ['audit USER_CMD', [json(record({ _TRANSPORT: 'audit', _AUDIT_TYPE_NAME: 'USER_CMD', AUDIT_FIELD_CMD: 'systemctl mask cups.service', MESSAGE: "USER_CMD pid=1 uid=0 auid=1000 ses=3 msg='cmd=73797374656D63746C res=success'" }, 1))]],
  ['pkexec and PID 1 dependency shapes', [json(record({ _COMM: 'pkexec', MESSAGE: 'bob: Executing command [USER=root] [TTY=/dev/pts/0] [CWD=/] [COMMAND=/usr/bin/systemctl mask bluetooth]' }, 1)), json(record({ _PID: '1', MESSAGE: 'rsync.service: Cannot add dependency job, ignoring: Unit rsync.service is masked.' }, 2))]],
  ['sudo with leading space and a user with odd characters', [json(record({ ...sudoMask, MESSAGE: '   al.i-ce\\x : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/systemctl mask a' }, 1)), json(record({ ...sudoMask, MESSAGE: '\talice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/systemctl mask b' }, 2)), json(record({ ...sudoMask, MESSAGE: 'é : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/systemctl mask c' }, 3))]],
  ['kernel command line with systemd.mask', [json(record({ _TRANSPORT: 'kernel', MESSAGE: 'Kernel command line: BOOT_IMAGE=/vmlinuz ro systemd.mask=cups.service' }, 1))]],
  ['json-pretty, json-seq, json-sse framing', ['{', ...json(record(linkMask, 1)).slice(1, -1).split(',').map((m) => `\t${m},`).map((l, i, a) => (i === a.length - 1 ? l.slice(0, -1) : l)), '}', `\x1e${json(record(sudoMask, 2))}`, `data: ${json(record(jobDone, 3))}`, '', 'id: 7']],
  ['CRLF, BOM, blank and broken lines', [`\ufeff${json(record(noise, 1))}\r`, `${json(record(sudoMask, 2))}\r`, '', '{"MESSAGE": oops}', json(record(noise, 3)).slice(0, 80), '[1,2]']],
]

describe('journal-json prefilter', () => {
  let dir = ''
  let generated = Buffer.alloc(0)
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maskwhy-prefilter-'))
    await writeJournalJson(join(dir, 'generated.json'), { bytes: 3 * 1024 * 1024, seed: 7, host: 'web1' })
    generated = readFileSync(join(dir, 'generated.json'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const corpora = (): [string, Buffer][] => {
    const list: [string, Buffer][] = [
      ['test/fixtures/journal/journal.json', fixture('test/fixtures/journal/journal.json')],
      ['test/fixtures/journal/journal.json-seq', fixture('test/fixtures/journal/journal.json-seq')],
      ['test/fixtures/journal/journal.pretty.json', fixture('test/fixtures/journal/journal.pretty.json')],
      ...readdirSync(join(REPO, 'samples'))
        .map((s) => `samples/${s}/evidence/var/log/journal-export.json`)
        .filter((p) => existsSync(join(REPO, p)))
        .map((p): [string, Buffer] => [p, fixture(p)]),
      ['generated 3 MB (bench/generate-journal.ts, seed 7)', generated],
      ...TRICKY.map(([name, lines]): [string, Buffer] => [name, Buffer.from(`${lines.join('\n')}\n`)]),
    ]
    const lnav = `${SHARED}corpus/public/lnav/logfile_journald.json`
    if (existsSync(lnav)) list.push(['lnav corpus', readFileSync(lnav)])
    return list
  }

  it('gives exactly what the full path gives: events, diagnostics, counts', async () => {
    for (const [name, data] of corpora()) {
      const full = await run(data, { full: true })
      assert.deepEqual(await run(data), full, name)
      assert.deepEqual(await run(data, { chunk: 4093 }), full, `${name}, 4093-byte chunks`)
    }
  })

  it('when the run drops unit starts and stops, gives the full path\'s other events (and reads fewer lines)', async () => {
    const skipKinds: ReadonlySet<EventKind> = new Set(['unit-started', 'unit-stopped', 'unit-failed'])
    const others = (r: Result): MaskEvent[] => r.events.filter((e) => !skipKinds.has(e.kind))
    for (const [name, data] of corpora()) {
      const full = await run(data, { full: true })
      assert.deepEqual(others(await run(data, { skipKinds })), others(full), name)
      assert.deepEqual(others(await run(data, { skipKinds, chunk: 4093 })), others(full), `${name}, 4093-byte chunks`)
    }
    const path = join(dir, 'generated.json')
    const full = await run(generated, { full: true })
    const lean = await run(generated, { file: path, jobs: 2, skipKinds, parallel: { minBytes: 0, rangeBytes: 256 * 1024 } })
    assert.deepEqual(others(lean), others(full))
    // the job lines were not parsed: far fewer job events come out than the full path finds
    const jobs = (r: Result): number => r.events.length - others(r).length
    assert.ok(jobs(full) > 20 && jobs(lean) < jobs(full) / 4, `${jobs(lean)} of ${jobs(full)} job events`)
  })

  it('the tricky cases produce what they are about (the test can fail)', async () => {
    const kinds = async (i: number): Promise<string[]> => (await run(Buffer.from(`${TRICKY[i]![1].join('\n')}\n`), { full: true })).events.map((e) => e.kind)
    assert.deepEqual(await kinds(3), ['unit-started', 'boot'])
    assert.deepEqual(await kinds(5), ['unit-masked', 'boot'])
    assert.deepEqual(await kinds(10), ['unit-masked', 'boot'])
    const stepBack = await run(Buffer.from(`${TRICKY.find(([n]) => n.startsWith('the clock steps back'))![1].join('\n')}\n`))
    assert.equal(stepBack.events.find((e) => e.kind === 'boot')?.line, 3)
  })

  it('skips most of a realistic journal', async () => {
    const lines = generated.toString('latin1').split('\n').length - 1
    const kept = keptForContent(generated).size
    assert.ok(kept / lines < 0.05, `kept ${kept} of ${lines}`)
  })

  it('keeps the line of every event the recogniser finds (RECOGNISABLE is in step with it)', async () => {
    for (const [name, data] of corpora()) {
      const kept = keptForContent(data)
      const full = await run(data, { full: true })
      for (const e of full.events) {
        if (e.kind === 'boot' || data.toString('latin1').split('\n')[e.line - 1]?.trim() === '{') continue
        assert.ok(kept.has(e.line), `${name}: line ${e.line} (${e.kind}) was not kept: ${e.text}`)
      }
    }
    assert.ok(RECOGNISABLE.messagePrefixes.length > 0)
  })

  it('reads a plain file by positional reads, and by worker threads over byte ranges, to the same result', async () => {
    const path = join(dir, 'generated.json')
    const full = await run(generated, { full: true })
    assert.deepEqual(await run(generated, { file: path }), full)
    assert.deepEqual(await run(generated, { file: path, jobs: 2, parallel: { minBytes: 0, rangeBytes: 256 * 1024 } }), full)
    const tricky = Buffer.from(`${TRICKY.flatMap(([, lines]) => lines).join('\n')}\n`.repeat(40))
    const trickyPath = join(dir, 'tricky.json')
    writeFileSync(trickyPath, tricky)
    const trickyFull = await run(tricky, { full: true })
    assert.deepEqual((await run(tricky, { file: trickyPath, jobs: 3, parallel: { minBytes: 0, rangeBytes: 4096 } })).events, trickyFull.events)
  })

  it('gives the same events on fuzz-mutated inputs; it may diagnose less, never more', async () => {
    const seeds = corpora().filter(([name]) => !name.startsWith('generated'))
    const pool = { lines: seeds.flatMap(([, d]) => d.toString('latin1').split('\n').slice(0, 3).map((l) => Buffer.from(l, 'latin1'))) }
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(byteMutationArb, { maxLength: 4 }),
        fc.array(lineMutationArb, { maxLength: 4 }),
        fc.integer({ min: 1, max: 5000 }),
        async (which, bytes, lines, chunk) => {
          const data = applyByteMutations(joinLines(applyLineMutations(splitLines(seeds[which]![1]), lines, pool)), bytes, pool)
          const full = await run(data, { full: true })
          const fast = await run(data, { chunk })
          assert.deepEqual(fast.events, full.events)
          assert.equal(fast.counters.linesRead, full.counters.linesRead)
          for (const d of fast.diagnostics) assert.ok(full.diagnostics.some((f) => f.line === d.line && f.code === d.code), JSON.stringify(d))
        },
      ),
      { seed: 20241124, numRuns: 300 },
    )
  })

  it('gives the same events on every journal-json input the fuzz campaign kept (test/fixtures/fuzz-regressions)', async () => {
    const folder = join(REPO, 'test/fixtures/fuzz-regressions')
    const cases = existsSync(folder) ? readdirSync(folder).filter((f) => f.startsWith('journal-json') && f.endsWith('.json')) : []
    for (const file of cases) {
      const stored = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { input: string }
      const data = Buffer.from(stored.input, 'base64')
      assert.deepEqual((await run(data)).events, (await run(data, { full: true })).events, file)
    }
  })
})
