import type { ReviewAgreement, ReviewChoice, ReviewRate } from '../../../contract/evaluation-review.ts'
import type { FirstSide } from './review-sides.ts'

// The blind review's statistics, pure. A reviewer's choice is by position (first / tie / second);
// the key says which run was first on that item, so each choice maps back to an outcome: run A
// better, tie, or run B better.
//
// Rates: each outcome's count over all judgements (every reviewer's), with its Wilson 95 % score
// interval (z = 1.959964). Judgements of one item by several reviewers are not independent, so the
// interval is a guide, not a test; the agreement below says how far reviewers agree.
//
// Agreement, on the items judged by two or more reviewers (outcomes A / tie / B; a reviewer counts
// once per item — their first judgement):
// - percentAgreement: for each such item i with n_i reviewers of which n_ij chose outcome j,
//   P_i = Σ_j n_ij (n_ij − 1) / (n_i (n_i − 1)), the share of agreeing reviewer pairs; the mean of
//   P_i over the items (Fleiss' P̄). With two reviewers per item: the share of items they agree on.
// - fleissKappa: Fleiss' kappa, allowing a varying number of reviewers per item:
//   p_j = Σ_i n_ij / Σ_i n_i, P_e = Σ_j p_j², κ = (P̄ − P_e) / (1 − P_e); null when P_e = 1
//   (every judgement the same outcome: agreement by chance cannot be told apart).
// - cohenKappa: only when exactly two reviewers judged the items that were judged twice (no third
//   reviewer among them): on their common items, p_o = share where both chose alike,
//   p_e = Σ_j p1_j p2_j from each reviewer's own outcome shares on those items,
//   κ = (p_o − p_e) / (1 − p_e); kappa null when p_e = 1.

export type ReviewOutcome = 'a' | 'tie' | 'b'
export const reviewOutcomes: readonly ReviewOutcome[] = ['a', 'tie', 'b']

/** The z of a two-sided 95 % interval. */
export const wilsonZ = 1.959964

export function outcomeOf(choice: ReviewChoice, first: FirstSide): ReviewOutcome {
  if (choice === 'tie') return 'tie'
  const chosenFirst = choice === 'first'
  return chosenFirst === (first === 'a') ? 'a' : 'b'
}

/** Wilson's score interval for k successes of n: null for n = 0. */
export function wilsonInterval(k: number, n: number, z: number = wilsonZ): { low: number; high: number } | null {
  if (n === 0) return null
  const p = k / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

export function reviewRate(count: number, total: number): ReviewRate {
  const interval = wilsonInterval(count, total)
  return { count, rate: total === 0 ? null : count / total, low: interval?.low ?? null, high: interval?.high ?? null }
}

export interface KeyedJudgement {
  itemId: string
  reviewer: string
  outcome: ReviewOutcome
}

/** The first judgement of each (item, reviewer), in file order. */
export function firstPerReviewer(judgements: readonly KeyedJudgement[]): KeyedJudgement[] {
  const seen = new Set<string>()
  return judgements.filter((judgement) => {
    const key = JSON.stringify([judgement.itemId, judgement.reviewer])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export function reviewAgreement(allJudgements: readonly KeyedJudgement[]): ReviewAgreement {
  const judgements = firstPerReviewer(allJudgements)
  const byItem = new Map<string, KeyedJudgement[]>()
  for (const judgement of judgements) byItem.set(judgement.itemId, [...(byItem.get(judgement.itemId) ?? []), judgement])
  const shared = [...byItem.values()].filter((list) => list.length >= 2)
  if (shared.length === 0) return { itemsJudgedTwice: 0, percentAgreement: null, fleissKappa: null, cohenKappa: null }

  let pSum = 0
  let raters = 0
  const totals: Record<ReviewOutcome, number> = { a: 0, tie: 0, b: 0 }
  for (const list of shared) {
    const n = list.length
    const counts: Record<ReviewOutcome, number> = { a: 0, tie: 0, b: 0 }
    for (const { outcome } of list) counts[outcome]++
    pSum += reviewOutcomes.reduce((sum, outcome) => sum + counts[outcome] * (counts[outcome] - 1), 0) / (n * (n - 1))
    raters += n
    for (const outcome of reviewOutcomes) totals[outcome] += counts[outcome]
  }
  const pBar = pSum / shared.length
  const pe = reviewOutcomes.reduce((sum, outcome) => sum + (totals[outcome] / raters) ** 2, 0)
  const fleissKappa = pe === 1 ? null : (pBar - pe) / (1 - pe)

  const reviewers = [...new Set(shared.flatMap((list) => list.map((judgement) => judgement.reviewer)))].sort()
  let cohenKappa: ReviewAgreement['cohenKappa'] = null
  if (reviewers.length === 2) {
    const [first, second] = reviewers as [string, string]
    const pairs = shared.map((list) => [list.find((j) => j.reviewer === first)?.outcome, list.find((j) => j.reviewer === second)?.outcome] as const)
    const n = pairs.length
    const agree = pairs.filter(([x, y]) => x === y).length
    const po = agree / n
    const share = (index: 0 | 1, outcome: ReviewOutcome) => pairs.filter((pair) => pair[index] === outcome).length / n
    const pc = reviewOutcomes.reduce((sum, outcome) => sum + share(0, outcome) * share(1, outcome), 0)
    cohenKappa = { reviewers: [first, second], items: n, kappa: pc === 1 ? null : (po - pc) / (1 - pc) }
  }
  return { itemsJudgedTwice: shared.length, percentAgreement: pBar, fleissKappa, cohenKappa }
}

export interface ReviewTally {
  judgements: number
  reviewers: number
  itemsJudged: number
  aWins: ReviewRate
  ties: ReviewRate
  bWins: ReviewRate
  agreement: ReviewAgreement
}

/** Win / tie / loss over every reviewer's first judgement of each item, and the agreement between reviewers. */
export function tallyReview(allJudgements: readonly KeyedJudgement[]): ReviewTally {
  const judgements = firstPerReviewer(allJudgements)
  const n = judgements.length
  const count = (outcome: ReviewOutcome) => judgements.filter((judgement) => judgement.outcome === outcome).length
  return {
    judgements: n,
    reviewers: new Set(judgements.map((judgement) => judgement.reviewer)).size,
    itemsJudged: new Set(judgements.map((judgement) => judgement.itemId)).size,
    aWins: reviewRate(count('a'), n),
    ties: reviewRate(count('tie'), n),
    bWins: reviewRate(count('b'), n),
    agreement: reviewAgreement(judgements),
  }
}
