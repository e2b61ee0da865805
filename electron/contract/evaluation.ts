// Evaluating a model before it advises anyone (the seed's benchmark): what a run writes, what the
// scorer computes, and what the report reads. Plain data only; REFERENCE.md §3 defines the metrics.

/** The dataset shapes the runner reads (REFERENCE.md §3, and the HuatuoGPT evaluation files). */
export const datasetFormats = ['cmedqa2', 'webmedqa', 'huatuo26m', 'kuake-qic', 'med-dialog', 'jsonl', 'exam'] as const
export type DatasetFormat = (typeof datasetFormats)[number]

/** The run's header: `run.json` beside `predictions.jsonl` in the run's folder. */
export interface EvaluationRunHeader {
  /** When the run began (ISO 8601), and the workstation version that ran it. */
  startedAt: string
  workstationVersion: string
  /**
   * The model file's name and SHA-256; both null for a model served by the hospital inference
   * server (no file here to hash: the engine names the server and the served model).
   */
  model: { file: string | null; sha256: string | null; name: string; promptFormat: string; quantization: string | null }
  dataset: { file: string; sha256: string; format: DatasetFormat; items: number; limit: number | null }
  /** The sampling every item used (the format's recommendation unless overridden). */
  sampling: { temperature: number; topP: number; topK: number; repeatPenalty: number; maxTokens: number }
  /** Each item's seed is derived from this one and the item's id, so a resumed run answers alike. */
  seed: number
  /** CPU threads of the local engine (0 for a hospital inference server). */
  threads: number
  engine: EvaluationEngine
}

/**
 * What answered: this machine's engine, or the hospital inference server (its address without
 * credentials, API style, served model name, and items in flight at once, which may change when a
 * run is resumed: it does not change the answers).
 */
export type EvaluationEngine =
  | { kind: 'local'; backend: string; nodeLlamaCpp: string }
  | { kind: 'remote'; url: string; api: string; model: string; concurrency: number }

/** One line of `predictions.jsonl`: one question answered in a fresh context. */
export interface EvaluationPrediction {
  id: string
  question: string
  /** A string, several acceptable references, or absent (an unscored dataset such as KUAKE-QIC). */
  reference?: string | string[]
  /** The final response (for HuatuoGPT-o1 the part after "## Final Response"). */
  prediction: string
  /** HuatuoGPT-o1's thinking, kept beside the scored response. */
  thinking?: string
  /** Multiple-choice exams: the options shown, and the correct letter is `reference`. */
  options?: Record<string, string>
  promptTokens: number
  generatedTokens: number
  seconds: number
}

/** Multiple-choice accuracy: the answer's letter found in the prediction, or none (counted wrong, reported). */
export interface ExamAccuracy {
  correct: number
  total: number
  /** Predictions in which no letter A–E was found. */
  noLetter: number
  /** correct / total × 100. */
  accuracy: number
}

/** What `huatuo eval score --json` prints: BLEU/GLEU/ROUGE ×100, Distinct 0–1. */
export interface EvaluationScores {
  count: { scored: number; unscored: number }
  bleu1: number
  bleu2: number
  bleu3: number
  bleu4: number
  sentenceBleu1: number
  sentenceBleu2: number
  sentenceBleu3: number
  sentenceBleu4: number
  gleu: number
  rouge1: number
  rouge2: number
  rougeL: number
  distinct1: number
  distinct2: number
  /** Only for a multiple-choice exam. */
  exam?: ExamAccuracy
}

/** One item's own scores, for the report's lowest-scoring items (sentence BLEU-4 with method1, ROUGE-L F ×100). */
export interface EvaluationItemScore {
  id: string
  sentenceBleu4: number
  rougeL: number
}
