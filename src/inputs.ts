/** Opening evidence for reading: read-only, large chunks, transparent gzip, stdin with a peeked head. */
import { constants, createReadStream, readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable, type TransformOptions } from 'node:stream'
import { createGunzip, type ZlibOptions } from 'node:zlib'
import type { EvidenceFile } from './discovery.ts'
import type { RandomAccessSource } from './parser.ts'

/**
 * Discovery resolved every link inside the evidence (fs/confined.ts), so the path names a regular
 * file: a link (or FIFO) swapped in since then is refused (ELOOP), never followed out of the evidence
 * or waited on.
 */
const READ_ONLY_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

/** Bytes looked at to recognise a format. */
export const SNIFF_BYTES = 64 * 1024
// 64 KiB reads cost ~0.6 s per GB in syscalls and stream overhead; 1 MiB chunks avoid it.
const CHUNK_BYTES = 1024 * 1024
const GZIP_MAGIC = [0x1f, 0x8b]

/** Counts the compressed/raw bytes that went through, for the inventory. */
export interface ByteCount {
  bytes: number
}

/**
 * zlib inflates on libuv's pool, but only while its output buffer has room: with the default 16 KiB,
 * each 256 KiB piece waited for the parser to take the previous one, so inflating and parsing took
 * turns. Room for 16 pieces lets them overlap: on a 1 GB .gz, median 3.15 s against 3.56 s over 7
 * alternating runs each, peak RSS 125 against 122 MiB.
 */
const GUNZIP_AHEAD_BYTES = 4 * 1024 * 1024

function gunzipInto(source: Readable): Readable {
  // @types/node's ZlibOptions lacks highWaterMark, but zlib passes its options on to the Transform it is.
  const options: ZlibOptions & TransformOptions = { chunkSize: 256 * 1024, highWaterMark: GUNZIP_AHEAD_BYTES }
  const gunzip = createGunzip(options)
  source.on('error', (e) => gunzip.destroy(e))
  return source.pipe(gunzip)
}

/** A fresh decompressed byte stream of a file, opened read-only. */
export function openFile(file: EvidenceFile, counter?: ByteCount): Readable {
  if (file.absPath === null) throw new Error('stdin cannot be reopened')
  // fs.open() takes numeric flags here too; @types/node only lists strings, which cannot say O_NOFOLLOW.
  const raw = createReadStream(file.absPath, { flags: READ_ONLY_NO_FOLLOW as unknown as string, highWaterMark: CHUNK_BYTES })
  if (counter) raw.on('data', (c: Buffer | string) => (counter.bytes += c.length))
  return file.compression === 'gzip' ? gunzipInto(raw) : raw
}

/** The first SNIFF_BYTES (decompressed) of a file, as text. */
export async function readHead(file: EvidenceFile): Promise<string> {
  const stream = openFile(file)
  const parts: Buffer[] = []
  let got = 0
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer)
      got += (chunk as Buffer).length
      if (got >= SNIFF_BYTES) break
    }
  } catch (error) {
    // A damaged file still gets sniffed on whatever came out before the damage; one that cannot be
    // opened or read at all (EACCES, ELOOP: a link swapped in) is the caller's to report.
    if (got === 0 && (error as NodeJS.ErrnoException).syscall !== undefined) throw error
  } finally {
    stream.destroy()
  }
  return Buffer.concat(parts).subarray(0, SNIFF_BYTES).toString('utf8')
}

/** Reads up to SNIFF_BYTES of a one-shot stream; returns them and a stream of everything (head included). */
async function peekBytes(source: Readable, onBytes: (n: number) => void): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>
  const parts: Buffer[] = []
  let got = 0
  let done = false
  while (got < SNIFF_BYTES) {
    const next = await iterator.next()
    if (next.done) {
      done = true
      break
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
    parts.push(chunk)
    got += chunk.length
  }
  const head = Buffer.concat(parts)
  onBytes(head.length)
  async function* all(): AsyncGenerator<Buffer> {
    yield head
    if (done) return
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
      onBytes(chunk.length)
      yield chunk
    }
  }
  return { head: head.subarray(0, SNIFF_BYTES), stream: Readable.from(all(), { objectMode: false }) }
}

/** stdin can be read once: peek its head, then hand out head + rest as one stream (gunzipped if gzip). */
export async function peekStream(source: Readable, counter: ByteCount): Promise<{ head: string; stream: Readable }> {
  const raw = await peekBytes(source, (n) => (counter.bytes += n))
  if (raw.head[0] === GZIP_MAGIC[0] && raw.head[1] === GZIP_MAGIC[1]) {
    const inflated = await peekBytes(gunzipInto(raw.stream), () => {})
    return { head: inflated.head.toString('utf8'), stream: inflated.stream }
  }
  return { head: raw.head.toString('utf8'), stream: raw.stream }
}

/** Inputs that cannot be read in place are held in memory up to this size (a journal file's default cap is 128 MiB). */
export const RANDOM_ACCESS_MEMORY_CAP = 256 * 1024 * 1024

/** A plain file read in place with positional reads; nothing is loaded beyond what is asked for. */
export async function fileSource(absPath: string): Promise<RandomAccessSource> {
  const handle = await open(absPath, READ_ONLY_NO_FOLLOW)
  const { size } = await handle.stat()
  // Synchronous: a journal is read in many small page reads, and a hop through libuv's thread pool
  // for each left the thread idle about a sixth of the time; the data is usually in the page cache.
  const readInto = (target: Buffer, offset: number): number => {
    const want = Math.max(0, Math.min(target.length, size - offset))
    let got = 0
    while (got < want) {
      const bytesRead = readSync(handle.fd, target, got, want - got, offset + got)
      if (bytesRead === 0) break
      got += bytesRead
    }
    return got
  }
  return {
    size,
    async read(offset, length) {
      // Not zero-filled: only the bytes read are handed out (zeroing fresh memory costs more than the read).
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)))
      const got = readInto(buffer, offset)
      return got === buffer.length ? buffer : buffer.subarray(0, got)
    },
    readInto,
    close: () => handle.close(),
  }
}

export class InputTooLargeError extends Error {}

/** A stream (decompressed file, stdin, archive member) held in memory, refused beyond `cap` bytes. */
export async function bufferedSource(stream: Readable, cap = RANDOM_ACCESS_MEMORY_CAP): Promise<RandomAccessSource> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += b.length
    if (size > cap) {
      stream.destroy()
      throw new InputTooLargeError(`over ${cap} bytes once decompressed: too large to hold in memory for random access`)
    }
    parts.push(b)
  }
  return bufferSource(Buffer.concat(parts))
}

export function bufferSource(data: Buffer): RandomAccessSource {
  return {
    size: data.length,
    read: async (offset, length) => data.subarray(Math.min(offset, data.length), Math.min(offset + length, data.length)),
    readInto: (target, offset) => data.copy(target, 0, Math.min(offset, data.length), Math.min(offset + target.length, data.length)),
    close: async () => {},
  }
}
