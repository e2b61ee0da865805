import { mkdir } from 'node:fs/promises'
import { basename } from 'node:path'
import type { DatasetFormat, EvaluationRunHeader } from '../../contract/evaluation.ts'
import type { LoadedModelStatus } from '../../contract/inference.ts'
import type { ResolvedSampling } from '../../contract/sampling.ts'
import { readGgufModelLayout } from '../gguf/gguf-model-layout.ts'
import { quantizationOf } from '../models/inspect.ts'
import { datasetSha256, sha256OfFile } from './dataset-hash.ts'
import { readDataset, type DatasetContents, type EvaluationItem } from './datasets/index.ts'
import { readRunHeader, runDifferences } from './run-header.ts'
import { WorkstationError } from '../errors.ts'
import { writeFailure } from './write-failure.ts'

// Everything a run checks before an engine starts: the dataset reads, the model file is a model,
// both are hashed, and the output folder holds no other run. Cheap failures come first. A model
// served by the hospital inference server has no file here: only the dataset is read and hashed.

export interface EvaluationRequest {
  /** The GGUF model file; null for a model served by the hospital inference server. */
  modelPath: string | null
  data: string
  datasetFormat: DatasetFormat
  /** The first N items of the dataset only. */
  limit: number | null
  seed: number
  outDir: string
}

export interface PreparedEvaluation {
  request: EvaluationRequest
  dataset: DatasetContents
  /** The items this run answers (the first `limit` of the dataset's). */
  items: EvaluationItem[]
  /** Null for a served model (no file). */
  modelSha256: string | null
  modelQuantization: string | null
  datasetSha256: string
  /** The run this folder already holds, when resuming. */
  recorded: EvaluationRunHeader | undefined
}

export async function prepareEvaluation(request: EvaluationRequest, onPhase?: (phase: 'reading' | 'hashing') => void): Promise<PreparedEvaluation> {
  onPhase?.('reading')
  const dataset = await readDataset(request.datasetFormat, request.data)
  const layout = request.modelPath === null ? null : await readGgufModelLayout(request.modelPath)
  const recorded = await readRunHeader(request.outDir)
  onPhase?.('hashing')
  const datasetHash = await datasetSha256(dataset.files)
  // A split model is identified by its first part (which names the others).
  const modelHash = layout === null ? null : await sha256OfFile(layout.path, 'MODEL_UNREADABLE')
  const prepared: PreparedEvaluation = {
    request,
    dataset,
    items: request.limit === null ? dataset.items : dataset.items.slice(0, request.limit),
    modelSha256: modelHash,
    modelQuantization: layout === null ? null : quantizationOf(layout).quantization,
    datasetSha256: datasetHash,
    recorded,
  }
  // What can be compared before the model loads is compared now (format and sampling after).
  if (recorded) {
    const early = runDifferences(recorded, {
      ...recorded,
      model: { ...recorded.model, sha256: modelHash },
      dataset: { ...recorded.dataset, sha256: datasetHash, format: request.datasetFormat },
      seed: request.seed,
    })
    if (early.length > 0) throw new WorkstationError('EVALUATION_RUN_MISMATCH', early.join('; '))
  }
  try {
    await mkdir(request.outDir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw writeFailure(request.outDir, error)
  }
  return prepared
}

export function runHeaderFor(
  prepared: PreparedEvaluation,
  loaded: Pick<LoadedModelStatus, 'name' | 'promptFormat' | 'threads' | 'backend'>,
  sampling: ResolvedSampling,
  context: {
    workstationVersion: string
    nodeLlamaCpp: string
    startedAt?: Date
    /** The hospital inference server that answers (instead of this machine's engine). */
    remote?: { url: string; api: string; model: string; concurrency: number }
  },
): EvaluationRunHeader {
  const { request } = prepared
  const remote = context.remote
  return {
    startedAt: prepared.recorded?.startedAt ?? (context.startedAt ?? new Date()).toISOString(),
    workstationVersion: context.workstationVersion,
    model: {
      file: request.modelPath === null ? null : basename(request.modelPath),
      sha256: prepared.modelSha256,
      name: loaded.name,
      promptFormat: loaded.promptFormat,
      quantization: prepared.modelQuantization,
    },
    dataset: {
      file: basename(request.data),
      sha256: prepared.datasetSha256,
      format: request.datasetFormat,
      items: prepared.dataset.items.length,
      limit: request.limit,
    },
    sampling: {
      temperature: sampling.temperature,
      topP: sampling.topP,
      topK: sampling.topK,
      repeatPenalty: sampling.repeatPenalty,
      maxTokens: sampling.maxTokens,
    },
    seed: request.seed,
    threads: remote ? 0 : loaded.threads,
    engine: remote
      ? { kind: 'remote', url: remote.url, api: remote.api, model: remote.model, concurrency: remote.concurrency }
      : { kind: 'local', backend: loaded.backend, nodeLlamaCpp: context.nodeLlamaCpp },
  }
}
