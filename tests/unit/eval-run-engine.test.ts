import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationPrediction, EvaluationRunHeader } from '../../electron/contract/evaluation.ts'
import { engineAnswerer } from '../../electron/core/evaluation/evaluation-answerer.ts'
import { runEvaluation } from '../../electron/core/evaluation/evaluation-runner.ts'
import { openPredictions } from '../../electron/core/evaluation/predictions-appender.ts'
import { startLocalEngine } from '../../electron/core/inference/local/local-engine.ts'
import { getPromptFormat } from '../../electron/core/inference/prompt-formats/index.ts'
import { forkEngineProcess } from '../../electron/core/inference/local/process-launcher.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { repoRoot, runHuatuo } from '../support/cli.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// The runner with real engine processes: generated models (random weights, so mechanics only),
// `huatuo eval run` end to end, a kill in the middle and a resume, and the priority of a doctor's
// turn over the run's next item.

let dir: string
let model: string
/** Answers run to their token limit, so a run lasts long enough to be killed half-way. */
let longModel: string
const fixture = (name: string) => join(repoRoot, 'tests/fixtures/eval', name)
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex')

async function predictionLines(out: string): Promise<EvaluationPrediction[]> {
  const text = await readFile(join(out, 'predictions.jsonl'), 'utf8')
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as EvaluationPrediction)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-eval-engine-'))
  model = join(dir, 'ii.gguf')
  longModel = join(dir, 'long.gguf')
  await writeTestModel({ out: model, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
  await writeTestModel({ out: longModel, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 22, endsAnswers: false })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('huatuo eval run', () => {
  it('answers an unscored dataset (KUAKE-QIC): run.json with both hashes, one line per item, no reference; resumes with a larger --limit; a different seed is refused', async () => {
    const out = join(dir, 'kuake')
    const args = ['eval', 'run', '--model', model, '--data', fixture('kuake-qic.json'), '--dataset-format', 'kuake-qic', '--threads', '1', '--max-tokens', '8', '--out', out, '--json']
    const first = await runHuatuo([...args, '--limit', '2'])
    expect(first.stderr).toContain('kuake-qic.json item 4')
    expect(first.status).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ items: 2, answered: 2, alreadyFinished: 0, remaining: 0, unscored: true, cancelled: false })

    const header = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as EvaluationRunHeader
    expect(header.model).toMatchObject({ file: 'ii.gguf', sha256: await sha256(model), promptFormat: 'huatuo-ii', name: 'HuatuoGPT2-7B' })
    expect(header.dataset).toMatchObject({ file: 'kuake-qic.json', sha256: await sha256(fixture('kuake-qic.json')), format: 'kuake-qic', items: 3, limit: 2 })
    // HuatuoGPT-II's recommendation, with the token limit overridden.
    const recommended = getPromptFormat('huatuo-ii').sampling
    expect(header.sampling).toEqual({ temperature: recommended.temperature, topP: recommended.topP, topK: recommended.topK, repeatPenalty: recommended.repeatPenalty, maxTokens: 8 })
    expect(header).toMatchObject({ seed: 42, threads: 1, engine: { kind: 'local', backend: 'cpu' } })
    expect(header.engine.kind === 'local' && header.engine.nodeLlamaCpp).toMatch(/^\d+\.\d+\.\d+/)

    const lines = await predictionLines(out)
    expect(lines.map((line) => line.id)).toEqual(['s53', 's141'])
    for (const line of lines) {
      expect(line).not.toHaveProperty('reference')
      expect(line.question).toBe(line.id === 's53' ? '干桑葚泡水喝的功效有哪些？' : '同仁养生堂维生素E软胶囊有哪些功效呀??')
      expect(typeof line.prediction).toBe('string')
      expect(line.promptTokens).toBeGreaterThan(5)
      expect(line.generatedTokens).toBeGreaterThan(0)
      expect(line.generatedTokens).toBeLessThanOrEqual(8)
      expect(line.seconds).toBeGreaterThan(0)
    }

    const resumed = await runHuatuo(args)
    expect(resumed.status).toBe(0)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ items: 3, answered: 1, alreadyFinished: 2 })
    expect((await predictionLines(out)).map((line) => line.id)).toEqual(['s53', 's141', 's427'])

    const mismatched = await runHuatuo([...args, '--seed', '7'])
    expect(mismatched.status).toBe(1)
    expect(JSON.parse(mismatched.stdout)).toMatchObject({ error: { code: 'EVALUATION_RUN_MISMATCH' } })
    expect(mismatched.stderr).toContain('seed 42 → 7')
    const otherSampling = await runHuatuo([...args.filter((a) => a !== '--json'), '--temperature', '0.9'])
    expect(otherSampling.status).toBe(1)
    expect(otherSampling.stderr).toContain('EVALUATION_RUN_MISMATCH')
    expect((await predictionLines(out)).map((line) => line.id)).toEqual(['s53', 's141', 's427'])
  }, 120_000)

  it('survives SIGKILL mid-run: the partial last line is dropped, finished ids are skipped, every id answered once', async () => {
    const data = join(dir, 'many.jsonl')
    await writeFile(data, Array.from({ length: 24 }, (_, i) => JSON.stringify({ question: `第${i + 1}个问题：头痛伴恶心怎么办？`, answer: '建议就医' })).join('\n') + '\n')
    const out = join(dir, 'killed')
    const args = ['eval', 'run', '--model', longModel, '--data', data, '--dataset-format', 'jsonl', '--threads', '1', '--max-tokens', '48', '--out', out]
    const child = spawn(process.execPath, [join(repoRoot, 'bin/huatuo.js'), ...args], { cwd: repoRoot, env: { ...process.env, HUATUO_THREADS: '1', LANG: 'C' }, stdio: 'ignore' })
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
    const started = Date.now()
    while (Date.now() - started < 60_000 && (await predictionLines(out).catch(() => [])).length < 2) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGKILL')
    expect((await exited).signal).toBe('SIGKILL')
    const before = await predictionLines(out)
    expect(before.length).toBeGreaterThanOrEqual(2)
    expect(before.length).toBeLessThan(24)
    // What a kill in the middle of a write leaves.
    await appendFile(join(out, 'predictions.jsonl'), '{"id":"99","question":"第')

    const resumed = await runHuatuo([...args, '--json'])
    expect(resumed.status).toBe(0)
    expect(resumed.stderr).toMatch(/incomplete last line .* was dropped/)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ items: 24, alreadyFinished: before.length, answered: 24 - before.length })
    const after = await predictionLines(out)
    expect(after.slice(0, before.length)).toEqual(before)
    expect(after.map((line) => line.id)).toEqual(Array.from({ length: 24 }, (_, i) => String(i + 1)))
  }, 180_000)

  it('SIGTERM cancels: exit 130, finished lines kept, the file ends with a complete line', async () => {
    const data = join(dir, 'cancel.jsonl')
    await writeFile(data, Array.from({ length: 24 }, (_, i) => JSON.stringify({ question: `问题${i + 1}` })).join('\n') + '\n')
    const out = join(dir, 'cancelled')
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin/huatuo.js'), 'eval', 'run', '--model', longModel, '--data', data, '--dataset-format', 'jsonl', '--threads', '1', '--max-tokens', '48', '--out', out],
      { cwd: repoRoot, env: { ...process.env, HUATUO_THREADS: '1', LANG: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const started = Date.now()
    while (Date.now() - started < 60_000 && (await predictionLines(out).catch(() => [])).length < 1) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGTERM')
    expect(await exited).toBe(130)
    expect(stderr).toContain('Cancelled: every finished item is kept')
    const text = await readFile(join(out, 'predictions.jsonl'), 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    const lines = await predictionLines(out)
    expect(lines.length).toBeGreaterThanOrEqual(1)
    expect(lines.length).toBeLessThan(24)
  }, 120_000)

  it('refuses what a user can get wrong with stable codes, before loading anything', async () => {
    const out = join(dir, 'wrong')
    const missing = await runHuatuo(['eval', 'run', '--model', model, '--data', join(dir, 'nope.jsonl'), '--dataset-format', 'jsonl', '--out', out])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/^DATASET_UNREADABLE: /m)
    const wrongFormat = await runHuatuo(['eval', 'run', '--model', model, '--data', fixture('generic.jsonl'), '--dataset-format', 'exam', '--out', out])
    expect(wrongFormat.stderr).toMatch(/^DATASET_INVALID: /m)
    const notModel = await runHuatuo(['eval', 'run', '--model', fixture('generic.jsonl'), '--data', fixture('generic.jsonl'), '--dataset-format', 'jsonl', '--out', out])
    expect(notModel.stderr).toMatch(/^MODEL_NOT_GGUF: /m)
    const usage = await runHuatuo(['eval', 'run', '--model', model, '--data', fixture('generic.jsonl'), '--dataset-format', 'csv'])
    expect(usage.status).toBe(2)
    const throughFile = await runHuatuo(['eval', 'run', '--model', model, '--data', fixture('generic.jsonl'), '--dataset-format', 'jsonl', '--out', join(model, 'run')])
    expect(throughFile.stderr).toMatch(/^OUTPUT_UNWRITABLE: /m)
  }, 60_000)

  it('a model too large for this machine is refused with its code, and the finished items stay', async () => {
    const out = join(dir, 'too-large')
    const args = ['eval', 'run', '--model', model, '--data', fixture('generic.jsonl'), '--dataset-format', 'jsonl', '--threads', '1', '--max-tokens', '4', '--out', out]
    expect((await runHuatuo([...args, '--limit', '1'])).status).toBe(0)
    const before = await readFile(join(out, 'predictions.jsonl'), 'utf8')
    const refused = await runHuatuo([...args, '--context', '262144'], { env: { HUATUO_ENGINE_FAULTS: 'low-memory' } })
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/^MODEL_TOO_LARGE: /m)
    expect(await readFile(join(out, 'predictions.jsonl'), 'utf8')).toBe(before)
  }, 60_000)
})

describe('a run shares the engine with consultations', () => {
  it("a doctor's turn sent while an item runs goes before the run's next item", async () => {
    const engine = await startLocalEngine({ threads: 1 })
    try {
      await engine.load({ modelPath: longModel, contextSize: 1024, sequences: 2 })
      const firstDelta: string[] = []
      engine.onEvent((event) => {
        if (event.type !== 'consultation.delta') return
        const who = event.consultationId === 'doctor' ? 'doctor' : event.answerId
        if (!firstDelta.includes(who)) firstDelta.push(who)
      })
      const doctor = await engine.openConsultation({ consultationId: 'doctor', history: [] })
      // Items long enough (the model never ends an answer) for the turn to arrive while item 1 runs.
      const answerer = engineAnswerer(engine, { temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: 600 })
      const signal = new AbortController().signal
      const item1 = answerer.answer({ prompt: '第一题', seed: 1, signal })
      while (firstDelta.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
      const item2 = answerer.answer({ prompt: '第二题', seed: 2, signal })
      // Item 2 reaches the engine's queue before the doctor's turn does.
      await new Promise((resolve) => setTimeout(resolve, 30))
      const turn = doctor.send({ answerId: 'turn', patientText: '我头痛三天了。', sampling: { maxTokens: 16, seed: 1 } })
      await Promise.all([item1, item2, turn])
      expect(firstDelta).toHaveLength(3)
      expect(firstDelta[1]).toBe('doctor')
    } finally {
      await engine.dispose()
    }
  }, 60_000)

  it("keeps HuatuoGPT-o1's thinking beside the final response, through the engine protocol", async () => {
    const script: EngineScript = { modelName: 'HuatuoGPT-o1-7B', answers: [{ thinking: '患者头痛三天，先排除危险信号。', chunks: ['建议', '神经内科就诊。'], pauseMs: 1 }] }
    const scriptPath = join(dir, 'o1-script.json')
    await writeFile(scriptPath, JSON.stringify(script))
    const entry = fileURLToPath(new URL('../support/scripted-engine.ts', import.meta.url))
    const launch = forkEngineProcess(entry)
    const engine = await startLocalEngine({ threads: 1, launcher: ({ env }) => launch({ env: { ...env, HUATUO_SCRIPTED_ENGINE: scriptPath } }) })
    const out = join(dir, 'o1')
    try {
      await engine.load({ modelPath: 'scripted.gguf' })
      const { mkdir } = await import('node:fs/promises')
      await mkdir(out)
      const predictions = await openPredictions(out)
      await runEvaluation({
        items: [{ id: 'o1-1', question: '头痛三天', prompt: '头痛三天', reference: '就医' }],
        predictions,
        answerer: engineAnswerer(engine, { temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: 64 }),
        seed: 1,
        signal: new AbortController().signal,
      })
      await predictions.close()
    } finally {
      await engine.dispose()
    }
    expect((await predictionLines(out))[0]).toMatchObject({ id: 'o1-1', prediction: '建议神经内科就诊。', thinking: '患者头痛三天，先排除危险信号。', reference: '就医' })
  }, 30_000)
})
