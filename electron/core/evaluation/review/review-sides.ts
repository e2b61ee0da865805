import { createHash, randomBytes } from 'node:crypto'

// Which run's answer a reviewer sees first, drawn per item. The draw is balanced: of n items, run A
// is first on ⌊n/2⌋ or ⌈n/2⌉ of them (for odd n the seed decides which), and which items those are
// is a uniform random shuffle. So the position of an answer says nothing about its run (over seeds,
// first is A with probability exactly ½ for every item), and neither do the item's place in the
// review or its id: the assignment depends on the seed and the number of items only, never on ids.

/** Which run wrote the answer shown first. */
export type FirstSide = 'a' | 'b'

/** A fresh seed: 32 random bytes as hex, kept in key.json so the draw can be checked later. */
export function newReviewSeed(): string {
  return randomBytes(32).toString('hex')
}

/** A stream of uniform 32-bit integers from the seed: SHA-256(seed ‖ block number), block after block. */
class SeededStream {
  readonly #seed: string
  #block = 0
  #buffer = Buffer.alloc(0)
  #offset = 0

  constructor(seed: string) {
    this.#seed = seed
  }

  #uint32(): number {
    if (this.#offset + 4 > this.#buffer.length) {
      this.#buffer = createHash('sha256').update(`${this.#seed}:${this.#block++}`).digest()
      this.#offset = 0
    }
    const value = this.#buffer.readUInt32BE(this.#offset)
    this.#offset += 4
    return value
  }

  /** Uniform in [0, bound), by rejection (no modulo bias). */
  below(bound: number): number {
    const limit = 2 ** 32 - (2 ** 32 % bound)
    for (;;) {
      const value = this.#uint32()
      if (value < limit) return value % bound
    }
  }
}

/**
 * The side shown first for each of `count` items, in the review's item order: half A-first, half
 * B-first (the odd one out by the seed), shuffled with Fisher–Yates from the seed.
 */
export function drawFirstSides(count: number, seed: string): FirstSide[] {
  const stream = new SeededStream(seed)
  const extraA = count % 2 === 1 && stream.below(2) === 0 ? 1 : 0
  const aFirst = Math.floor(count / 2) + extraA
  const sides: FirstSide[] = Array.from({ length: count }, (_, index) => (index < aFirst ? 'a' : 'b'))
  for (let index = count - 1; index > 0; index--) {
    const other = stream.below(index + 1)
    const swap = sides[index] as FirstSide
    sides[index] = sides[other] as FirstSide
    sides[other] = swap
  }
  return sides
}
