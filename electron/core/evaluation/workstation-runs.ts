import { randomBytes } from 'node:crypto'
import { lstat, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DatasetFormat } from '../../contract/evaluation.ts'
import type {
  EvaluationDatasetOffer,
  EvaluationDatasetOffers,
  EvaluationReportPage,
  EvaluationRunProgress,
  EvaluationRunStatus,
  EvaluationRunSummary,
} from '../../contract/evaluation-runs.ts'
import type { ActiveModel, EngineStatus } from '../../contract/inference.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import { WorkstationError, isWorkstationError } from '../errors.ts'
import type { InferenceEngine } from '../inference/engine.ts'
import { getPromptFormat } from '../inference/prompt-formats/index.ts'
import { resolveSampling } from '../inference/prompt-formats/sampling.ts'
import { nodeLlamaCppVersion } from './engine-identity.ts'
import { engineAnswerer, type EvaluationAnswerer } from './evaluation-answerer.ts'
import { runEvaluation } from './evaluation-runner.ts'
import { openPredictions, PREDICTIONS_FILE } from './predictions-appender.ts'
import { metricsScorer } from './report/metrics-scorer.ts'
import { REPORT_HTML_FILE, writeEvaluationReport } from './report/write-report.ts'
import { readRunHeader, writeRunHeader } from './run-header.ts'
import { prepareEvaluation, runHeaderFor } from './run-plan.ts'

// Evaluation runs inside the workstation: the loaded model, through the same engine as the
// consultations, over a dataset IT put in the evaluation folder (named by the window, never a
// path). One run at a time, in the background: the request that starts it returns once the run is
// prepared, and `evaluation.progress` follows. Between items the run waits while a consultation
// turn is being answered, and its requests go to the engine as `background`, so doctors go first.
// Each run lives in its own folder of <dataDir>/evaluations/runs, as `huatuo eval run` writes one,
// with run-status.json beside it saying who started it and how it ended.

export const RUN_STATUS_FILE = 'run-status.json'
/** The seed of every workstation run (the CLI's default), so two runs of one model answer alike. */
const WORKSTATION_SEED = 42
const RUN_ID = /^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$/

interface StoredRunStatus {
  dataset: string
  datasetFormat: DatasetFormat
  startedBy: string
  startedAt: string
  finishedAt: string | null
  status: EvaluationRunStatus
  total: number
  errorCode: string | null
}

export interface WorkstationRunsOptions {
  datasetsDir: string
  runsDir: string
  workstationVersion: string
  /**
   * The engine a run answers with now and its model, or MODEL_NOT_LOADED; `remote` for a model the
   * hospital inference server serves (its address, API and how many items may be in flight).
   */
  active(): { engine: InferenceEngine; model: ActiveModel; remote: { url: string; api: string; concurrency: number } | null }
  status(): Promise<EngineStatus>
  /** The sampling the workstation's settings give a prompt format (what doctors are answered with). */
  samplingFor(promptFormat: ActiveModel['promptFormat']): SamplingSettings
  /** Whether a consultation turn is being answered now. */
  consultationBusy(): boolean
  emit(progress: EvaluationRunProgress): void
  audit(entry: { actor: string; action: string; runId: string; details: Record<string, string | number | boolean | null> }): void
  /** How often the run looks again whether the consultations are done (ms). */
  idlePollMs?: number
}

interface CurrentRun {
  runId: string
  abort: AbortController
  /** Settles when the run has stopped and its status is written. */
  finished: Promise<void>
}

export class WorkstationRuns {
  readonly #options: WorkstationRunsOptions
  #current: CurrentRun | undefined
  /** Set while a start is being prepared, so a second start is refused at once. */
  #starting = false

  constructor(options: WorkstationRunsOptions) {
    this.#options = options
  }

  /** The evaluation folder's files and folders, by name, with the format each seems to be in. */
  async datasets(): Promise<EvaluationDatasetOffers> {
    const folder = this.#options.datasetsDir
    let names: string[]
    try {
      names = await readdir(folder)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return { folderExists: false, datasets: [] }
      throw new WorkstationError('DATASET_UNREADABLE', `evaluationDataDir: ${code ?? 'unknown'}`, { cause: error })
    }
    const datasets: EvaluationDatasetOffer[] = []
    for (const name of names.filter((candidate) => !candidate.startsWith('.')).sort()) {
      // lstat: a link is never offered (it could lead anywhere).
      const info = await lstat(join(folder, name)).catch(() => null)
      if (info?.isFile()) datasets.push({ name, kind: 'file', guessedFormat: await guessFileFormat(join(folder, name), name), sizeBytes: info.size })
      else if (info?.isDirectory()) datasets.push({ name, kind: 'folder', guessedFormat: await guessFolderFormat(join(folder, name)), sizeBytes: 0 })
    }
    return { folderExists: true, datasets }
  }

  /** Prepares a run (dataset read, files hashed, header written) and starts it in the background. */
  async start(request: { dataset: string; datasetFormat: DatasetFormat; limit?: number | undefined }, actor: string): Promise<EvaluationRunSummary> {
    if (this.#current || this.#starting) throw new WorkstationError('EVALUATION_RUNNING')
    this.#starting = true
    try {
      const { datasets } = await this.datasets()
      // Compared with the listing itself: a name with a separator, `..` or a link is never in it.
      if (!datasets.some((offer) => offer.name === request.dataset)) throw new WorkstationError('EVALUATION_DATASET_NOT_OFFERED', request.dataset.slice(0, 80))
      const { engine, model, remote } = this.#options.active()
      const local = remote ? null : (await this.#options.status()).local
      if (remote === null && local === null) throw new WorkstationError('MODEL_NOT_LOADED')
      // What the run's answers must keep coming from: this model file, or this server's model.
      const identity = remote ? `${remote.url}#${model.name}` : local!.modelPath
      const started = new Date()
      const runId = newRunId(started)
      const outDir = join(this.#options.runsDir, runId)
      let opened
      let stored: StoredRunStatus
      try {
        const prepared = await prepareEvaluation({
          modelPath: local?.modelPath ?? null,
          data: join(this.#options.datasetsDir, request.dataset),
          datasetFormat: request.datasetFormat,
          limit: request.limit ?? null,
          seed: WORKSTATION_SEED,
          outDir,
        })
        const sampling = resolveSampling(getPromptFormat(model.promptFormat).sampling, this.#options.samplingFor(model.promptFormat))
        const header = runHeaderFor(
          prepared,
          { name: model.name, promptFormat: model.promptFormat, threads: local?.threads ?? 0, backend: local?.backend ?? 'remote' },
          sampling,
          {
            workstationVersion: this.#options.workstationVersion,
            nodeLlamaCpp: nodeLlamaCppVersion(),
            startedAt: started,
            ...(remote ? { remote: { url: remote.url, api: remote.api, model: model.name, concurrency: remote.concurrency } } : {}),
          },
        )
        await writeRunHeader(outDir, header)
        stored = {
          dataset: request.dataset,
          datasetFormat: request.datasetFormat,
          startedBy: actor,
          startedAt: started.toISOString(),
          finishedAt: null,
          status: 'running',
          total: prepared.items.length,
          errorCode: null,
        }
        await writeStatus(outDir, stored)
        opened = await openPredictions(outDir)
        const abort = new AbortController()
        const current: CurrentRun = { runId, abort, finished: Promise.resolve() }
        this.#current = current
        current.finished = this.#run(runId, outDir, stored, prepared.items, opened, engine, identity, remote?.concurrency ?? 1, sampling, abort.signal)
      } catch (error) {
        // Nothing of this run was answered: its folder goes, so the list holds no empty run.
        await rm(outDir, { recursive: true, force: true }).catch(() => undefined)
        throw error
      }
      this.#options.audit({
        actor,
        action: 'evaluation.start',
        runId,
        details: { dataset: request.dataset, datasetFormat: request.datasetFormat, items: stored.total, model: model.sha256 ?? model.name },
      })
      return this.#summary(runId, stored, await readRunHeader(outDir).catch(() => undefined), 0, false)
    } finally {
      this.#starting = false
    }
  }

  async #run(
    runId: string,
    outDir: string,
    stored: StoredRunStatus,
    items: Parameters<typeof runEvaluation>[0]['items'],
    predictions: Awaited<ReturnType<typeof openPredictions>>,
    engine: InferenceEngine,
    identity: string,
    concurrency: number,
    sampling: ReturnType<typeof resolveSampling>,
    signal: AbortSignal,
  ): Promise<void> {
    // Let the request that started the run answer first.
    await Promise.resolve()
    let status: EvaluationRunStatus = 'failed'
    let errorCode: string | null = null
    let last = { done: 0, total: items.length, etaSeconds: null as number | null, tokensPerSecond: null as number | null }
    try {
      const result = await runEvaluation({
        items,
        predictions,
        answerer: this.#sameModelAnswerer(engineAnswerer(engine, sampling), engine, identity),
        seed: WORKSTATION_SEED,
        concurrency,
        signal,
        waitForIdle: (waitSignal) => this.#consultationsDone(waitSignal),
        onProgress: (progress) => {
          last = { done: progress.done, total: progress.total, etaSeconds: progress.etaSeconds, tokensPerSecond: progress.tokensPerSecond }
          this.#options.emit({ runId, status: 'running', ...last, errorCode: null })
        },
      })
      status = result.cancelled || result.remaining > 0 ? 'cancelled' : 'finished'
    } catch (error) {
      if (signal.aborted && isWorkstationError(error, 'REQUEST_CANCELLED')) status = 'cancelled'
      else errorCode = error instanceof WorkstationError ? error.code : 'INTERNAL'
    } finally {
      await predictions.close().catch(() => undefined)
    }
    const ended: StoredRunStatus = { ...stored, status, errorCode, finishedAt: new Date().toISOString() }
    await writeStatus(outDir, ended).catch(() => undefined)
    if (this.#current?.runId === runId) this.#current = undefined
    this.#options.emit({ runId, status, ...last, etaSeconds: null, errorCode })
  }

  /**
   * Every answer comes from the model the run's header names: another model loaded (or the model
   * unloaded) before or while an item is answered stops the run, and that item is not written.
   */
  #sameModelAnswerer(answerer: EvaluationAnswerer, engine: InferenceEngine, identity: string): EvaluationAnswerer {
    const check = async () => {
      let same: boolean
      try {
        const now = this.#options.active()
        const nowIdentity = now.remote ? `${now.remote.url}#${now.model.name}` : (await this.#options.status()).local?.modelPath
        same = now.engine === engine && nowIdentity === identity
      } catch {
        same = false
      }
      if (!same) throw new WorkstationError('EVALUATION_MODEL_CHANGED')
    }
    return {
      answer: async (request) => {
        await check()
        const answer = await answerer.answer(request)
        await check()
        return answer
      },
    }
  }

  /** Resolves once no consultation turn is being answered; a cancel ends the wait. */
  async #consultationsDone(signal: AbortSignal): Promise<void> {
    const pollMs = this.#options.idlePollMs ?? 250
    while (this.#options.consultationBusy()) {
      if (signal.aborted) throw new WorkstationError('REQUEST_CANCELLED')
      await new Promise((resolve) => setTimeout(resolve, pollMs))
    }
    if (signal.aborted) throw new WorkstationError('REQUEST_CANCELLED')
  }

  /** Stops the running run; the items it finished are kept. */
  async cancel(actor: string): Promise<{ cancelled: boolean }> {
    const current = this.#current
    if (!current) return { cancelled: false }
    current.abort.abort()
    this.#options.audit({ actor, action: 'evaluation.cancel', runId: current.runId, details: {} })
    await current.finished
    return { cancelled: true }
  }

  /** Every run of the runs folder, newest first. */
  async runs(): Promise<EvaluationRunSummary[]> {
    let names: string[]
    try {
      names = await readdir(this.#options.runsDir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new WorkstationError('OUTPUT_UNWRITABLE', `evaluations/runs: ${(error as NodeJS.ErrnoException).code ?? 'unknown'}`, { cause: error })
    }
    const summaries: EvaluationRunSummary[] = []
    for (const runId of names.filter((name) => RUN_ID.test(name)).sort().reverse()) {
      const folder = join(this.#options.runsDir, runId)
      const stored = await readStatus(folder)
      if (!stored) continue
      const header = await readRunHeader(folder).catch(() => undefined)
      const hasReport = await stat(join(folder, REPORT_HTML_FILE)).then(() => true, () => false)
      summaries.push(this.#summary(runId, stored, header, await countLines(join(folder, PREDICTIONS_FILE)), hasReport))
    }
    return summaries
  }

  /** The run's report, written again from what its predictions hold now. */
  async report(runId: string): Promise<EvaluationReportPage> {
    if (!RUN_ID.test(runId)) throw new WorkstationError('EVALUATION_RUN_NOT_FOUND', runId.slice(0, 40))
    const folder = join(this.#options.runsDir, runId)
    if (!(await readStatus(folder))) throw new WorkstationError('EVALUATION_RUN_NOT_FOUND', runId)
    const written = await writeEvaluationReport({ predictionsPath: join(folder, PREDICTIONS_FILE), scorer: metricsScorer })
    return { runId, html: await readFile(written.htmlPath, 'utf8') }
  }

  /** The workstation closes: the run stops (its finished items kept; it can be started again). */
  async dispose(): Promise<void> {
    const current = this.#current
    if (!current) return
    current.abort.abort()
    await current.finished
  }

  #summary(runId: string, stored: StoredRunStatus, header: EvaluationRunSummary['header'] | undefined, done: number, hasReport: boolean): EvaluationRunSummary {
    const running = this.#current?.runId === runId
    // A run whose status still says running, though no run goes here, stopped with the workstation.
    const status: EvaluationRunStatus = running ? 'running' : stored.status === 'running' ? 'interrupted' : stored.status
    return {
      runId,
      status,
      header: header ?? null,
      dataset: stored.dataset,
      datasetFormat: stored.datasetFormat,
      startedAt: stored.startedAt,
      finishedAt: stored.finishedAt,
      done,
      total: stored.total,
      startedBy: stored.startedBy,
      errorCode: stored.errorCode,
      hasReport,
    }
  }
}

function newRunId(at: Date): string {
  const iso = at.toISOString()
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${randomBytes(3).toString('hex')}`
}

async function writeStatus(folder: string, status: StoredRunStatus): Promise<void> {
  const path = join(folder, RUN_STATUS_FILE)
  await writeFile(`${path}.tmp`, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o600 })
  await rename(`${path}.tmp`, path)
}

async function readStatus(folder: string): Promise<StoredRunStatus | undefined> {
  try {
    const value = JSON.parse(await readFile(join(folder, RUN_STATUS_FILE), 'utf8')) as StoredRunStatus
    return typeof value.dataset === 'string' && typeof value.status === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/** Complete lines of predictions.jsonl: the items finished. */
async function countLines(path: string): Promise<number> {
  try {
    const bytes = await readFile(path)
    let lines = 0
    for (const byte of bytes) if (byte === 0x0a) lines++
    return lines
  } catch {
    return 0
  }
}

/** The format a file's name and first line suggest (the administrator may choose another). */
export async function guessFileFormat(path: string, name: string): Promise<DatasetFormat | null> {
  const lower = name.toLowerCase()
  if (lower.includes('kuake')) return 'kuake-qic'
  if (lower.includes('dialog')) return 'med-dialog'
  if (lower.includes('webmedqa')) return 'webmedqa'
  if (lower.includes('26m')) return 'huatuo26m'
  if (!/\.jsonl?$/.test(lower)) return null
  const first = await firstLine(path)
  if (first.includes('"option"')) return 'exam'
  if (first.includes('"questions"')) return 'huatuo26m'
  if (first.includes('"question"') && lower.endsWith('.jsonl')) return 'jsonl'
  return null
}

/** A folder is a cMedQA2 copy when it holds the test candidates file beside the questions. */
async function guessFolderFormat(folder: string): Promise<DatasetFormat | null> {
  const names = await readdir(folder).catch(() => [] as string[])
  return names.some((name) => /candidates/i.test(name)) ? 'cmedqa2' : null
}

async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r').catch(() => null)
  if (!handle) return ''
  try {
    const buffer = Buffer.alloc(4096)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? ''
  } finally {
    await handle.close()
  }
}
