import { basename, resolve } from 'node:path'
import packageJson from '../../../package.json' with { type: 'json' }
import { datasetFormats, type DatasetFormat } from '../../contract/evaluation.ts'
import type { LoadedModelStatus, ModelLoadRequest } from '../../contract/inference.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import { isWorkstationError, WorkstationError } from '../../core/errors.ts'
import type { InferenceEngine } from '../../core/inference/engine.ts'
import type { RemoteModelFacts } from '../../core/inference/remote/remote-engine.ts'
import { configuredInferenceThreads } from '../../core/inference/threads.ts'
import { parseCommandArgs } from '../args.ts'
import { evaluationProgressBar } from '../eval-progress.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { remoteEngineFor, remoteEngineFromArgs, remoteServerOptions, remoteServerUsage } from '../remote-server-args.ts'

const usage = `usage: huatuo eval run --model FILE --data PATH --dataset-format FORMAT [options]
       huatuo eval run --server URL --server-model NAME --data PATH --dataset-format FORMAT
                       [--concurrency N] [options]

Answers every question of a dataset with a model, each in a fresh context (no history), and writes
OUT/run.json (model and dataset SHA-256, prompt format, sampling, seed, threads, engine) and
OUT/predictions.jsonl (one line per item, flushed as it is written). Run the same command again to
resume: finished items are skipped; another model, dataset, format, sampling or seed is refused.
Ctrl-C or SIGTERM stops after keeping every finished item.

With --server the hospital inference server answers (a model too large for this machine): the
questions go to it and nowhere else; run.json names the server (without credentials), its API and
the served model instead of a model file and its hash, and a resumed run must name the same server
and model. --concurrency N keeps N questions in flight at once; lines are written as items finish,
so their order may differ from the dataset's.

  --model FILE            a GGUF model
${remoteServerUsage(26)}  --concurrency N         with --server: questions in flight at once, 1 to 64 (default 1); each
                          is still asked alone, in a fresh context with its own seed
  --data PATH             the dataset: a file; for cmedqa2 the folder holding question.csv,
                          answer.csv and test_candidates.txt, or one candidates file (another split)
  --dataset-format F      ${datasetFormats.join(', ')}
                            cmedqa2     cMedQA2 CSVs; references: the label-1 answers of each question
                            webmedqa    webMedQA medQA.*.txt, tab-separated ID, label, category,
                                        question, answer; reference: the label-1 answer
                            huatuo26m   Huatuo-26M test JSON lines {"questions", "answers"}
                            kuake-qic   HuatuoGPT's KUAKE-QIC_100.json (no reference: unscored)
                            med-dialog  HuatuoGPT's Med-dialog_100.json (the case in, the doctor's
                                        summary as reference)
                            jsonl       JSON lines {"question", "answer"} ("id" optional)
                            exam        JSON lines {"question", "option": {"A": …}, "answer": "A"},
                                        asked with HuatuoGPT-II's 请回答下面选择题 prompt
  --format FORMAT         prompt format: huatuo-v1, huatuo-ii, gguf-template, chatml, llama3
                          (default: detected from the model)
  --limit N               the first N items only
  --seed N                the run's seed (default 42); each item's seed follows from it and the item's id
  --threads N             CPU threads of a local model (default: HUATUO_THREADS, else chosen for
                          this machine)
  --context N             tokens of context per question (default: the engine's choice; with
                          --server, the server's context where it does not say it)
  --out DIR               the run's folder (default: eval-DATASET_FORMAT-MODEL_NAME, with --server
                          the served model's name)
  --temperature X  --top-p X  --top-k N  --repeat-penalty X  --max-tokens N
                          sampling (default: the prompt format's recommendation)
  --json                  print the summary as one JSON object
`

export interface EvalRunOptions {
  /** A GGUF model file; null with `server`. */
  modelPath: string | null
  /** The hospital inference server instead of a model file. */
  server?: NonNullable<ReturnType<typeof remoteEngineFromArgs>>
  /** Items in flight at once (1 for a local model). */
  concurrency: number
  data: string
  datasetFormat: DatasetFormat
  promptFormat?: ModelLoadRequest['promptFormat']
  limit: number | null
  seed: number
  threads: number
  contextSize?: number
  /** Null: named after the served model once the server has said which it is. */
  outDir: string | null
  sampling: SamplingSettings
  json: boolean
}

function integer(value: string | undefined, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new WorkstationError('USAGE', `${option} must be an integer from ${min} to ${max}`)
  return Number(value)
}

function decimal(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value)) throw new WorkstationError('USAGE', `${option} must be a number`)
  return Number(value)
}

async function parseOptions(args: string[]): Promise<EvalRunOptions | 'help'> {
  const { values } = parseCommandArgs(args, {
    model: { type: 'string' },
    data: { type: 'string' },
    'dataset-format': { type: 'string' },
    format: { type: 'string' },
    limit: { type: 'string' },
    seed: { type: 'string' },
    threads: { type: 'string' },
    context: { type: 'string' },
    out: { type: 'string' },
    temperature: { type: 'string' },
    'top-p': { type: 'string' },
    'top-k': { type: 'string' },
    'repeat-penalty': { type: 'string' },
    'max-tokens': { type: 'string' },
    concurrency: { type: 'string' },
    ...remoteServerOptions,
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) return 'help'
  const contextSize = integer(values.context, '--context', 64)
  const concurrency = integer(values.concurrency, '--concurrency', 1, 64)
  const server = remoteEngineFromArgs(values, {
    ...(values.format !== undefined ? { promptFormat: values.format } : {}),
    ...(contextSize !== undefined ? { contextSize } : {}),
    maxConcurrent: concurrency ?? 1,
  })
  if (server !== null && values.model !== undefined) throw new WorkstationError('USAGE', 'give --model FILE or --server URL, not both')
  if (server === null && values.model === undefined) throw new WorkstationError('USAGE', '--model FILE (or --server URL) is required')
  if (server === null && concurrency !== undefined) {
    throw new WorkstationError('USAGE', '--concurrency goes with --server URL (a local model answers one question at a time)')
  }
  if (values.data === undefined) throw new WorkstationError('USAGE', '--data PATH is required')
  const format = values['dataset-format']
  if (format === undefined || !(datasetFormats as readonly string[]).includes(format))
    throw new WorkstationError('USAGE', `--dataset-format must be one of ${datasetFormats.join(', ')}`)
  const datasetFormat = format as DatasetFormat
  const sampling: SamplingSettings = {}
  const temperature = decimal(values.temperature, '--temperature')
  if (temperature !== undefined) sampling.temperature = temperature
  const topP = decimal(values['top-p'], '--top-p')
  if (topP !== undefined) sampling.topP = topP
  const topK = integer(values['top-k'], '--top-k', 0)
  if (topK !== undefined) sampling.topK = topK
  const repeatPenalty = decimal(values['repeat-penalty'], '--repeat-penalty')
  if (repeatPenalty !== undefined) sampling.repeatPenalty = repeatPenalty
  const maxTokens = integer(values['max-tokens'], '--max-tokens', 1)
  if (maxTokens !== undefined) sampling.maxTokens = maxTokens
  const modelName = server !== null ? server.model : basename(values.model ?? '').replace(/\.gguf$/i, '')
  const options: EvalRunOptions = {
    modelPath: values.model ?? null,
    ...(server !== null ? { server } : {}),
    concurrency: concurrency ?? 1,
    data: values.data,
    datasetFormat,
    limit: integer(values.limit, '--limit', 1) ?? null,
    seed: integer(values.seed, '--seed', 0, 0xffffffff) ?? 42,
    threads: integer(values.threads, '--threads', 1, 1024) ?? configuredInferenceThreads(),
    outDir: values.out !== undefined ? resolve(values.out) : modelName === null ? null : defaultOutDir(datasetFormat, modelName),
    sampling,
    json: values.json ?? false,
  }
  if (values.format !== undefined) {
    // An unknown format is refused before any file is read.
    const { getPromptFormat } = await import('../../core/inference/prompt-formats/index.ts')
    options.promptFormat = getPromptFormat(values.format).id
  }
  if (contextSize !== undefined) options.contextSize = contextSize
  return options
}

/** eval-FORMAT-MODEL in the current folder; a served model's name made safe as a folder name ("org/model:tag"). */
function defaultOutDir(datasetFormat: DatasetFormat, modelName: string): string {
  const safe = modelName.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '')
  return resolve(`eval-${datasetFormat}-${safe === '' ? 'server' : safe}`)
}

const strings = {
  'zh-CN': {
    reading: '正在读取数据集并计算模型与数据集的 SHA-256…',
    readingDataset: '正在读取数据集并计算其 SHA-256…',
    loading: '正在加载模型…',
    connecting: (server: string) => `正在连接医院推理服务器 ${server}…`,
    connected: (model: string, api: string, concurrency: number) => `服务器模型 ${model}（${api}），同时处理 ${concurrency} 题。`,
    skipped: (where: string, reason: string) => `已跳过 ${where}：${reason}`,
    more: (n: number) => `……另有 ${n} 行被跳过`,
    dropped: (bytes: number) => `上次运行中断时留下的不完整行（${bytes} 字节）已丢弃。`,
    resumed: (n: number) => `继续上次的评测：已完成 ${n} 条，跳过。`,
    summary: (answered: number, done: number, total: number, out: string) => `本次回答 ${answered} 条，共完成 ${done}/${total} 条。结果在 ${out}`,
    cancelled: '已取消：已完成的条目都已保存；用相同的 --out 再次运行即可继续。',
  },
  en: {
    reading: 'Reading the dataset and hashing the model and dataset (SHA-256)…',
    readingDataset: 'Reading the dataset and hashing it (SHA-256)…',
    loading: 'Loading the model…',
    connecting: (server: string) => `Connecting to the hospital inference server ${server}…`,
    connected: (model: string, api: string, concurrency: number) => `Served model ${model} (${api}), ${concurrency} in flight at once.`,
    skipped: (where: string, reason: string) => `skipped ${where}: ${reason}`,
    more: (n: number) => `… and ${n} more rows skipped`,
    dropped: (bytes: number) => `The incomplete last line an interrupted run left (${bytes} bytes) was dropped.`,
    resumed: (n: number) => `Resuming: ${n} items already finished are skipped.`,
    summary: (answered: number, done: number, total: number, out: string) => `Answered ${answered} now; ${done}/${total} finished. Results in ${out}`,
    cancelled: 'Cancelled: every finished item is kept; run the same command (same --out) to resume.',
  },
} as const

/** Skipped rows shown on stderr, at most this many. */
const SKIPPED_SHOWN = 20

export async function run(args: string[], io: CliIO): Promise<number> {
  const json = args.includes('--json')
  let options: EvalRunOptions | 'help'
  try {
    options = await parseOptions(args)
  } catch (error) {
    if (isWorkstationError(error, 'USAGE')) io.err(usage)
    return reportFailure(io, error, json)
  }
  if (options === 'help') {
    io.out(usage)
    return 0
  }
  return runEvaluationCommand(options, io)
}

export async function runEvaluationCommand(options: EvalRunOptions, io: CliIO): Promise<number> {
  const s = strings[io.locale]
  const cancel = new AbortController()
  const onSignal = () => cancel.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // Loaded on use: usage errors and --help never pull in node-llama-cpp.
  const { prepareEvaluation, runHeaderFor } = await import('../../core/evaluation/run-plan.ts')
  let engine: { dispose(): Promise<void> } | undefined
  let predictions: { close(): Promise<void> } | undefined
  try {
    // The server first: it names the served model (and so the default folder), and a server that
    // cannot be reached is told before a large dataset is hashed.
    let served: { engine: Awaited<ReturnType<typeof remoteEngineFor>>; facts: RemoteModelFacts } | undefined
    let outDir = options.outDir
    if (options.server) {
      const { displayServerUrl } = await import('../../core/inference/remote/remote-server-config.ts')
      io.err(`${s.connecting(displayServerUrl(options.server.url))}\n`)
      const remote = await remoteEngineFor(options.server, io.shell?.secretKeeper)
      engine = remote
      const facts = await remote.connect({}, cancel.signal)
      served = { engine: remote, facts }
      io.err(`${s.connected(facts.model, remote.api, options.concurrency)}\n`)
      outDir ??= defaultOutDir(options.datasetFormat, facts.model)
    }
    if (outDir === null) throw new WorkstationError('USAGE', '--out DIR is required')
    if (cancel.signal.aborted) throw new WorkstationError('REQUEST_CANCELLED')

    io.err(`${served ? s.readingDataset : s.reading}\n`)
    const prepared = await prepareEvaluation({
      modelPath: served ? null : options.modelPath,
      data: options.data,
      datasetFormat: options.datasetFormat,
      limit: options.limit,
      seed: options.seed,
      outDir,
    })
    const skipped = prepared.dataset.skipped
    for (const row of skipped.slice(0, SKIPPED_SHOWN)) {
      const where = row.line !== undefined ? `${row.file}:${row.line}` : `${row.file} item ${row.item}`
      io.err(`${s.skipped(where, row.reason)}\n`)
    }
    if (skipped.length > SKIPPED_SHOWN) io.err(`${s.more(skipped.length - SKIPPED_SHOWN)}\n`)
    if (cancel.signal.aborted) throw new WorkstationError('REQUEST_CANCELLED')

    const { getPromptFormat } = await import('../../core/inference/prompt-formats/index.ts')
    const { resolveSampling } = await import('../../core/inference/prompt-formats/sampling.ts')
    const { refuseMismatch, writeRunHeader } = await import('../../core/evaluation/run-header.ts')
    const { openPredictions } = await import('../../core/evaluation/predictions-appender.ts')
    const { runEvaluation } = await import('../../core/evaluation/evaluation-runner.ts')
    const { engineAnswerer } = await import('../../core/evaluation/evaluation-answerer.ts')
    const { nodeLlamaCppVersion } = await import('../../core/evaluation/engine-identity.ts')

    let answering: Pick<InferenceEngine, 'openConsultation'>
    let loaded: Pick<LoadedModelStatus, 'name' | 'promptFormat' | 'threads' | 'backend'>
    if (served) {
      answering = served.engine
      loaded = { name: served.facts.model, promptFormat: served.facts.plan.format, threads: 0, backend: 'remote' }
    } else {
      const { startLocalEngine } = await import('../../core/inference/local/local-engine.ts')
      io.err(`${s.loading}\n`)
      const live = await startLocalEngine({ threads: options.threads, ...(io.shell?.engineLauncher ? { launcher: io.shell.engineLauncher } : {}) })
      engine = live
      // One question at a time, each in its own consultation: one sequence is all the run needs.
      const load: ModelLoadRequest = { modelPath: options.modelPath ?? '', threads: options.threads, sequences: 1 }
      if (options.promptFormat !== undefined) load.promptFormat = options.promptFormat
      if (options.contextSize !== undefined) load.contextSize = options.contextSize
      loaded = await live.load(load)
      answering = live
    }
    const sampling = resolveSampling(getPromptFormat(loaded.promptFormat).sampling, options.sampling)
    const header = runHeaderFor(prepared, loaded, sampling, {
      workstationVersion: packageJson.version,
      nodeLlamaCpp: nodeLlamaCppVersion(),
      ...(served ? { remote: { url: served.facts.server, api: served.engine.api, model: served.facts.model, concurrency: options.concurrency } } : {}),
    })
    if (prepared.recorded) refuseMismatch(prepared.recorded, header)
    await writeRunHeader(outDir, header)

    const opened = await openPredictions(outDir)
    predictions = opened
    if (opened.droppedBytes > 0) io.err(`${s.dropped(opened.droppedBytes)}\n`)
    const finishedBefore = prepared.items.filter((item) => opened.finished.has(item.id)).length
    if (finishedBefore > 0) io.err(`${s.resumed(finishedBefore)}\n`)

    const bar = evaluationProgressBar(io, Boolean(process.stderr.isTTY))
    const result = await runEvaluation({
      items: prepared.items,
      predictions: opened,
      answerer: engineAnswerer(answering, sampling),
      seed: options.seed,
      signal: cancel.signal,
      concurrency: options.concurrency,
      onProgress: (progress) => bar.update(progress),
    }).finally(() => bar.done())

    const done = result.alreadyFinished + result.answered
    const summary = {
      out: outDir,
      items: prepared.items.length,
      answered: result.answered,
      alreadyFinished: result.alreadyFinished,
      remaining: result.remaining,
      skippedRows: skipped.length,
      unscored: prepared.items.every((item) => item.reference === undefined),
      cancelled: result.cancelled,
    }
    if (options.json) io.out(`${JSON.stringify(summary)}\n`)
    else io.out(`${s.summary(result.answered, done, prepared.items.length, outDir)}\n`)
    if (result.cancelled) {
      io.err(`${s.cancelled}\n`)
      return 130
    }
    return 0
  } catch (error) {
    if (cancel.signal.aborted && isWorkstationError(error, 'REQUEST_CANCELLED')) {
      io.err(`${s.cancelled}\n`)
      return 130
    }
    return reportFailure(io, error, options.json)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await predictions?.close().catch(() => undefined)
    await engine?.dispose().catch(() => undefined)
  }
}
