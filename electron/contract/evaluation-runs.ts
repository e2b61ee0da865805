// Evaluation runs in the workstation's window: the dataset files IT put in the evaluation folder
// (offered by name, never a path), a run on the loaded model with its progress, the past runs and
// their reports. Plain data only.
import { z } from 'zod'
import { datasetFormats, type DatasetFormat, type EvaluationRunHeader } from './evaluation.ts'

/** A file or folder of the hospital's evaluation folder (`evaluationDataDir`), by its own name. */
export interface EvaluationDatasetOffer {
  name: string
  kind: 'file' | 'folder'
  /** The format its name and first line suggest; null when nothing does (the administrator chooses). */
  guessedFormat: DatasetFormat | null
  sizeBytes: number
}

export interface EvaluationDatasetOffers {
  /** Whether the folder exists (absent: IT has put no dataset there yet). */
  folderExists: boolean
  datasets: EvaluationDatasetOffer[]
}

/** A dataset's own name in the evaluation folder: no separator, no control character, not `.` or `..`. */
export const evaluationDatasetNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\]+$/, 'a name from evaluation.datasets')
  .refine((name) => name !== '.' && name !== '..', 'a name from evaluation.datasets')
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'no control characters')

export const evaluationStartSchema = z
  .object({
    dataset: evaluationDatasetNameSchema,
    datasetFormat: z.enum(datasetFormats),
    /** The first N items only. */
    limit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()

/** A run's folder name under `<dataDir>/evaluations/runs/`. */
export const evaluationRunIdSchema = z.string().regex(/^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$/, 'a run id from evaluation.runs')

/** running: now; finished: every item answered; cancelled/failed: stopped early (finished items kept); interrupted: the workstation stopped during it. */
export type EvaluationRunStatus = 'running' | 'finished' | 'cancelled' | 'failed' | 'interrupted'

export interface EvaluationRunSummary {
  runId: string
  status: EvaluationRunStatus
  /** The run's header (model, dataset, sampling, seed, engine); null when the run failed before it was written. */
  header: EvaluationRunHeader | null
  /** The dataset as offered (the file or folder name) and its format. */
  dataset: string
  datasetFormat: DatasetFormat
  startedAt: string
  finishedAt: string | null
  /** Items answered, and the items the run answers (the dataset's, or its limit). */
  done: number
  total: number
  /** Who started it (staff id). */
  startedBy: string
  /** Why a failed run stopped (a stable code). */
  errorCode: string | null
  /** Whether a report was written (it is written again on opening, as the run may have gone further). */
  hasReport: boolean
}

/** Pushed while a run goes: items done, time left and speed at this run's pace. */
export interface EvaluationRunProgress {
  runId: string
  status: EvaluationRunStatus
  done: number
  total: number
  /** Remaining seconds; null before the first item. */
  etaSeconds: number | null
  /** Generated tokens per second; null before the first item. */
  tokensPerSecond: number | null
  errorCode: string | null
}

/** The report as the window shows it: one self-contained HTML page, shown in a sandboxed frame. */
export interface EvaluationReportPage {
  runId: string
  html: string
}
