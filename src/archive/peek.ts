/**
 * The head of an archive member for routing, and a stream of all of it (gunzipped when it is gzip:
 * `var/log/dpkg.log.2.gz` inside the tar). A member cut off by damage keeps what came before the
 * damage: the stream yields it, then fails, so the parser reads every whole line and says where it stopped.
 */
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { SNIFF_BYTES } from '../inputs.ts'
import { isGzip } from './sniff.ts'

async function peekSalvaging(source: Readable): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const parts: Buffer[] = []
  let got = 0
  let done = false
  let failure: unknown = null
  while (got < SNIFF_BYTES) {
    try {
      const next = await iterator.next()
      if (next.done) {
        done = true
        break
      }
      parts.push(next.value)
      got += next.value.length
    } catch (error) {
      failure = error
      break
    }
  }
  const head = Buffer.concat(parts)
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head
    if (failure !== null) throw failure
    if (done) return
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return { head, stream: Readable.from(all(), { objectMode: false }) }
}

export async function peekMember(bytes: Readable): Promise<{ head: string; stream: Readable }> {
  const raw = await peekSalvaging(bytes)
  if (!isGzip(raw.head)) return { head: raw.head.subarray(0, SNIFF_BYTES).toString('utf8'), stream: raw.stream }
  const gunzip = createGunzip({ chunkSize: 256 * 1024 })
  raw.stream.on('error', (e) => gunzip.destroy(e))
  const inflated = await peekSalvaging(raw.stream.pipe(gunzip))
  return { head: inflated.head.subarray(0, SNIFF_BYTES).toString('utf8'), stream: inflated.stream }
}
