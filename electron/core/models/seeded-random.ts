// Reproducible pseudo-random weights for generated test models. Integer arithmetic only (no
// Math.random, no transcendental functions), so the same seed gives the same bytes on every machine.

/** FNV-1a over a string's UTF-16 units, mixed with a seed: one independent stream per tensor name. */
export function streamSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0)
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** Mulberry32: a small, fast 32-bit generator; plenty for filling weights. */
export class SeededRandom {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /**
   * Bell-shaped, mean 0, standard deviation `deviation`: the sum of three uniforms (Irwin–Hall),
   * bounded at ±3 deviations, so logits stay finite however the weights combine.
   */
  nextWeight(deviation: number): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2 * deviation
  }
}
