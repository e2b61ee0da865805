import { basename, resolve } from 'node:path'
import packageJson from '../../../package.json' with { type: 'json' }
import { datasetFormats, type DatasetFormat } from '../../contract/evaluation.ts'
import type { ModelLoadRequest } from '../../contract/inference.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import { isWorkstationError, WorkstationError } from '../../core/errors.ts'
import { configuredInferenceThreads } from '../../core/inference/threads.ts'
import { parseCommandArgs } from '../args.ts'
import { evaluationProgressBar } from '../eval-progress.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo eval run --model FILE --data PATH --dataset-format FORMAT [options]

Answers every question of a dataset with a model, each in a fresh context (no history), and writes
OUT/run.json (model and dataset SHA-256, prompt format, sampling, seed, threads, engine) and
OUT/predictions.jsonl (one line per item, flushed as it is written). Run the same command again to
resume: finished items are skipped; another model, dataset, format, sampling or seed is refused.
Ctrl-C or SIGTERM stops after keeping every finished item.

  --model FILE            a GGUF model
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
  --threads N             CPU threads (default: HUATUO_THREADS, else chosen for this machine)
  --context N             tokens of context per question (default: the engine's choice)
  --out DIR               the run's folder (default: eval-DATASET_FORMAT-MODEL_NAME)
  --temperature X  --top-p X  --top-k N  --repeat-penalty X  --max-tokens N
                          sampling (default: the prompt format's recommendation)
  --json                  print the summary as one JSON object
`

export interface EvalRunOptions {
  modelPath: string
  data: string
  datasetFormat: DatasetFormat
  promptFormat?: ModelLoadRequest['promptFormat']
  limit: number | null
  seed: number
  threads: number
  contextSize?: number
  outDir: string
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
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) return 'help'
  if (values.model === undefined) throw new WorkstationError('USAGE', '--model FILE is required')
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
  const options: EvalRunOptions = {
    modelPath: values.model,
    data: values.data,
    datasetFormat,
    limit: integer(values.limit, '--limit', 1) ?? null,
    seed: integer(values.seed, '--seed', 0, 0xffffffff) ?? 42,
    threads: integer(values.threads, '--threads', 1, 1024) ?? configuredInferenceThreads(),
    outDir: resolve(values.out ?? `eval-${datasetFormat}-${basename(values.model).replace(/\.gguf$/i, '')}`),
    sampling,
    json: values.json ?? false,
  }
  if (values.format !== undefined) {
    // An unknown format is refused before any file is read.
    const { getPromptFormat } = await import('../../core/inference/prompt-formats/index.ts')
    options.promptFormat = getPromptFormat(values.format).id
  }
  const contextSize = integer(values.context, '--context', 64)
  if (contextSize !== undefined) options.contextSize = contextSize
  return options
}

const strings = {
  'zh-CN': {
    reading: '正在读取数据集并计算模型与数据集的 SHA-256…',
    loading: '正在加载模型…',
    skipped: (where: string, reason: string) => `已跳过 ${where}：${reason}`,
    more: (n: number) => `……另有 ${n} 行被跳过`,
    dropped: (bytes: number) => `上次运行中断时留下的不完整行（${bytes} 字节）已丢弃。`,
    resumed: (n: number) => `继续上次的评测：已完成 ${n} 条，跳过。`,
    summary: (answered: number, done: number, total: number, out: string) => `本次回答 ${answered} 条，共完成 ${done}/${total} 条。结果在 ${out}`,
    cancelled: '已取消：已完成的条目都已保存；用相同的 --out 再次运行即可继续。',
  },
  en: {
    reading: 'Reading the dataset and hashing the model and dataset (SHA-256)…',
    loading: 'Loading the model…',
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
    io.err(`${s.reading}\n`)
    const prepared = await prepareEvaluation({
      modelPath: options.modelPath,
      data: options.data,
      datasetFormat: options.datasetFormat,
      limit: options.limit,
      seed: options.seed,
      outDir: options.outDir,
    })
    const skipped = prepared.dataset.skipped
    for (const row of skipped.slice(0, SKIPPED_SHOWN)) {
      const where = row.line !== undefined ? `${row.file}:${row.line}` : `${row.file} item ${row.item}`
      io.err(`${s.skipped(where, row.reason)}\n`)
    }
    if (skipped.length > SKIPPED_SHOWN) io.err(`${s.more(skipped.length - SKIPPED_SHOWN)}\n`)
    if (cancel.signal.aborted) throw new WorkstationError('REQUEST_CANCELLED')

    const { startLocalEngine } = await import('../../core/inference/local/local-engine.ts')
    const { getPromptFormat } = await import('../../core/inference/prompt-formats/index.ts')
    const { resolveSampling } = await import('../../core/inference/prompt-formats/sampling.ts')
    const { refuseMismatch, writeRunHeader } = await import('../../core/evaluation/run-header.ts')
    const { openPredictions } = await import('../../core/evaluation/predictions-appender.ts')
    const { runEvaluation } = await import('../../core/evaluation/evaluation-runner.ts')
    const { engineAnswerer } = await import('../../core/evaluation/evaluation-answerer.ts')
    const { nodeLlamaCppVersion } = await import('../../core/evaluation/engine-identity.ts')

    io.err(`${s.loading}\n`)
    const live = await startLocalEngine({ threads: options.threads, ...(io.shell?.engineLauncher ? { launcher: io.shell.engineLauncher } : {}) })
    engine = live
    // One question at a time, each in its own consultation: one sequence is all the run needs.
    const load: ModelLoadRequest = { modelPath: options.modelPath, threads: options.threads, sequences: 1 }
    if (options.promptFormat !== undefined) load.promptFormat = options.promptFormat
    if (options.contextSize !== undefined) load.contextSize = options.contextSize
    const loaded = await live.load(load)
    const sampling = resolveSampling(getPromptFormat(loaded.promptFormat).sampling, options.sampling)
    const header = runHeaderFor(prepared, loaded, sampling, { workstationVersion: packageJson.version, nodeLlamaCpp: nodeLlamaCppVersion() })
    if (prepared.recorded) refuseMismatch(prepared.recorded, header)
    await writeRunHeader(options.outDir, header)

    const opened = await openPredictions(options.outDir)
    predictions = opened
    if (opened.droppedBytes > 0) io.err(`${s.dropped(opened.droppedBytes)}\n`)
    const finishedBefore = prepared.items.filter((item) => opened.finished.has(item.id)).length
    if (finishedBefore > 0) io.err(`${s.resumed(finishedBefore)}\n`)

    const bar = evaluationProgressBar(io, Boolean(process.stderr.isTTY))
    const result = await runEvaluation({
      items: prepared.items,
      predictions: opened,
      answerer: engineAnswerer(live, sampling),
      seed: options.seed,
      signal: cancel.signal,
      onProgress: (progress) => bar.update(progress),
    }).finally(() => bar.done())

    const done = result.alreadyFinished + result.answered
    const summary = {
      out: options.outDir,
      items: prepared.items.length,
      answered: result.answered,
      alreadyFinished: result.alreadyFinished,
      remaining: result.remaining,
      skippedRows: skipped.length,
      unscored: prepared.items.every((item) => item.reference === undefined),
      cancelled: result.cancelled,
    }
    if (options.json) io.out(`${JSON.stringify(summary)}\n`)
    else io.out(`${s.summary(result.answered, done, prepared.items.length, options.outDir)}\n`)
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
