import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BlindReview, prepareReview } from '../../electron/core/evaluation/review/blind-review.ts'
import { drawFirstSides } from '../../electron/core/evaluation/review/review-sides.ts'
import { runHeader, twoRuns, writeRun } from './eval-review-support.ts'

// Which answer a reviewer sees first: balanced within a review, and over many seeds worth nothing
// as a clue (first is A half the time at every position); the item's id and place play no part.
// Then a review folder: only common items, the key in its own file, resume and skips.

describe('the draw of sides', () => {
  it('is balanced: of n items, ⌊n/2⌋ or ⌈n/2⌉ show A first', () => {
    for (let n = 0; n <= 41; n++) {
      for (const seed of ['s1', 's2', 's3', 'ffee']) {
        const sides = drawFirstSides(n, seed)
        const aFirst = sides.filter((side) => side === 'a').length
        expect(sides).toHaveLength(n)
        expect([Math.floor(n / 2), Math.ceil(n / 2)]).toContain(aFirst)
      }
    }
  })

  it('is the same for the same seed, and differs between seeds', () => {
    expect(drawFirstSides(20, 'abc')).toEqual(drawFirstSides(20, 'abc'))
    expect(drawFirstSides(20, 'abc')).not.toEqual(drawFirstSides(20, 'abd'))
  })

  it('over 4,000 seeds, first is A at every position about half the time, and for odd n the extra one is A or B alike', () => {
    const seeds = 4000
    for (const n of [7, 12]) {
      const aFirstAt = Array.from({ length: n }, () => 0)
      let oddExtraA = 0
      for (let s = 0; s < seeds; s++) {
        const sides = drawFirstSides(n, `seed-${s}`)
        sides.forEach((side, position) => {
          if (side === 'a') aFirstAt[position] = (aFirstAt[position] ?? 0) + 1
        })
        if (sides.filter((side) => side === 'a').length > n / 2) oddExtraA++
      }
      // Binomial(4000, ½): sd ≈ 31.6; 5 sd either side.
      for (const count of aFirstAt) expect(Math.abs(count - seeds / 2)).toBeLessThan(160)
      if (n % 2 === 1) expect(Math.abs(oddExtraA - seeds / 2)).toBeLessThan(160)
      // Neighbouring positions are not tied together beyond the balance itself (a reviewer cannot
      // tell the next side from this one): P(same side as the previous item) ≈ (n/2 − 1)/(n − 1).
    }
  })

  it('neighbours carry no more than the balance itself: P(next is A | this is A) ≈ (n/2 − 1)/(n − 1)', () => {
    const n = 12
    let both = 0
    let thisA = 0
    for (let s = 0; s < 4000; s++) {
      const sides = drawFirstSides(n, `pair-${s}`)
      for (let i = 0; i + 1 < n; i++) {
        if (sides[i] === 'a') {
          thisA++
          if (sides[i + 1] === 'a') both++
        }
      }
    }
    expect(both / thisA).toBeCloseTo(5 / 11, 1)
  })
})

let dir: string
let review: BlindReview

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-review-'))
  const { a, b } = twoRuns()
  await writeRun(join(dir, 'run-a'), runHeader({ model: 'HuatuoGPT2-7B.Q4_K_M' }), a)
  await writeRun(join(dir, 'run-b'), runHeader({ model: 'HuatuoGPT2-7B.Q8_0' }), b)
  await prepareReview({
    runA: { folder: join(dir, 'run-a'), name: 'run-a' },
    runB: { folder: join(dir, 'run-b'), name: 'run-b' },
    outDir: join(dir, 'review'),
    createdBy: 'A0001',
    id: 'review-test',
    seed: 'fixed-seed',
  })
  review = await BlindReview.open(join(dir, 'review'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('a review folder', () => {
  it('holds the items both runs answered with the same id and question, in run A’s order', () => {
    // q03's question differs in B; q12 only B answered.
    expect(review.document.items.map((item) => item.itemId)).toEqual(['q01', 'q02', 'q04', 'q05', 'q06', 'q07', 'q08', 'q09', 'q10', 'q11'])
  })

  it('keeps the key in key.json only: review.json says nothing of the sides', async () => {
    const document = await readFile(join(dir, 'review', 'review.json'), 'utf8')
    const key = JSON.parse(await readFile(join(dir, 'review', 'key.json'), 'utf8')) as { seed: string; first: Record<string, string> }
    expect(key.seed).toBe('fixed-seed')
    expect(Object.keys(key.first)).toHaveLength(10)
    expect(document).not.toContain('fixed-seed')
    expect(document).not.toMatch(/"(firstIs|side|key)"/)
    const sides = drawFirstSides(10, 'fixed-seed')
    review.document.items.forEach((item, index) => {
      const n = item.itemId.slice(1).replace(/^0/, '')
      expect(key.first[item.itemId]).toBe(sides[index])
      expect(item.first).toBe(`${(sides[index] as string).toUpperCase()}-answer ${n}`)
      expect(item.second).toBe(`${sides[index] === 'a' ? 'B' : 'A'}-answer ${n}`)
    })
    expect(sides.filter((side) => side === 'a')).toHaveLength(5)
    expect((await stat(join(dir, 'review', 'key.json'))).mode & 0o777).toBe(0o600)
  })

  it('resumes: a reviewer’s next item skips what they judged; skipped items come back last, longest-skipped first', async () => {
    const ids = review.document.items.map((item) => item.itemId)
    expect(review.next('D001')).toMatchObject({ itemId: 'q01', skippedBefore: false })
    await review.judge({ itemId: 'q01', reviewer: 'D001', choice: 'first' })
    await review.skip({ itemId: 'q02', reviewer: 'D001' })
    await review.skip({ itemId: 'q04', reviewer: 'D001' })
    expect(review.next('D001')?.itemId).toBe('q05')
    // Another reviewer starts at the beginning.
    expect(review.next('D002')?.itemId).toBe('q01')
    // Read again from the folder, as after a restart.
    let again = await BlindReview.open(join(dir, 'review'))
    for (const id of ids.slice(3)) {
      expect(again.next('D001')?.itemId).toBe(id)
      await again.judge({ itemId: id, reviewer: 'D001', choice: 'tie' })
    }
    expect(again.next('D001')).toMatchObject({ itemId: 'q02', skippedBefore: true })
    await again.skip({ itemId: 'q02', reviewer: 'D001' })
    expect(again.next('D001')?.itemId).toBe('q04')
    await again.judge({ itemId: 'q04', reviewer: 'D001', choice: 'second', reason: '更全面' })
    expect(again.next('D001')?.itemId).toBe('q02')
    await again.judge({ itemId: 'q02', reviewer: 'D001', choice: 'first' })
    expect(again.next('D001')).toBeNull()
    again = await BlindReview.open(join(dir, 'review'))
    expect(again.progress('D001')).toEqual({ reviewId: 'review-test', items: 10, judgedByMe: 10, skippedByMe: 0, judgements: 10, reviewers: 1 })
    await expect(again.judge({ itemId: 'q02', reviewer: 'D001', choice: 'tie' })).rejects.toMatchObject({ code: 'REVIEW_ALREADY_JUDGED' })
    await expect(again.skip({ itemId: 'q02', reviewer: 'D001' })).rejects.toMatchObject({ code: 'REVIEW_ALREADY_JUDGED' })
    await expect(again.judge({ itemId: 'q03', reviewer: 'D001', choice: 'tie' })).rejects.toMatchObject({ code: 'REVIEW_ITEM_NOT_FOUND' })
  })

  it('maps choices back through the key: "first" on an A-first item is a win for A', async () => {
    const again = await BlindReview.open(join(dir, 'review'))
    const sides = drawFirstSides(10, 'fixed-seed')
    // D001: q01 first; q05..q11 tie; q04 second; q02 first.
    const expected = { a: 0, tie: 7, b: 0 }
    const at = (id: string) => sides[review.document.items.findIndex((item) => item.itemId === id)]
    for (const [id, choice] of [['q01', 'first'], ['q04', 'second'], ['q02', 'first']] as const) {
      const firstIsA = at(id) === 'a'
      expected[(choice === 'first') === firstIsA ? 'a' : 'b']++
    }
    const tally = again.tally()
    expect([tally.aWins.count, tally.ties.count, tally.bWins.count]).toEqual([expected.a, expected.tie, expected.b])
  })

  it('survives an unfinished last line (a crash mid-append), and refuses a damaged key', async () => {
    const { appendFile, writeFile } = await import('node:fs/promises')
    await appendFile(join(dir, 'review', 'judgements.jsonl'), '{"itemId":"q01","revie')
    const again = await BlindReview.open(join(dir, 'review'))
    expect(again.judgements).toHaveLength(10)
    await again.judge({ itemId: 'q01', reviewer: 'D002', choice: 'tie' })
    expect((await BlindReview.open(join(dir, 'review'))).judgements).toHaveLength(11)
    await writeFile(join(dir, 'review', 'key.json'), '{"seed":"x","first":{"q01":"a"}}')
    await expect(BlindReview.open(join(dir, 'review'))).rejects.toMatchObject({ code: 'REVIEW_DAMAGED' })
  })
})

describe('the side never depends on the item', () => {
  it('the same seed over renamed and reworded items draws the same sides by place: ids and texts play no part', async () => {
    const { a, b } = twoRuns()
    const rename = (items: typeof a) => items.map((item, index) => ({ ...item, id: `other-${100 - index}`, question: `另一个问题 ${index}` }))
    await writeRun(join(dir, 'renamed-a'), runHeader(), rename(a))
    await writeRun(join(dir, 'renamed-b'), runHeader({ model: 'HuatuoGPT2-7B.Q8_0' }), rename(b))
    const renamed = await prepareReview({
      runA: { folder: join(dir, 'renamed-a'), name: 'renamed-a' },
      runB: { folder: join(dir, 'renamed-b'), name: 'renamed-b' },
      outDir: join(dir, 'renamed-review'),
      createdBy: 'A0001',
      seed: 'fixed-seed',
    })
    // Eleven common items now (nothing differs between the two runs' questions): the draw for 11.
    expect(renamed.document.items.map((item) => renamed.key.first[item.itemId])).toEqual(drawFirstSides(11, 'fixed-seed'))
  })
})

describe('preparing refuses', () => {
  it('runs over different datasets, the same predictions twice, no common item, a missing run', async () => {
    const { a, b } = twoRuns()
    await writeRun(join(dir, 'other-dataset'), runHeader({ datasetSha256: 'e'.repeat(64) }), b)
    await writeRun(join(dir, 'disjoint'), runHeader(), [{ id: 'x1', question: '别的问题', prediction: '…' }])
    await writeRun(join(dir, 'same-a'), runHeader(), a)
    const prepare = (x: string, y: string, out: string) =>
      prepareReview({ runA: { folder: join(dir, x), name: x }, runB: { folder: join(dir, y), name: y }, outDir: join(dir, out), createdBy: 'A0001' })
    await expect(prepare('run-a', 'other-dataset', 'r1')).rejects.toMatchObject({ code: 'REVIEW_DATASETS_DIFFER' })
    await expect(prepare('run-a', 'same-a', 'r2')).rejects.toMatchObject({ code: 'REVIEW_SAME_RUN' })
    await expect(prepare('run-a', 'disjoint', 'r3')).rejects.toMatchObject({ code: 'REVIEW_NO_COMMON_ITEMS' })
    await expect(prepare('run-a', 'nowhere', 'r4')).rejects.toMatchObject({ code: 'REVIEW_RUN_NOT_FOUND' })
    await expect(prepare('run-a', 'run-b', 'review')).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' })
  })
})
