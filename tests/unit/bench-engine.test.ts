import { describe, expect, it } from 'vitest'
import { formatRatio, interleaved, median, ratio, roundForJson, streamedTokensPerSecond } from '../../tests/bench/bench-stats.ts'

// The arithmetic of `npm run bench:engine` (the benchmark itself is not run here: it takes minutes).

describe('engine benchmark helpers', () => {
  it('median of odd and even counts, unsorted input left alone', () => {
    const values = [5, 1, 4]
    expect(median(values)).toBe(4)
    expect(values).toEqual([5, 1, 4])
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(() => median([])).toThrow()
  })

  it('streamed tokens/s counts only the text after the first piece, over the time after it', () => {
    // 100 tokens; the first piece holds a fifth of the text (a coalesced delta), the rest arrives over 400 ms.
    const chunks = [
      { at: 1000, text: 'aaaa' },
      { at: 1100, text: '' },
      { at: 1200, text: 'aaaaaaaa' },
      { at: 1400, text: 'aaaaaaaa' },
    ]
    expect(streamedTokensPerSecond(chunks, 100)).toBeCloseTo(200)
    // One token per piece (a raw stream): 9 tokens after the first over 900 ms.
    const perToken = Array.from({ length: 10 }, (_, i) => ({ at: i * 100, text: '病' }))
    expect(streamedTokensPerSecond(perToken, 10)).toBeCloseTo(10)
    expect(streamedTokensPerSecond([{ at: 5, text: 'x' }], 1)).toBeNull()
    expect(streamedTokensPerSecond([], 0)).toBeNull()
  })

  it('ratios: two decimals for people, three in the JSON line, n/a and null when undefined', () => {
    expect(formatRatio(ratio(97, 100))).toBe('0.97')
    expect(roundForJson(ratio(1, 3))).toBe(0.333)
    expect(formatRatio(ratio(1, 0))).toBe('n/a')
    expect(roundForJson(ratio(1, 0))).toBeNull()
  })

  it('interleaving rotates which side runs first, and keeps results by side', async () => {
    const order: string[] = []
    const side = (name: string) => async () => (order.push(name), name)
    const results = await interleaved(3, [side('a'), side('b'), side('c')])
    expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b'])
    expect(results).toEqual([
      ['a', 'a', 'a'],
      ['b', 'b', 'b'],
      ['c', 'c', 'c'],
    ])
  })
})
