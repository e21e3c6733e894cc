// End to end for `maskwhy explain`, through the built CLI.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, mkdirSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maskwhy, REPO } from './helpers/cli.ts'
import { SHARED } from './helpers/parse.ts'
import { makeTree } from './helpers/tree.ts'

interface Unit { unit: string; state: string; cause: string | null; confidence: string | null; actor: string | null; history: { action: string; by: string }[]; stateFrom: string; summary: string }
const units = (stdout: string): Unit[] => (JSON.parse(stdout) as { units: Unit[] }).units
const sample = (name: string): string => `${REPO}samples/${name}/`

describe('maskwhy explain', () => {
  it('--unit explains a unit that is not masked, with its history', async () => {
    const run = await maskwhy(['explain', 'evidence', '--unit', 'nginx', '--format', 'json'], { cwd: sample('masked-then-unmasked') })
    assert.equal(run.exitCode, 0, run.stderr)
    const [x, ...rest] = units(run.stdout)
    assert.equal(rest.length, 0)
    assert.deepEqual([x?.unit, x?.state, x?.cause, x?.history.map((h) => h.action)], ['nginx.service', 'not-masked', null, ['masked', 'unmasked']])
    assert.match(x!.summary, /^nginx\.service is not masked\. History: masked by alice .*; then unmasked by bob/)
  })

  it('--unit on a unit nothing mentions still answers', async () => {
    const run = await maskwhy(['explain', 'evidence', '--unit', 'ssh.service', '--format', 'json'], { cwd: sample('admin-mask') })
    assert.deepEqual(units(run.stdout).map((u) => [u.unit, u.state, u.cause]), [['ssh.service', 'not-masked', null]])
  })

  it('--fail-on-masked: 1 for an incident, 0 for a vendor default', async () => {
    assert.equal((await maskwhy(['explain', 'evidence', '--fail-on-masked'], { cwd: sample('admin-mask') })).exitCode, 1)
    assert.equal((await maskwhy(['explain', 'evidence', '--fail-on-masked'], { cwd: sample('vendor-default') })).exitCode, 0)
    assert.equal((await maskwhy(['explain', 'evidence'], { cwd: sample('admin-mask') })).exitCode, 0)
  })

  it('logs only (stdin): the state comes from the last logged change, and says so', async () => {
    const input = readFileSync(`${sample('admin-mask')}evidence/var/log/journal-export.json`)
    const run = await maskwhy(['explain', '-', '--format', 'json'], { input })
    const [x] = units(run.stdout)
    assert.deepEqual([x?.unit, x?.state, x?.stateFrom, x?.cause, x?.actor], ['nginx.service', 'masked', 'events', 'admin-command', 'alice (as root) via sudo on pts/0'])
  })

  it('markdown keeps hostile log text inert', async () => {
    const evil = 'x` | <script>alert(1)</script> ``'
    const line = JSON.stringify({ _PID: '9', _COMM: 'sudo', SYSLOG_IDENTIFIER: 'sudo', __REALTIME_TIMESTAMP: '1700000000000000', MESSAGE: `alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/usr/bin/systemctl mask evil.service ${evil}` })
    const run = await maskwhy(['explain', '-', '--format', 'markdown'], { input: `${line}\n` })
    assert.equal(run.exitCode, 0, run.stderr)
    const evidence = run.stdout.split('\n').find((l) => l.includes('alert(1)'))!
    // the text sits in a code span whose fence is longer than any backtick run inside it (padded, as
    // CommonMark requires when the text ends in a backtick), with table pipes escaped
    assert.match(evidence, /: ``` alice : TTY=pts\/0 .*x` \\\| <script>alert\(1\)<\/script> `` ```$/)
    assert.ok(!run.stdout.includes('\u001b'))
  })
})

describe('explain on the public corpus', () => {
  it('RHEL 8 EC2 image: the real systemd-timedated.service mask has no log of who made it → unknown', async (t) => {
    const tar = `${SHARED}corpus/public/rhel8-ec2-rootfs/etc-systemd.tar.gz`
    if (!existsSync(tar)) return t.skip(`shared corpus absent: ${tar}`)
    const root = mkdtempSync(join(tmpdir(), 'maskwhy-rhel8-'))
    try {
      execFileSync('tar', ['-xzf', tar, '-C', root])
      cpSync(`${SHARED}corpus/public/rhel8-ec2-rootfs/var`, `${root}/var`, { recursive: true })
      const run = await maskwhy(['explain', root, '--format', 'json'])
      assert.equal(run.exitCode, 0, run.stderr)
      const masked = units(run.stdout).filter((u) => u.state.startsWith('masked'))
      assert.deepEqual(masked.map((u) => [u.unit, u.cause, u.confidence, u.actor]), [['systemd-timedated.service', 'unknown', 'low', null]])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it("this Debian machine's own vendor masks (with their dpkg lists) are vendor-default", async (t) => {
    const vendor = existsSync('/lib/systemd/system') ? readdirSync('/lib/systemd/system').filter((n) => {
      try { return readlinkSync(`/lib/systemd/system/${n}`) === '/dev/null' } catch { return false }
    }) : []
    if (vendor.length === 0 || !existsSync('/var/lib/dpkg/info')) return t.skip('no vendor /dev/null units on this machine')
    const spec: Record<string, string | { link: string }> = {}
    for (const n of vendor) spec[`lib/systemd/system/${n}`] = { link: '/dev/null' }
    for (const list of readdirSync('/var/lib/dpkg/info').filter((f) => f.endsWith('.list'))) {
      const text = readFileSync(`/var/lib/dpkg/info/${list}`, 'utf8')
      if (vendor.some((n) => text.includes(`/lib/systemd/system/${n}\n`))) spec[`var/lib/dpkg/info/${list}`] = text
    }
    const root = makeTree(spec)
    const run = await maskwhy(['explain', root, '--format', 'json'])
    const got = units(run.stdout)
    assert.deepEqual(got.map((u) => u.unit).sort(), vendor.sort())
    for (const u of got) assert.deepEqual([u.unit, u.cause, u.confidence], [u.unit, 'vendor-default', 'high'])
  })
})
