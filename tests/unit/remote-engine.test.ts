import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../electron/contract/inference.ts'
import { WorkstationError } from '../../electron/core/errors.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { HUATUO_II_ANSWER_PREFIX, HUATUO_II_QUESTION_PREFIX } from '../../electron/core/inference/prompt-formats/huatuo-ii.ts'
import { RemoteInferenceEngine, type RemoteEngineOptions } from '../../electron/core/inference/remote/remote-engine.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { startOpenAiTestServer, type OpenAiTestServer, type ServerDialect } from '../support/openai-server.ts'

// The remote engine against loopback servers in each dialect that generate with node-llama-cpp
// and a generated model: what goes out (the exact prompt, whole turns dropped to fit, prefix
// caching asked for), what comes back (deltas, usage, a stop that keeps the partial answer), and
// each failure a server can cause.

let dir: string
let llama: Llama
let model: LlamaModel
let endless: LlamaModel
const contexts: LlamaContext[] = []
const servers: OpenAiTestServer[] = []
const engines: RemoteInferenceEngine[] = []

async function server(dialect: ServerDialect, modelName: string, options: { contextSize?: number; apiKey?: string; endlessModel?: boolean } = {}) {
  const context = await (options.endlessModel ? endless : model).createContext({ contextSize: 1024, sequences: 2, threads: 1 })
  contexts.push(context)
  const started = await startOpenAiTestServer({
    llama,
    model: options.endlessModel ? endless : model,
    context,
    dialect,
    modelName,
    ...(options.contextSize ? { contextSize: options.contextSize } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  })
  servers.push(started)
  return started
}

function engine(served: OpenAiTestServer, api: RemoteEngineOptions['api'], overrides: Partial<RemoteEngineOptions> = {}): RemoteInferenceEngine {
  const made = new RemoteInferenceEngine({ server: { url: served.url }, api, model: null, promptFormat: null, contextSize: null, maxConcurrent: 2, ...overrides })
  engines.push(made)
  return made
}

function deltasOf(made: RemoteInferenceEngine): EngineEvent[] {
  const events: EngineEvent[] = []
  made.onEvent((event) => events.push(event))
  return events
}

async function failure(promise: Promise<unknown>): Promise<WorkstationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(WorkstationError)
  return error as WorkstationError
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-remote-engine-'))
  await writeTestModel({ out: join(dir, 'ends.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 41 })
  await writeTestModel({ out: join(dir, 'endless.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 42, endsAnswers: false })
  llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  model = await llama.loadModel({ modelPath: join(dir, 'ends.gguf'), gpuLayers: 0 })
  endless = await llama.loadModel({ modelPath: join(dir, 'endless.gguf'), gpuLayers: 0 })
}, 120_000)

afterAll(async () => {
  for (const made of engines) await made.dispose()
  for (const served of servers) await served.close()
  for (const context of contexts) await context.dispose()
  await model?.dispose()
  await endless?.dispose()
  if (llama) await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
})

describe('a consultation through the hospital inference server', () => {
  it('llama-server, HuatuoGPT-II: the exact prompt of every turn, the answer streamed in coalesced deltas, usage, prefix caching', async () => {
    const served = await server('llama-server', 'HuatuoGPT2-7B', { contextSize: 1024 })
    const remote = engine(served, 'llama-server')
    const facts = await remote.connect()
    expect(facts).toMatchObject({ model: 'HuatuoGPT2-7B', contextSize: 1024, plan: { format: 'huatuo-ii', family: 'ii', input: 'text' } })
    const events = deltasOf(remote)
    const session = await remote.openConsultation({ consultationId: 'c1', history: [] })
    const first = await session.send({ answerId: 'a1', patientText: '头痛三天', sampling: { maxTokens: 12, temperature: 0 } })
    const second = await session.send({ answerId: 'a2', patientText: '还发热', sampling: { maxTokens: 12, temperature: 0 } })

    // The model really generated what the engine returned, and saw the II layout with the first answer.
    expect(served.generations.map((g) => g.text)).toEqual([first.text, second.text])
    expect(first.text.length).toBeGreaterThan(0)
    expect(served.generations[1]!.prompt).toBe(
      `${HUATUO_II_QUESTION_PREFIX}头痛三天${HUATUO_II_ANSWER_PREFIX}${first.text}\n${HUATUO_II_QUESTION_PREFIX}还发热${HUATUO_II_ANSWER_PREFIX}`,
    )
    const completions = served.requests.filter((r) => r.path === '/v1/completions')
    expect(completions[1]!.body).toMatchObject({ cache_prompt: true, stream: true, max_tokens: 12, stop: ['</s>'] })
    // Deltas are batched, never one per token, and add up to the answer.
    const a1 = events.filter((e) => e.type === 'consultation.delta' && e.answerId === 'a1')
    expect(a1.map((e) => (e.type === 'consultation.delta' ? e.text : '')).join('')).toBe(first.text)
    expect(a1.length).toBeLessThanOrEqual(served.generations[0]!.tokens)
    expect(first).toMatchObject({ status: 'complete', timing: { generatedTokens: served.generations[0]!.tokens } })
    expect(first.timing.promptTokens).toBeGreaterThan(0)
    // The second turn's prompt starts with the first turn's: the server's cache held it, and the
    // answer says so as a local answer would (only the new turn evaluated).
    expect(first.timing.evaluatedPromptTokens).toBe(first.timing.promptTokens)
    expect(second.timing.evaluatedPromptTokens).toBeGreaterThan(0)
    expect(second.timing.evaluatedPromptTokens).toBeLessThanOrEqual(second.timing.promptTokens - first.timing.promptTokens)
    expect(await session.history()).toEqual([
      { role: 'patient', text: '头痛三天' },
      { role: 'model', text: first.text },
      { role: 'patient', text: '还发热' },
      { role: 'model', text: second.text },
    ])
  })

  it('regenerate and edit send the history they keep, not the answer they replace', async () => {
    const served = await server('llama-server', 'HuatuoGPT2-7B')
    const remote = engine(served, 'llama-server')
    await remote.connect()
    const session = await remote.openConsultation({ consultationId: 'c2', history: [{ role: 'patient', text: '咳嗽' }, { role: 'model', text: '多久了？' }] })
    await session.send({ answerId: 'a1', patientText: '一周', sampling: { maxTokens: 6, temperature: 0 } })
    await session.regenerate({ answerId: 'a2', sampling: { maxTokens: 6, temperature: 0 } })
    await session.editPatientMessage({ answerId: 'a3', patientMessageIndex: 0, patientText: '咳痰', sampling: { maxTokens: 6, temperature: 0 } })
    const prompts = served.generations.map((g) => g.prompt)
    expect(prompts[1]).toBe(prompts[0])
    expect(prompts[2]).toBe(`${HUATUO_II_QUESTION_PREFIX}咳痰${HUATUO_II_ANSWER_PREFIX}`)
    expect((await session.history()).map((t) => t.role)).toEqual(['patient', 'model'])
  })

  it('vLLM with a chat model: messages go out, old turns are dropped whole to fit max_model_len, and one message too long is CONTEXT_FULL', async () => {
    const served = await server('vllm', 'HuatuoGPT-o1-7B', { contextSize: 200 })
    const remote = engine(served, 'vllm')
    expect(await remote.connect()).toMatchObject({ contextSize: 200, plan: { family: 'o1', input: 'chat' } })
    const long = '患者主诉反复胸闷气短，活动后加重，'.repeat(3)
    const history = [
      { role: 'patient' as const, text: `第一次：${long}` },
      { role: 'model' as const, text: '## Thinking\n\n想一想\n\n## Final Response\n\n请做心电图。' },
      { role: 'patient' as const, text: `第二次：${long}` },
      { role: 'model' as const, text: '请复查。' },
    ]
    const session = await remote.openConsultation({ consultationId: 'c3', history })
    await session.send({ answerId: 'a1', patientText: '今天好些了', sampling: { maxTokens: 40, temperature: 0 } })
    const sent = served.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.body!
    const messages = sent['messages'] as { role: string; content: string }[]
    // Whole turns from the oldest, never half a turn; o1's thinking never goes back.
    expect(messages[0]!.role).toBe('user')
    expect(messages.at(-1)).toEqual({ role: 'user', content: '今天好些了' })
    expect(messages.length).toBeLessThan(5)
    expect(messages.map((m) => m.content).join('')).not.toContain('## Thinking')
    const counted = served.requests.filter((r) => r.path === '/tokenize')
    expect(counted.length).toBeGreaterThan(1)
    expect(counted[0]!.body).toHaveProperty('messages')
    expect(sent['max_tokens']).toBe(40)

    const tooLong = await failure(session.send({ answerId: 'a2', patientText: long.repeat(20), sampling: { maxTokens: 40 } }))
    expect(tooLong.code).toBe('CONTEXT_FULL')
    expect(tooLong.data).toMatchObject({ contextSize: 200 })
  })

  it('Ollama: raw /api/generate with the context it fits to, NDJSON streamed back', async () => {
    const served = await server('ollama', 'huatuogpt2-7b:latest', { contextSize: 768 })
    const remote = engine(served, 'ollama', { model: 'huatuogpt2-7b', promptFormat: 'huatuo-ii' })
    expect(await remote.connect()).toMatchObject({ model: 'huatuogpt2-7b', contextSize: 768 })
    const session = await remote.openConsultation({ consultationId: 'c4', history: [] })
    const answer = await session.send({ answerId: 'a1', patientText: '失眠', sampling: { maxTokens: 8, temperature: 0 } })
    const sent = served.requests.find((r) => r.path === '/api/generate')!.body!
    expect(sent).toMatchObject({ raw: true, stream: true, prompt: `${HUATUO_II_QUESTION_PREFIX}失眠${HUATUO_II_ANSWER_PREFIX}`, options: { num_ctx: 768, num_predict: 8 } })
    expect(answer.text).toBe(served.generations[0]!.text)
    expect(answer.timing.generatedTokens).toBe(served.generations[0]!.tokens)
  })

  it('stop ends the generation on the server and keeps the partial answer as stopped', async () => {
    const served = await server('llama-server', 'HuatuoGPT2-7B', { endlessModel: true })
    const remote = engine(served, 'llama-server')
    await remote.connect()
    const events = deltasOf(remote)
    const session = await remote.openConsultation({ consultationId: 'c5', history: [] })
    const answering = session.send({ answerId: 'a1', patientText: '胃痛', sampling: { maxTokens: 400, temperature: 0 } })
    await expect.poll(() => events.length, { timeout: 20_000 }).toBeGreaterThan(1)
    await session.stop()
    const answer = await answering
    expect(answer).toMatchObject({ status: 'stopped', endReason: 'stopped' })
    expect(answer.text.length).toBeGreaterThan(0)
    await expect.poll(() => served.generations.length, { timeout: 10_000 }).toBe(1)
    expect(served.generations[0]!.stopReason).toBe('abort')
    expect(served.generations[0]!.text.startsWith(answer.text)).toBe(true)
    expect((await session.history()).at(-1)).toEqual({ role: 'model', text: answer.text })
  })

  it('a stream cut mid-answer keeps the partial answer as interrupted with REMOTE_STREAM_CUT', async () => {
    const served = await server('llama-server', 'HuatuoGPT2-7B', { endlessModel: true })
    const remote = engine(served, 'llama-server')
    await remote.connect()
    served.once({ cutAfterPieces: 3 })
    const session = await remote.openConsultation({ consultationId: 'c6', history: [] })
    const answer = await session.send({ answerId: 'a1', patientText: '腹泻', sampling: { maxTokens: 100, temperature: 0 } })
    expect(answer).toMatchObject({ status: 'interrupted', endReason: 'error', error: { code: 'REMOTE_STREAM_CUT' } })
    expect(answer.text.length).toBeGreaterThan(0)
  })

  it('a server that stalls mid-answer is REMOTE_STALLED after the idle timeout, with what came kept', async () => {
    const served = await server('vllm', 'HuatuoGPT2-7B', { endlessModel: true })
    const remote = engine(served, 'vllm', { server: { url: served.url, idleTimeoutMs: 400 } })
    await remote.connect()
    served.once({ stallAfterPieces: 2 })
    const session = await remote.openConsultation({ consultationId: 'c7', history: [] })
    const answer = await session.send({ answerId: 'a1', patientText: '头晕', sampling: { maxTokens: 100, temperature: 0 } })
    expect(answer).toMatchObject({ status: 'interrupted', error: { code: 'REMOTE_STALLED' } })
    expect(answer.text.length).toBeGreaterThan(0)
  })

  it('maps the key, the model, the rate limit and the server’s own failure to their codes', async () => {
    const guarded = await server('vllm', 'HuatuoGPT2-7B', { apiKey: 's3cret-key' })
    expect((await failure(engine(guarded, 'vllm').connect())).code).toBe('REMOTE_UNAUTHORIZED')
    const keyed = engine(guarded, 'vllm', { server: { url: guarded.url, apiKey: () => 's3cret-key' } })
    await keyed.connect()
    expect(guarded.requests.at(-1)!.authorization).toBe('Bearer s3cret-key')

    expect((await failure(engine(guarded, 'vllm', { model: 'HuatuoGPT-o1-72B', server: { url: guarded.url, apiKey: 's3cret-key' } }).connect())).code).toBe(
      'REMOTE_MODEL_NOT_FOUND',
    )

    const session = await keyed.openConsultation({ consultationId: 'c8', history: [] })
    guarded.once({ status: 429, headers: { 'retry-after': '7' } })
    const limited = await failure(session.send({ answerId: 'a1', patientText: '发热', sampling: { maxTokens: 4 } }))
    expect(limited.code).toBe('REMOTE_RATE_LIMITED')
    expect(limited.data).toEqual({ retryAfterSeconds: 7 })
    guarded.once({ status: 503 })
    expect((await failure(session.send({ answerId: 'a2', patientText: '发热', sampling: { maxTokens: 4 } }))).code).toBe('REMOTE_SERVER_ERROR')
    // The history holds no half turn from the failures: the next answer goes out as the first.
    const answer = await session.send({ answerId: 'a3', patientText: '发热', sampling: { maxTokens: 4, temperature: 0 } })
    expect(answer.status).toBe('complete')
    expect(await session.history()).toHaveLength(2)
  })

  it('a server that is not there is REMOTE_UNREACHABLE, and the engine connects when it is back', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number }
        probe.close(() => resolve(free))
      })
    })
    const remote = engine({ url: `http://127.0.0.1:${port}` } as OpenAiTestServer, 'llama-server')
    expect((await failure(remote.connect())).code).toBe('REMOTE_UNREACHABLE')
    expect((await failure(remote.openConsultation({ consultationId: 'c9', history: [] }))).code).toBe('REMOTE_UNREACHABLE')
  })
})

describe('HuatuoGPT-o1 through a chat server', () => {
  it('splits the thinking from the final response as the local engine does, wherever the stream cuts the headers, and sends back only the response', async () => {
    // vLLM's chat stream as its documentation shows it, with the o1 answer cut at awkward places.
    const answer = '## Thinking\n\n患者头痛伴发热，考虑感染。\n\n## Final Response\n\n建议测体温，多饮水。'
    const pieces = ['## Thi', 'nking\n\n患者头痛', '伴发热，考虑感染。\n\n## Fin', 'al Resp', 'onse\n\n建议测', '体温，多饮水。']
    const bodies: Record<string, unknown>[] = []
    const fixture = http.createServer((request, response) => {
      let raw = ''
      request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      request.on('end', () => {
        if (request.url === '/v1/models') {
          response.writeHead(200, { 'content-type': 'application/json' })
          return response.end(JSON.stringify({ object: 'list', data: [{ id: 'HuatuoGPT-o1-7B', object: 'model', max_model_len: 4096 }] }))
        }
        if (request.url === '/tokenize') {
          response.writeHead(200, { 'content-type': 'application/json' })
          return response.end(JSON.stringify({ count: raw.length, max_model_len: 4096 }))
        }
        bodies.push(JSON.parse(raw) as Record<string, unknown>)
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        for (const piece of pieces) response.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`)
        response.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 30, completion_tokens: 20 } })}\n\n`)
        response.end('data: [DONE]\n\n')
      })
    })
    await new Promise<void>((resolve) => fixture.listen(0, '127.0.0.1', resolve))
    try {
      const remote = engine({ url: `http://127.0.0.1:${(fixture.address() as AddressInfo).port}` } as OpenAiTestServer, 'vllm')
      await remote.connect()
      const events = deltasOf(remote)
      const session = await remote.openConsultation({ consultationId: 'o1', history: [] })
      const first = await session.send({ answerId: 'a1', patientText: '头痛发热', sampling: { maxTokens: 100 } })
      expect(first).toMatchObject({ thinking: '患者头痛伴发热，考虑感染。', text: '建议测体温，多饮水。', status: 'complete', timing: { promptTokens: 30, generatedTokens: 20 } })
      const deltas = events.flatMap((e) => (e.type === 'consultation.delta' ? [e] : []))
      expect(deltas.map((d) => d.thinking).join('')).toBe(first.thinking)
      expect(deltas.map((d) => d.text).join('')).toBe(first.text)
      expect(deltas.some((d) => d.text.includes('#'))).toBe(false)
      await session.send({ answerId: 'a2', patientText: '今天好些了', sampling: { maxTokens: 100 } })
      expect(bodies[1]!['messages']).toEqual([
        { role: 'user', content: '头痛发热' },
        { role: 'assistant', content: '建议测体温，多饮水。' },
        { role: 'user', content: '今天好些了' },
      ])
      expect(answer).toContain(first.text)
    } finally {
      fixture.closeAllConnections()
      await new Promise((resolve) => fixture.close(resolve))
    }
  })
})

describe('record drafts and evaluation through the server', () => {
  const schema = {
    type: 'object',
    properties: { chiefComplaint: { type: 'string', maxLength: 12 }, urgent: { type: 'boolean' } },
    required: ['chiefComplaint', 'urgent'],
    additionalProperties: false,
  }

  it('asks for the schema in the server’s dialect and returns the validated value', async () => {
    const served = await server('vllm', 'HuatuoGPT2-7B')
    const remote = engine(served, 'vllm')
    await remote.connect()
    const progress: string[] = []
    const result = await remote.generateStructured({ instruction: '头痛三天。写出主诉。', jsonSchema: schema, sampling: { temperature: 0 }, onProgress: (p) => progress.push(p.text) })
    expect(served.requests.find((r) => r.path === '/v1/completions')!.body).toMatchObject({ structured_outputs: { json: schema } })
    expect(result.value).toEqual(JSON.parse(served.generations[0]!.text))
    expect(progress.at(-1)).toBe(result.text)
  })

  it('a server that ignores the schema cannot produce a draft that skips validation', async () => {
    const served = await server('llama-server', 'HuatuoGPT2-7B')
    const remote = engine(served, 'llama-server')
    await remote.connect()
    served.once('ignore-schema')
    const error = await failure(remote.generateStructured({ instruction: '头痛三天。写出主诉。', jsonSchema: schema, sampling: { temperature: 0 } }))
    expect(error.code).toBe('DRAFT_INCOMPLETE')
    expect(served.requests.find((r) => r.path === '/v1/completions')!.body).toHaveProperty('json_schema')
  })

  it('keeps several requests in flight, and a consultation turn goes before waiting evaluation items', async () => {
    const served = await server('llama-server', 'HuatuoGPT2-7B', { endlessModel: true })
    const parallel = engine(served, 'llama-server', { maxConcurrent: 2 })
    await parallel.connect()
    const open = (id: string) => parallel.openConsultation({ consultationId: id, history: [] })
    const [x, y] = await Promise.all([open('p1'), open('p2')])
    const both = Promise.all([
      x.send({ answerId: 'x', patientText: '一', sampling: { maxTokens: 30, temperature: 0 } }),
      y.send({ answerId: 'y', patientText: '二', sampling: { maxTokens: 30, temperature: 0 } }),
    ])
    await expect.poll(async () => (await parallel.status()).state).toBe('generating')
    await both
    expect(served.generations).toHaveLength(2)

    const single = engine(served, 'llama-server', { maxConcurrent: 1 })
    await single.connect()
    const order: string[] = []
    const sessions = await Promise.all(['b1', 'b2', 'doctor'].map((id) => single.openConsultation({ consultationId: id, history: [] })))
    const ask = (i: number) =>
      sessions[i]!
        .send({ answerId: `q${i}`, patientText: `问题${i}`, sampling: { maxTokens: 10, temperature: 0 }, ...(i < 2 ? { priority: 'background' as const } : {}) })
        .then(() => order.push(sessions[i]!.consultationId))
    const running = ask(0)
    await expect.poll(async () => (await single.status()).state).toBe('generating')
    const asked = [running, ask(1), ask(2)]
    await Promise.all(asked)
    // b1 was running already; the doctor's turn, asked last, went before the waiting b2.
    expect(order).toEqual(['b1', 'doctor', 'b2'])
  })
})
