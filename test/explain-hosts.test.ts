// `maskwhy explain host1/ host2/ …`: one section per machine, through the built CLI.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maskwhy, REPO } from './helpers/cli.ts'

interface Host { host: string; hostFrom: string; evidence: string[]; units: { unit: string; cause: string | null }[]; inputs: unknown[] }
const sample = (name: string): string => `${REPO}samples/${name}/evidence`

describe('explain over several machines', () => {
  let dir = ''
  let db1 = ''
  let web = ''
  let logsOnly = ''
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'maskwhy-hosts-'))
    // db1: a copied root with etc/hostname; web: a root without one (its journal says web1);
    // logsOnly: only a package log, no host anywhere
    db1 = join(dir, 'db1-root')
    cpSync(sample('package-mask'), db1, { recursive: true })
    writeFileSync(join(db1, 'etc/hostname'), 'db1\n')
    web = join(dir, 'web-copy')
    cpSync(sample('admin-mask'), web, { recursive: true })
    logsOnly = join(dir, 'old-box')
    mkdirSync(join(logsOnly, 'var/log'), { recursive: true })
    cpSync(join(sample('package-mask'), 'var/log/dpkg.log'), join(logsOnly, 'var/log/dpkg.log'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('JSON: a hosts array, each machine explained as it is alone, named and saying from where', async () => {
    const run = await maskwhy(['explain', db1, web, '--format', 'json'])
    assert.equal(run.exitCode, 0, run.stderr)
    const out = JSON.parse(run.stdout) as { hosts: Host[]; units?: unknown }
    assert.equal(out.units, undefined)
    assert.deepEqual(out.hosts.map((h) => [h.host, h.hostFrom, h.evidence]), [['db1', 'etc/hostname', [db1]], ['web1', 'events', [web]]])
    for (const [i, path] of [db1, web].entries()) {
      const alone = JSON.parse((await maskwhy(['explain', path, '--format', 'json'])).stdout) as Host
      assert.deepEqual(out.hosts[i]!.units, alone.units)
      assert.deepEqual(out.hosts[i]!.inputs, alone.inputs)
    }
    assert.deepEqual(out.hosts[1]!.units.map((u) => [u.unit, u.cause]), [['nginx.service', 'admin-command']])
  })

  it('a machine with no host name anywhere is named by its argument', async () => {
    const run = await maskwhy(['explain', web, logsOnly, '--format', 'json'])
    const hosts = (JSON.parse(run.stdout) as { hosts: Host[] }).hosts
    assert.deepEqual(hosts.map((h) => [h.host, h.hostFrom]), [['web1', 'events'], ['old-box', 'argument']])
    assert.equal(hosts[1]!.inputs.length, 1)
  })

  it('table and Markdown: one section per machine; the summary lines name the machine', async () => {
    const table = await maskwhy(['explain', db1, web])
    assert.match(table.stdout, new RegExp(`^=== db1 — ${db1} \\(host name from etc/hostname\\) ===`, 'm'))
    assert.match(table.stdout, new RegExp(`^=== web1 — ${web} \\(host name from events\\) ===`, 'm'))
    assert.ok(table.stdout.indexOf('=== db1') < table.stdout.indexOf('=== web1'))
    assert.match(table.stderr, /^db1: maskwhy: /m)
    assert.match(table.stderr, /^web1: maskwhy: /m)
    const md = await maskwhy(['explain', db1, web, '--format', 'markdown'])
    assert.match(md.stdout, /^# maskwhy explain\n\n## db1\n/)
    assert.match(md.stdout, /^## web1$/m)
    assert.match(md.stdout, /^### nginx\.service$/m)
  })

  it('--fail-on-masked: 1 when any machine has an incident', async () => {
    const vendor = join(dir, 'vendor')
    cpSync(sample('vendor-default'), vendor, { recursive: true })
    assert.equal((await maskwhy(['explain', vendor, web, '--fail-on-masked'])).exitCode, 1)
    assert.equal((await maskwhy(['explain', vendor, sample('vendor-default'), '--fail-on-masked'])).exitCode, 0)
    assert.equal((await maskwhy(['explain', vendor, web])).exitCode, 0)
  })

  it('one root with a file beside it is still one machine', async () => {
    const run = await maskwhy(['explain', web, join(web, 'var/log/journal-export.json'), '--format', 'json'])
    const out = JSON.parse(run.stdout) as { hosts?: unknown; units: unknown[] }
    assert.equal(out.hosts, undefined)
    assert.ok(Array.isArray(out.units))
  })
})
