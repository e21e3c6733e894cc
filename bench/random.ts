/** A small seeded PRNG (mulberry32) so generated evidence is the same on every machine for a given seed. */
export class Random {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  hex(digits: number): string {
    let s = ''
    while (s.length < digits) s += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0')
    return s.slice(0, digits)
  }

  ip(): string {
    return `${this.pick([192, 198, 203, 10])}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const t = items[i]!
      items[i] = items[j]!
      items[j] = t
    }
    return items
  }
}
