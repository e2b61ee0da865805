import { describe, expect, it } from 'vitest'
import { outcomeOf, reviewAgreement, tallyReview, wilsonInterval, wilsonZ, type KeyedJudgement, type ReviewOutcome } from '../../electron/core/evaluation/review/review-statistics.ts'

// The blind review's statistics against values worked out by hand (Wilson's bounds with 40-digit
// decimal arithmetic, the kappas as fractions in the comments).

describe('Wilson 95 % score interval', () => {
  it.each([
    [7, 10, 0.3967781453459709, 0.892208733443606],
    [0, 10, 0, 0.2775328030260577],
    [10, 10, 0.7224671969739423, 1],
    [1, 1, 0.2065493117918027, 1],
    [5, 10, 0.2365930890114794, 0.7634069109885206],
    [43, 120, 0.2781607899222678, 0.44729464069738],
  ])('%i of %i', (k, n, low, high) => {
    const interval = wilsonInterval(k, n)
    expect(interval?.low).toBeCloseTo(low, 9)
    expect(interval?.high).toBeCloseTo(high, 9)
    expect(Math.abs((interval?.low ?? NaN) - low)).toBeLessThan(1e-9)
    expect(Math.abs((interval?.high ?? NaN) - high)).toBeLessThan(1e-9)
  })

  it('is undefined without judgements, and uses z = 1.959964', () => {
    expect(wilsonInterval(0, 0)).toBeNull()
    expect(wilsonZ).toBe(1.959964)
  })
})

describe('choices mapped back through the key', () => {
  it('first / second by the side shown first; a tie stays a tie', () => {
    expect(outcomeOf('first', 'a')).toBe('a')
    expect(outcomeOf('first', 'b')).toBe('b')
    expect(outcomeOf('second', 'a')).toBe('b')
    expect(outcomeOf('second', 'b')).toBe('a')
    expect(outcomeOf('tie', 'a')).toBe('tie')
    expect(outcomeOf('tie', 'b')).toBe('tie')
  })
})

const judged = (reviewer: string, outcomes: string): KeyedJudgement[] =>
  outcomes.split(' ').map((outcome, index) => ({ itemId: `i${index + 1}`, reviewer, outcome: outcome as ReviewOutcome }))

describe('agreement between reviewers', () => {
  it("two reviewers on ten items: 70 % agreement, Cohen's κ = 0.34/0.64, Fleiss' κ = 0.335/0.635", () => {
    // X: a×5 tie×2 b×3; Y: a×4 tie×2 b×4; they agree on 7 items.
    // Cohen: p_e = .5·.4 + .2·.2 + .3·.4 = .36, κ = (.7 − .36)/(1 − .36) = .53125.
    // Fleiss: p = (.45, .2, .35), P_e = .365, κ = (.7 − .365)/(.635).
    const judgements = [...judged('D001', 'a a a a a tie tie b b b'), ...judged('D002', 'a a a a b tie b b b tie')]
    const agreement = reviewAgreement(judgements)
    expect(agreement.itemsJudgedTwice).toBe(10)
    expect(agreement.percentAgreement).toBeCloseTo(0.7, 12)
    expect(agreement.cohenKappa).toEqual({ reviewers: ['D001', 'D002'], items: 10, kappa: expect.closeTo(0.53125, 12) })
    expect(agreement.fleissKappa).toBeCloseTo(0.335 / 0.635, 12)
  })

  it("three reviewers, a varying number per item: Fleiss' κ = 49/174, no Cohen's κ", () => {
    // i1 a,a,a (P=1); i2 a,a,b (P=1/3); i3 tie,b (P=0); i4 b,b (P=1); i5 judged once (left out).
    // P̄ = 7/12; p = (5, 1, 4)/10, P_e = .42; κ = (7/12 − .42)/.58 = 49/174.
    const judgements: KeyedJudgement[] = [
      { itemId: 'i1', reviewer: 'D001', outcome: 'a' },
      { itemId: 'i1', reviewer: 'D002', outcome: 'a' },
      { itemId: 'i1', reviewer: 'N001', outcome: 'a' },
      { itemId: 'i2', reviewer: 'D001', outcome: 'a' },
      { itemId: 'i2', reviewer: 'D002', outcome: 'a' },
      { itemId: 'i2', reviewer: 'N001', outcome: 'b' },
      { itemId: 'i3', reviewer: 'D001', outcome: 'tie' },
      { itemId: 'i3', reviewer: 'N001', outcome: 'b' },
      { itemId: 'i4', reviewer: 'D002', outcome: 'b' },
      { itemId: 'i4', reviewer: 'N001', outcome: 'b' },
      { itemId: 'i5', reviewer: 'D001', outcome: 'a' },
    ]
    const agreement = reviewAgreement(judgements)
    expect(agreement.itemsJudgedTwice).toBe(4)
    expect(agreement.percentAgreement).toBeCloseTo(7 / 12, 12)
    expect(agreement.fleissKappa).toBeCloseTo(49 / 174, 12)
    expect(agreement.cohenKappa).toBeNull()
  })

  it('nothing judged twice: no agreement; everyone alike: agreement 1, κ undefined', () => {
    expect(reviewAgreement(judged('D001', 'a b tie'))).toEqual({ itemsJudgedTwice: 0, percentAgreement: null, fleissKappa: null, cohenKappa: null })
    const alike = reviewAgreement([...judged('D001', 'a a'), ...judged('D002', 'a a')])
    expect(alike).toEqual({ itemsJudgedTwice: 2, percentAgreement: 1, fleissKappa: null, cohenKappa: { reviewers: ['D001', 'D002'], items: 2, kappa: null } })
  })
})

describe('the tally', () => {
  it('win / tie / loss over every reviewer’s first judgement of an item, with Wilson intervals', () => {
    const judgements = [
      ...judged('D001', 'a a a a a tie tie b b b'),
      ...judged('D002', 'a a'),
      // A second judgement of i1 by D001 does not count.
      { itemId: 'i1', reviewer: 'D001', outcome: 'b' as const },
    ]
    const tally = tallyReview(judgements)
    expect(tally.judgements).toBe(12)
    expect(tally.reviewers).toBe(2)
    expect(tally.itemsJudged).toBe(10)
    expect(tally.aWins).toMatchObject({ count: 7, rate: 7 / 12 })
    expect(tally.ties).toMatchObject({ count: 2, rate: 2 / 12 })
    expect(tally.bWins).toMatchObject({ count: 3, rate: 3 / 12 })
    const interval = wilsonInterval(7, 12)
    expect(tally.aWins.low).toBe(interval?.low)
    expect(tally.aWins.high).toBe(interval?.high)
    expect(tally.agreement).toMatchObject({ itemsJudgedTwice: 2, percentAgreement: 1 })
  })

  it('no judgements: counts of zero and no rates', () => {
    expect(tallyReview([]).aWins).toEqual({ count: 0, rate: null, low: null, high: null })
  })
})
