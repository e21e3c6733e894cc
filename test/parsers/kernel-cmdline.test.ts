import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import kernelCmdline from '../../parsers/kernel-cmdline.ts'
import { masksOf, splitKernelCommandLine } from '../../src/formats/kernel-cmdline.ts'
import type { Parser } from '../../src/parser.ts'
import { parseFile, parseText } from '../helpers/parse.ts'

const SAMPLE = new URL('../../samples/kernel-cmdline-mask/evidence/', import.meta.url).pathname

describe('kernel command line grammar (src/formats/kernel-cmdline.ts)', () => {
  it('splits on whitespace, keeps quoted spaces, removes the quotes (kernel next_arg, systemd extract_first_word)', () => {
    assert.deepEqual(splitKernelCommandLine('BOOT_IMAGE=/vmlinuz ro  quiet acpi_osi="Windows 2020" "dyndbg=file x.c +p" single'), [
      { key: 'BOOT_IMAGE', value: '/vmlinuz' },
      { key: 'ro', value: null },
      { key: 'quiet', value: null },
      { key: 'acpi_osi', value: 'Windows 2020' },
      { key: 'dyndbg', value: 'file x.c +p' },
      { key: 'single', value: null },
    ])
  })
  it('systemd.mask= (main system) and rd.systemd.mask= (initrd only), mangled as systemd does; a bare key is ignored', () => {
    const m = masksOf('ro systemd.mask=chrony systemd.mask=foo.socket rd.systemd.mask=plymouth-start.service systemd.mask systemd.mask= systemd.mask=chrony.service')
    assert.deepEqual(m, { masks: ['chrony.service', 'foo.socket'], initrdMasks: ['plymouth-start.service'] })
  })
  it('the key is matched exactly (debug-generator uses streq, not the -/_ folding of other keys)', () => {
    assert.deepEqual(masksOf('systemd_mask=a.service systemd.masks=b.service Systemd.mask=c.service').masks, [])
  })
})

describe('kernel-cmdline parser', () => {
  it('proc/cmdline of the sample: one event, origin proc-cmdline, no time of its own', async () => {
    const r = await parseFile(kernelCmdline, `${SAMPLE}proc/cmdline`, { path: 'proc/cmdline' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 1, linesParsed: 1, linesSkipped: 0, eventsKept: 1 })
    assert.deepEqual(r.events[0], {
      kind: 'kernel-command-line',
      timeUs: null,
      timeBasis: 'unknown',
      timeZone: null,
      timeZoneSource: null,
      timeNote: 'the command line of the boot running when the evidence was copied (proc/cmdline); no time of its own',
      host: null,
      path: 'proc/cmdline',
      line: 1,
      cursor: null,
      parser: 'kernel-cmdline',
      text: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-25-amd64 root=/dev/vda1 ro quiet systemd.mask=chrony.service',
      origin: 'proc-cmdline',
      bootId: null,
      commandLine: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-25-amd64 root=/dev/vda1 ro quiet systemd.mask=chrony.service',
      masks: ['chrony.service'],
      initrdMasks: [],
      entry: null,
    })
  })
  it('etc/kernel/cmdline is kernel-install input; blank lines count, control characters are a diagnostic', async () => {
    const r = await parseText(kernelCmdline, 'root=UUID=1 ro systemd.mask=a.service\n\n\u0001\u0002binary\n', { path: 'etc/kernel/cmdline' })
    assert.deepEqual(r.counters, { linesRead: 3, linesParsed: 2, linesSkipped: 1, eventsKept: 1 })
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line]), [['RECORD_INVALID', 3]])
    const e = r.events[0]!
    assert.ok(e.kind === 'kernel-command-line')
    assert.deepEqual([e.origin, e.masks], ['kernel-install', ['a.service']])
  })
  it('is routed by path only: its content has no shape to sniff', () => {
    assert.equal((kernelCmdline as Parser).detect('BOOT_IMAGE=/vmlinuz ro quiet\n'), false)
    assert.ok(kernelCmdline.paths.some((p) => p.test('proc/cmdline')))
    assert.ok(kernelCmdline.paths.some((p) => p.test('sosreport-web1/proc/cmdline')))
    assert.ok(!kernelCmdline.paths.some((p) => p.test('proc/1/cmdline')))
  })
})
