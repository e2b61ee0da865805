import type { DatasetFormat } from '../../../contract/evaluation.ts'

// The seed's published figures (REFERENCE.md §3), typed once so the report's table and charts cannot
// drift from their source. Only the automatic metrics the seed's table reports; sentence BLEU and exam
// accuracy have no published counterpart there.

/** The metrics the seed's table reports, in its column order. BLEU/GLEU/ROUGE ×100, Distinct 0–1. */
export const publishedMetricKeys = ['bleu1', 'bleu2', 'bleu3', 'bleu4', 'gleu', 'rouge1', 'rouge2', 'rougeL', 'distinct1', 'distinct2'] as const
export type PublishedMetricKey = (typeof publishedMetricKeys)[number]
export type MetricFigures = Record<PublishedMetricKey, number>

/** The datasets the seed's table covers; every other format has no published comparison. */
export const seedDatasets = ['cmedqa2', 'webmedqa', 'huatuo26m'] as const satisfies readonly DatasetFormat[]
export type SeedDataset = (typeof seedDatasets)[number]

export interface PublishedSystem {
  /** Stable key for charts and JSON. */
  key: 'huatuogpt' | 't5'
  name: { 'zh-CN': string; en: string }
}

export interface PublishedSource {
  title: string
  where: string
}

export const publishedSource: PublishedSource = {
  title: 'Huatuo-26M, a Large-scale Chinese Medical QA Dataset (Li et al., 2023); HuatuoGPT README (Zhang et al., 2023)',
  where: "the table of automatic metrics in HuatuoGPT's README, which follows the Huatuo-26M paper (BLEU and GLEU computed with NLTK, ROUGE averaged over samples)",
}

export const publishedSystems: readonly PublishedSystem[] = [
  { key: 'huatuogpt', name: { 'zh-CN': 'HuatuoGPT（13B，已发表）', en: 'HuatuoGPT (13B, published)' } },
  { key: 't5', name: { 'zh-CN': 'T5 微调基线（已发表）', en: 'T5 fine-tuned baseline (published)' } },
]

const figures = (values: [number, number, number, number, number, number, number, number, number, number]): MetricFigures =>
  Object.fromEntries(publishedMetricKeys.map((key, index) => [key, values[index]!])) as MetricFigures

/** Per dataset, per system: the numbers exactly as published. */
export const publishedFigures: Record<SeedDataset, Record<PublishedSystem['key'], MetricFigures>> = {
  cmedqa2: {
    huatuogpt: figures([27.39, 14.38, 8.06, 4.55, 8.52, 29.26, 8.02, 15.46, 0.74, 0.93]),
    t5: figures([20.88, 11.87, 7.69, 5.09, 7.62, 27.16, 9.3, 20.11, 0.41, 0.52]),
  },
  webmedqa: {
    huatuogpt: figures([24.85, 13.42, 7.72, 4.51, 7.5, 28.3, 7.72, 14.5, 0.73, 0.93]),
    t5: figures([21.42, 13.79, 10.06, 7.38, 8.94, 31.0, 13.85, 25.78, 0.37, 0.46]),
  },
  huatuo26m: {
    huatuogpt: figures([27.42, 14.84, 8.54, 4.96, 8.01, 29.16, 8.29, 15.84, 0.74, 0.93]),
    t5: figures([26.63, 16.74, 11.77, 8.46, 11.38, 33.21, 13.26, 24.85, 0.51, 0.68]),
  },
}

/** The seed's test-set names as its table prints them. */
export const seedDatasetNames: Record<SeedDataset, string> = { cmedqa2: 'cMedQA2', webmedqa: 'WebMedQA', huatuo26m: 'Huatuo-26M' }

export function isSeedDataset(format: DatasetFormat): format is SeedDataset {
  return (seedDatasets as readonly string[]).includes(format)
}
