/**
 * The report keeps package actions only as their digest (PackageHistory), yet its header still covers
 * every event: the time span, the events without a time and the hosts are those of all the events, as
 * collectEvents gives them when it keeps everything.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { reportCommand } from '../src/cli/report.ts'
import { collectEvents } from '../src/run.ts'
import { STATE_KINDS } from '../src/events.ts'
import { formatInstant } from '../src/time.ts'
import { writePackageLogs } from '../bench/generate-packages.ts'

describe('report with package actions as a digest', () => {
  let dir = ''
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maskwhy-report-digest-'))
    await writePackageLogs(join(dir, 'debian'), { family: 'debian', bytes: 300_000, seed: 11 })
    await writePackageLogs(join(dir, 'el'), { family: 'el', bytes: 300_000, seed: 11 })
    // Package actions at both ends of the evidence's time span: only the digest knows them.
    const edges = join(dir, 'edges', 'var/log')
    mkdirSync(edges, { recursive: true })
    // The first line belongs to no run; the last comes a year after its run started.
    writeFileSync(
      join(edges, 'dpkg.log'),
      [
        '2019-01-01 00:00:00 status installed nginx:amd64 0.9',
        '2030-01-02 03:04:05 startup archives unpack',
        '2030-01-02 03:04:05 install nginx:amd64 <none> 1.0',
        '2031-01-02 03:04:06 status installed nginx:amd64 1.0',
        '',
      ].join('\n'),
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const name of ['debian', 'el', 'edges']) {
    it(`shows the span, untimed count and hosts of every event (${name})`, async () => {
      const evidence = join(dir, name)
      const { events } = await collectEvents({ evidence: [evidence] })
      const timed = events.filter((e) => e.timeUs !== null).map((e) => e.timeUs!)
      const untimed = events.filter((e) => e.timeUs === null && !STATE_KINDS.includes(e.kind)).length
      assert.ok(events.some((e) => e.kind === 'package-action'), 'the evidence has package actions')
      const span = `${formatInstant(Math.min(...timed), 'UTC')} — ${formatInstant(Math.max(...timed), 'UTC')}`
      const out = await reportCommand({
        evidence: [evidence],
        output: null,
        format: 'markdown',
        generatedAt: '2026-01-01T00:00:00Z',
        unit: [],
        tz: null,
        displayTz: 'UTC',
        year: null,
        formatOf: [],
      })
      const lines = out.stdout.split('\n')
      assert.equal(
        lines.find((l) => l.startsWith('- **Evidence time span:**')),
        `- **Evidence time span:** ${span}${untimed ? ` (${untimed} event(s) without a time)` : ''}`,
      )
      const hosts = [...new Set(events.flatMap((e) => (e.host === null ? [] : [e.host])))].sort()
      assert.equal(lines.find((l) => l.startsWith('- **Hosts:**')), `- **Hosts:** ${hosts.length ? hosts.join(', ') : 'not named by the evidence'}`)
    })
  }
})
