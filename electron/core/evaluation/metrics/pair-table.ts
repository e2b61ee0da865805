// An n-gram is interned as the pair (id of its first n−1 tokens, its last token), so every n-gram
// of every order gets a small dense integer id without building a string or a tuple. Open
// addressing over typed arrays; clear() is O(1) (a generation stamp), as the scorer clears it per item.

const EMPTY = -1

export class PairTable {
  private firsts: Int32Array
  private seconds: Int32Array
  private ids: Int32Array
  /** A slot is live only when its stamp is the current generation. */
  private stamps: Int32Array
  private generation = 1
  private mask: number
  /** Ids handed out since the last clear: 0 … size − 1. */
  size = 0

  constructor(capacity = 1024) {
    let slots = 16
    while (slots < capacity * 2) slots *= 2
    this.firsts = new Int32Array(slots)
    this.seconds = new Int32Array(slots)
    this.ids = new Int32Array(slots)
    this.stamps = new Int32Array(slots)
    this.mask = slots - 1
  }

  clear(): void {
    this.size = 0
    this.generation++
    if (this.generation === 0x7fffffff) {
      this.stamps.fill(0)
      this.generation = 1
    }
  }

  /** The pair's id, or −1 when it was never interned. */
  find(first: number, second: number): number {
    let slot = hash(first, second) & this.mask
    for (;;) {
      if (this.stamps[slot] !== this.generation) return EMPTY
      if (this.firsts[slot] === first && this.seconds[slot] === second) return this.ids[slot] as number
      slot = (slot + 1) & this.mask
    }
  }

  /** The pair's id, a new one (the next integer) when it is new. */
  intern(first: number, second: number): number {
    let slot = hash(first, second) & this.mask
    for (;;) {
      if (this.stamps[slot] !== this.generation) break
      if (this.firsts[slot] === first && this.seconds[slot] === second) return this.ids[slot] as number
      slot = (slot + 1) & this.mask
    }
    const id = this.size++
    this.stamps[slot] = this.generation
    this.firsts[slot] = first
    this.seconds[slot] = second
    this.ids[slot] = id
    if (this.size * 2 > this.mask) this.grow()
    return id
  }

  private grow(): void {
    const { firsts, seconds, ids, stamps, generation } = this
    const slots = (this.mask + 1) * 2
    this.firsts = new Int32Array(slots)
    this.seconds = new Int32Array(slots)
    this.ids = new Int32Array(slots)
    this.stamps = new Int32Array(slots)
    this.mask = slots - 1
    this.generation = 1
    for (let old = 0; old < stamps.length; old++) {
      if (stamps[old] !== generation) continue
      const first = firsts[old] as number
      const second = seconds[old] as number
      let slot = hash(first, second) & this.mask
      while (this.stamps[slot] === 1) slot = (slot + 1) & this.mask
      this.stamps[slot] = 1
      this.firsts[slot] = first
      this.seconds[slot] = second
      this.ids[slot] = ids[old] as number
    }
  }
}

function hash(first: number, second: number): number {
  let h = Math.imul(first ^ 0x27d4eb2d, 0x9e3779b1) ^ second
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  return h ^ (h >>> 13)
}
