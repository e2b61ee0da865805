import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EvaluationPrediction, EvaluationRunHeader } from '../../electron/contract/evaluation.ts'
import type { ModelAnswer } from '../../electron/contract/inference.ts'
import { isWorkstationError, WorkstationError } from '../../electron/core/errors.ts'
import type { EvaluationItem } from '../../electron/core/evaluation/datasets/index.ts'
import { engineAnswerer, type EvaluationAnswerer } from '../../electron/core/evaluation/evaluation-answerer.ts'
import { runEvaluation, type EvaluationProgress } from '../../electron/core/evaluation/evaluation-runner.ts'
import { itemSeed } from '../../electron/core/evaluation/item-seed.ts'
import { openPredictions } from '../../electron/core/evaluation/predictions-appender.ts'
import { readRunHeader, refuseMismatch, runDifferences, writeRunHeader } from '../../electron/core/evaluation/run-header.ts'
import type { InferenceEngine } from '../../electron/core/inference/engine.ts'
import { GenerationQueue } from '../../electron/core/inference/generation-queue.ts'
import { writeFailure } from '../../electron/core/evaluation/write-failure.ts'
import { formatEvaluationProgress } from '../../electron/cli/eval-progress.ts'

// The run loop against a scripted answerer: what each line holds, resume after a kill, cancel,
// mismatched reruns, and the o1 split. The engine-backed runs are in eval-run-engine.test.ts.

const items: EvaluationItem[] = [
  { id: 'q1', question: '头痛怎么办', prompt: '头痛怎么办', reference: '休息' },
  { id: 'q2', question: '发热怎么办', prompt: '发热怎么办', reference: ['退热', '就医'] },
  { id: 'q3', question: '咳嗽怎么办', prompt: '咳嗽怎么办' },
  { id: 'q4', question: '选择题', prompt: '请回答下面选择题。\n选择题\nA. 甲\nB. 乙', reference: 'A', options: { A: '甲', B: '乙' } },
]

function scripted(options: { thinking?: string; onAnswer?: (prompt: string, seed: number) => void } = {}): EvaluationAnswerer {
  return {
    answer: async ({ prompt, seed }) => {
      options.onAnswer?.(prompt, seed)
      return { text: `答：${prompt.length}`, thinking: options.thinking ?? '', promptTokens: prompt.length, generatedTokens: 3, endReason: 'end-token' }
    },
  }
}

async function lines(dir: string): Promise<EvaluationPrediction[]> {
  const text = await readFile(join(dir, 'predictions.jsonl'), 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as EvaluationPrediction)
}

let dir: string
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'huatuo-eval-run-'))))
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('the run loop', () => {
  it('writes one line per item in the issue’s key order, reference absent when unscored, options for exams', async () => {
    const predictions = await openPredictions(dir)
    const progress: EvaluationProgress[] = []
    const result = await runEvaluation({ items, predictions, answerer: scripted(), seed: 42, signal: new AbortController().signal, onProgress: (p) => progress.push(p) })
    await predictions.close()
    expect(result).toEqual({ answered: 4, alreadyFinished: 0, remaining: 0, cancelled: false })
    const written = await lines(dir)
    expect(written.map((line) => Object.keys(line))).toEqual([
      ['id', 'question', 'reference', 'prediction', 'promptTokens', 'generatedTokens', 'seconds'],
      ['id', 'question', 'reference', 'prediction', 'promptTokens', 'generatedTokens', 'seconds'],
      ['id', 'question', 'prediction', 'promptTokens', 'generatedTokens', 'seconds'],
      ['id', 'question', 'reference', 'prediction', 'promptTokens', 'generatedTokens', 'seconds', 'options'],
    ])
    expect(written[1]).toMatchObject({ id: 'q2', question: '发热怎么办', reference: ['退热', '就医'], prediction: '答：5', promptTokens: 5, generatedTokens: 3 })
    expect(written[3]!.options).toEqual({ A: '甲', B: '乙' })
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4, answeredNow: 4, generatedTokensNow: 12, etaSeconds: 0 })
    expect(progress[0]).toMatchObject({ done: 0, etaSeconds: null, tokensPerSecond: null })
  })

  it('keeps HuatuoGPT-o1’s thinking beside the scored final response', async () => {
    const predictions = await openPredictions(dir)
    await runEvaluation({ items: items.slice(0, 1), predictions, answerer: scripted({ thinking: '先考虑紧张型头痛。' }), seed: 1, signal: new AbortController().signal })
    await predictions.close()
    expect((await lines(dir))[0]).toMatchObject({ prediction: '答：5', thinking: '先考虑紧张型头痛。' })
  })

  it('seeds each item from the run seed and its id, whatever its position', async () => {
    const seeds = new Map<string, number>()
    const predictions = await openPredictions(dir)
    await runEvaluation({ items: [items[2]!, items[0]!], predictions, answerer: scripted({ onAnswer: (prompt, seed) => seeds.set(prompt, seed) }), seed: 7, signal: new AbortController().signal })
    await predictions.close()
    expect(seeds.get('头痛怎么办')).toBe(itemSeed(7, 'q1'))
    expect(seeds.get('咳嗽怎么办')).toBe(itemSeed(7, 'q3'))
    expect(itemSeed(7, 'q1')).not.toBe(itemSeed(8, 'q1'))
    expect(itemSeed(7, 'q1')).not.toBe(itemSeed(7, 'q3'))
  })

  it('resumes after a kill: finished ids skipped, the partial last line dropped, the file valid', async () => {
    let predictions = await openPredictions(dir)
    await runEvaluation({ items: items.slice(0, 2), predictions, answerer: scripted(), seed: 1, signal: new AbortController().signal })
    await predictions.close()
    // A kill in the middle of writing q3's line.
    await appendFile(join(dir, 'predictions.jsonl'), '{"id":"q3","question":"咳嗽')
    const asked: string[] = []
    predictions = await openPredictions(dir)
    expect(predictions.droppedBytes).toBeGreaterThan(0)
    expect([...predictions.finished]).toEqual(['q1', 'q2'])
    const result = await runEvaluation({ items, predictions, answerer: scripted({ onAnswer: (prompt) => asked.push(prompt) }), seed: 1, signal: new AbortController().signal })
    await predictions.close()
    expect(result).toEqual({ answered: 2, alreadyFinished: 2, remaining: 0, cancelled: false })
    expect(asked).toEqual(['咳嗽怎么办', items[3]!.prompt])
    expect((await lines(dir)).map((line) => line.id)).toEqual(['q1', 'q2', 'q3', 'q4'])
  })

  it('refuses a file damaged in the middle rather than guessing', async () => {
    await writeFile(join(dir, 'predictions.jsonl'), '{"id":"q1","prediction":"x"}\nnot json\n{"id":"q2","prediction":"y"}\n')
    const error = await openPredictions(dir).catch((e: unknown) => e)
    expect(isWorkstationError(error, 'EVALUATION_RUN_DAMAGED')).toBe(true)
  })

  it('cancel abandons the item in progress only; every finished line stays', async () => {
    const cancel = new AbortController()
    const answerer: EvaluationAnswerer = {
      answer: ({ prompt, signal }) =>
        prompt === '咳嗽怎么办'
          ? new Promise((_, reject) => {
              signal.addEventListener('abort', () => reject(new WorkstationError('REQUEST_CANCELLED')))
              cancel.abort()
            })
          : scripted().answer({ prompt, seed: 0, signal }),
    }
    const predictions = await openPredictions(dir)
    const result = await runEvaluation({ items, predictions, answerer, seed: 1, signal: cancel.signal })
    await predictions.close()
    expect(result).toEqual({ answered: 2, alreadyFinished: 0, remaining: 2, cancelled: true })
    expect((await lines(dir)).map((line) => line.id)).toEqual(['q1', 'q2'])
  })

  it('an engine failure stops the run with its code; finished lines stay', async () => {
    const answerer: EvaluationAnswerer = {
      answer: ({ prompt, signal }) => (prompt === '发热怎么办' ? Promise.reject(new WorkstationError('MODEL_CRASHED')) : scripted().answer({ prompt, seed: 0, signal })),
    }
    const predictions = await openPredictions(dir)
    const error = await runEvaluation({ items, predictions, answerer, seed: 1, signal: new AbortController().signal }).catch((e: unknown) => e)
    await predictions.close()
    expect(isWorkstationError(error, 'MODEL_CRASHED')).toBe(true)
    expect((await lines(dir)).map((line) => line.id)).toEqual(['q1'])
  })

  it('waits for the workstation to be idle before each item', async () => {
    const events: string[] = []
    const predictions = await openPredictions(dir)
    await runEvaluation({
      items: items.slice(0, 2),
      predictions,
      answerer: scripted({ onAnswer: (prompt) => events.push(`answer ${prompt}`) }),
      seed: 1,
      signal: new AbortController().signal,
      waitForIdle: async () => {
        events.push('idle?')
        await new Promise((resolve) => setTimeout(resolve, 5))
      },
    })
    await predictions.close()
    expect(events).toEqual(['idle?', 'answer 头痛怎么办', 'idle?', 'answer 发热怎么办'])
  })
})

describe('the engine-backed answerer', () => {
  function fakeEngine(answer: Partial<ModelAnswer>, calls: unknown[]): Pick<InferenceEngine, 'openConsultation'> {
    return {
      openConsultation: async (request) => {
        calls.push({ open: request })
        return {
          consultationId: request.consultationId,
          send: async (send) => {
            calls.push({ send: { ...send, signal: undefined } })
            return {
              answerId: send.answerId,
              text: '',
              thinking: '',
              status: 'complete',
              endReason: 'end-token',
              timing: { promptTokens: 12, evaluatedPromptTokens: 12, generatedTokens: 4, timeToFirstTokenMs: 1, tokensPerSecond: 10 },
              ...answer,
            }
          },
          close: async () => void calls.push('close'),
          stop: async () => undefined,
          regenerate: () => Promise.reject(new Error('unused')),
          editPatientMessage: () => Promise.reject(new Error('unused')),
          history: async () => [],
        }
      },
    }
  }

  it('asks each question in a new consultation with no history, at background priority, with the item’s seed; o1’s split kept', async () => {
    const calls: unknown[] = []
    const sampling = { temperature: 0.5, topK: 0, topP: 0.9, minP: 0, repeatPenalty: 1, maxTokens: 8 }
    const answerer = engineAnswerer(fakeEngine({ text: '最终回答', thinking: '推理过程' }, calls), sampling)
    const answer = await answerer.answer({ prompt: '头痛怎么办', seed: 99, signal: new AbortController().signal })
    expect(answer).toEqual({ text: '最终回答', thinking: '推理过程', promptTokens: 12, generatedTokens: 4, endReason: 'end-token' })
    expect(calls).toHaveLength(3)
    expect(calls[0]).toMatchObject({ open: { history: [] } })
    expect(calls[1]).toMatchObject({ send: { patientText: '头痛怎么办', sampling: { ...sampling, seed: 99 }, priority: 'background' } })
    expect(calls[2]).toBe('close')
  })

  it('turns an interrupted answer into its error, and a stopped one into a cancellation', async () => {
    const crashed = engineAnswerer(fakeEngine({ status: 'interrupted', endReason: 'crashed', error: { code: 'MODEL_CRASHED', message: 'x' } }, []), {
      temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: 8,
    })
    const error = await crashed.answer({ prompt: 'x', seed: 1, signal: new AbortController().signal }).catch((e: unknown) => e)
    expect(isWorkstationError(error, 'MODEL_CRASHED')).toBe(true)
    const stopped = engineAnswerer(fakeEngine({ status: 'stopped', endReason: 'stopped' }, []), { temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: 8 })
    const cancelled = await stopped.answer({ prompt: 'x', seed: 1, signal: new AbortController().signal }).catch((e: unknown) => e)
    expect(isWorkstationError(cancelled, 'REQUEST_CANCELLED')).toBe(true)
  })
})

describe('run.json', () => {
  const header: EvaluationRunHeader = {
    startedAt: '2025-01-01T00:00:00.000Z',
    workstationVersion: '0.1.0',
    model: { file: 'm.gguf', sha256: 'a'.repeat(64), name: 'M', promptFormat: 'huatuo-ii', quantization: 'F32' },
    dataset: { file: 'd.jsonl', sha256: 'b'.repeat(64), format: 'jsonl', items: 3, limit: null },
    sampling: { temperature: 0.3, topP: 0.7, topK: 0, repeatPenalty: 1.1, maxTokens: 8 },
    seed: 42,
    threads: 1,
    engine: { kind: 'local', backend: 'cpu', nodeLlamaCpp: '3.21.1' },
  }

  it('round-trips, and a rerun differing in model, dataset, format, sampling or seed is refused; threads and limit may change', async () => {
    await writeRunHeader(dir, header)
    expect(await readRunHeader(dir)).toEqual(header)
    expect(runDifferences(header, { ...header, threads: 2, dataset: { ...header.dataset, limit: 2 } })).toEqual([])
    const other = { ...header, seed: 7, sampling: { ...header.sampling, temperature: 0.5 }, model: { ...header.model, sha256: 'c'.repeat(64) } }
    expect(runDifferences(header, other).map((d) => d.split(' ')[0])).toEqual(['model.sha256', 'sampling.temperature', 'seed'])
    const error = (() => {
      try {
        refuseMismatch(header, other)
      } catch (e) {
        return e
      }
    })()
    expect(isWorkstationError(error, 'EVALUATION_RUN_MISMATCH')).toBe(true)
  })

  it('a folder without run.json holds no run; an unreadable one is damaged', async () => {
    expect(await readRunHeader(dir)).toBeUndefined()
    await writeFile(join(dir, 'run.json'), '{"model":')
    expect(await readRunHeader(dir).catch((e: unknown) => (isWorkstationError(e) ? e.code : e))).toBe('EVALUATION_RUN_DAMAGED')
  })
})

describe('the engine queue: a doctor’s turn goes first', () => {
  it('starts a consultation request queued after background requests before them; the running one finishes', async () => {
    const queue = new GenerationQueue()
    const order: string[] = []
    let release!: () => void
    const running = queue.run(() => new Promise<void>((resolve) => (release = () => (order.push('eval-1'), resolve()))), undefined, 'background')
    await new Promise((resolve) => setTimeout(resolve, 1))
    const eval2 = queue.run(async () => void order.push('eval-2'), undefined, 'background')
    const eval3 = queue.run(async () => void order.push('eval-3'), undefined, 'background')
    const doctor = queue.run(async () => void order.push('doctor'))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(queue.size).toBe(4)
    release()
    await Promise.all([running, eval2, eval3, doctor])
    expect(order).toEqual(['eval-1', 'doctor', 'eval-2', 'eval-3'])
    expect(queue.size).toBe(0)
  })

  it('keeps order among equals, and a withdrawn request leaves the others in order', async () => {
    const queue = new GenerationQueue()
    const order: string[] = []
    const withdraw = new AbortController()
    const tasks = [
      queue.run(async () => void order.push('a')),
      queue.run(async () => void order.push('b'), withdraw.signal).catch((e: unknown) => (isWorkstationError(e, 'REQUEST_CANCELLED') ? 'withdrawn' : e)),
      queue.run(async () => void order.push('c')),
    ]
    withdraw.abort()
    expect(await tasks[1]).toBe('withdrawn')
    await Promise.all(tasks)
    expect(order).toEqual(['a', 'c'])
  })
})

describe('what the user sees', () => {
  it('a full disk is DISK_FULL, an unwritable folder OUTPUT_UNWRITABLE', () => {
    const enospc = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })
    const eacces = Object.assign(new Error('permission denied'), { code: 'EACCES' })
    expect(writeFailure('/runs/predictions.jsonl', enospc).code).toBe('DISK_FULL')
    expect(writeFailure('/runs/predictions.jsonl', eacces).code).toBe('OUTPUT_UNWRITABLE')
  })

  it('an output folder that cannot be created is refused with its code before anything runs', async () => {
    const blocker = join(dir, 'a-file')
    await writeFile(blocker, '')
    const error = await openPredictions(join(blocker, 'run')).catch((e: unknown) => e)
    expect(isWorkstationError(error, 'OUTPUT_UNWRITABLE')).toBe(true)
  })

  it('the progress line says items done, ETA and tokens/s', () => {
    const progress = { done: 3, total: 12, answeredNow: 3, generatedTokensNow: 300, secondsNow: 30, etaSeconds: 90, tokensPerSecond: 10 }
    expect(formatEvaluationProgress(progress, 'en')).toBe(`[${'#'.repeat(8)}${'.'.repeat(22)}] 3/12  ETA 1:30  10.0 tokens/s`)
    expect(formatEvaluationProgress({ ...progress, done: 0, etaSeconds: null, tokensPerSecond: null }, 'zh-CN')).toBe(`[${'.'.repeat(30)}] 0/12  预计剩余 --:--  -- 词元/秒`)
  })
})
