/**
 * One streaming pass over a tar archive (plain, gzip or xz): member headers and their bytes in
 * archive order, nothing extracted, with bounds against decompression bombs. Damage (a cut-off
 * file, a corrupt block, a bad header) ends the pass; everything before it has been delivered.
 */
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import tar from 'tar-stream'
import type { ArchiveCompression } from './sniff.ts'
import { loadXzReadableStream } from '../xz.ts'

/** Bounds on what a compressed archive may expand to. Plain tar needs none: its bytes are on disk. */
export interface ArchiveLimits {
  /** Stop when the tar stream is more than `ratio` times the compressed bytes read so far… */
  ratio: number
  /** …once it is past this many bytes (small archives of zeros are fine). */
  ratioFloorBytes: number
  /** Stop beyond this many decompressed bytes whatever the ratio. */
  maxBytes: number
}

/**
 * gzip tops out near 1030:1 (zeros), xz far higher; logs compress 5–50:1. 200:1 past 256 MiB is a
 * bomb (or an unsparsed multi-GB lastlog of zeros, which is no evidence either).
 */
export const ARCHIVE_LIMITS: ArchiveLimits = { ratio: 200, ratioFloorBytes: 256 * 1024 * 1024, maxBytes: 64 * 1024 ** 3 }

// Small reads keep the ratio measured closely (a bomb is a few MB of input).
const RAW_CHUNK = 64 * 1024

export type MemberType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char-device' | 'block-device' | 'unknown'

export interface MemberHeader {
  /** Position among the archive's members (0-based; pax/GNU long-name records are not members). */
  ordinal: number
  /** The name as stored (long names already joined). */
  name: string
  type: MemberType
  size: number
  /** Symlink target or hard-link target, verbatim. */
  linkname: string | null
  mtimeUs: number | null
  /** Byte offset of the member's data in the (decompressed) tar stream. */
  offset: number
}

/** Receives one member's bytes; `end` gets the error that cut it off, if any. */
export interface MemberSink {
  data(chunk: Buffer): void | Promise<void>
  end(error?: Error): void | Promise<void>
}

export type ScanEnd =
  | { status: 'complete'; members: number }
  | { status: 'stopped'; members: number }
  | { status: 'damaged'; members: number; message: string; member: string | null; offset: number }
  | { status: 'limit'; members: number; message: string; member: string | null; offset: number }

class LimitReached extends Error {}

/** tar-stream's header, as it really is: GNU sparse and other unknown types come as null, pax records as strings. */
type RawHeader = Omit<tar.Header, 'type' | 'pax' | 'linkname' | 'mtime'> & {
  type: string | null
  linkname: string | null
  mtime?: Date
  pax?: Record<string, string> | null
  byteOffset?: number
}

function typeOf(type: string | null | undefined): MemberType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file'
    case 'directory':
      return 'dir'
    case 'symlink':
      return 'symlink'
    case 'link':
      return 'hardlink'
    case 'fifo':
      return 'fifo'
    case 'character-device':
      return 'char-device'
    case 'block-device':
      return 'block-device'
    default:
      return 'unknown'
  }
}

/** pax `mtime=1709287200.123456789` is exact; the ustar field has whole seconds. */
function mtimeUsOf(header: RawHeader): number | null {
  const pax = header.pax?.['mtime']
  const m = pax === undefined ? null : /^(-?\d+)(?:\.(\d+))?$/.exec(pax)
  if (m) return Number(m[1]) * 1_000_000 + Math.sign(Number(m[1]) || 1) * Number((m[2] ?? '').slice(0, 6).padEnd(6, '0'))
  return header.mtime === undefined ? null : header.mtime.getTime() * 1000
}

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`

/**
 * Streams the archive once. `visit` is called for each member in order and returns a sink for its
 * bytes, null to skip them, or 'stop' to end the pass there.
 */
export async function scanArchive(
  absPath: string,
  compression: ArchiveCompression,
  visit: (header: MemberHeader) => Promise<MemberSink | null | 'stop'>,
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<ScanEnd> {
  const XzReadableStream = compression === 'xz' ? await loadXzReadableStream() : null
  const raw = createReadStream(absPath, { flags: 'r', highWaterMark: RAW_CHUNK })
  let rawBytes = 0
  raw.on('data', (c: Buffer | string) => (rawBytes += c.length))
  const decompressed: Readable =
    compression === 'gzip'
      ? raw.pipe(createGunzip({ chunkSize: RAW_CHUNK }))
      : XzReadableStream !== null
        ? Readable.fromWeb(new XzReadableStream(Readable.toWeb(raw) as never) as never)
        : raw
  if (compression === 'gzip') raw.on('error', (e) => decompressed.destroy(e))
  const extract = tar.extract()
  let tarBytes = 0
  let members = 0
  let current: { name: string; offset: number } | null = null
  let limitMessage: string | null = null

  const feeding = (async () => {
    for await (const chunk of decompressed) {
      tarBytes += (chunk as Buffer).length
      if (compression !== null) {
        const overRatio = tarBytes > limits.ratioFloorBytes && tarBytes > limits.ratio * rawBytes
        if (overRatio || tarBytes > limits.maxBytes) {
          const bound = `over ${limits.ratio}:1 past ${mib(limits.ratioFloorBytes)}`
          limitMessage = overRatio
            ? `${mib(tarBytes)} came out of ${mib(rawBytes)} of compressed data (${bound}): a decompression bomb?`
            : `over ${mib(limits.maxBytes)} decompressed`
          throw new LimitReached(limitMessage)
        }
      }
      if (!extract.write(chunk as Buffer)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            extract.off('drain', done)
            extract.off('close', done)
            resolve()
          }
          extract.once('drain', done)
          extract.once('close', done)
        })
      }
      if (extract.destroyed) return
    }
    extract.end(null)
  })().catch((error: Error) => extract.destroy(error))

  const end = (status: 'damaged' | 'limit', message: string): ScanEnd => ({
    status,
    members,
    message,
    member: current?.name ?? null,
    offset: current?.offset ?? tarBytes,
  })
  try {
    for await (const entry of extract) {
      const h = entry.header as unknown as RawHeader
      const header: MemberHeader = {
        ordinal: members,
        name: h.name,
        type: typeOf(h.type),
        size: h.size ?? 0,
        linkname: h.linkname ?? null,
        mtimeUs: mtimeUsOf(h),
        offset: h.byteOffset ?? 0,
      }
      current = { name: h.name, offset: header.offset }
      const sink = await visit(header)
      if (sink === 'stop') return { status: 'stopped', members }
      try {
        // Read to the end, never break out: an abandoned entry stream would tear down the whole extractor.
        for await (const chunk of entry) if (sink !== null) await sink.data(chunk as Buffer)
      } catch (error) {
        await sink?.end(error as Error)
        throw error
      }
      await sink?.end()
      members++
      current = null
    }
    return { status: 'complete', members }
  } catch (error) {
    if (limitMessage !== null) return end('limit', limitMessage)
    return end('damaged', (error as Error).message)
  } finally {
    extract.destroy()
    decompressed.destroy()
    raw.destroy()
    await feeding
  }
}
