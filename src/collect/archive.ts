/**
 * Writes the bundle: GNU tar reads the target (links as links, mtimes to the nanosecond in pax
 * headers, numeric owners, nothing followed), its output streams through here once, where every
 * member is hashed as it goes by, and MANIFEST.json is appended as the last member before gzip.
 * The hashes are of the bytes in the bundle, so a live journal that grows while tar reads it still
 * verifies; nothing is staged on disk.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { Transform, type TransformCallback, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import tarStream, { type Extract, type Header } from 'tar-stream'
import { $ } from 'zx'

export type MemberType = 'file' | 'dir' | 'symlink' | 'other'

/** One member of the bundle as tar stored it (the bundle's top-level directory left out of `path`). */
export interface Member {
  path: string
  type: MemberType
  size: number
  /** ISO 8601 UTC; to the nanosecond when the archive has it (pax `mtime`). */
  mtime: string
  mode: string
  uid: number
  gid: number
  sha256?: string
  linkTarget?: string
}

const BLOCK = 512
/** With --blocking-factor=1 GNU tar ends its output with exactly two zero blocks. */
const END_OF_ARCHIVE = 2 * BLOCK

/** zx keeps every output chunk for `.stdout`; the archive stream must not be held in memory. */
class DiscardedChunks implements Iterable<string | Buffer> {
  length = 0;
  [i: number]: string | Buffer | undefined
  push(): number {
    return 0
  }
  join(): string {
    return ''
  }
  reduce<U>(_fn: unknown, init: U): U {
    return init
  }
  *[Symbol.iterator](): Iterator<string | Buffer> {}
}

/** `1709287200.123456789` (pax) or a Date → `2024-03-01T10:00:00.123456789Z`. */
export function isoMtime(pax: string | undefined, fallback: Date | undefined): string {
  const m = pax === undefined ? null : /^(?<s>\d+)(?:\.(?<f>\d+))?$/.exec(pax)
  if (m?.groups) {
    const whole = new Date(Number(m.groups['s']) * 1000).toISOString().replace(/\.000Z$/, '')
    const fraction = m.groups['f']?.replace(/0+$/, '') ?? ''
    return `${whole}${fraction === '' ? '' : `.${fraction}`}Z`
  }
  return (fallback ?? new Date(0)).toISOString().replace(/\.000Z$/, 'Z')
}

function memberType(type: Header['type']): MemberType {
  if (type === 'file' || type === 'contiguous-file') return 'file'
  if (type === 'directory') return 'dir'
  if (type === 'symlink') return 'symlink'
  return 'other'
}

/** Every member of a tar stream, its file contents hashed. */
function hashMembers(prefix: string): { extract: Extract; members: Member[] } {
  const extract = tarStream.extract()
  const members: Member[] = []
  extract.on('entry', (header, stream, next) => {
    const pax = header.pax as Record<string, string> | null | undefined
    const type = memberType(header.type)
    const hash = type === 'file' ? createHash('sha256') : null
    stream.on('data', (chunk: unknown) => hash?.update(chunk as Buffer))
    stream.on('error', next)
    stream.on('end', () => {
      const name = header.name.replace(/\/+$/, '')
      members.push({
        path: name.startsWith(`${prefix}/`) ? name.slice(prefix.length + 1) : name,
        type,
        size: header.size ?? 0,
        mtime: isoMtime(pax?.['mtime'], header.mtime),
        mode: (header.mode ?? 0).toString(8).padStart(4, '0'),
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
        ...(hash !== null && { sha256: hash.digest('hex') }),
        ...(type === 'symlink' && { linkTarget: header.linkname ?? '' }),
      })
      next()
    })
    stream.resume()
  })
  return { extract, members }
}

/** One tar member (plus the end-of-archive blocks), encoded by tar-stream. */
async function tarMember(name: string, body: Buffer, mtime: Date): Promise<Buffer> {
  const pack = tarStream.pack()
  const parts: Buffer[] = []
  pack.on('data', (chunk: unknown) => parts.push(chunk as Buffer))
  const ended = once(pack, 'end')
  pack.entry({ name, size: body.length, mode: 0o644, uid: 0, gid: 0, mtime, type: 'file' }, body)
  pack.finalize()
  await ended
  return Buffer.concat(parts)
}

/**
 * Passes tar's output through, minus its end-of-archive blocks, while feeding it to the hasher; at
 * the end appends the member `finish()` returns (it ends the archive again).
 */
class AppendingStream extends Transform {
  #tail = Buffer.alloc(0)
  readonly #extract: Extract
  readonly #finish: () => Promise<Buffer>

  constructor(extract: Extract, finish: () => Promise<Buffer>) {
    super()
    this.#extract = extract
    this.#finish = finish
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const all = this.#tail.length === 0 ? chunk : Buffer.concat([this.#tail, chunk])
    const cut = Math.max(0, all.length - END_OF_ARCHIVE)
    if (cut > 0) this.push(all.subarray(0, cut))
    this.#tail = Buffer.from(all.subarray(cut))
    if (this.#extract.write(chunk)) done()
    else this.#extract.once('drain', () => done())
  }

  override _flush(done: TransformCallback): void {
    if (this.#tail.length !== END_OF_ARCHIVE || this.#tail.some((b) => b !== 0)) {
      done(new Error('tar stopped before the end of the archive'))
      return
    }
    this.#finish().then((member) => done(null, member), done)
  }
}

export interface BundleRequest {
  /** Absolute root directory the paths are relative to. */
  root: string
  /** Paths to archive, in order; directories are archived without their contents. */
  paths: readonly string[]
  /** Files made by collect itself (journal export, /proc/cmdline), relative to `stagedDir`. */
  stagedDir: string | null
  staged: readonly string[]
  /** The bundle's single top-level directory. */
  prefix: string
  /** O_NOATIME reads (tar --atime-preserve=system): only allowed to the files' owner or root. */
  noAtime: boolean
  mtime: Date
  /** Called once every member is known; returns MANIFEST.json's bytes. */
  manifest: (members: Member[], tarMessages: string[]) => Buffer
  out: Writable
  /** Leave `out` open at the end (stdout). */
  keepOpen: boolean
}

export class TarFailed extends Error {}

/** Checks that `tar` is GNU tar (the options below are GNU's). */
export async function checkTar(): Promise<string | null> {
  const version = await $({ quiet: true, nothrow: true })`tar --version`
  if (version.exitCode !== 0) return 'tar is not installed (collect needs GNU tar)'
  return /GNU tar/.test(version.stdout) ? null : `collect needs GNU tar; found: ${version.stdout.split('\n')[0]}`
}

/** Runs tar and writes the gzip'd bundle to `out`. Returns tar's complaints (files that vanished or changed while read…). */
export async function writeBundle(request: BundleRequest): Promise<string[]> {
  const args = [
    '--create',
    '--file=-',
    '--format=pax',
    '--numeric-owner',
    '--no-recursion',
    '--hard-dereference',
    '--blocking-factor=1',
    ...(request.noAtime ? ['--atime-preserve=system'] : []),
    // prefix member names, not symlink targets (S): a link to /dev/null stays a link to /dev/null
    `--transform=s,^,${request.prefix}/,S`,
    // -C is cumulative in GNU tar: both directories are absolute
    '--directory',
    request.root,
    '--null',
    '--verbatim-files-from',
    '--files-from=-',
    ...(request.stagedDir !== null && request.staged.length > 0 ? ['--directory', request.stagedDir, ...request.staged] : []),
  ]
  const input = Buffer.from(request.paths.map((p) => `${p}\0`).join(''))
  const tar = $({
    quiet: true,
    nothrow: true,
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    store: { stdout: new DiscardedChunks(), stderr: [], stdall: new DiscardedChunks() },
  })`tar ${args}`
  const { extract, members } = hashMembers(request.prefix)
  let messages: string[] = []
  const finish = async (): Promise<Buffer> => {
    extract.end(null)
    await once(extract, 'finish')
    const result = await tar
    messages = result.stderr
      .split('\n')
      .filter((line) => line !== '' && !/Exiting with failure status due to previous errors/.test(line))
    return tarMember(`${request.prefix}/MANIFEST.json`, request.manifest(members, messages), request.mtime)
  }
  const stdout = tar.stdout
  try {
    await pipeline(stdout, new AppendingStream(extract, finish), createGzip(), request.out, { end: !request.keepOpen })
  } catch (error) {
    const result = await tar
    const said = result.stderr.trim()
    throw new TarFailed(`${(error as Error).message}${said === '' ? '' : `: ${said}`}`)
  }
  return messages
}
