// Rotated, gzip'd package logs are merged in order; a truncated .gz gives what came before the damage.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { maskwhy } from './helpers/cli.ts'
import { makeTree } from './helpers/tree.ts'

const block = (start: string, cmd: string, end: string | null): string =>
  `\nStart-Date: ${start}\nCommandline: ${cmd}\nInstall: pkg-${cmd.length}:amd64 (1.0)\n${end ? `End-Date: ${end}\n` : ''}`

describe('rotated apt history', () => {
  it('reads .3.gz (damaged), .2.gz, .1 and the current file oldest first, in UTC order', async () => {
    const old = gzipSync(Array.from({ length: 200 }, (_, i) => block(`2024-01-${String(1 + (i % 28)).padStart(2, '0')}  08:00:${String(i % 60).padStart(2, '0')}`, `apt install old${i}`, null)).join(''))
    const root = makeTree({
      'etc/localtime': { link: '/usr/share/zoneinfo/Europe/Berlin' },
      'var/log/apt/history.log.3.gz': old.subarray(0, Math.floor(old.length * 0.6)),
      'var/log/apt/history.log.2.gz': gzipSync(block('2024-02-01  10:00:00', 'apt install a', '2024-02-01  10:00:05')),
      'var/log/apt/history.log.1': block('2024-03-01  10:00:00', 'apt install b', '2024-03-01  10:00:05'),
      'var/log/apt/history.log': block('2024-04-01  10:00:00', 'apt install c', null),
    })
    const run = await maskwhy(['timeline', root, '--format', 'json', '--kind', 'package-transaction', '--since', '2024-01-31'])
    assert.equal(run.exitCode, 0, run.stderr)
    const body = JSON.parse(run.stdout) as { inventory: { path: string; linesRead: number }[]; events: { time: string; outcome: string; source: string }[]; diagnostics: { byCode: Record<string, number> } }
    assert.deepEqual(body.inventory.map((i) => i.path), ['var/log/apt/history.log.3.gz', 'var/log/apt/history.log.2.gz', 'var/log/apt/history.log.1', 'var/log/apt/history.log'])
    assert.deepEqual(body.events.map((e) => [e.time, e.outcome, e.source]), [
      ['2024-02-01T09:00:00.000000Z', 'completed', 'var/log/apt/history.log.2.gz:2'],
      ['2024-03-01T09:00:00.000000Z', 'completed', 'var/log/apt/history.log.1:2'],
      ['2024-04-01T08:00:00.000000Z', 'interrupted', 'var/log/apt/history.log:2'],
    ])
    assert.equal(body.diagnostics.byCode['COMPRESSED_DATA_DAMAGED'], 1)
    assert.ok(body.inventory[0]!.linesRead > 100, 'the damaged .gz still gave its first blocks')
  })
})
