// Discovery of kernel command lines in a copied root filesystem: proc/cmdline and etc/kernel/cmdline as single
// files (a copied proc/ is never walked), GRUB's grub.cfg and defaults by name.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync } from 'node:fs'
import { discoverEvidence } from '../src/discovery.ts'
import { makeTree } from './helpers/tree.ts'

describe('discovery: kernel command line files', () => {
  it('finds the command line files of a rootfs and nothing else under proc/, boot/ or etc/', async () => {
    const root = makeTree({
      'var/log/syslog': 'x\n',
      'proc/cmdline': 'ro quiet\n',
      'proc/1/cmdline': 'init\0',
      'proc/meminfo': 'MemTotal: 1 kB\n',
      'boot/grub/grub.cfg': 'menuentry x {\n}\n',
      'boot/grub/grubenv': '# GRUB Environment Block\n',
      'boot/grub2/grub.cfg': 'blscfg\n',
      'boot/vmlinuz-6.1.0-25-amd64': 'kernel',
      'etc/default/grub': 'GRUB_CMDLINE_LINUX=""\n',
      'etc/default/grub.d/50-cloudimg.cfg': 'GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0"\n',
      'etc/default/locale': 'LANG=C.UTF-8\n',
      'etc/kernel/cmdline': 'root=UUID=1 ro\n',
      'etc/kernel/postinst.d/zz-update-grub': '#!/bin/sh\n',
    })
    try {
      const { files, problems } = await discoverEvidence([root])
      assert.deepEqual(problems, [])
      assert.deepEqual(files.map((f) => f.path).sort(), [
        'boot/grub/grub.cfg',
        'boot/grub2/grub.cfg',
        'etc/default/grub',
        'etc/default/grub.d/50-cloudimg.cfg',
        'etc/kernel/cmdline',
        'proc/cmdline',
        'var/log/syslog',
      ])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
