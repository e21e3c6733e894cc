// An unpacked sosreport as evidence: recognised, read where it holds evidence, explained.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { runExplain } from '../src/cli/explain.ts'
import { discoverEvidence, looksLikeRootfs, looksLikeSosreport, type EvidenceFile } from '../src/discovery.ts'
import { collectEvents } from '../src/run.ts'
import { parseDateUtc, sosCollectedAt } from '../src/sos/collected-at.ts'
import { supersededJournalText } from '../src/sos/journal-text.ts'
import { PARSERS } from '../parsers/index.ts'
import type { Parser } from '../src/parser.ts'
import { formatInstant } from '../src/time.ts'
import { makeTree, snapshot, type TreeSpec } from './helpers/tree.ts'

const JOURNALCTL = new URL('./fixtures/journalctl/', import.meta.url).pathname
const WHOLE = readFileSync(`${JOURNALCTL}short.v252.txt`)
const THIS_BOOT = readFileSync(`${JOURNALCTL}boot.v252.txt`)
const LISTING = ['UNIT FILE          STATE           PRESET', 'cups.service       disabled        enabled', 'nginx.service      masked          enabled', 'ssh.service        enabled         enabled', '', '3 unit files listed.', ''].join('\n')

/** The files sos 4 writes, by their real names; the copy has the vendor unit file but not etc/systemd/system. */
const SOSREPORT: TreeSpec = {
  'version.txt': 'sosreport: 4.5.6',
  hostname: { link: 'sos_commands/host/hostname' },
  'sos_commands/host/hostname': 'web1\n',
  'sos_commands/date/date_--utc': 'Mon Mar  4 08:00:01 UTC 2024\n',
  'sos_commands/systemd/systemctl_list-unit-files': LISTING,
  'sos_commands/systemd/systemctl_status_--all': '● nginx.service\n     Loaded: masked (Reason: Unit nginx.service is masked.)\n',
  'sos_commands/logs/journalctl_--no-pager': WHOLE,
  'sos_commands/logs/journalctl_--no-pager_--boot': THIS_BOOT,
  'sos_commands/logs/journalctl_--disk-usage': 'Archived and active journals take up 8.0M in the file system.\n',
  'sos_reports/manifest.json': '{"version": "4.5.6"}\n',
  'sos_logs/sos.log': '2024-03-04 08:00:01,123 INFO: [sos.report:setup] executing \'sos report\'\n',
  'etc/localtime': { link: '../usr/share/zoneinfo/Europe/Berlin' },
  'etc/hostname': 'web1\n',
  'lib/systemd/system/nginx.service': '[Unit]\nDescription=nginx\n[Service]\nExecStart=/usr/sbin/nginx\n',
}

describe('sosreport: layout', () => {
  it('is recognised by sos_commands/ beside etc/ or var/, and only its evidence is read', async () => {
    const root = makeTree(SOSREPORT)
    assert.equal(await looksLikeSosreport(root), true)
    assert.equal(await looksLikeRootfs(root), true)
    const { files, problems } = await discoverEvidence([root])
    assert.deepEqual(problems, [])
    // not sos_logs, sos_reports, version.txt, the top-level links, --disk-usage or systemctl status
    assert.deepEqual(files.map((f) => f.path), [
      'sos_commands/logs/journalctl_--no-pager',
      'sos_commands/logs/journalctl_--no-pager_--boot',
      'sos_commands/systemd/systemctl_list-unit-files',
    ])
    assert.equal(await looksLikeSosreport(makeTree({ 'sos_commands/x': 'y', 'notes.txt': 'z' })), false)
  })

  it('the collection time comes from date --utc', async () => {
    assert.equal(parseDateUtc('Mon Mar  4 08:00:01 UTC 2024\n'), Date.UTC(2024, 2, 4, 8, 0, 1) * 1000)
    assert.equal(parseDateUtc('Mon Mar  4 09:00:01 CET 2024\n'), null)
    assert.equal(parseDateUtc('Mon Feb 30 08:00:01 UTC 2024\n'), null)
    assert.deepEqual(await sosCollectedAt(makeTree(SOSREPORT)), { us: Date.UTC(2024, 2, 4, 8, 0, 1) * 1000, source: 'sos_commands/date/date_--utc' })
    assert.equal(await sosCollectedAt(makeTree({ 'sos_commands/date/date_--utc': { link: '/etc/passwd' } })), null)
  })
})

describe('sosreport: reading it', () => {
  it('reads the listing and the journal text once, in the machine zone, dated by the collection even when mtimes were reset', async () => {
    const root = makeTree(SOSREPORT)
    const logs = join(root, 'sos_commands/logs')
    // an unzip or a git checkout resets mtimes: the year must not come from them
    for (const name of readdirSync(logs)) utimesSync(join(logs, name), new Date('2031-06-01'), new Date('2031-06-01'))
    const before = snapshot(root)
    const c = await collectEvents({ evidence: [root] })
    assert.deepEqual(snapshot(root), before, 'nothing in the evidence changed')
    assert.deepEqual(c.zones, [{ evidence: '.', zone: 'Europe/Berlin', source: 'etc/localtime → ../usr/share/zoneinfo/Europe/Berlin' }])
    assert.deepEqual(
      c.inventory.map((r) => `${r.path} ${r.parser} ${r.status} ${r.linesRead}/${r.linesSkipped} ${r.eventsKept}`),
      [
        'sos_commands/logs/journalctl_--no-pager syslog parsed 12/0 6',
        'sos_commands/logs/journalctl_--no-pager_--boot syslog parsed 2/0 1',
        'sos_commands/systemd/systemctl_list-unit-files systemctl-list-unit-files parsed 6/0 3',
      ],
    )
    // the last boot's "Started ssh.service" is in both text copies: kept once, from the whole journal
    assert.equal(c.duplicatesDropped, 1)
    const started = c.events.filter((e) => e.kind === 'unit-started')
    assert.deepEqual(started.map((e) => `${e.path}:${e.line} ${formatInstant(e.timeUs)}`), [
      'sos_commands/logs/journalctl_--no-pager:1 2023-12-31T22:59:58.000000Z',
      'sos_commands/logs/journalctl_--no-pager:12 2024-03-02T06:00:14.000000Z',
    ])
    assert.match(started[1]!.timeNote ?? '', /written when the evidence was collected \(2024-03-04, Europe\/Berlin; sos_commands\/date\/date_--utc\)/)
    assert.deepEqual(c.diagnostics.examples, [])
  })

  it('explain: the mask only the listing shows (etc/ not in the copy), who made it from the journal text', async () => {
    const { units } = await runExplain({ evidence: [makeTree(SOSREPORT)], unit: [], tz: null, year: null, formatOf: [] })
    const byUnit = Object.fromEntries(units.map((x) => [x.unit, x]))
    const nginx = byUnit['nginx.service']!
    assert.deepEqual(
      [nginx.state, nginx.stateFrom, nginx.path, nginx.cause, nginx.confidence, nginx.actor, formatInstant(nginx.maskedAtUs)],
      ['masked', 'listing', null, 'admin-command', 'high', 'alice (as root) via sudo on pts/0', '2024-03-01T10:02:13.000000Z'],
    )
    assert.deepEqual(nginx.evidence.slice(0, 2).map((e) => `${e.path}:${e.line}`), [
      'sos_commands/systemd/systemctl_list-unit-files:3',
      'sos_commands/logs/journalctl_--no-pager:5',
    ])
    assert.match(nginx.conflicts[0] ?? '', /hold only lib\/systemd\/system\/nginx\.service \(not a mask\): the mask sits in a directory the copy lacks; the listing decides/)
    // cups was masked by a unit's script in the journal text, but the listing (later) says "disabled"
    const cups = byUnit['cups.service']!
    assert.deepEqual([cups.state, cups.stateFrom], ['not-masked', 'listing'])
    assert.match(cups.conflicts[0] ?? '', /unmasked later without a trace in these logs; the listing wins/)
  })
})

describe('sosreport: journal text beside the binary journal (sos report --all-logs)', () => {
  const file = (path: string, root: string | null = '/ev'): EvidenceFile =>
    ({ path, absPath: `/ev/${path}`, basePath: path, compression: null, size: 1, explicit: false, mtimeUs: 0, root }) as EvidenceFile

  it('the text is superseded when the binary journal files will be read, and only then', () => {
    const files = [
      file('sos_commands/logs/journalctl_--no-pager'),
      file('sos_commands/logs/journalctl_--no-pager_--boot_-1'),
      file('var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system.journal'),
      file('sos_commands/logs/journalctl_--no-pager', null),
    ]
    assert.deepEqual([...supersededJournalText(files, () => true)], [
      ['sos_commands/logs/journalctl_--no-pager', 'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system.journal'],
      ['sos_commands/logs/journalctl_--no-pager_--boot_-1', 'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system.journal'],
    ])
    assert.deepEqual([...supersededJournalText(files, () => false)], [])
  })

  it('in a real run, the inventory says "superseded" with an INPUT_SUPERSEDED note, and the binary journal is what is read', async () => {
    const journal = 'var/log/journal/5f1c0d8e2a7b4c39a0e6b1d2c3f4a5b6/system.journal'
    const readsBinary = (Object.values(PARSERS) as Parser[]).some((p) => p.paths.some((re) => re.test(journal)))
    const root = makeTree({ ...SOSREPORT, [journal]: Buffer.from('LPKSHHRH') })
    const c = await collectEvents({ evidence: [root] })
    const text = c.inventory.find((r) => r.path === 'sos_commands/logs/journalctl_--no-pager')!
    const binary = c.inventory.find((r) => r.path === journal)!
    if (readsBinary) {
      assert.deepEqual([text.status, text.linesRead, binary.status], ['superseded', 0, 'parsed'])
      const note = c.diagnostics.examples.find((d) => d.code === 'INPUT_SUPERSEDED' && d.path === text.path)
      assert.deepEqual([note?.severity, note?.message], ['info', `journalctl text not read: the evidence has the binary journal (${journal}), with every field and cursor`])
    } else {
      assert.deepEqual([text.status, binary.status], ['parsed', 'unrecognised'])
    }
  })
})
