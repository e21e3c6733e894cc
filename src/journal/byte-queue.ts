/**
 * Pull-style reads over a byte stream, for binary-safe framings (the Journal Export Format):
 * lines of any length without holding them, exact byte counts across chunk boundaries, and
 * putting bytes back. Tracks the byte offset and the number of `\n` bytes consumed, so callers
 * can cite `path:line` where the line number is what `grep -n` or an editor would show.
 */

const NEWLINE = 0x0a

export interface QueuePosition {
  /** 1-based line of the next byte. */
  line: number
  /** Byte offset of the next byte. */
  offset: number
  /** True when the next byte starts a line (start of input, or right after a `\n`). */
  atLineStart: boolean
}

export interface QueueLine {
  /** The line without its `\n`, or only its first `keep` bytes when it was longer. */
  bytes: Buffer
  /** Full length in bytes, without the `\n`. */
  length: number
  /** False when the input ended before a `\n`. */
  terminated: boolean
}

function countNewlines(b: Buffer): number {
  let n = 0
  for (let i = b.indexOf(NEWLINE); i !== -1; i = b.indexOf(NEWLINE, i + 1)) n++
  return n
}

export class ByteQueue {
  readonly #source: AsyncIterator<Buffer | string> | Iterator<Buffer | string>
  /** Unconsumed chunks; the first is consumed from #pos on. */
  #chunks: Buffer[] = []
  #pos = 0
  /** Unconsumed bytes in #chunks. */
  #size = 0
  #ended = false
  #offset = 0
  #newlines = 0
  #atLineStart = true

  constructor(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>) {
    this.#source = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()
  }

  position(): QueuePosition {
    return { line: this.#newlines + 1, offset: this.#offset, atLineStart: this.#atLineStart }
  }

  async #pull(): Promise<boolean> {
    while (!this.#ended) {
      const next = await this.#source.next()
      if (next.done === true) {
        this.#ended = true
        return false
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
      if (chunk.length > 0) {
        this.#chunks.push(chunk)
        this.#size += chunk.length
        return true
      }
    }
    return false
  }

  #available(): number {
    return this.#size
  }

  #consumed(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.#offset += bytes.length
    this.#newlines += countNewlines(bytes)
    this.#atLineStart = bytes[bytes.length - 1] === NEWLINE
  }

  /** Takes `n` bytes off the front of the chunk list (the caller made sure they are there). */
  #take(n: number): Buffer {
    const parts: Buffer[] = []
    let want = n
    while (want > 0) {
      const first = this.#chunks[0]!
      const piece = first.subarray(this.#pos, this.#pos + want)
      parts.push(piece)
      want -= piece.length
      this.#pos += piece.length
      if (this.#pos === first.length) {
        this.#chunks.shift()
        this.#pos = 0
      }
    }
    const out = parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts)
    this.#size -= n
    this.#consumed(out)
    return out
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return this.#available() === 0 && !(await this.#pull())
  }

  /** Whether the next bytes are `prefix` (false when fewer bytes are left); consumes nothing. */
  async startsWith(prefix: Buffer): Promise<boolean> {
    while (this.#available() < prefix.length) if (!(await this.#pull())) return false
    for (let i = 0, chunk = 0, at = this.#pos; i < prefix.length; i++, at++) {
      while (at >= this.#chunks[chunk]!.length) {
        chunk++
        at = 0
      }
      if (this.#chunks[chunk]![at] !== prefix[i]) return false
    }
    return true
  }

  /**
   * Consumes one line through its `\n` (or to the end of the input). Keeps at most `keep` bytes
   * of it: a longer line is consumed without being held. Null at the end of the input.
   */
  async readLine(keep: number): Promise<QueueLine | null> {
    if (this.#available() === 0 && !(await this.#pull())) return null
    const parts: Buffer[] = []
    let kept = 0
    let length = 0
    for (;;) {
      const first = this.#chunks[0]
      if (first === undefined) {
        if (await this.#pull()) continue
        const bytes = Buffer.concat(parts)
        return { bytes, length, terminated: false }
      }
      const nl = first.indexOf(NEWLINE, this.#pos)
      const end = nl === -1 ? first.length : nl
      const piece = first.subarray(this.#pos, end)
      length += piece.length
      if (kept < keep) {
        const held = piece.subarray(0, keep - kept)
        parts.push(Buffer.from(held))
        kept += held.length
      }
      this.#offset += piece.length + (nl === -1 ? 0 : 1)
      this.#size -= piece.length + (nl === -1 ? 0 : 1)
      if (nl === -1) {
        this.#chunks.shift()
        this.#pos = 0
        if (piece.length > 0) this.#atLineStart = false
        continue
      }
      this.#pos = nl + 1
      if (this.#pos === first.length) {
        this.#chunks.shift()
        this.#pos = 0
      }
      this.#newlines++
      this.#atLineStart = true
      return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), length, terminated: true }
    }
  }

  /** Consumes exactly `n` bytes, or what is left when the input ends first. */
  async read(n: number): Promise<Buffer> {
    while (this.#available() < n) if (!(await this.#pull())) break
    return this.#take(Math.min(n, this.#available()))
  }

  /** Puts consumed bytes back in front; `atLineStart` says whether a line starts where they began. */
  unread(bytes: Buffer, atLineStart: boolean): void {
    if (bytes.length === 0) return
    if (this.#pos > 0) {
      this.#chunks[0] = this.#chunks[0]!.subarray(this.#pos)
      this.#pos = 0
    }
    this.#chunks.unshift(bytes)
    this.#size += bytes.length
    this.#offset -= bytes.length
    this.#newlines -= countNewlines(bytes)
    this.#atLineStart = atLineStart
  }
}
