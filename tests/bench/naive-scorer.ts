// The straightforward way to compute the same metrics, as a short script would: tokens as arrays of
// strings, n-grams as joined string keys in Maps, one Map per reference and order, the LCS with the
// full quadratic table, BLEU's logs summed left to right. bench:eval times it beside the scorer, and a
// unit test checks both give the same numbers.
import type { EvaluationScores } from '../../electron/contract/evaluation.ts'

interface NaiveItem {
  prediction: string
  references: readonly string[]
}

const tokens = (text: string): string[] => Array.from(text.replace(/\p{White_Space}/gu, ''))

function ngrams(seq: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i + n <= seq.length; i++) {
    const key = seq.slice(i, i + n).join('\u0000')
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

function overlap(hyp: Map<string, number>, ref: Map<string, number>): number {
  let sum = 0
  for (const [key, count] of hyp) sum += Math.min(count, ref.get(key) ?? 0)
  return sum
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)

function f(match: number, hyp: number, ref: number): number {
  const p = hyp > 0 ? match / hyp : 0
  const r = ref > 0 ? match / ref : 0
  return p > 0 && r > 0 ? (2 * p * r) / (p + r) : 0
}

function lcsTable(a: readonly string[], b: readonly string[]): number {
  const table: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = 1; i <= a.length; i++) {
    const row = table[i] as number[]
    const above = table[i - 1] as number[]
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? (above[j - 1] as number) + 1 : Math.max(above[j] as number, row[j - 1] as number)
  }
  return (table[a.length] as number[])[b.length] as number
}

function bleuFrom(matches: number[], totals: number[], hypLength: number, refLength: number, order: number, smooth: boolean): number {
  if (matches[0] === 0) return 0
  let logSum = 0
  for (let n = 0; n < order; n++) {
    const m = matches[n] as number
    const p = m !== 0 ? m / (totals[n] as number) : smooth ? 0.1 / (totals[n] as number) : 2.2250738585072014e-308
    logSum += Math.log(p) / order
  }
  const bp = hypLength > refLength ? 1 : hypLength === 0 ? 0 : Math.exp(1 - refLength / hypLength)
  return bp * Math.exp(logSum)
}

export function naiveScores(items: readonly NaiveItem[]): EvaluationScores {
  const matches = [0, 0, 0, 0]
  const totals = [0, 0, 0, 0]
  let hypLength = 0
  let refLength = 0
  let gleuMatch = 0
  let gleuAll = 0
  const sentence = [0, 0, 0, 0]
  let r1 = 0
  let r2 = 0
  let rl = 0
  let scored = 0
  const all: string[][] = []
  for (const item of items) {
    const hyp = tokens(item.prediction)
    all.push(hyp)
    const refs = item.references.map(tokens).filter((ref) => ref.length > 0)
    if (refs.length === 0) continue
    scored++
    const hypGrams = [1, 2, 3, 4].map((n) => ngrams(hyp, n))
    const refGrams = refs.map((ref) => [1, 2, 3, 4].map((n) => ngrams(ref, n)))
    const own = hypGrams.map((grams, n) => {
      let sum = 0
      for (const [key, count] of grams) sum += Math.min(count, Math.max(...refGrams.map((ref) => (ref[n] as Map<string, number>).get(key) ?? 0)))
      return sum
    })
    const ownTotals = hypGrams.map((grams) => Math.max(1, total(grams)))
    const closest = refs.map((ref) => ref.length).sort((a, b) => Math.abs(a - hyp.length) - Math.abs(b - hyp.length) || a - b)[0] as number
    own.forEach((m, n) => {
      matches[n] = (matches[n] as number) + m
      totals[n] = (totals[n] as number) + (ownTotals[n] as number)
    })
    hypLength += hyp.length
    refLength += closest
    for (let order = 1; order <= 4; order++) sentence[order - 1] = (sentence[order - 1] as number) + bleuFrom(own, ownTotals, hyp.length, closest, order, true)
    let best: [number, number] | null = null
    const hypAll = hypGrams.reduce((sum, grams) => sum + total(grams), 0)
    for (const ref of refGrams) {
      const all4 = Math.max(hypAll, ref.reduce((sum, grams) => sum + total(grams), 0))
      if (all4 === 0) continue
      const tp = hypGrams.reduce((sum, grams, n) => sum + overlap(grams, ref[n] as Map<string, number>), 0)
      if (best === null || tp / all4 > best[0] / best[1]) best = [tp, all4]
    }
    if (best) {
      gleuMatch += best[0]
      gleuAll += best[1]
    }
    r1 += Math.max(...refGrams.map((ref, r) => f(overlap(hypGrams[0] as Map<string, number>, ref[0] as Map<string, number>), Math.max(0, hyp.length), (refs[r] as string[]).length)))
    r2 += Math.max(...refGrams.map((ref, r) => f(overlap(hypGrams[1] as Map<string, number>, ref[1] as Map<string, number>), Math.max(0, hyp.length - 1), Math.max(0, (refs[r] as string[]).length - 1))))
    rl += Math.max(...refs.map((ref) => f(lcsTable(hyp, ref), hyp.length, ref.length)))
  }
  const mean = (sum: number) => (scored === 0 ? 0 : 100 * (sum / scored))
  const distinct = (n: number) => {
    const seen = new Set<string>()
    let count = 0
    for (const hyp of all) {
      for (const [key, c] of ngrams(hyp, n)) {
        seen.add(key)
        count += c
      }
    }
    return count === 0 ? 0 : seen.size / count
  }
  return {
    count: { scored, unscored: items.length - scored },
    bleu1: 100 * bleuFrom(matches, totals, hypLength, refLength, 1, false),
    bleu2: 100 * bleuFrom(matches, totals, hypLength, refLength, 2, false),
    bleu3: 100 * bleuFrom(matches, totals, hypLength, refLength, 3, false),
    bleu4: 100 * bleuFrom(matches, totals, hypLength, refLength, 4, false),
    sentenceBleu1: mean(sentence[0] as number),
    sentenceBleu2: mean(sentence[1] as number),
    sentenceBleu3: mean(sentence[2] as number),
    sentenceBleu4: mean(sentence[3] as number),
    gleu: gleuAll === 0 ? 0 : 100 * (gleuMatch / gleuAll),
    rouge1: mean(r1),
    rouge2: mean(r2),
    rougeL: mean(rl),
    distinct1: distinct(1),
    distinct2: distinct(2),
  }
}
