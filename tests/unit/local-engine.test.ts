import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent, ModelAnswer } from '../../electron/contract/inference.ts'
import { isWorkstationError } from '../../electron/core/errors.ts'
import { startLocalEngine, type LocalInferenceEngine } from '../../electron/core/inference/local/local-engine.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'

// The local engine as the workstation uses it: a real engine process (child_process.fork) running
// node-llama-cpp over generated models. Random weights say nothing sensible, so these tests check
// mechanics: streaming, KV reuse, stop, regenerate, edit, overflow, crashes, queueing, drafts.

let dir: string
let modelII: string
let modelV1: string
/** Answers run to their token limit: for stopping and crashing half-way. */
let modelLong: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-engine-'))
  modelII = join(dir, 'ii.gguf')
  modelV1 = join(dir, 'v1.gguf')
  await writeTestModel({ out: modelII, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 11 })
  await writeTestModel({ out: modelV1, size: 'tiny', name: 'HuatuoGPT-7B', seed: 12 })
  modelLong = join(dir, 'long.gguf')
  await writeTestModel({ out: modelLong, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 13, endsAnswers: false })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function collect(engine: LocalInferenceEngine): EngineEvent[] {
  const events: EngineEvent[] = []
  engine.onEvent((event) => events.push(event))
  return events
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isWorkstationError(error) ? error.code : error).toBe(code)
}

const patientMessages = ['我头痛三天了，晚上更厉害。', '还有点发热，体温三十八度。', '需要去医院吗？', '吃了布洛芬没有好转。', '有点恶心。', '今天早上吐了一次。']

describe('local engine: one consultation', () => {
  let engine: LocalInferenceEngine
  let events: EngineEvent[]

  beforeAll(async () => {
    engine = await startLocalEngine({ threads: 1 })
    events = collect(engine)
    await engine.load({ modelPath: modelII, contextSize: 2048, sequences: 2 })
  })
  afterAll(() => engine.dispose())

  it('reports the loaded model: backend, layers, threads, prompt format', async () => {
    const status = await engine.status()
    expect(status.state).toBe('ready')
    expect(status.model).toMatchObject({ backend: 'cpu', gpuLayers: 0, threads: 1, promptFormat: 'huatuo-ii', contextSize: 2048, sequences: 2 })
    expect(status.model!.totalLayers).toBeGreaterThan(0)
    expect(status.model!.freeRamBytes).toBeGreaterThan(0)
    expect(events.some((e) => e.type === 'model.progress')).toBe(true)
  })

  it('streams an answer in coalesced deltas, not one message per token, and reports timing', async () => {
    const consultation = await engine.openConsultation({ consultationId: 'stream', history: [] })
    const before = events.length
    const answer = await consultation.send({ answerId: 'a1', patientText: patientMessages[0]!, sampling: { maxTokens: 200, seed: 1 } })
    const deltas = events.slice(before).filter((e) => e.type === 'consultation.delta')
    expect(answer.status).toBe('complete')
    expect(answer.timing.generatedTokens).toBeGreaterThan(0)
    expect(deltas.length).toBeGreaterThan(0)
    expect(deltas.length).toBeLessThan(answer.timing.generatedTokens / 4)
    expect(deltas.map((d) => (d.type === 'consultation.delta' ? d.text : '')).join('')).toBe(answer.text)
    expect(answer.timing.timeToFirstTokenMs).toBeGreaterThan(0)
    expect(answer.timing.promptTokens).toBeGreaterThan(5)
    expect(['end-token', 'length']).toContain(answer.endReason)
    await consultation.close()
  })

  it('keeps the KV cache between turns: each turn evaluates only its new tokens', async () => {
    const consultation = await engine.openConsultation({ consultationId: 'kv', history: [] })
    const turns: ModelAnswer[] = []
    for (const [i, text] of patientMessages.entries()) {
      turns.push(await consultation.send({ answerId: `kv${i}`, patientText: text, sampling: { maxTokens: 24, seed: i } }))
    }
    const first = turns[0]!.timing
    const last = turns.at(-1)!.timing
    // The prompt grows with the history…
    expect(last.promptTokens).toBeGreaterThan(first.promptTokens * 3)
    // …while what is evaluated stays the size of one turn (the new message, and at most the
    // previous answer, whose gibberish bytes may tokenize differently when read back).
    for (const turn of turns.slice(1)) expect(turn.timing.evaluatedPromptTokens).toBeLessThan(first.promptTokens + 24 + 16)
    expect(last.evaluatedPromptTokens).toBeLessThan(last.promptTokens / 2)
    await consultation.close()
  })

  it('a seed makes a reply reproducible', async () => {
    const texts: string[] = []
    for (const id of ['seed-a', 'seed-b']) {
      const consultation = await engine.openConsultation({ consultationId: id, history: [] })
      const answer = await consultation.send({ answerId: id, patientText: patientMessages[1]!, sampling: { temperature: 0.8, maxTokens: 30, seed: 42 } })
      texts.push(answer.text)
      await consultation.close()
    }
    expect(texts[0]).toBe(texts[1])
    expect(texts[0]!.length).toBeGreaterThan(0)
  })

  it('stop keeps the partial answer', async () => {
    const long = await startLocalEngine({ threads: 1 })
    await long.load({ modelPath: modelLong, contextSize: 2048, sequences: 1 })
    const consultation = await long.openConsultation({ consultationId: 'stop', history: [] })
    const stopOnFirstDelta = long.onEvent((event) => {
      if (event.type === 'consultation.delta' && event.consultationId === 'stop') {
        stopOnFirstDelta()
        void consultation.stop()
      }
    })
    const answer = await consultation.send({ answerId: 's1', patientText: patientMessages[0]!, sampling: { maxTokens: 1500, seed: 3 } })
    expect(answer.status).toBe('stopped')
    expect(answer.endReason).toBe('stopped')
    expect(answer.text.length).toBeGreaterThan(0)
    expect(answer.timing.generatedTokens).toBeLessThan(1500)
    const history = await consultation.history()
    expect(history).toEqual([
      { role: 'patient', text: patientMessages[0] },
      { role: 'model', text: answer.text },
    ])
    await long.dispose()
  })

  it('regenerates the last answer in place', async () => {
    const consultation = await engine.openConsultation({ consultationId: 'regen', history: [] })
    await consultation.send({ answerId: 'r1', patientText: patientMessages[0]!, sampling: { maxTokens: 20, seed: 1 } })
    const first = await consultation.send({ answerId: 'r2', patientText: patientMessages[1]!, sampling: { maxTokens: 20, seed: 1 } })
    const again = await consultation.regenerate({ answerId: 'r3', sampling: { maxTokens: 20, seed: 2 } })
    const history = await consultation.history()
    expect(history).toHaveLength(4)
    expect(history[2]).toEqual({ role: 'patient', text: patientMessages[1] })
    expect(history[3]).toEqual({ role: 'model', text: again.text })
    expect(again.text).not.toBe(first.text)
    // Only the answer is new: the history before it came from the KV cache.
    expect(again.timing.evaluatedPromptTokens).toBeLessThan(again.timing.promptTokens / 2)
    await consultation.close()
  })

  it('edits an earlier patient message and continues from there', async () => {
    const consultation = await engine.openConsultation({ consultationId: 'edit', history: [] })
    for (const [i, text] of patientMessages.slice(0, 3).entries()) {
      await consultation.send({ answerId: `e${i}`, patientText: text, sampling: { maxTokens: 12, seed: i } })
    }
    const edited = await consultation.editPatientMessage({
      answerId: 'e-edit',
      patientMessageIndex: 1,
      patientText: '其实没有发热。',
      sampling: { maxTokens: 12, seed: 9 },
    })
    expect(await consultation.history()).toEqual([
      expect.objectContaining({ role: 'patient', text: patientMessages[0] }),
      expect.objectContaining({ role: 'model' }),
      { role: 'patient', text: '其实没有发热。' },
      { role: 'model', text: edited.text },
    ])
    await expectCode(consultation.editPatientMessage({ answerId: 'e-bad', patientMessageIndex: 7, patientText: 'x' }), 'MESSAGE_NOT_FOUND')
    await consultation.close()
  })

  it('refuses a message that cannot fit the context with CONTEXT_FULL, and stays usable', async () => {
    const consultation = await engine.openConsultation({ consultationId: 'full', history: [] })
    await expectCode(consultation.send({ answerId: 'f1', patientText: '头痛'.repeat(2000) }), 'CONTEXT_FULL')
    const answer = await consultation.send({ answerId: 'f2', patientText: patientMessages[0]!, sampling: { maxTokens: 8 } })
    expect(answer.status).toBe('complete')
    await consultation.close()
  })

  it('reopens a consultation from stored history', async () => {
    const history = [
      { role: 'patient' as const, text: patientMessages[0]! },
      { role: 'model' as const, text: '请多休息，多喝水。' },
    ]
    const consultation = await engine.openConsultation({ consultationId: 'reopen', history })
    await consultation.send({ answerId: 'o1', patientText: patientMessages[1]!, sampling: { maxTokens: 8 } })
    expect((await consultation.history()).slice(0, 3)).toEqual([...history, { role: 'patient', text: patientMessages[1] }])
    await consultation.close()
  })

  it('runs one generation at a time, in order; a waiting request can be withdrawn', async () => {
    const [a, b, c] = await Promise.all(
      ['q-a', 'q-b', 'q-c'].map((consultationId) => engine.openConsultation({ consultationId, history: [] })),
    )
    const order: string[] = []
    const unsubscribe = engine.onEvent((event) => {
      if (event.type === 'consultation.delta' && order.at(-1) !== event.answerId) order.push(event.answerId)
    })
    const withdraw = new AbortController()
    const first = a!.send({ answerId: 'qa', patientText: patientMessages[0]!, sampling: { maxTokens: 300, seed: 1 } })
    const second = b!.send({ answerId: 'qb', patientText: patientMessages[1]!, sampling: { maxTokens: 300, seed: 1 }, signal: withdraw.signal })
    const third = c!.send({ answerId: 'qc', patientText: patientMessages[2]!, sampling: { maxTokens: 300, seed: 1 } })
    withdraw.abort()
    await expectCode(second, 'REQUEST_CANCELLED')
    const [answerA, answerC] = await Promise.all([first, third])
    unsubscribe()
    expect(answerA.status).toBe('complete')
    expect(answerC.status).toBe('complete')
    // Never interleaved: all of A's text, then all of C's; B never started.
    expect(order).toEqual(['qa', 'qc'])
    for (const consultation of [a, b, c]) await consultation!.close()
  })
})

describe('local engine: overflow keeps the preamble and whole turns', () => {
  it('drops the oldest whole patient+model pairs when the history outgrows the context', async () => {
    const engine = await startLocalEngine({ threads: 1 })
    try {
      await engine.load({ modelPath: modelV1, contextSize: 256, sequences: 1 })
      expect((await engine.status()).model?.promptFormat).toBe('huatuo-v1')
      const consultation = await engine.openConsultation({ consultationId: 'overflow', history: [] })
      const answers: ModelAnswer[] = []
      for (let turn = 0; turn < 8; turn++) {
        answers.push(await consultation.send({ answerId: `o${turn}`, patientText: `第${turn}次：${patientMessages[turn % 6]}`, sampling: { maxTokens: 20, seed: turn } }))
      }
      // The history keeps every turn; the context window the model answered from did not.
      expect(await consultation.history()).toHaveLength(16)
      expect(answers.every((answer) => answer.status === 'complete')).toBe(true)
      expect(answers.at(-1)!.timing.promptTokens).toBeLessThanOrEqual(256)
    } finally {
      await engine.dispose()
    }
  })
})

describe('local engine: loading', () => {
  it('refuses a load that cannot fit with MODEL_TOO_LARGE and the largest context that fits', async () => {
    const engine = await startLocalEngine({ threads: 1 })
    try {
      // The tiny model's KV cache takes 2 layers × 64 values × 2 (K and V) × 2 bytes per token; ask for
      // twice this machine's memory.
      const kvBytesPerToken = 2 * 64 * 2 * 2
      const sequences = 64
      const contextSize = Math.ceil((totalmem() * 2) / (kvBytesPerToken * sequences))
      const error = await engine.load({ modelPath: modelII, contextSize, sequences }).catch((e: unknown) => e)
      expect(isWorkstationError(error, 'MODEL_TOO_LARGE')).toBe(true)
      const largest = (error as { data?: { largestContextSize?: number } }).data?.largestContextSize ?? 0
      expect(largest).toBeGreaterThan(0)
      expect(largest).toBeLessThan(contextSize)
      expect(largest % 256).toBe(0)
      // Nothing was loaded; the engine still takes a load that fits.
      expect((await engine.status()).state).toBe('idle')
      await engine.load({ modelPath: modelII, contextSize: 512, sequences: 1 })
      expect((await engine.status()).state).toBe('ready')
    } finally {
      await engine.dispose()
    }
  })

  it('falls back to the CPU when loading on the GPU fails, and says so', async () => {
    const engine = await startLocalEngine({ threads: 1, faults: ['gpu-load'] })
    const events = collect(engine)
    try {
      const status = await engine.load({ modelPath: modelII, contextSize: 512, gpuLayers: 'auto' })
      expect(status.gpuLayers).toBe(0)
      const fallback = events.find((e) => e.type === 'model.gpu-fallback')
      expect(fallback).toMatchObject({ code: 'GPU_FALLBACK', reason: expect.stringContaining('out of memory') })
      expect((await engine.status()).gpuFallbackReason).toContain('out of memory')
      const consultation = await engine.openConsultation({ consultationId: 'cpu', history: [] })
      expect((await consultation.send({ answerId: 'g1', patientText: patientMessages[0]!, sampling: { maxTokens: 8 } })).status).toBe('complete')
    } finally {
      await engine.dispose()
    }
  })

  it('reports a bad model file with its code', async () => {
    const engine = await startLocalEngine({ threads: 1 })
    try {
      await expectCode(engine.load({ modelPath: join(dir, 'missing.gguf') }), 'MODEL_UNREADABLE')
      await expectCode(engine.openConsultation({ consultationId: 'x', history: [] }), 'MODEL_NOT_LOADED')
    } finally {
      await engine.dispose()
    }
  })
})

describe('local engine: crash isolation', () => {
  it('a dead engine process: MODEL_CRASHED, the partial answer kept as interrupted, restart works', async () => {
    const engine = await startLocalEngine({ threads: 1 })
    const events = collect(engine)
    try {
      await engine.load({ modelPath: modelLong, contextSize: 2048, sequences: 1 })
      const consultation = await engine.openConsultation({ consultationId: 'crash', history: [] })
      const pid = engine.pid!
      const killOnFirstDelta = engine.onEvent((event) => {
        if (event.type === 'consultation.delta') {
          killOnFirstDelta()
          process.kill(pid, 'SIGKILL')
        }
      })
      const answer = await consultation.send({ answerId: 'c1', patientText: patientMessages[0]!, sampling: { maxTokens: 1800, seed: 5 } })
      expect(answer.status).toBe('interrupted')
      expect(answer.endReason).toBe('crashed')
      expect(answer.error?.code).toBe('MODEL_CRASHED')
      expect(answer.text.length).toBeGreaterThan(0)
      expect(events.some((e) => e.type === 'engine.crashed' && e.error.code === 'MODEL_CRASHED')).toBe(true)
      expect((await engine.status()).state).toBe('crashed')
      await expectCode(consultation.send({ answerId: 'c2', patientText: 'x' }), 'MODEL_CRASHED')

      const restarted = await engine.restart()
      expect(restarted.state).toBe('ready')
      expect(engine.pid).not.toBe(pid)
      const reopened = await engine.openConsultation({
        consultationId: 'crash',
        history: [
          { role: 'patient', text: patientMessages[0]! },
          { role: 'model', text: answer.text },
        ],
      })
      expect((await reopened.send({ answerId: 'c3', patientText: patientMessages[1]!, sampling: { maxTokens: 8 } })).status).toBe('complete')
    } finally {
      await engine.dispose()
    }
  })
})

describe('local engine: constrained drafts', () => {
  let engine: LocalInferenceEngine
  beforeAll(async () => {
    engine = await startLocalEngine({ threads: 1 })
    await engine.load({ modelPath: modelII, contextSize: 1024, sequences: 2 })
  })
  afterAll(() => engine.dispose())

  const schema = {
    type: 'object',
    properties: {
      chiefComplaint: { type: 'string', maxLength: 20 },
      severity: { enum: ['轻', '中', '重'] },
      feverNow: { type: 'boolean' },
      allergies: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3 },
    },
  }

  it('returns output that parses as the schema, strings within their maxLength', async () => {
    const result = await engine.generateStructured({ instruction: '请根据问诊写出主诉。', jsonSchema: schema, sampling: { seed: 1 } })
    const value = result.value as { chiefComplaint: string; severity: string; feverNow: boolean; allergies: string[] }
    expect(typeof value.chiefComplaint).toBe('string')
    expect(value.chiefComplaint.length).toBeLessThanOrEqual(20)
    expect(['轻', '中', '重']).toContain(value.severity)
    expect(typeof value.feverNow).toBe('boolean')
    expect(value.allergies.length).toBeLessThanOrEqual(3)
    expect(JSON.parse(result.text)).toEqual(value)
  })

  it('output cut off by the budget is DRAFT_INCOMPLETE, never patched up', async () => {
    await expectCode(engine.generateStructured({ instruction: '请写出主诉。', jsonSchema: schema, sampling: { maxTokens: 3, seed: 1 } }), 'DRAFT_INCOMPLETE')
  })

  it.each([
    ['a string without maxLength', { type: 'object', properties: { text: { type: 'string' } } }],
    ['an array without maxItems', { type: 'array', items: { type: 'string', maxLength: 4 } }],
    ['a number', { type: 'object', properties: { days: { type: 'integer' } } }],
  ])('a schema without bounds is refused before generating: %s', async (_label, jsonSchema) => {
    await expectCode(engine.generateStructured({ instruction: '主诉', jsonSchema }), 'SCHEMA_UNBOUNDED')
  })
})
