import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import grubCfg from '../../parsers/grub-cfg.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseFile, parseText } from '../helpers/parse.ts'

const SAMPLE = new URL('../../samples/kernel-cmdline-mask/evidence/', import.meta.url).pathname

const entries = (events: MaskEvent[]): string[] =>
  events.map((e) => (e.kind === 'kernel-command-line' ? `${e.line} ${e.entry} | masks=${e.masks.join(',')}` : e.kind))

describe('grub-cfg parser', () => {
  it("grub-mkconfig's output (samples/kernel-cmdline-mask/make.sh): one event per linux line, with its menu path", async () => {
    const r = await parseFile(grubCfg, `${SAMPLE}boot/grub/grub.cfg`, { path: 'boot/grub/grub.cfg' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 217, linesParsed: 217, linesSkipped: 0, eventsKept: 5 })
    assert.deepEqual(entries(r.events), [
      '119 Debian GNU/Linux | masks=chrony.service',
      '137 Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux 6.1.0-25-amd64 | masks=chrony.service',
      '154 Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux 6.1.0-25-amd64 (recovery mode) | masks=',
      '171 Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux 6.1.0-23-amd64 | masks=chrony.service',
      '188 Advanced options for Debian GNU/Linux > Debian GNU/Linux, with Linux 6.1.0-23-amd64 (recovery mode) | masks=',
    ])
    const e = r.events[0]!
    assert.ok(e.kind === 'kernel-command-line')
    assert.deepEqual([e.origin, e.commandLine, e.timeUs], ['grub-cfg', 'root=/dev/vda1 ro  quiet systemd.mask=chrony.service', null])
    assert.equal(grubCfg.detect((await import('node:fs')).readFileSync(`${SAMPLE}boot/grub/grub.cfg`, 'utf8').slice(0, 65536)), true)
  })
  it('linuxefi (RHEL 7), double-quoted titles, a linux line outside any entry; BLS configs yield nothing', async () => {
    const text = [
      'menuentry "Rocky \\"8\\"" {',
      '  linuxefi /vmlinuz-4.18 root=/dev/sda2 systemd.mask=kdump.service',
      '}',
      'linux /vmlinuz rescue',
      'blscfg',
    ].join('\n')
    const r = await parseText(grubCfg, `${text}\n`, { path: 'boot/grub2/grub.cfg' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(entries(r.events), ['2 Rocky "8" | masks=kdump.service', '4 null | masks='])
  })
  it('does not claim other files', () => {
    assert.equal(grubCfg.detect('[Unit]\nDescription=x\n'), false)
    assert.equal(grubCfg.detect('menuentry is a word in this prose\n'), false)
  })
})
