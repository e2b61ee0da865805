import type { EvaluationItemScore, EvaluationPrediction, EvaluationScores, ExamAccuracy } from '../../../contract/evaluation.ts'
import { bleu, closestRefLength, emptyBleuCounts, type BleuCounts } from './bleu.ts'
import { DistinctCounter } from './distinct.ts'
import { ExamTally, referenceLetter } from './exam.ts'
import { gleu, gleuItem, type GleuCounts } from './gleu.ts'
import { ItemCounter, MAX_ORDER, ngramCount } from './item-counts.ts'
import { rougeL, rougeN } from './rouge.ts'
import { tokenize } from './tokens.ts'

// The scorer `huatuo eval score` and the report share: REFERENCE.md §3's metrics over a run's
// predictions. Decisions the definitions leave open:
// - A reference with no token (empty or only whitespace) is no reference; an item left without one
//   is `unscored` and takes no part in BLEU, GLEU or ROUGE.
// - Distinct-1/2 need no reference, so they count every free-text prediction, unscored ones
//   included: on the seed's datasets every item has a reference and nothing changes, and a run on
//   KUAKE-QIC (no references at all) still learns how varied its answers are.
// - An exam item (`options` present) is scored by accuracy only. Its letters are not text to
//   compare, so BLEU, GLEU, ROUGE and Distinct are computed over the free-text items alone — all 0
//   in a pure exam run — and its per-item text scores are not listed (see `examItems`).

export interface TextItem {
  id: string
  prediction: string
  references: readonly string[]
}

export interface ExamItemResult {
  id: string
  correct: boolean
}

export interface PredictionScoring {
  scores: EvaluationScores
  /** One entry per scored free-text item, in the input's order. */
  items: EvaluationItemScore[]
  /** One entry per scored exam item, in the input's order. */
  examItems: ExamItemResult[]
}

export function referencesOf(prediction: Pick<EvaluationPrediction, 'reference'>): string[] {
  const { reference } = prediction
  return reference === undefined ? [] : typeof reference === 'string' ? [reference] : [...reference]
}

export function scorePredictions(predictions: readonly EvaluationPrediction[]): PredictionScoring {
  const texts: TextItem[] = []
  const exam = new ExamTally()
  const examItems: ExamItemResult[] = []
  let examUnscored = 0
  for (const prediction of predictions) {
    if (prediction.options === undefined) {
      texts.push({ id: prediction.id, prediction: prediction.prediction, references: referencesOf(prediction) })
      continue
    }
    const letter = referencesOf(prediction).map(referenceLetter).find((found) => found !== null)
    if (letter === undefined) {
      examUnscored++
      continue
    }
    examItems.push({ id: prediction.id, correct: exam.add(prediction.prediction, letter) })
  }
  const scored = scoreTexts(texts, exam.count > 0 ? exam.result() : undefined)
  scored.scores.count.scored += exam.count
  scored.scores.count.unscored += examUnscored
  return { ...scored, examItems }
}

/** The free-text metrics over items given as texts (the exactness test feeds NLTK's cases here). */
export function scoreTexts(items: readonly TextItem[], exam?: ExamAccuracy): Omit<PredictionScoring, 'examItems'> {
  const counter = new ItemCounter()
  const distinct = new DistinctCounter()
  const corpus = emptyBleuCounts()
  const corpusGleu: GleuCounts = { matches: 0, total: 0 }
  const sentence = [0, 0, 0, 0]
  let rouge1 = 0
  let rouge2 = 0
  let rougeLSum = 0
  let unscored = 0
  const itemScores: EvaluationItemScore[] = []
  for (const item of items) {
    const hyp = tokenize(item.prediction)
    distinct.add(hyp)
    const refs = item.references.map(tokenize).filter((ref) => ref.length > 0)
    if (refs.length === 0) {
      unscored++
      continue
    }
    const counts = counter.count(hyp, refs)
    const own: BleuCounts = {
      matches: counts.clipped,
      totals: [1, 2, 3, 4].map((n) => Math.max(1, ngramCount(counts.hypLength, n))),
      hypLength: counts.hypLength,
      refLength: closestRefLength(counts.refLengths, counts.hypLength),
    }
    for (let n = 0; n < MAX_ORDER; n++) {
      corpus.matches[n] = (corpus.matches[n] as number) + (own.matches[n] as number)
      corpus.totals[n] = (corpus.totals[n] as number) + (own.totals[n] as number)
    }
    corpus.hypLength += own.hypLength
    corpus.refLength += own.refLength
    const ownGleu = gleuItem(counts)
    if (ownGleu !== null) {
      corpusGleu.matches += ownGleu.matches
      corpusGleu.total += ownGleu.total
    }
    const sentenceScores = [1, 2, 3, 4].map((order) => bleu(own, order, 'method1'))
    sentenceScores.forEach((score, n) => (sentence[n] = (sentence[n] as number) + score))
    rouge1 += rougeN(counts, 1)
    rouge2 += rougeN(counts, 2)
    const ownRougeL = rougeL(counts)
    rougeLSum += ownRougeL
    itemScores.push({ id: item.id, sentenceBleu4: 100 * (sentenceScores[3] as number), rougeL: 100 * ownRougeL })
  }
  const scored = itemScores.length
  const mean = (sum: number) => (scored === 0 ? 0 : 100 * (sum / scored))
  const scores: EvaluationScores = {
    count: { scored, unscored },
    bleu1: 100 * bleu(corpus, 1, 'none'),
    bleu2: 100 * bleu(corpus, 2, 'none'),
    bleu3: 100 * bleu(corpus, 3, 'none'),
    bleu4: 100 * bleu(corpus, 4, 'none'),
    sentenceBleu1: mean(sentence[0] as number),
    sentenceBleu2: mean(sentence[1] as number),
    sentenceBleu3: mean(sentence[2] as number),
    sentenceBleu4: mean(sentence[3] as number),
    gleu: 100 * gleu(corpusGleu),
    rouge1: mean(rouge1),
    rouge2: mean(rouge2),
    rougeL: mean(rougeLSum),
    distinct1: distinct.distinct(1),
    distinct2: distinct.distinct(2),
  }
  if (exam !== undefined) scores.exam = exam
  return { scores, items: itemScores }
}
