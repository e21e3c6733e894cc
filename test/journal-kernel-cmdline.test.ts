// The kernel's `Command line:` message and systemctl's "masked via a generator" answer, from the journal and syslog.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import journalJson from '../parsers/journal-json.ts'
import { JournalRecogniser } from '../src/journal-entry.ts'
import { parseMaskRefusal } from '../src/messages.ts'
import { parseFile } from './helpers/parse.ts'

const SAMPLE = new URL('../samples/kernel-cmdline-mask/evidence/var/log/journal-export.json', import.meta.url).pathname
const at = { path: 'j', line: 1, parser: 'test' }
const entry = (fields: Record<string, string>) => ({ get: (k: string) => fields[k] })
const kernel = (message: string, boot = 'a41c7e2d9b3f4a6c8e1d5f7b2c9a0e13') => entry({ _TRANSPORT: 'kernel', SYSLOG_IDENTIFIER: 'kernel', _BOOT_ID: boot, __REALTIME_TIMESTAMP: '1725256801000114', MESSAGE: message })

describe('kernel command line in the journal', () => {
  it('the sample journal (systemd-journal-remote output): one event per boot although x86 logs it twice', async () => {
    const r = await parseFile(journalJson, SAMPLE, { path: 'var/log/journal-export.json' })
    const lines = r.events.filter((e) => e.kind === 'kernel-command-line')
    assert.deepEqual(
      lines.map((e) => (e.kind === 'kernel-command-line' ? `${e.line} ${e.origin} ${e.bootId} ${e.masks.join(',')}` : '')),
      [
        '2 kernel-log a41c7e2d9b3f4a6c8e1d5f7b2c9a0e13 ',
        '11 kernel-log c83d1f5a7e2b4c9d0a6e8f1b3d5c7e29 chrony.service',
        '19 kernel-log e5f7a9c1b3d24e6f8a0c2e4b6d8f1a37 chrony.service',
      ],
    )
    const refusals = r.events.filter((e) => e.kind === 'mask-refused').map((e) => (e.kind === 'mask-refused' ? `${e.line} ${e.operation} ${e.unit}` : ''))
    assert.deepEqual(refusals, ['15 unmask chrony.service', '16 start chrony.service'])
  })
  it('believed only from the kernel: the same text from a program is not a command line', () => {
    const r = new JournalRecogniser()
    assert.equal(r.entry(kernel('Command line: ro systemd.mask=a.service'), at).events[0]?.kind, 'kernel-command-line')
    const spoof = entry({ _TRANSPORT: 'stdout', SYSLOG_IDENTIFIER: 'kernel', _COMM: 'logger', MESSAGE: 'Command line: ro systemd.mask=b.service' })
    assert.deepEqual(new JournalRecogniser().entry(spoof, at).events, [])
  })
  it('a second, different "Kernel command line:" in the same boot is kept; a repeat is not', () => {
    const r = new JournalRecogniser()
    assert.equal(r.entry(kernel('Command line: ro'), at).events.length, 1)
    assert.equal(r.entry(kernel('Kernel command line: ro'), at).events.length, 0)
    assert.equal(r.entry(kernel('Kernel command line: ro bootconfig_added=1'), at).events.length, 1)
  })
  it('a syslog kernel: line (no _TRANSPORT) counts too, without a boot id', () => {
    const e = new JournalRecogniser().entry(entry({ SYSLOG_IDENTIFIER: 'kernel', MESSAGE: 'Kernel command line: BOOT_IMAGE=/vmlinuz systemd.mask=x' }), at).events[0]
    assert.ok(e?.kind === 'kernel-command-line')
    assert.deepEqual([e.bootId, e.masks], [null, ['x.service']])
  })
})

describe("systemctl's answer to unmasking a generator's mask", () => {
  it('v252 wording, and the later ", skipping" form', () => {
    assert.deepEqual(parseMaskRefusal('Unit nginx.service is masked via a generator and cannot be unmasked.'), { unit: 'nginx.service', operation: 'unmask', requested: null })
    assert.deepEqual(parseMaskRefusal('Unit nginx.service is masked via a generator and cannot be unmasked, skipping.')?.operation, 'unmask')
    assert.equal(parseMaskRefusal('Unit nginx.service is masked, ignoring.'), null)
  })
})
