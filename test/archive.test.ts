// A tar archive of the evidence explains exactly like the directory the real tar extracts from it.
import { describe, it, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { explainCommand } from '../src/cli/explain.ts'
import { reportCommand } from '../src/cli/report.ts'
import { timelineCommand } from '../src/cli/timeline.ts'
import { readUnitState, maskedEntries } from '../src/unit-state.ts'
import { archiveTreeOf } from '../src/discovery.ts'
import { extract, packAs, scratch, tar, VARIANTS, withLongNames, type Variant } from './helpers/archive.ts'
import { REPO } from './helpers/cli.ts'
import { SHARED } from './helpers/parse.ts'
import { snapshot } from './helpers/tree.ts'

const SAMPLES = `${REPO}samples/`
const samples = readdirSync(SAMPLES).filter((n) => existsSync(`${SAMPLES}${n}/evidence`)).sort()
const work = scratch('archive')
after(() => rmSync(work, { recursive: true, force: true }))

const explain = async (evidence: string[]): Promise<string> =>
  (await explainCommand({ evidence, unit: [], tz: null, displayTz: 'UTC', year: null, format: 'json', formatOf: [], width: 140, failOnMasked: false })).stdout
const timeline = async (evidence: string[]): Promise<string> => {
  const { stdout } = await timelineCommand({ evidence, tz: null, displayTz: 'UTC', year: null, unit: [], kind: [], host: [], format: 'json', formatOf: [], width: 140 })
  if (typeof stdout === 'string') return stdout
  let text = ''
  for await (const piece of stdout) text += piece
  return text
}
const report = async (evidence: string[]): Promise<string> =>
  (await reportCommand({ evidence, output: null, format: 'markdown', generatedAt: '2024-03-01T12:00:00Z', unit: [], tz: null, displayTz: 'UTC', year: null, formatOf: [] })).stdout

/** `evidence.tar.gz!/folder/var/log/x` → `var/log/x`: what remains must be the directory's output, byte for byte. */
function withoutArchivePrefix(out: string, archive: string, variant: Variant): string {
  const prefix = `${basename(archive)}!/${variant.folder === null ? '' : `${variant.folder}/`}`
  return out.split(prefix).join('').replaceAll('"evidence": ""', '"evidence": "."')
}

interface Case {
  sample: string
  variant: Variant
  archive: string
  extracted: string
}

let n = 0
/** The sample with long names added, packed with the real tar, and the directory the real tar extracts from it. */
function makeCase(sample: string, variant: Variant): Case {
  const dir = join(work, `${n++}`)
  for (const sub of ['src', 'tar', 'out']) mkdirSync(join(dir, sub), { recursive: true })
  const source = withLongNames(`${SAMPLES}${sample}/evidence`, join(dir, 'src'))
  const archive = packAs(source, variant, join(dir, 'tar'))
  rmSync(join(dir, 'src'), { recursive: true, force: true })
  return { sample, variant, archive, extracted: extract(archive, variant, join(dir, 'out')) }
}

describe('an archive explains like its extracted directory', () => {
  // every sample once (formats in turn), and one sample in every format
  const cases: [string, Variant][] = samples.map((s, i) => [s, VARIANTS[i % VARIANTS.length]!])
  for (const v of VARIANTS.slice(1)) cases.push([samples[0]!, v])
  it('has samples and variants to test', () => assert.ok(samples.length >= 5 && cases.length >= samples.length + 3))

  for (const [sample, variant] of cases) {
    it(`${sample}: ${variant.name}`, async () => {
      const c = makeCase(sample, variant)
      const fromDir = await explain([c.extracted])
      const fromArchive = await explain([c.archive])
      assert.equal(withoutArchivePrefix(fromArchive, c.archive, variant), fromDir)
      // the long names survived: both masks with names over 100 characters are there
      const units = (JSON.parse(fromArchive) as { units: { unit: string }[] }).units.map((u) => u.unit)
      assert.ok(units.includes('longtarget.service') && units.some((u) => u.length > 100), units.join(' '))
      assert.equal(withoutArchivePrefix(await timeline([c.archive]), c.archive, variant), await timeline([c.extracted]))
    })
  }

  it('report: the same inputs, each member hashed as tar -xO gives it', async () => {
    const c = makeCase(samples[0]!, VARIANTS[0]!)
    const zoneLabel = `\`${basename(c.archive)}!/${c.variant.folder}/\``
    const fromArchive = withoutArchivePrefix((await report([c.archive])).split(zoneLabel).join('`.`'), c.archive, c.variant).split(c.archive).join('EVIDENCE')
    const fromDir = (await report([c.extracted])).split(c.extracted).join('EVIDENCE')
    assert.equal(fromArchive, fromDir)
    assert.match(fromArchive, /[0-9a-f]{64}/)
  })

  it('reads nothing but the archive and writes nothing', async () => {
    const c = makeCase(samples[0]!, VARIANTS[1]!)
    const before = snapshot(join(c.archive, '..'))
    await explain([c.archive])
    await timeline([c.archive])
    assert.deepEqual(snapshot(join(c.archive, '..')), before)
  })
})

describe('real archives from the public corpus', () => {
  const corpus = `${SHARED}corpus/public/`
  const skip = existsSync(corpus) ? false : `${corpus} is absent`

  it('RHEL 8 EC2 etc-systemd.tar.gz, read in place: the real systemd-timedated.service mask', { skip }, async () => {
    const tree = await archiveTreeOf(`${corpus}rhel8-ec2-rootfs/etc-systemd.tar.gz`)
    assert.ok(tree !== null)
    // one top-level name, etc/: a piece of a root filesystem, so the archive's top is the root
    assert.equal(tree.prefix, '')
    const state = await readUnitState(tree)
    assert.deepEqual(maskedEntries(state).map((f) => [f.path, f.kind, f.linkTarget]), [['etc/systemd/system/systemd-timedated.service', 'masked-link', '/dev/null']])
    assert.ok(state.dependencies.some((d) => d.from === 'multi-user.target' && d.to === 'sshd.service' && d.type === 'wants-link'))
    assert.deepEqual(state.problems, [])
    const out = JSON.parse(await explain([`${corpus}rhel8-ec2-rootfs/etc-systemd.tar.gz`])) as { units: { unit: string; cause: string }[]; evidenceTimeZones: unknown[] }
    assert.deepEqual(out.units.map((u) => [u.unit, u.cause]), [['systemd-timedated.service', 'unknown']])
    assert.deepEqual(out.evidenceTimeZones, [])
  })

  it('Debian 11 armhf state tree: the same unit state as the extracted copy', { skip }, async () => {
    const file = `${corpus}debian11-armhf-rootfs/etc-systemd-and-var-lib-systemd.tar.gz`
    const dir = scratch('deb11')
    tar(['-xzf', file, '-C', dir])
    const fromArchive = await readUnitState((await archiveTreeOf(file))!)
    const fromDir = await readUnitState(dir)
    assert.deepEqual(fromArchive, fromDir)
    assert.equal(fromArchive.helperEnabled.length, 38)
    rmSync(dir, { recursive: true, force: true })
  })
})
