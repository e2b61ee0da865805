import type { EvaluationItemScore, EvaluationPrediction } from '../../../contract/evaluation.ts'
import type { EvaluationReport, ReportItem } from './evaluation-report.ts'
import type { PredictionLines } from '../prediction-lines.ts'
import { isSeedDataset, publishedFigures, publishedSource, publishedSystems, seedDatasetNames } from './published-figures.ts'
import type { RunHeaderReading } from './run-header-reader.ts'
import type { RunScorer, RunScoring } from './run-scorer.ts'
import { answerLengths, characterCount, throughput } from './run-statistics.ts'

/** How many items the report sets out in full. */
export const reportedItemCount = 10

export interface ReportInput {
  predictionsFile: EvaluationReport['predictionsFile']
  lines: PredictionLines
  header: RunHeaderReading
  scorer: RunScorer
  generatedAt: Date
}

/** The report's facts from the run's files; every metric comes from the scorer. */
export function buildEvaluationReport(input: ReportInput): EvaluationReport {
  const { predictions, skipped } = input.lines
  const run = input.header.status === 'read' ? input.header.header : null
  const format = run?.dataset.format ?? null
  // Even a run without references is scored: Distinct needs none, and the counts come from the scorer.
  const scoring = predictions.length === 0 ? null : input.scorer.score(predictions)
  const count = scoring?.scores.count ?? { scored: 0, unscored: 0 }
  const comparison: EvaluationReport['comparison'] =
    format === null
      ? { dataset: null, reason: 'dataset-format-unknown' }
      : isSeedDataset(format)
        ? {
            dataset: format,
            datasetName: seedDatasetNames[format],
            source: publishedSource,
            systems: publishedSystems.map((system) => ({ key: system.key, name: system.name, figures: publishedFigures[format][system.key] })),
          }
        : { dataset: null, reason: 'dataset-not-in-seed-table' }

  return {
    kind: 'huatuo-evaluation-report',
    version: 1,
    generatedAt: input.generatedAt.toISOString(),
    predictionsFile: input.predictionsFile,
    header:
      input.header.status === 'read'
        ? { status: 'read', run: input.header.header }
        : input.header.status === 'absent'
          ? { status: 'absent' }
          : { status: 'unreadable', reason: input.header.reason },
    datasetFormat: format,
    partialDataset: run !== null && predictions.length < run.dataset.items ? { answered: predictions.length, datasetItems: run.dataset.items } : null,
    counts: { answered: predictions.length, scored: count.scored, unscored: count.unscored, skippedLines: skipped },
    scores: scoring?.scores ?? null,
    comparison,
    throughput: throughput(predictions),
    answerLengths: answerLengths(predictions),
    items: reportedItems(predictions, scoring),
  }
}

/** The lowest-scoring free-text answers; else an exam's wrong answers; else the first answers to read. */
function reportedItems(predictions: readonly EvaluationPrediction[], scoring: RunScoring | null): EvaluationReport['items'] {
  if (scoring !== null && scoring.items.length > 0) return lowestItems(predictions, scoring.items)
  if (scoring !== null && scoring.examItems.length > 0) {
    const byId = new Map(predictions.map((prediction) => [prediction.id, prediction]))
    const wrong = scoring.examItems.filter((item) => !item.correct && byId.has(item.id))
    return { kind: 'wrong-answers', list: wrong.slice(0, reportedItemCount).map((item) => ({ ...reportItem(byId.get(item.id)!, null), examCorrect: false })) }
  }
  return { kind: 'first-answers', list: predictions.slice(0, reportedItemCount).map((prediction) => reportItem(prediction, null)) }
}

/** Lowest ROUGE-L F first (it credits partial wording), then lowest sentence BLEU-4, then file order. */
function lowestItems(predictions: readonly EvaluationPrediction[], scores: readonly EvaluationItemScore[]): EvaluationReport['items'] {
  const byId = new Map(predictions.map((prediction, index) => [prediction.id, { prediction, index }]))
  const ranked = scores
    .filter((score) => byId.has(score.id))
    .sort((a, b) => a.rougeL - b.rougeL || a.sentenceBleu4 - b.sentenceBleu4 || byId.get(a.id)!.index - byId.get(b.id)!.index)
  return { kind: 'lowest-scoring', list: ranked.slice(0, reportedItemCount).map((score) => reportItem(byId.get(score.id)!.prediction, score)) }
}

function reportItem(prediction: EvaluationPrediction, scores: EvaluationItemScore | null): ReportItem {
  const reference = prediction.reference
  return {
    id: prediction.id,
    question: prediction.question,
    references: reference === undefined ? [] : typeof reference === 'string' ? [reference] : reference,
    prediction: prediction.prediction,
    ...(prediction.thinking === undefined ? {} : { thinking: prediction.thinking }),
    ...(prediction.options === undefined ? {} : { options: prediction.options }),
    scores,
    predictionCharacters: characterCount(prediction.prediction),
  }
}
