/**
 * Hostile evidence trees: what a copied root filesystem can hold besides regular files. Nothing may
 * lead outside the evidence root, block (a FIFO never reaches end of file, /dev/zero never ends),
 * or be written. Complements test/discovery.test.ts ("never follows a symlink out of the evidence
 * root": absolute links, `..` escapes, loops) and test/unit-state.test.ts (unit directory links).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { $ } from 'zx'
import { CLI, REPO } from '../helpers/cli.ts'
import { makeTree } from '../helpers/tree.ts'
import { changes, fingerprint } from './fingerprint.ts'
import { collectEvents } from '../../src/run.ts'

const JOURNAL = readFileSync(join(REPO, 'test/fixtures/journal/journal.json'))
const IS_ROOT = process.getuid?.() === 0

/** The CLI with a deadline: a command that blocks on a FIFO or a device must fail this test, not hang it. */
async function maskwhyWithin(seconds: number, args: string[]) {
  const out = await $({ nothrow: true, quiet: true, timeout: `${seconds}s`, cwd: REPO, env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } })`node ${CLI} ${args}`
  return { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode, signal: out.signal }
}

function mkfifo(path: string): void {
  mkdirSync(dirname(path), { recursive: true })
  execFileSync('mkfifo', [path])
}

describe('evidence trees with special files and hostile links', () => {
  it('FIFOs and device nodes in log and unit directories, and links to them, are skipped, never opened', { timeout: 60_000 }, async () => {
    const root = makeTree({
      'var/log/journal.json': JOURNAL,
      'var/log/to-fifo.json': { link: 'pipe.json' },
      'var/log/to-zero.json': { link: '/dev/zero' },
      'etc/systemd/system/fifo-link.service': { link: '../../../var/log/pipe.json' },
    })
    mkfifo(join(root, 'var/log/pipe.json'))
    mkfifo(join(root, 'var/log/apt/history.log'))
    mkfifo(join(root, 'etc/systemd/system/piped.service'))
    mkfifo(join(root, 'etc/timezone'))
    if (IS_ROOT) {
      // A copied /dev: a character device that never ends (like /dev/zero, major 1 minor 5).
      execFileSync('mknod', [join(root, 'var/log/zero.log'), 'c', '1', '5'])
      mkdirSync(join(root, 'dev'))
      execFileSync('mknod', [join(root, 'dev/zero'), 'c', '1', '5'])
    }
    const before = fingerprint(root)
    for (const command of ['explain', 'timeline']) {
      const run = await maskwhyWithin(30, [command, root, '--format', 'json'])
      assert.equal(run.signal, null, `${command} was killed after 30 s: it blocked on a special file`)
      assert.equal(run.exitCode, 0, run.stderr)
      const doc = JSON.parse(run.stdout) as { inventory?: { path: string }[]; inputs?: { path: string }[] }
      assert.deepEqual((doc.inventory ?? doc.inputs ?? []).map((i) => i.path), ['var/log/journal.json'])
    }
    assert.deepEqual(changes(before, fingerprint(root)), [])
  })

  it('a FIFO named on the command line is refused with a clear message, not read', { timeout: 60_000 }, async () => {
    const root = makeTree({})
    mkfifo(join(root, 'pipe.log'))
    const run = await maskwhyWithin(30, ['timeline', join(root, 'pipe.log')])
    assert.equal(run.signal, null, 'blocked on the FIFO')
    assert.equal(run.exitCode, 2)
    assert.match(run.stderr, /neither a file nor a directory/)
  })

  it('a link that climbs out of the root and back in is not followed (nothing outside is ever looked at)', async () => {
    const root = makeTree({ 'var/log/ok.json': JOURNAL })
    const name = basename(root)
    // ../../../<tmp>/<root>/var/log/ok.json names the same file, but only by looking outside the root.
    symlinkSync(`../../../${basename(dirname(root))}/${name}/var/log/ok.json`, join(root, 'var/log/round-trip.json'))
    // An absolute link into the analyst's own machine names a path on the copied machine instead.
    symlinkSync('/etc/passwd', join(root, 'var/log/passwd.log'))
    const r = await collectEvents({ evidence: [root] })
    assert.deepEqual(r.inventory.map((i) => i.path), ['var/log/ok.json'])
    assert.deepEqual(
      r.diagnostics.examples.map((d) => `${d.code} ${d.path}`).sort(),
      ['SYMLINK_BROKEN var/log/passwd.log', 'SYMLINK_OUTSIDE_ROOT var/log/round-trip.json'],
    )
  })

  it('a directory link loop and a deep chain of links end, and are reported once each', async () => {
    const spec: Record<string, { link: string } | Buffer> = { 'var/log/j.json': JOURNAL, 'var/log/self': { link: '.' }, 'var/log/parent/up': { link: '..' } }
    // 45 hops: more than Linux's MAXSYMLINKS (40), which is the limit maskwhy applies too.
    for (let i = 0; i < 45; i++) spec[`var/log/chain/${i}`] = { link: `${i + 1}` }
    spec['var/log/chain/45'] = { link: '../j.json' }
    const root = makeTree(spec)
    const r = await collectEvents({ evidence: [root] })
    assert.deepEqual(r.inventory.map((i) => i.path), ['var/log/j.json'])
    const problems = r.diagnostics.examples.map((d) => `${d.code} ${d.path}`)
    assert.ok(problems.includes('SYMLINK_BROKEN var/log/chain/0'), problems.join('\n'))
  })

  it('`..` in an evidence argument names the same evidence root; display paths stay inside it', async () => {
    const root = makeTree({ 'var/log/journal.json': JOURNAL })
    const r = await collectEvents({ evidence: [join(root, 'var/log/../..')] })
    assert.deepEqual(r.inventory.map((i) => i.path), ['var/log/journal.json'])
    const viaDots = await collectEvents({ evidence: [join(root, 'var', '..', 'var', 'log', 'journal.json')] })
    assert.deepEqual(viaDots.inventory.map((i) => i.path), ['journal.json'])
    assert.equal(viaDots.events.length, r.events.length)
  })

  it('an evidence file replaced by a link to a file outside, after discovery, is still not followed', async () => {
    // O_NOFOLLOW-style reading: the tree is walked once; a swap between walk and read must not reach outside.
    const outside = makeTree({ 'secret.json': JOURNAL })
    const root = makeTree({ 'var/log/journal.json': JOURNAL })
    const { discoverEvidence } = await import('../../src/discovery.ts')
    const { openFile } = await import('../../src/inputs.ts')
    const { files } = await discoverEvidence([root])
    const file = files[0]!
    const target = join(root, 'var/log/journal.json')
    writeFileSync(`${target}.tmp`, '')
    execFileSync('mv', ['-f', `${target}.tmp`, target])
    execFileSync('rm', [target])
    symlinkSync(join(outside, 'secret.json'), target)
    const read = await new Promise<{ error: NodeJS.ErrnoException | null; bytes: number }>((resolve) => {
      let bytes = 0
      const stream = openFile(file)
      stream.on('data', (c: Buffer | string) => (bytes += c.length))
      stream.on('error', (error) => resolve({ error, bytes }))
      stream.on('end', () => resolve({ error: null, bytes }))
    })
    assert.equal(read.bytes, 0, 'read the file outside the evidence through a link swapped in after discovery')
    assert.equal(read.error?.code, 'ELOOP')
  })
})
