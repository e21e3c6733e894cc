import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import grubDefault, { shellValue } from '../../parsers/grub-default.ts'
import type { MaskEvent } from '../../src/events.ts'
import { parseFile, parseText } from '../helpers/parse.ts'

const SAMPLE = new URL('../../samples/kernel-cmdline-mask/evidence/', import.meta.url).pathname

const lines = (events: MaskEvent[]): string[] =>
  events.map((e) => (e.kind === 'kernel-command-line' ? `${e.line} ${e.entry} [${e.commandLine}] masks=${e.masks.join(',')}` : e.kind))

describe('grub-default parser', () => {
  it("the sample's etc/default/grub (Debian's shipped file, one word added): both GRUB_CMDLINE_LINUX* lines", async () => {
    const r = await parseFile(grubDefault, `${SAMPLE}etc/default/grub`, { path: 'etc/default/grub' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 39, linesParsed: 39, linesSkipped: 0, eventsKept: 2 })
    assert.deepEqual(lines(r.events), [
      '9 GRUB_CMDLINE_LINUX_DEFAULT [quiet systemd.mask=chrony.service] masks=chrony.service',
      '10 GRUB_CMDLINE_LINUX [] masks=',
    ])
    const e = r.events[0]!
    assert.ok(e.kind === 'kernel-command-line')
    assert.deepEqual([e.origin, e.timeUs, e.timeNote], ['grub-default', null, 'what the next update-grub/grub2-mkconfig writes into grub.cfg (etc/default/grub); no time of its own'])
  })
  it('shell quoting: single, double with escapes, bare words, export, $VAR kept as written, a quote spanning lines', async () => {
    const text = [
      "export GRUB_CMDLINE_LINUX='systemd.mask=a.service'",
      'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT systemd.mask=\\"b\\""  # appended by cloud-init',
      'GRUB_CMDLINE_LINUX_RECOVERY=single',
      'GRUB_CMDLINE_LINUX="console=ttyS0',
      ' systemd.mask=c.service"',
      'GRUB_TIMEOUT=5',
    ].join('\n')
    const r = await parseText(grubDefault, `${text}\n`, { path: 'etc/default/grub.d/50-cloudimg.cfg' })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(r.counters, { linesRead: 6, linesParsed: 6, linesSkipped: 0, eventsKept: 4 })
    assert.deepEqual(lines(r.events), [
      '1 GRUB_CMDLINE_LINUX [systemd.mask=a.service] masks=a.service',
      '2 GRUB_CMDLINE_LINUX_DEFAULT [$GRUB_CMDLINE_LINUX_DEFAULT systemd.mask="b"] masks=b.service',
      '3 GRUB_CMDLINE_LINUX_RECOVERY [single] masks=',
      '4 GRUB_CMDLINE_LINUX [console=ttyS0\n systemd.mask=c.service] masks=c.service',
    ])
  })
  it('an unterminated quote is one diagnostic for all its lines; the run goes on', async () => {
    const r = await parseText(grubDefault, 'GRUB_CMDLINE_LINUX="quiet\nGRUB_TIMEOUT=5\n', { path: 'etc/default/grub' })
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line]), [['RECORD_UNTERMINATED', 1]])
    assert.deepEqual(r.counters, { linesRead: 2, linesParsed: 0, linesSkipped: 2, eventsKept: 0 })
  })
  it('shellValue stops at an unquoted blank, ; or #, and says when a quote is still open', () => {
    assert.equal(shellValue('"a b" c'), 'a b')
    assert.equal(shellValue('a;b'), 'a')
    assert.equal(shellValue("'open"), null)
  })
  it('detects a GRUB defaults file by content, not a random shell script', () => {
    assert.equal(grubDefault.detect('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=""\n'), true)
    assert.equal(grubDefault.detect('#!/bin/sh\necho GRUB_CMDLINE_LINUX=\nrm -rf /tmp/x\n'), false)
  })
})
