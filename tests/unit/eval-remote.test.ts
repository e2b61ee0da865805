import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationPrediction, EvaluationRunHeader, EvaluationScores } from '../../electron/contract/evaluation.ts'
import { main } from '../../electron/cli/huatuo.ts'
import type { CliIO } from '../../electron/cli/output.ts'
import { isWorkstationError, WorkstationError } from '../../electron/core/errors.ts'
import type { EvaluationItem } from '../../electron/core/evaluation/datasets/index.ts'
import type { EvaluationAnswer } from '../../electron/core/evaluation/evaluation-answerer.ts'
import { runEvaluation, type EvaluationProgress } from '../../electron/core/evaluation/evaluation-runner.ts'
import { itemSeed } from '../../electron/core/evaluation/item-seed.ts'
import { openPredictions } from '../../electron/core/evaluation/predictions-appender.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { HUATUO_II_ANSWER_PREFIX, HUATUO_II_QUESTION_PREFIX } from '../../electron/core/inference/prompt-formats/huatuo-ii.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { repoRoot } from '../support/cli.ts'
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openai-server.ts'

// `huatuo eval run --server URL --server-model NAME [--concurrency N]`: a hospital evaluating a
// model too large for a workstation on its GPU server. The server is a loopback vLLM stand-in
// generating with node-llama-cpp over a generated model (two sequences, so two requests really run
// at once); the command runs in this process through the CLI's entry, except where a signal must
// reach it.

let dir: string
let llama: Llama
let model: LlamaModel
/** Never ends an answer: every item runs to its token limit (long enough to overlap and to cancel). */
let endless: LlamaModel
const contexts: LlamaContext[] = []
/** Both serve "HuatuoGPT2-7B" (HuatuoGPT-II's prompt text, sent exact to /v1/completions). */
let served: OpenAiTestServer
let slow: OpenAiTestServer
const fixture = join(repoRoot, 'tests/fixtures/eval/server-questions.jsonl')

async function vllm(weights: LlamaModel): Promise<OpenAiTestServer> {
  const context = await weights.createContext({ contextSize: 1024, sequences: 2, threads: 1 })
  contexts.push(context)
  return startOpenAiTestServer({ llama, model: weights, context, dialect: 'vllm', modelName: 'HuatuoGPT2-7B' })
}

async function huatuo(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), stdin: Readable.from([]), isTTY: false, locale: 'en' }
  const status = await main(args, io)
  return { status, stdout, stderr }
}

async function predictionLines(out: string): Promise<EvaluationPrediction[]> {
  const text = await readFile(join(out, 'predictions.jsonl'), 'utf8')
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as EvaluationPrediction)
}

const runHeader = async (out: string) => JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as EvaluationRunHeader
const generationRequests = (server: OpenAiTestServer) => server.requests.filter((request) => request.path === '/v1/completions')
const questionOf = (prompt: string) => prompt.slice(HUATUO_II_QUESTION_PREFIX.length, prompt.length - HUATUO_II_ANSWER_PREFIX.length)

/** Runs `work` while sampling how many generations the server has in progress; the most seen. */
async function mostInFlight<T>(server: OpenAiTestServer, work: () => Promise<T>): Promise<{ result: T; most: number }> {
  let most = 0
  const sample = setInterval(() => (most = Math.max(most, generationRequests(server).length - server.generations.length)), 2)
  try {
    const result = await work()
    return { result, most }
  } finally {
    clearInterval(sample)
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-eval-remote-'))
  await writeTestModel({ out: join(dir, 'ends.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
  await writeTestModel({ out: join(dir, 'endless.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 22, endsAnswers: false })
  llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  model = await llama.loadModel({ modelPath: join(dir, 'ends.gguf'), gpuLayers: 0 })
  endless = await llama.loadModel({ modelPath: join(dir, 'endless.gguf'), gpuLayers: 0 })
  served = await vllm(model)
  slow = await vllm(endless)
}, 120_000)

afterAll(async () => {
  await served?.close()
  await slow?.close()
  for (const context of contexts) await context.dispose()
  await model?.dispose()
  await endless?.dispose()
  if (llama) await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
})

describe('huatuo eval run --server', () => {
  it('answers every item with what the served model generated, two in flight at once; run.json names the server, no file hash; score and report work', async () => {
    const out = join(dir, 'served')
    const before = served.generations.length
    const { result: run, most } = await mostInFlight(served, () =>
      huatuo(['eval', 'run', '--server', served.url, '--server-model', 'HuatuoGPT2-7B', '--concurrency', '2', '--data', fixture, '--dataset-format', 'jsonl', '--max-tokens', '24', '--out', out, '--json']),
    )
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ items: 6, answered: 6, alreadyFinished: 0, remaining: 0, cancelled: false })
    expect(run.stderr).toContain(`Connecting to the hospital inference server ${served.url}`)
    expect(most).toBe(2)

    const header = await runHeader(out)
    expect(header.model).toEqual({ file: null, sha256: null, name: 'HuatuoGPT2-7B', promptFormat: 'huatuo-ii', quantization: null })
    expect(header.engine).toEqual({ kind: 'remote', url: served.url, api: 'vllm', model: 'HuatuoGPT2-7B', concurrency: 2 })
    expect(header).toMatchObject({ threads: 0, seed: 42, dataset: { file: 'server-questions.jsonl', format: 'jsonl', items: 6 }, sampling: { maxTokens: 24 } })
    expect(header.dataset.sha256).toMatch(/^[0-9a-f]{64}$/)

    // Each item once, each prediction what the model generated for that question, with the item's seed.
    const lines = await predictionLines(out)
    expect(lines.map((line) => line.id).sort()).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5', 's-6'])
    const generations = served.generations.slice(before)
    expect(generations).toHaveLength(6)
    for (const line of lines) {
      const generated = generations.filter((g) => questionOf(g.prompt) === line.question)
      expect(generated).toHaveLength(1)
      expect(line.prediction).toBe(generated[0]!.text)
      expect(line.generatedTokens).toBe(generated[0]!.tokens)
      expect(line.reference).toBeDefined()
    }
    const seeds = new Map(generationRequests(served).slice(-6).map((request) => [questionOf(String(request.body?.['prompt'])), request.body?.['seed']]))
    for (const line of lines) expect(seeds.get(line.question)).toBe(itemSeed(42, line.id))

    // Scoring and the report go by id, whatever order the lines finished in.
    const scored = await huatuo(['eval', 'score', '--predictions', join(out, 'predictions.jsonl'), '--json'])
    expect(scored.status, scored.stderr).toBe(0)
    expect((JSON.parse(scored.stdout) as EvaluationScores).count).toEqual({ scored: 6, unscored: 0 })
    const reported = await huatuo(['eval', 'report', '--predictions', join(out, 'predictions.jsonl'), '--out', join(out, 'report')])
    expect(reported.status, reported.stderr).toBe(0)
    const html = await readFile(join(out, 'report', 'report.html'), 'utf8')
    expect(html).toContain(`医院推理服务器 ${served.url} · vllm · 并发 2`)
    expect(html).toContain(`hospital inference server ${served.url} · vllm · concurrency 2`)
    expect(html).toContain('no model file, so no file hash')
    // Two hashes only: the dataset's and the predictions file's.
    expect(html.match(/SHA-256 <span class="mono">/g)).toHaveLength(2)

    // A resumed run must name the same server and served model; concurrency may change.
    const again = await huatuo(['eval', 'run', '--server', served.url, '--server-model', 'HuatuoGPT2-7B', '--data', fixture, '--dataset-format', 'jsonl', '--max-tokens', '24', '--out', out, '--json'])
    expect(again.status, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ answered: 0, alreadyFinished: 6 })
    expect((await runHeader(out)).engine).toMatchObject({ concurrency: 1 })
    const elsewhere = await huatuo(['eval', 'run', '--server', slow.url, '--server-model', 'HuatuoGPT2-7B', '--data', fixture, '--dataset-format', 'jsonl', '--max-tokens', '24', '--out', out])
    expect(elsewhere.status).toBe(1)
    expect(elsewhere.stderr).toMatch(/^EVALUATION_RUN_MISMATCH: .*engine\.url/m)
    const otherFormat = await huatuo(['eval', 'run', '--server', served.url, '--format', 'chatml', '--data', fixture, '--dataset-format', 'jsonl', '--max-tokens', '24', '--out', out])
    expect(otherFormat.status).toBe(1)
    expect(otherFormat.stderr).toMatch(/^EVALUATION_RUN_MISMATCH: .*model\.promptFormat/m)
    expect(await predictionLines(out)).toEqual(lines)
  }, 120_000)

  it('without --out, names the folder after the served model (the first the server lists without --server-model)', async () => {
    const here = await mkdtemp(join(dir, 'cwd-'))
    const child = spawn(process.execPath, [join(repoRoot, 'bin/huatuo.js'), 'eval', 'run', '--server', served.url, '--data', fixture, '--dataset-format', 'jsonl', '--limit', '1', '--max-tokens', '4', '--json'], {
      cwd: here,
      env: { ...process.env, LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    expect(await new Promise((resolve) => child.once('close', resolve)), stderr).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ out: join(here, 'eval-jsonl-HuatuoGPT2-7B'), answered: 1 })
    expect((await runHeader(join(here, 'eval-jsonl-HuatuoGPT2-7B'))).engine).toMatchObject({ kind: 'remote', model: 'HuatuoGPT2-7B', concurrency: 1 })
  }, 60_000)

  it('Ctrl-C with two in flight: exit 130, only whole lines; the same command resumes and answers every item exactly once', async () => {
    const data = join(dir, 'many.jsonl')
    await writeFile(data, Array.from({ length: 40 }, (_, i) => JSON.stringify({ question: `第${i + 1}个问题：头痛伴恶心怎么办？`, answer: '建议就医' })).join('\n') + '\n')
    const out = join(dir, 'cancelled')
    const args = ['eval', 'run', '--server', slow.url, '--server-model', 'HuatuoGPT2-7B', '--concurrency', '2', '--data', data, '--dataset-format', 'jsonl', '--max-tokens', '160', '--out', out]
    const child = spawn(process.execPath, [join(repoRoot, 'bin/huatuo.js'), ...args], { cwd: repoRoot, env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const started = Date.now()
    while (Date.now() - started < 60_000 && (await predictionLines(out).catch(() => [])).length < 1) await new Promise((resolve) => setTimeout(resolve, 10))
    child.kill('SIGINT')
    expect(await exited, stderr).toBe(130)
    expect(stderr).toContain('Cancelled: every finished item is kept')
    expect((await readFile(join(out, 'predictions.jsonl'), 'utf8')).endsWith('\n')).toBe(true)
    const before = await predictionLines(out)
    expect(before.length).toBeGreaterThanOrEqual(1)
    expect(before.length).toBeLessThan(40)

    const resumed = await huatuo([...args, '--json'])
    expect(resumed.status, resumed.stderr).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ items: 40, alreadyFinished: before.length, answered: 40 - before.length })
    const after = await predictionLines(out)
    expect(after.slice(0, before.length)).toEqual(before)
    expect(after.map((line) => line.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 1)))
    for (const line of after) expect(line.generatedTokens).toBe(160)
  }, 120_000)

  it('refuses what a user can get wrong: --concurrency without --server, --model with --server, a server that is down', async () => {
    const wrong = join(dir, 'wrong')
    const alone = await huatuo(['eval', 'run', '--model', join(dir, 'ends.gguf'), '--concurrency', '2', '--data', fixture, '--dataset-format', 'jsonl', '--out', wrong])
    expect(alone.status).toBe(2)
    expect(alone.stderr).toContain('--concurrency goes with --server URL')
    const both = await huatuo(['eval', 'run', '--model', join(dir, 'ends.gguf'), '--server', served.url, '--data', fixture, '--dataset-format', 'jsonl', '--out', wrong])
    expect(both.status).toBe(2)
    const tooMany = await huatuo(['eval', 'run', '--server', served.url, '--concurrency', '65', '--data', fixture, '--dataset-format', 'jsonl', '--out', wrong])
    expect(tooMany.status).toBe(2)
    const help = await huatuo(['eval', 'run', '--help'])
    expect(help.stdout).toContain('--server URL')
    expect(help.stdout).toContain('--concurrency N')

    // A port nothing listens on.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))
    const down = await huatuo(['eval', 'run', '--server', `http://127.0.0.1:${port}`, '--server-model', 'HuatuoGPT2-7B', '--data', fixture, '--dataset-format', 'jsonl', '--out', wrong, '--json'])
    expect(down.status).toBe(1)
    expect(JSON.parse(down.stdout)).toMatchObject({ error: { code: 'REMOTE_UNREACHABLE' } })
  }, 60_000)

  it('wall time, concurrency 1 against 2 (the same loopback server, two sequences)', async () => {
    const data = join(dir, 'bench.jsonl')
    await writeFile(data, Array.from({ length: 8 }, (_, i) => JSON.stringify({ question: `基准问题${i + 1}：胸闷气短怎么办？` })).join('\n') + '\n')
    const seconds: number[] = []
    for (const concurrency of ['1', '2']) {
      const started = performance.now()
      const run = await huatuo(['eval', 'run', '--server', slow.url, '--server-model', 'HuatuoGPT2-7B', '--concurrency', concurrency, '--data', data, '--dataset-format', 'jsonl', '--max-tokens', '160', '--out', join(dir, `bench-${concurrency}`)])
      expect(run.status, run.stderr).toBe(0)
      seconds.push((performance.now() - started) / 1000)
    }
    console.log(`eval run --server, 8 items × 160 tokens: concurrency 1 ${seconds[0]!.toFixed(2)} s, concurrency 2 ${seconds[1]!.toFixed(2)} s, ratio ${(seconds[0]! / seconds[1]!).toFixed(2)}`)
    expect(await predictionLines(join(dir, 'bench-2'))).toHaveLength(8)
  }, 120_000)
})

describe('the run loop with several items in flight', () => {
  const items: EvaluationItem[] = ['q1', 'q2', 'q3', 'q4'].map((id) => ({ id, question: `问题 ${id}`, prompt: `问题 ${id}` }))
  const answer = (prompt: string): EvaluationAnswer => ({ text: `答 ${prompt}`, thinking: '', promptTokens: 4, generatedTokens: 10, endReason: 'end-token' })

  /** An answerer whose answers the test finishes, on a clock the test moves. */
  function held() {
    const open = new Map<string, { resolve: (a: EvaluationAnswer) => void; reject: (e: unknown) => void }>()
    const clock = { t: 0 }
    let most = 0
    const answerer = {
      answer: ({ prompt, signal }: { prompt: string; seed: number; signal: AbortSignal }) =>
        new Promise<EvaluationAnswer>((resolve, reject) => {
          open.set(prompt, { resolve, reject })
          most = Math.max(most, open.size)
          signal.addEventListener('abort', () => reject(new WorkstationError('REQUEST_CANCELLED')))
        }).finally(() => open.delete(prompt)),
    }
    const started = async (count: number) => until(() => open.size >= count)
    const asked = async (id: string) => until(() => open.has(`问题 ${id}`))
    const finish = (id: string, at: number) => {
      clock.t = at
      open.get(`问题 ${id}`)!.resolve(answer(`问题 ${id}`))
    }
    return { answerer, open, clock, started, asked, finish, most: () => most }
  }

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1))
  }

  it('keeps N in flight, writes lines in the order items finish, and counts ETA and tokens/s on wall time, not summed seconds', async () => {
    const folder = await mkdtemp(join(dir, 'loop-'))
    const predictions = await openPredictions(folder)
    const h = held()
    const progress: EvaluationProgress[] = []
    const running = runEvaluation({ items, predictions, answerer: h.answerer, seed: 5, signal: new AbortController().signal, concurrency: 3, now: () => h.clock.t, onProgress: (p) => progress.push(p) })
    await h.started(3)
    expect([...h.open.keys()]).toEqual(['问题 q1', '问题 q2', '问题 q3'])
    h.finish('q2', 2000)
    await h.asked('q4')
    h.finish('q1', 4000)
    h.finish('q3', 4000)
    await until(() => progress.length === 4)
    h.finish('q4', 6000)
    expect(await running).toEqual({ answered: 4, alreadyFinished: 0, remaining: 0, cancelled: false })
    await predictions.close()
    expect(h.most()).toBe(3)
    expect((await predictionLines(folder)).map((line) => line.id)).toEqual(['q2', 'q1', 'q3', 'q4'])
    // After q2: 2 s of wall time for 1 item, 3 to go. At the end: 6 s of wall time, 40 tokens.
    expect(progress[1]).toMatchObject({ done: 1, secondsNow: 2, etaSeconds: 6, tokensPerSecond: 5 })
    expect(progress.at(-1)).toMatchObject({ done: 4, secondsNow: 6, etaSeconds: 0 })
    expect(progress.at(-1)!.tokensPerSecond).toBeCloseTo(40 / 6)
  })

  it('a failure starts no new item; the items already in flight finish and are kept, then the failure is reported', async () => {
    const folder = await mkdtemp(join(dir, 'loop-'))
    const predictions = await openPredictions(folder)
    const h = held()
    const running = runEvaluation({ items, predictions, answerer: h.answerer, seed: 5, signal: new AbortController().signal, concurrency: 2 }).catch((e: unknown) => e)
    await h.started(2)
    h.open.get('问题 q1')!.reject(new WorkstationError('REMOTE_STALLED'))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect([...h.open.keys()]).toEqual(['问题 q2'])
    h.finish('q2', 1)
    expect(isWorkstationError(await running, 'REMOTE_STALLED')).toBe(true)
    await predictions.close()
    expect((await predictionLines(folder)).map((line) => line.id)).toEqual(['q2'])
  })

  it('cancel starts no new item and abandons those in flight without a line', async () => {
    const folder = await mkdtemp(join(dir, 'loop-'))
    const predictions = await openPredictions(folder)
    const h = held()
    const cancel = new AbortController()
    const running = runEvaluation({ items, predictions, answerer: h.answerer, seed: 5, signal: cancel.signal, concurrency: 2 })
    await h.started(2)
    h.finish('q1', 1)
    await h.asked('q3')
    cancel.abort()
    expect(await running).toEqual({ answered: 1, alreadyFinished: 0, remaining: 3, cancelled: true })
    await predictions.close()
    const text = await readFile(join(folder, 'predictions.jsonl'), 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    expect((await predictionLines(folder)).map((line) => line.id)).toEqual(['q1'])
  })
})
