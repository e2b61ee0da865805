import { createHash } from 'node:crypto'

/**
 * The sampling seed of one item: from the run's seed and the item's id, so an item gets the same
 * seed whether it is answered first, after a resume, or in a run with another --limit.
 */
export function itemSeed(runSeed: number, itemId: string): number {
  return createHash('sha256').update(`${runSeed}\u0000${itemId}`).digest().readUInt32BE(0)
}
