/**
 * A tar archive as evidence. Pass 1 (`openArchive`) streams it once and builds an index of its
 * members (normalised paths, types, link targets, sizes, mtimes) keeping the bytes of the few small
 * members the tree readers need (unit files, drop-ins, deb-systemd-helper state, etc/localtime…).
 * Pass 2 (`readMembers`) streams it again and hands the chosen members to their readers as they go
 * by. Nothing is extracted; no member name or link leads outside the archive.
 */
import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { PassThrough, type Readable } from 'node:stream'
import type { NodeType } from '../tree/tree.ts'
import { normaliseMemberName } from './member-name.ts'
import { scanArchive, type MemberHeader, type MemberSink, type ScanEnd } from './scan.ts'
import { sniffArchive, type ArchiveCompression } from './sniff.ts'

/** A unit file or drop-in is a few KiB (unit-state.ts reads at most 1 MiB of one). */
export const KEPT_MEMBER_CAP = 1024 * 1024
/** All kept members together; past it, a read goes back to the archive (slow, still right). */
export const KEPT_TOTAL_CAP = 64 * 1024 * 1024

/**
 * Members whose bytes the tree readers ask for (unit-state.ts, evidence-zone.ts), matched against
 * the member path and against it without its first component (the root may be a top-level folder).
 */
const KEPT = [
  /^etc\/(?:localtime|timezone|hostname)$/,
  // etc/systemd/system/…, lib/systemd/system/…, run/systemd/transient/…, home/u/.config/systemd/user/…
  /(?:^|\/)systemd\/(?:system|user|transient|generator(?:\.early|\.late)?)(?:\.control|\.attached)?\//,
  /^var\/lib\/systemd\/deb-systemd-(?:user-)?helper-/,
  // when a sosreport was collected (src/sos/collected-at.ts)
  /^sos_commands\/date\//,
]

export interface ArchiveNode {
  type: NodeType
  size: number
  mtimeUs: number | null
  /** Position in the archive (null for a directory only implied by its members' names). */
  ordinal: number | null
  linkTarget: string | null
  /** A hard link: the archive path of the file it names. */
  hardLinkOf: string | null
  content: Buffer | null
}

/** A problem with the archive itself or one member (`member`: archive path or name as stored). */
export interface ArchiveProblem {
  code: 'ARCHIVE_DAMAGED' | 'ARCHIVE_LIMIT' | 'ARCHIVE_MEMBER_OUTSIDE_ROOT' | 'ARCHIVE_MEMBER_IGNORED'
  severity: 'error' | 'warning' | 'info'
  member: string | null
  offset?: number
  message: string
}

const SPECIAL: Partial<Record<MemberHeader['type'], string>> = { fifo: 'a FIFO', 'char-device': 'a character device', 'block-device': 'a block device' }

const parentOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')
const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1)

function kept(p: string): boolean {
  const inner = p.includes('/') ? p.slice(p.indexOf('/') + 1) : null
  return KEPT.some((re) => re.test(p) || (inner !== null && re.test(inner)))
}

function describeEnd(end: Extract<ScanEnd, { status: 'damaged' | 'limit' }>): string {
  const cause = /get_next_output failed/.test(end.message)
    ? 'the xz data is cut off or corrupt'
    : /unexpected end of file|Unexpected end of data/i.test(end.message)
      ? `it ends early (cut off?): ${end.message}`
      : end.message
  const where =
    end.member === null
      ? `at byte ${end.offset} of the tar stream`
      : `in member ${JSON.stringify(end.member)} (data at byte ${end.offset} of the tar stream)`
  return end.status === 'limit'
    ? `reading stopped ${where}: ${cause}; the ${end.members} member(s) before it were read`
    : `archive damaged ${where}: ${cause}; the ${end.members} complete member(s) before it were read`
}

export class EvidenceArchive {
  readonly absPath: string
  readonly compression: ArchiveCompression
  /** Archive path → node (directories included; '' is the top). */
  readonly nodes = new Map<string, ArchiveNode>()
  readonly children = new Map<string, Set<string>>()
  readonly problems: ArchiveProblem[] = []
  /** SHA-256 of members' stored bytes, by ordinal, for those streamed whole. */
  readonly #digests = new Map<number, string>()
  #keptBytes = 0
  /** The member in which pass 1 hit a bound: later passes stop there rather than decompress it all again. */
  #limitAt: number | null = null

  constructor(absPath: string, compression: ArchiveCompression) {
    this.absPath = absPath
    this.compression = compression
    this.nodes.set('', this.#dir(null, null))
  }

  #dir(ordinal: number | null, mtimeUs: number | null): ArchiveNode {
    return { type: 'dir', size: 0, mtimeUs, ordinal, linkTarget: null, hardLinkOf: null, content: null }
  }

  /** Adds a member; false when a parent is not a directory (a member stored below a symlink or a file). */
  #place(p: string, node: ArchiveNode): boolean {
    const parent = parentOf(p)
    const above = this.nodes.get(parent)
    // Parents a member implies (tar -czf x.tgz var/log/syslog stores no var/ or var/log/ entry).
    if (above === undefined) {
      if (!this.#place(parent, this.#dir(null, null))) return false
    } else if (above.type !== 'dir') return false
    let names = this.children.get(parent)
    if (names === undefined) this.children.set(parent, (names = new Set()))
    names.add(baseOf(p))
    // A later member of the same name replaces the earlier one, as on extraction.
    this.nodes.set(p, node)
    return true
  }

  #add(p: string, node: ArchiveNode, offset: number): boolean {
    if (this.#place(p, node)) return true
    this.#note('ARCHIVE_MEMBER_IGNORED', p, offset, 'stored below a symlink or a file of the archive; not read')
    return false
  }

  #note(code: ArchiveProblem['code'], member: string | null, offset: number | undefined, message: string): void {
    // A refused name is a warning; an ignored member or a cache note is information; a stop is an error.
    const severity = code === 'ARCHIVE_MEMBER_OUTSIDE_ROOT' ? 'warning' : code === 'ARCHIVE_MEMBER_IGNORED' || member !== null ? 'info' : 'error'
    this.problems.push({ code, severity, member, ...(offset !== undefined && { offset }), message })
  }

  /** Pass 1: one visitor per member; returns the sink that keeps small needed bytes. */
  async index(h: MemberHeader): Promise<MemberSink | null> {
    const name = normaliseMemberName(h.name)
    if (!name.ok) {
      this.#note('ARCHIVE_MEMBER_OUTSIDE_ROOT', h.name, h.offset, `member name ${name.reason}; not read`)
      return null
    }
    const p = name.path
    if (p === '') {
      if (h.type === 'dir') this.nodes.set('', this.#dir(h.ordinal, h.mtimeUs))
      return null
    }
    const base = { size: 0, mtimeUs: h.mtimeUs, ordinal: h.ordinal, linkTarget: null, hardLinkOf: null, content: null }
    switch (h.type) {
      case 'dir':
        this.#add(p, { ...base, type: 'dir' }, h.offset)
        return null
      case 'symlink':
        this.#add(p, { ...base, type: 'symlink', linkTarget: h.linkname ?? '' }, h.offset)
        return null
      case 'hardlink': {
        const target = normaliseMemberName(h.linkname ?? '')
        const ignored = (code: ArchiveProblem['code'], why: string): null => {
          this.#note(code, p, h.offset, `hard link to ${JSON.stringify(h.linkname)}, which ${why}`)
          this.#add(p, { ...base, type: 'other' }, h.offset)
          return null
        }
        if (!target.ok) return ignored('ARCHIVE_MEMBER_OUTSIDE_ROOT', 'climbs out of the archive; not followed')
        const of = this.nodes.get(target.path)
        if (of?.type !== 'file') return ignored('ARCHIVE_MEMBER_IGNORED', 'is not a file stored before it in the archive; ignored')
        this.#add(p, { ...base, type: 'file', size: of.size, hardLinkOf: of.hardLinkOf ?? target.path }, h.offset)
        return null
      }
      case 'file': {
        if (!this.#add(p, { ...base, type: 'file', size: h.size }, h.offset)) return null
        if (h.size > KEPT_MEMBER_CAP || !kept(p)) return null
        if (this.#keptBytes + h.size > KEPT_TOTAL_CAP) {
          if (this.#keptBytes <= KEPT_TOTAL_CAP) {
            const message = `over ${KEPT_TOTAL_CAP} bytes of unit files kept in memory; later ones are read from the archive again when needed (slower)`
            this.#note('ARCHIVE_LIMIT', p, undefined, message)
            this.#keptBytes = KEPT_TOTAL_CAP + 1
          }
          return null
        }
        this.#keptBytes += h.size
        return this.#collect((data) => {
          const node = this.nodes.get(p)
          if (node?.ordinal === h.ordinal) node.content = data
        })
      }
      default: {
        const what = SPECIAL[h.type] ?? 'of a type maskwhy does not read (GNU sparse file, volume label…)'
        this.#note('ARCHIVE_MEMBER_IGNORED', p, h.offset, `member is ${what}; ignored`)
        this.#add(p, { ...base, type: 'other' }, h.offset)
        return null
      }
    }
  }

  #collect(done: (data: Buffer) => void): MemberSink {
    const parts: Buffer[] = []
    return {
      data: (chunk) => void parts.push(chunk),
      end: (error) => {
        if (error === undefined) done(Buffer.concat(parts))
      },
    }
  }

  noteEnd(end: ScanEnd): void {
    if (end.status === 'limit') this.#limitAt = end.members
    if (end.status === 'damaged' || end.status === 'limit') {
      this.#note(end.status === 'limit' ? 'ARCHIVE_LIMIT' : 'ARCHIVE_DAMAGED', null, end.offset, describeEnd(end))
    }
  }

  /** The bytes of one file member: kept from pass 1, else read from the archive again. */
  async contentOf(p: string): Promise<Buffer | null> {
    const node = this.nodes.get(p)
    if (node?.type !== 'file') return null
    const stored = node.hardLinkOf === null ? node : this.nodes.get(node.hardLinkOf)
    if (stored?.content) return stored.content
    if (stored === undefined || stored.ordinal === null) return null
    let found: Buffer | null = null
    await scanArchive(this.absPath, this.compression, async (h) => {
      if (h.ordinal > stored.ordinal!) return 'stop'
      return h.ordinal === stored.ordinal ? this.#collect((data) => (found = data)) : null
    })
    return found
  }

  /** SHA-256 of a member's stored bytes (as `tar -xOf archive member | sha256sum`), or null if unreadable. */
  async sha256Of(ordinal: number): Promise<string | null> {
    if (this.#limitAt !== null && ordinal >= this.#limitAt) return null
    if (!this.#digests.has(ordinal)) {
      await scanArchive(this.absPath, this.compression, async (h) => {
        if (h.ordinal > ordinal) return 'stop'
        return h.ordinal === ordinal ? this.#hashing(ordinal, null) : null
      })
    }
    return this.#digests.get(ordinal) ?? null
  }

  /** Hashes a member's bytes on their way to `out` (if any); a consumer that stops early does not stop the hash. */
  #hashing(ordinal: number, out: PassThrough | null): MemberSink {
    const hash = createHash('sha256')
    return {
      data: async (chunk) => {
        hash.update(chunk)
        if (out === null || out.destroyed) return
        if (!out.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              out.off('drain', done)
              out.off('close', done)
              resolve()
            }
            out.on('drain', done)
            out.on('close', done)
          })
        }
      },
      end: (error) => {
        if (error === undefined) this.#digests.set(ordinal, hash.digest('hex'))
        if (out !== null && !out.destroyed) {
          if (error === undefined) out.end()
          else out.destroy(error)
        }
      },
    }
  }

  /**
   * Pass 2: streams the archive once and calls `read` for each wanted member (by ordinal) with a
   * stream of its bytes, as it goes by, one at a time. `read` may stop early: the rest is skipped.
   */
  async readMembers(wanted: ReadonlyMap<number, (bytes: Readable) => Promise<void>>): Promise<void> {
    const last = Math.max(-1, ...wanted.keys())
    let failure: unknown = null
    await scanArchive(this.absPath, this.compression, async (h) => {
      if (h.ordinal > last || (this.#limitAt !== null && h.ordinal >= this.#limitAt)) return 'stop'
      const read = wanted.get(h.ordinal)
      if (read === undefined) return null
      const out = new PassThrough({ highWaterMark: 1024 * 1024 })
      const reading = read(out)
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => out.destroy())
      const sink = this.#hashing(h.ordinal, out)
      return {
        data: sink.data,
        end: async (error) => {
          await sink.end(error)
          await reading
        },
      }
    })
    if (failure !== null) throw failure
  }
}

/** Pass 1 results by file identity: discovery, the unit-state reader and the report open the same archive once. */
const opened = new Map<string, Promise<EvidenceArchive | null>>()

/** The archive at `absPath`, indexed; null when the file is not a tar archive (plain, gzip or xz). */
export async function openArchive(absPath: string): Promise<EvidenceArchive | null> {
  const info = await stat(absPath)
  const key = `${absPath}\0${info.size}\0${info.mtimeMs}`
  let archive = opened.get(key)
  if (archive === undefined) {
    archive = (async () => {
      const sniffed = await sniffArchive(absPath)
      if (sniffed === undefined) return null
      const a = new EvidenceArchive(absPath, sniffed.compression)
      a.noteEnd(await scanArchive(absPath, sniffed.compression, (h) => a.index(h)))
      return a
    })()
    opened.set(key, archive)
  }
  return archive
}
