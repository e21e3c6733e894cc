import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseUnitCommands, splitWords } from '../src/commands.ts'

describe('command lines that change unit state', () => {
  const cases: [string, string[]][] = [
    ['/usr/bin/systemctl mask nginx.service', ['systemctl mask nginx.service []']],
    ['systemctl mask nginx', ['systemctl mask nginx.service []']],
    ['/bin/systemctl --runtime mask --now a.socket b', ['systemctl mask a.socket,b.service [--runtime --now]']],
    ['systemctl --user mask pipewire', ['systemctl mask pipewire.service [--user]']],
    ['systemctl -M container1 unmask x.timer', ['systemctl unmask x.timer [-M container1]']],
    ['systemctl --root=/mnt mask foo', ['systemctl mask foo.service [--root=/mnt]']],
    ['systemctl daemon-reload', ['systemctl daemon-reload  []']],
    ['systemctl status nginx', []],
    ['sudo -u root systemctl disable --now cups', ['systemctl disable cups.service [--now]']],
    ['env SYSTEMD_PAGER= systemctl enable foo.service', ['systemctl enable foo.service []']],
    ["/bin/sh -c 'systemctl stop a && systemctl mask a'", ['systemctl stop a.service []', 'systemctl mask a.service []']],
    ['bash -lc "systemctl mask \\"odd name\\""', ['systemctl mask odd name.service []']],
    ['ln -s /dev/null /etc/systemd/system/foo.service', ['ln mask foo.service [-s]']],
    ['ln -sf /dev/null /etc/systemd/system/bar.socket', ['ln mask bar.socket [-sf]']],
    ['ln -s /lib/systemd/system/foo.service /etc/systemd/system/foo.service', []],
    ['ln /dev/null /etc/systemd/system/foo.service', []],
    ['/usr/bin/apt upgrade', []],
    ['', []],
  ]
  for (const [command, expected] of cases) {
    it(command || '(empty)', () => {
      const got = parseUnitCommands(command).map((c) => `${c.program} ${c.verb} ${c.units.join(',')} [${c.flags.join(' ')}]`)
      assert.deepEqual(got, expected)
    })
  }
  it('splits words like a shell (quotes, escapes), without expanding anything', () => {
    assert.deepEqual(splitWords(`a 'b c' "d \\"e\\"" f\\ g $HOME`), ['a', 'b c', 'd "e"', 'f g', '$HOME'])
  })
})
