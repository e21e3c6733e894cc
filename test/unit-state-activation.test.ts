// What the unit-directory reader adds for the diagnoses: activation settings, the directives of the file an
// override or a mask hides (`shadowed`), and the generator programs in the copy.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { parseDirectives } from '../src/unit-state/directives.ts'
import { readUnitState } from '../src/unit-state.ts'
import { makeTree, snapshot } from './helpers/tree.ts'

describe('parseDirectives: activation settings', () => {
  it('[Socket] Service= and Accept=, [Timer]/[Path] Unit=, [Service] Sockets=; other sections and keys ignored', () => {
    const text = '[Socket]\nListenStream=22\nAccept=yes\nService=x.service\n[Timer]\nUnit=backup-run.service\n[Path]\nUnit=\n[Service]\nSockets=a.socket b.socket\nService=not-here.service\n[Install]\nUnit=nope\n'
    assert.deepEqual(parseDirectives(text), [
      { type: 'Accept', units: ['yes'], line: 3 },
      { type: 'Service', units: ['x.service'], line: 4 },
      { type: 'Unit', units: ['backup-run.service'], line: 6 },
      { type: 'Unit', units: [], line: 8 },
      { type: 'Sockets', units: ['a.socket', 'b.socket'], line: 10 },
    ])
  })
  it('a section or key named like an Object.prototype member is not a directive', () => {
    assert.deepEqual(parseDirectives('[constructor]\nname=x\n[Unit]\ntoString=y\nconstructor=z\n'), [])
  })
})

describe('readUnitState: shadowed files and generators', () => {
  it('reads the vendor file behind an etc/ copy and behind a mask, marked shadowed; lists generators; writes nothing', async () => {
    const root = makeTree({
      'lib/systemd/system/worker.service': '[Unit]\nWants=redis.service\n',
      'etc/systemd/system/worker.service': '[Unit]\nBindsTo=redis.service\n',
      'lib/systemd/system/ssh.socket': '[Socket]\nListenStream=22\nService=sshd-main.service\n',
      'etc/systemd/system/ssh.socket': { link: '/dev/null' },
      'lib/systemd/system/plain.service': '[Unit]\nRequires=db.service\n',
      'etc/systemd/system-generators/standby-guard': '#!/bin/sh\n',
      'etc/systemd/system-generators/disabled-one': { link: '/dev/null' },
      'lib/systemd/system-generators/systemd-fstab-generator': '\u007fELF',
    })
    try {
      const before = snapshot(root)
      const state = await readUnitState(root)
      const deps = state.dependencies.map((d) => `${d.from} ${d.type} ${d.to} @ ${d.source}${d.shadowed ? ' (shadowed)' : ''}`).sort()
      assert.deepEqual(deps, [
        'plain.service Requires db.service @ lib/systemd/system/plain.service:2',
        'ssh.socket Service sshd-main.service @ lib/systemd/system/ssh.socket:3 (shadowed)',
        'worker.service BindsTo redis.service @ etc/systemd/system/worker.service:2',
        'worker.service Wants redis.service @ lib/systemd/system/worker.service:2 (shadowed)',
      ])
      assert.deepEqual(state.generators, ['etc/systemd/system-generators/standby-guard', 'lib/systemd/system-generators/systemd-fstab-generator'])
      assert.deepEqual(snapshot(root), before)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
