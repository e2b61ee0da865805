// npm run bench:engine [-- --json] [-- --threads N] [-- --runs N]
//
// The local engine against raw node-llama-cpp, in one process, on the generated bench model, with
// the same explicit threads, prompt format and greedy sampling on both sides; runs interleaved and
// medians reported (a benchmark states ratios against a baseline run beside it, never bare times):
//   (a) streamed tokens/s through the engine process and its protocol ÷ a raw LlamaChatSession's;
//   (b) time to first token at turn 8 ÷ turn 1 with ~1,500 tokens of history, beside the same ratio
//       for the seed demo's way (the whole prompt re-encoded every turn);
//   (c) the engine's load time ÷ raw loadModel + createContext.
// With --json the last line is one JSON object: {"streamRatio", "turn8OverTurn1", "seedTurn8OverTurn1", "loadRatio"}.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { LlamaChatSession, type ChatHistoryItem, type ChatWrapper, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp'
import type { EngineEvent, ModelLoadRequest } from '../../electron/contract/inference.ts'
import type { SamplingSettings } from '../../electron/contract/sampling.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { startLocalEngine, type LocalInferenceEngine } from '../../electron/core/inference/local/local-engine.ts'
import { chatHistoryForModel } from '../../electron/core/inference/prompt-formats/history.ts'
import { getPromptFormat } from '../../electron/core/inference/prompt-formats/index.ts'
import { promptModelFacts } from '../../electron/core/inference/prompt-formats/model-facts.ts'
import { llamaSamplingOptions, resolveSampling } from '../../electron/core/inference/prompt-formats/sampling.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { turnMessages } from './consultation-turns.ts'
import { formatRatio, interleaved, median, ratio, roundForJson, streamedTokensPerSecond, type StreamedChunk } from './bench-stats.ts'

const { values: cli } = parseArgs({
  options: { json: { type: 'boolean' }, threads: { type: 'string' }, runs: { type: 'string' } },
  strict: true,
})
// The same explicit thread count on both sides: the library default oversubscribes small machines.
const threads = Number(cli.threads ?? 1)
const runs = Number(cli.runs ?? 5)
if (!Number.isInteger(threads) || threads < 1 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: node tests/bench/engine.bench.ts [--json] [--threads N] [--runs N]\n')
  process.exit(2)
}

const FORMAT = 'chatml' as const
const CONTEXT_SIZE = 2048
const STREAM_TOKENS = 128
const TURN_ANSWER_TOKENS = 64
/** Greedy, no repeat penalty: both sides produce the same tokens. */
const streamSampling: SamplingSettings = { temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: STREAM_TOKENS, seed: 1 }
const turnSampling: SamplingSettings = { ...streamSampling, maxTokens: TURN_ANSWER_TOKENS }

const streamMessage = '医生您好，我头痛三天了，下午更明显，伴有恶心，请问需要做什么检查？'

const out = (line: string) => process.stdout.write(`${line}\n`)
const now = () => performance.now()

interface StreamRun {
  tokensPerSecond: number | null
  reportedTokensPerSecond: number | null
  generatedTokens: number
}

interface TurnRun {
  ttftMs: number[]
  /** Tokens of rendered history before turn 8's patient message. */
  historyTokensBeforeLastTurn: number
  /** Prompt tokens evaluated at each turn (the rest came from the KV cache). */
  evaluatedTokens: number[]
}

const dir = await mkdtemp(join(tmpdir(), 'huatuo-bench-engine-'))
let engine: LocalInferenceEngine | undefined
let llama: Llama | undefined
try {
  const modelPath = join(dir, 'bench.gguf')
  const summary = await writeTestModel({ out: modelPath, size: 'bench', seed: 7 })
  const format = getPromptFormat(FORMAT)
  const loadRequest: ModelLoadRequest = { modelPath, promptFormat: FORMAT, contextSize: CONTEXT_SIZE, threads, gpuLayers: 0 }

  // ── the engine side: its own process, spoken to through its protocol ──
  engine = await startLocalEngine({ threads })
  const live = engine
  const loaded = await live.load(loadRequest)
  const sequences = loaded.sequences
  /** Streamed deltas of the answer being measured, as they arrive here. */
  let listening: { answerId: string; chunks: StreamedChunk[] } | undefined
  live.onEvent((event: EngineEvent) => {
    if (event.type === 'consultation.delta' && event.answerId === listening?.answerId) listening.chunks.push({ at: now(), text: event.text + event.thinking })
  })

  // ── the raw side: node-llama-cpp in this process, the same settings ──
  llama = await loadLlamaRuntime({ gpu: 'auto', threads })
  const runtime = llama
  const rawLoad = async (): Promise<{ model: LlamaModel; context: LlamaContext }> => {
    const model = await runtime.loadModel({ modelPath, gpuLayers: 0 })
    const context = await model.createContext({ contextSize: CONTEXT_SIZE, sequences, threads })
    return { model, context }
  }

  out(
    `engine benchmark: generated bench model (${summary.sizeLabel} parameters), ${threads} thread${threads === 1 ? '' : 's'} on both sides, ` +
      `${FORMAT}, greedy, context ${CONTEXT_SIZE} × ${sequences} sequences, ${runs} interleaved runs per side, medians`,
  )

  // (c) load: the engine unloads and loads again; the raw side loads a model and creates a context.
  const [engineLoads = [], rawLoads = []] = await interleaved(runs, [
    async () => {
      await live.unload()
      const started = now()
      await live.load(loadRequest)
      return now() - started
    },
    async () => {
      const started = now()
      const { model, context } = await rawLoad()
      const elapsed = now() - started
      await context.dispose()
      await model.dispose()
      return elapsed
    },
  ])

  const raw = await rawLoad()
  const wrapper: ChatWrapper = format.createChatWrapper(promptModelFacts(raw.model))
  const rawOptions = (sampling: SamplingSettings) => llamaSamplingOptions(resolveSampling(format.sampling, sampling))
  const sequence = raw.context.getSequence()
  const historyTokens = (history: ChatHistoryItem[]) => wrapper.generateContextState({ chatHistory: history }).contextText.tokenize(raw.model.tokenizer).length

  // (a) streaming: one answer of STREAM_TOKENS tokens to the same message in a fresh consultation.
  const engineStream = async (): Promise<StreamRun> => {
    const consultation = await live.openConsultation({ consultationId: randomUUID(), history: [] })
    const answerId = randomUUID()
    listening = { answerId, chunks: [] }
    try {
      const answer = await consultation.send({ answerId, patientText: streamMessage, sampling: streamSampling })
      await consultation.close()
      return {
        tokensPerSecond: streamedTokensPerSecond(listening.chunks, answer.timing.generatedTokens),
        reportedTokensPerSecond: answer.timing.tokensPerSecond,
        generatedTokens: answer.timing.generatedTokens,
      }
    } finally {
      listening = undefined
    }
  }
  const rawStream = async (): Promise<StreamRun> => {
    await sequence.clearHistory()
    const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper: wrapper, autoDisposeSequence: false })
    const chunks: StreamedChunk[] = []
    let generated = 0
    let firstToken: number | undefined
    let lastToken = 0
    await session.promptWithMeta(streamMessage, {
      ...rawOptions(streamSampling),
      onToken: (tokens) => {
        lastToken = now()
        firstToken ??= lastToken
        generated += tokens.length
      },
      onTextChunk: (text) => chunks.push({ at: now(), text }),
    })
    session.dispose({ disposeSequence: false })
    return {
      tokensPerSecond: streamedTokensPerSecond(chunks, generated),
      reportedTokensPerSecond: firstToken !== undefined && lastToken > firstToken ? ((generated - 1) * 1000) / (lastToken - firstToken) : null,
      generatedTokens: generated,
    }
  }

  // (b) eight turns: the engine keeps the consultation's KV cache; the seed demo re-encodes it all.
  const engineTurns = async (): Promise<TurnRun> => {
    const consultation = await live.openConsultation({ consultationId: randomUUID(), history: [] })
    const run: TurnRun = { ttftMs: [], historyTokensBeforeLastTurn: 0, evaluatedTokens: [] }
    for (const [index, patientText] of turnMessages.entries()) {
      if (index === turnMessages.length - 1) run.historyTokensBeforeLastTurn = historyTokens(chatHistoryForModel(await consultation.history(), 'generic'))
      const answer = await consultation.send({ answerId: randomUUID(), patientText, sampling: turnSampling })
      // As the engine measures it: from the start of generation to the first token.
      run.ttftMs.push(answer.timing.timeToFirstTokenMs ?? NaN)
      run.evaluatedTokens.push(answer.timing.evaluatedPromptTokens)
    }
    await consultation.close()
    return run
  }
  /**
   * Raw node-llama-cpp, eight turns. `keepCache`: one LlamaChatSession for the whole consultation,
   * as the engine does (the floor on this model). Otherwise the seed demo's way: a cleared sequence
   * and a new session every turn, so the whole rendered prompt is evaluated again.
   */
  const rawTurns = async (keepCache: boolean): Promise<TurnRun> => {
    const run: TurnRun = { ttftMs: [], historyTokensBeforeLastTurn: 0, evaluatedTokens: [] }
    let history: ChatHistoryItem[] = []
    await sequence.clearHistory()
    let session: LlamaChatSession | undefined
    for (const [index, patientText] of turnMessages.entries()) {
      if (index === turnMessages.length - 1) run.historyTokensBeforeLastTurn = historyTokens(history)
      if (!keepCache || session === undefined) {
        if (!keepCache) await sequence.clearHistory()
        session?.dispose({ disposeSequence: false })
        session = new LlamaChatSession({ contextSequence: sequence, chatWrapper: wrapper, autoDisposeSequence: false })
        session.setChatHistory(history)
      }
      const evaluatedBefore = sequence.tokenMeter.usedInputTokens
      const started = now()
      let firstToken: number | undefined
      await session.promptWithMeta(patientText, { ...rawOptions(turnSampling), onToken: () => (firstToken ??= now()) })
      run.ttftMs.push(firstToken === undefined ? NaN : firstToken - started)
      run.evaluatedTokens.push(sequence.tokenMeter.usedInputTokens - evaluatedBefore)
      history = session.getChatHistory()
    }
    session?.dispose({ disposeSequence: false })
    return run
  }

  // One untimed run of each first: the first decode of a context allocates its buffers.
  await engineStream()
  await rawStream()
  const [engineStreams = [], rawStreams = []] = await interleaved(runs, [engineStream, rawStream])
  const [engineTurnRuns = [], seedTurnRuns = [], cachedTurnRuns = []] = await interleaved(runs, [
    engineTurns,
    () => rawTurns(false),
    () => rawTurns(true),
  ])

  // ── report ──
  const medianOf = (values: (number | null)[]) => median(values.map((value) => value ?? NaN))
  const engineTps = medianOf(engineStreams.map((run) => run.tokensPerSecond))
  const rawTps = medianOf(rawStreams.map((run) => run.tokensPerSecond))
  const engineReportedTps = medianOf(engineStreams.map((run) => run.reportedTokensPerSecond))
  const rawReportedTps = medianOf(rawStreams.map((run) => run.reportedTokensPerSecond))
  const streamRatio = ratio(engineTps, rawTps)
  out(
    `stream: ${median(engineStreams.map((run) => run.generatedTokens))} tokens per answer; as received: engine ${engineTps.toFixed(1)} tokens/s, ` +
      `raw LlamaChatSession ${rawTps.toFixed(1)} tokens/s; as each side reports: engine ${engineReportedTps.toFixed(1)}, raw ${rawReportedTps.toFixed(1)}`,
  )
  out(`stream tokens/s engine ÷ raw: ${formatRatio(streamRatio)} (target ≥ 0.95)`)

  const last = turnMessages.length - 1
  const turnMedian = (side: TurnRun[], turn: number, pick: (run: TurnRun) => number[]) => median(side.map((run) => pick(run)[turn] ?? NaN))
  const ttft = (side: TurnRun[], turn: number) => turnMedian(side, turn, (run) => run.ttftMs)
  const evaluated = (side: TurnRun[], turn: number) => turnMedian(side, turn, (run) => run.evaluatedTokens)
  const history = (side: TurnRun[]) => median(side.map((run) => run.historyTokensBeforeLastTurn))
  const turn8OverTurn1 = ratio(ttft(engineTurnRuns, last), ttft(engineTurnRuns, 0))
  const seedTurn8OverTurn1 = ratio(ttft(seedTurnRuns, last), ttft(seedTurnRuns, 0))
  const cachedTurn8OverTurn1 = ratio(ttft(cachedTurnRuns, last), ttft(cachedTurnRuns, 0))
  const describeTurns = (name: string, side: TurnRun[]) =>
    `${name}: turn 1 ${ttft(side, 0).toFixed(0)} ms (${evaluated(side, 0)} tokens evaluated), ` +
    `turn 8 ${ttft(side, last).toFixed(0)} ms (${evaluated(side, last)} tokens evaluated, ${history(side)} tokens of history before it)`
  out(`time to first token, ${describeTurns('engine', engineTurnRuns)}`)
  out(`time to first token, ${describeTurns('raw session keeping its KV cache', cachedTurnRuns)}`)
  out(`time to first token, ${describeTurns("seed demo's way", seedTurnRuns)}`)
  out(`time to first token turn 8 ÷ turn 1, engine: ${formatRatio(turn8OverTurn1)} (target ≤ 1.3)`)
  out(
    `time to first token turn 8 ÷ turn 1, raw LlamaChatSession keeping its KV cache: ${formatRatio(cachedTurn8OverTurn1)} ` +
      '(the floor on this model: new tokens attend to the whole history)',
  )
  out(`time to first token turn 8 ÷ turn 1, seed demo's way (whole prompt re-encoded each turn): ${formatRatio(seedTurn8OverTurn1)}`)

  const engineLoad = median(engineLoads)
  const rawLoadMs = median(rawLoads)
  const loadRatio = ratio(engineLoad, rawLoadMs)
  out(`load: engine ${engineLoad.toFixed(0)} ms (request to usable context, through its process), raw loadModel + createContext ${rawLoadMs.toFixed(0)} ms`)
  out(`load time engine ÷ raw: ${formatRatio(loadRatio)} (no target: the engine also checks the file and the memory fit first)`)

  await raw.context.dispose()
  await raw.model.dispose()
  if (cli.json) {
    out(
      JSON.stringify({
        streamRatio: roundForJson(streamRatio),
        turn8OverTurn1: roundForJson(turn8OverTurn1),
        seedTurn8OverTurn1: roundForJson(seedTurn8OverTurn1),
        loadRatio: roundForJson(loadRatio),
      }),
    )
  }
} finally {
  await engine?.dispose()
  if (llama) await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
}
