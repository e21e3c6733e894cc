/**
 * `maskwhy collect`: gathers what maskwhy reads from a live machine (root `/`) or a mounted disk
 * (`--root`) into one .tar.gz with a MANIFEST.json. Never writes under the root: the bundle, and
 * any file collect makes itself, go where -o says (or to stdout), and that may not be inside the root.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { lstat, mkdtemp, readFile, realpath, rm, unlink } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { UsageError } from '../discovery.ts'
import { VERSION } from '../version.ts'
import { checkTar, TarFailed, writeBundle } from '../collect/archive.ts'
import { generateFiles } from '../collect/generated.ts'
import { buildManifest, type Generated } from '../collect/manifest.ts'
import { SOURCES, type Source } from '../collect/sources.ts'
import { planCollection, type Plan, type Problem } from '../collect/walk.ts'

export interface CollectArgs {
  /** The root to collect; `/` is the running system. */
  root: string
  /** The bundle file; `-` for stdout; null for `<bundle name>.tar.gz` in the current directory. */
  output: string | null
  journal: boolean
  journalExport: boolean
  since: string | null
  /** More paths (globs per component) relative to the root. */
  include: string[]
  /** The command line, recorded in the manifest. */
  command: string[]
  /** Where `-o -` writes (default process.stdout). */
  stdout?: Writable
}

export interface CollectOutput {
  stderr: string
  exitCode: number
}

const within = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

/** `2024-03-01T10:00:00.000Z` → `20240301T100000Z`. */
const stamp = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')

const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'unknown'

/** etc/hostname of the root, when it is a small regular file. */
async function targetHostOf(root: string): Promise<string | null> {
  const file = path.join(root, 'etc/hostname')
  const info = await lstat(file).catch(() => null)
  if (!info?.isFile() || info.size > 4096 || !(await lstat(path.join(root, 'etc')).catch(() => null))?.isDirectory()) return null
  const name = (await readFile(file, 'utf8').catch(() => '')).split('\n')[0]!.trim()
  return name === '' ? null : name
}

async function realRootOf(root: string): Promise<string> {
  let real: string
  try {
    real = await realpath(root)
  } catch (error) {
    throw new UsageError(`cannot read --root ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  if (!(await lstat(real)).isDirectory()) throw new UsageError(`--root ${root} is not a directory`)
  return real
}

/** The path the bundle would really be written to (its directory resolved, as the kernel will). */
async function realOutputPath(output: string): Promise<string> {
  const abs = path.resolve(output)
  try {
    await lstat(abs)
  } catch {
    try {
      return path.join(await realpath(path.dirname(abs)), path.basename(abs))
    } catch {
      throw new UsageError(`cannot write ${output}: its directory does not exist`)
    }
  }
  throw new UsageError(`${output} exists; collect never overwrites a file (choose another -o)`)
}

/** On the running system everything is under /: the bundle may not go into what is collected (/var/log, /etc/systemd…). */
export function refuseLiveOutput(out: string, root: string, plan: Plan, shown: string): void {
  const rel = path.relative(root, out).split(path.sep).join('/')
  const tree = plan.trees.find((t) => rel === t || rel.startsWith(`${t}/`))
  if (tree !== undefined || plan.entries.has(rel)) {
    throw new UsageError(
      `refusing to write the bundle to ${shown}: it is inside /${tree ?? rel}, which is being collected; write to removable media, /root, /var/tmp or stdout (-o -)`,
    )
  }
}

function parseInclude(pattern: string): Source {
  const rel = pattern.replace(/^\/+/, '').replace(/\/+$/, '')
  if (rel === '' || rel.split('/').some((c) => c === '..' || c === '.' || c === '')) {
    throw new UsageError(`--include ${pattern}: expected a path below the root such as var/log/myapp (no . or .. components)`)
  }
  return { pattern: rel }
}

function summaryOf(plan: Plan, files: number, bytes: number, errors: Problem[], shown: string): string {
  const lines = [`maskwhy: collected ${files} entries (${bytes} bytes of files) into ${shown}`]
  if (plan.skipped.length > 0) lines.push(`maskwhy: ${plan.skipped.length} special file(s) left out (FIFOs, sockets, devices)`)
  if (plan.notFollowed.length > 0) lines.push(`maskwhy: ${plan.notFollowed.length} link(s) kept as links whose targets the bundle does not hold`)
  for (const e of errors.slice(0, 10)) lines.push(`warning: ${e.path === null ? '' : `${e.path}: `}${e.message}`)
  if (errors.length > 10) lines.push(`warning: … ${errors.length - 10} more in MANIFEST.json "errors"`)
  return `${lines.join('\n')}\n`
}

/** Creates the bundle file (never replacing one: O_EXCL), readable by its owner only: it holds logs. */
async function openOutput(out: string, shown: string): Promise<Writable> {
  const stream = createWriteStream(out, { flags: 'wx', mode: 0o600 })
  try {
    await once(stream, 'open')
  } catch (error) {
    throw new UsageError(`cannot write ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  return stream
}

export async function collectCommand(args: CollectArgs): Promise<CollectOutput> {
  if (args.since !== null && !args.journalExport) throw new UsageError('--since applies to the journal export: add --journal-export')
  // `--since -1h` reaches here as an empty value (yargs reads -1h as flags): journalctl wants `--since=-1h`
  if (args.since === '') throw new UsageError('--since needs a time journalctl understands: --since "2024-03-01 10:00", --since=-1h, --since yesterday')
  const include = args.include.map(parseInclude)
  const root = await realRootOf(args.root)
  const live = root === path.parse(root).root
  const tarProblem = await checkTar()
  if (tarProblem !== null) throw new UsageError(tarProblem)

  const collectedAt = new Date()
  const host = hostname()
  const targetHost = live ? host : await targetHostOf(root)
  // named after the machine collected, not the rescue system --root runs on
  const bundleRoot = `maskwhy-collect-${safeName(targetHost ?? 'unknown-host')}-${stamp(collectedAt)}`
  const toStdout = args.output === '-'
  if (toStdout && args.stdout === undefined && process.stdout.isTTY) {
    throw new UsageError('refusing to write a .tar.gz to the terminal: redirect stdout (-o - > bundle.tar.gz) or use -o FILE')
  }
  const shown = toStdout ? 'stdout' : (args.output ?? `${bundleRoot}.tar.gz`)
  const out = toStdout ? null : await realOutputPath(shown)
  if (out !== null && !live && within(out, root)) {
    throw new UsageError(`refusing to write the bundle to ${shown}: it is inside --root ${root}, which collect never modifies; choose -o elsewhere`)
  }

  const plan = await planCollection(root, [...SOURCES, ...include], { live, journal: args.journal })
  if (out !== null && live) refuseLiveOutput(out, root, plan, shown)

  // Files collect makes itself are staged next to the bundle (or in $TMPDIR for stdout), never under --root.
  let stage: string | null = null
  let generated: Generated[] = []
  let errors: Problem[] = []
  if (live || args.journalExport) {
    const parent = out === null ? await realpath(tmpdir()) : path.dirname(out)
    if (!live && within(parent, root)) throw new UsageError(`the temporary directory ${parent} is inside --root ${root}: set TMPDIR elsewhere`)
    stage = await mkdtemp(path.join(parent, '.maskwhy-collect-'))
  }
  let written = false
  let opened = false
  try {
    if (stage !== null) {
      const made = await generateFiles(stage, { root, live, journalExport: args.journalExport, since: args.since })
      generated = made.generated
      errors = made.errors
    }
    const stream = out === null ? (args.stdout ?? process.stdout) : await openOutput(out, shown)
    opened = out !== null
    let files = 0
    let bytes = 0
    let allErrors: Problem[] = []
    await writeBundle({
      root,
      paths: [...plan.entries.keys()],
      stagedDir: stage,
      staged: generated.map((g) => g.path),
      prefix: bundleRoot,
      noAtime: process.getuid?.() === 0,
      mtime: collectedAt,
      out: stream,
      keepOpen: out === null,
      manifest: (members, tarMessages) => {
        const context = { version: VERSION, command: args.command, host, targetHost, collectedAt, root, live, bundleRoot }
        const manifest = buildManifest({ ...context, plan, generated, errors }, members, tarMessages)
        files = members.length
        bytes = members.reduce((sum, m) => sum + (m.type === 'file' ? m.size : 0), 0)
        allErrors = manifest.errors
        return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)
      },
    })
    written = true
    return { stderr: summaryOf(plan, files, bytes, allErrors, shown), exitCode: 0 }
  } catch (error) {
    if (!(error instanceof TarFailed)) throw error
    return { stderr: `maskwhy: collect failed, no bundle written: ${error.message}\n`, exitCode: 1 }
  } finally {
    if (stage !== null) await rm(stage, { recursive: true, force: true })
    if (!written && opened && out !== null) await unlink(out).catch(() => undefined)
  }
}
