import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationOpened, Reply, WorkstationEvent } from '../../electron/contract/channels.ts'
import type { ConsultationMessage, ConsultationTurn, StoredAnswer } from '../../electron/contract/consultation-messages.ts'
import type { EngineStatus } from '../../electron/contract/inference.ts'
import type { LibraryModel } from '../../electron/contract/models.ts'
import type { Page } from '../../electron/contract/paging.ts'
import type { RemoteConnectionTest } from '../../electron/contract/remote-engine.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { Workstation, type WorkstationOptions } from '../../electron/core/workstation.ts'
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openai-server.ts'

// The workstation with a hospital inference server configured: consultations answered by the
// server (a loopback vLLM that generates with node-llama-cpp), the administrator's choice of engine
// kept across restarts, "test connection", a record drafted by the server's model and exported, and
// the local model standing in when the server fails —
// each answer stored with the engine and model that wrote it.

let dir: string
let llama: Llama
let served: LlamaModel
let context: LlamaContext
let server: OpenAiTestServer
let options: WorkstationOptions
let workstation: Workstation
const events: WorkstationEvent[] = []

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const reply = (await workstation.invoke(name, input)) as Reply<T>
  if (!reply.ok) throw Object.assign(new Error(`${reply.error.code}: ${reply.error.detail ?? ''}`), { code: reply.error.code, data: reply.error.data })
  return reply.value
}

async function refused(name: string, input: unknown = {}): Promise<string> {
  const reply = await workstation.invoke(name, input)
  expect(reply.ok).toBe(false)
  return reply.ok ? '' : reply.error.code
}

async function lastAnswer(consultationId: string): Promise<StoredAnswer> {
  const messages = (await call<Page<ConsultationMessage>>('consultation.messages', { consultationId })).items
  const answer = messages.filter((message): message is StoredAnswer => message.role === 'model').at(-1)
  expect(answer).toBeDefined()
  return answer!
}

async function open(): Promise<void> {
  workstation = await Workstation.open(options)
  workstation.onEvent((event) => events.push(event))
}

async function signIn(): Promise<void> {
  await call('session.signIn', { staffId: 'D0001', pin: '482915' })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-ws-remote-'))
  await writeTestModel({ out: join(dir, 'served.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 41, endsAnswers: false })
  llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  served = await llama.loadModel({ modelPath: join(dir, 'served.gguf'), gpuLayers: 0 })
  context = await served.createContext({ contextSize: 4096, sequences: 2, threads: 1 })
  server = await startOpenAiTestServer({ llama, model: served, context, dialect: 'vllm', modelName: 'HuatuoGPT2-7B', contextSize: 4096, apiKey: 'ward-key' })

  const importDir = join(dir, 'import')
  await mkdir(importDir)
  const evaluationDataDir = join(dir, 'datasets')
  await mkdir(evaluationDataDir)
  await writeFile(
    join(evaluationDataDir, 'questions.jsonl'),
    ['头痛怎么办？', '发热怎么办？', '咳嗽怎么办？'].map((question, i) => JSON.stringify({ id: `q${i}`, question, answer: '请就医。' })).join('\n') + '\n',
  )
  await writeTestModel({ out: join(importDir, 'local.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 62 })
  const keyFile = join(dir, 'server.key')
  await writeFile(keyFile, 'ward-key\n', { mode: 0o600 })
  await writeFile(
    join(dir, 'hospital.json'),
    JSON.stringify({ importDir, evaluationDataDir, remoteEngine: { url: server.url, api: 'vllm', model: 'HuatuoGPT2-7B', apiKeyFile: keyFile, fallbackToLocal: true } }),
  )
  const config = await readHospitalConfig(join(dir, 'hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  options = {
    config,
    about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
    databasePath: join(dir, 'data', 'records.db'),
    triage: triagePatientMessage,
    threads: 1,
    maintenance: false,
    shell: {},
  }
  await open()
  await call('session.firstAdmin', { staffId: 'D0001', name: '李医生', roles: ['doctor', 'admin'], pin: '482915' })
}, 120_000)

afterAll(async () => {
  await workstation?.dispose()
  await server?.close()
  await context?.dispose()
  await served?.dispose()
  if (llama) await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
})

describe('a workstation whose hospital configures an inference server', () => {
  it('uses the server from the start: the window is told its model, and an answer comes from the server’s model, stored as the server’s', async () => {
    await expect
      .poll(() => events.some((e) => e.type === 'model.changed' && e.status.engine === 'remote' && e.status.model?.name === 'HuatuoGPT2-7B'))
      .toBe(true)
    const status = await call<EngineStatus>('model.status')
    expect(status).toMatchObject({
      engine: 'remote',
      state: 'ready',
      model: { name: 'HuatuoGPT2-7B', engine: 'remote', server: server.url, sha256: null, contextSize: 4096 },
      remote: { url: server.url, api: 'vllm', model: 'HuatuoGPT2-7B', promptFormat: 'huatuo-ii', contextSize: 4096, fallbackToLocal: true },
      fallbackModel: null,
    })
    const opened = await call<ConsultationOpened>('consultation.open', {})
    const turn = await call<ConsultationTurn>('consultation.send', { consultationId: opened.consultationId, answerId: 'r-1', text: '头痛三天，伴低热', sampling: { maxTokens: 16, seed: 1 } })
    expect(turn.text).toBe(server.generations.at(-1)!.text)
    expect(turn.fallback).toBeUndefined()
    expect((await lastAnswer(opened.consultationId)).author).toEqual({ engine: 'remote', model: 'HuatuoGPT2-7B', server: server.url, fallbackFrom: null })
    // The record is drafted by the server's model under its schema, signed, and its FHIR Device names the server.
    await call('record.save', { consultationId: opened.consultationId, sections: { physicalExam: 'T 37.6℃', orders: '多饮水' } })
    const drafted = await call<{ version: { recordId: number; sections: Record<string, string> } }>('record.draft', { consultationId: opened.consultationId })
    const structured = server.requests.filter((r) => r.path === '/v1/completions').at(-1)!.body!
    expect(structured).toHaveProperty('structured_outputs.json')
    await call('record.save', { consultationId: opened.consultationId, sections: { ...drafted.version.sections, chiefComplaint: '头痛3天', diagnosis: '上呼吸道感染' } })
    const signed = await call<{ version: { id: number } }>('record.sign', { recordId: drafted.version.recordId, pin: '482915' })
    const exported = await call<{ outcome: string; base64: string }>('export.run', { recordVersionId: signed.version.id, format: 'fhir' })
    const bundle = JSON.parse(Buffer.from(exported.base64, 'base64').toString('utf8')) as { entry: { resource: { resourceType: string; url?: string; identifier?: unknown } }[] }
    const device = bundle.entry.map((entry) => entry.resource).find((resource) => resource.resourceType === 'Device')
    expect(device).toMatchObject({ url: server.url })
    expect(JSON.stringify(device)).toContain('HuatuoGPT2-7B')

    // The key went to the server as a bearer token; it is nowhere in what the window can read.
    expect(server.requests.at(-1)!.authorization).toBe('Bearer ward-key')
    expect(JSON.stringify(status)).not.toContain('ward-key')
  })

  it('"test connection" lists the server’s models, version and round trip', async () => {
    const test = await call<RemoteConnectionTest>('model.testServer')
    expect(test).toMatchObject({ url: server.url, api: 'vllm', model: 'HuatuoGPT2-7B', modelServed: true, models: ['HuatuoGPT2-7B'], version: '0.11.0', contextSize: 4096 })
    expect(test.roundTripMs).toBeGreaterThanOrEqual(0)
  })

  it('with a local model loaded, the local model answers when the server fails, and the answer says so', async () => {
    const { model } = await call<{ model: LibraryModel }>('model.import', { candidate: 'local.gguf' })
    const status = await call<EngineStatus>('model.load', { modelId: model.id, contextSize: 1024 })
    expect(status).toMatchObject({ engine: 'remote', model: { engine: 'remote' }, fallbackModel: { name: 'HuatuoGPT2-7B', engine: 'local', sha256: model.sha256 } })
    const opened = await call<ConsultationOpened>('consultation.open', {})
    await call('consultation.send', { consultationId: opened.consultationId, answerId: 'f-1', text: '咳嗽一周', sampling: { maxTokens: 6, seed: 2 } })
    server.failAll(503)
    try {
      const generated = server.generations.length
      const turn = await call<ConsultationTurn>('consultation.send', { consultationId: opened.consultationId, answerId: 'f-2', text: '有痰，黄色', sampling: { maxTokens: 6, seed: 2 } })
      expect(turn.status).toBe('complete')
      expect(turn.fallback).toMatchObject({ reason: { code: 'REMOTE_SERVER_ERROR' }, model: { engine: 'local', sha256: model.sha256 } })
      expect(server.generations.length).toBe(generated)
      expect((await lastAnswer(opened.consultationId)).author).toEqual({ engine: 'local', model: 'HuatuoGPT2-7B', server: null, fallbackFrom: 'REMOTE_SERVER_ERROR' })
    } finally {
      server.failAll(null)
    }
    // The server is back: the next turn goes to it again, with the local model's answer in its history.
    const back = await call<ConsultationTurn>('consultation.send', { consultationId: opened.consultationId, answerId: 'f-3', text: '不发热', sampling: { maxTokens: 6, seed: 2 } })
    expect(back.fallback).toBeUndefined()
    const fallbackAnswer = (await call<Page<ConsultationMessage>>('consultation.messages', { consultationId: opened.consultationId })).items.filter((m) => m.role === 'model')[1]!
    expect(server.generations.at(-1)!.prompt).toContain(`有痰，黄色\n<答>：${fallbackAnswer.text}\n`)
  })

  it('an evaluation started in the window runs on the server’s model, never on the local fallback, and its header names the server', async () => {
    server.failAll(null)
    const generated = server.generations.length
    const started = await call<{ runId: string }>('evaluation.start', { dataset: 'questions.jsonl', datasetFormat: 'jsonl' })
    await expect
      .poll(async () => (await call<{ runId: string; status: string }[]>('evaluation.runs')).find((run) => run.runId === started.runId)?.status, { timeout: 30_000 })
      .toBe('finished')
    expect(server.generations.length - generated).toBe(3)
    const header = JSON.parse(await readFile(join(dir, 'data', 'evaluations', 'runs', started.runId, 'run.json'), 'utf8')) as { model: { sha256: string | null }; engine: object }
    expect(header.model.sha256).toBeNull()
    expect(header.engine).toEqual({ kind: 'remote', url: server.url, api: 'vllm', model: 'HuatuoGPT2-7B', concurrency: 3 })

    // The server failing does not hand the run to the local model: the run stops with the server's code.
    server.failAll(503)
    try {
      const failing = await call<{ runId: string }>('evaluation.start', { dataset: 'questions.jsonl', datasetFormat: 'jsonl' })
      await expect
        .poll(async () => (await call<{ runId: string; status: string; errorCode: string | null }[]>('evaluation.runs')).find((run) => run.runId === failing.runId), { timeout: 30_000 })
        .toMatchObject({ status: 'failed', errorCode: 'REMOTE_SERVER_ERROR', done: 0 })
    } finally {
      server.failAll(null)
    }
  })

  it('an administrator switches consultations to the local model; the choice is kept after a restart', async () => {
    const local = await call<EngineStatus>('model.useEngine', { engine: 'local' })
    expect(local).toMatchObject({ engine: 'local', model: { engine: 'local' }, remote: { url: server.url } })
    const opened = await call<ConsultationOpened>('consultation.open', {})
    const generated = server.generations.length
    await call('consultation.send', { consultationId: opened.consultationId, answerId: 'l-1', text: '腰痛', sampling: { maxTokens: 6, seed: 2 } })
    expect(server.generations.length).toBe(generated)
    expect((await lastAnswer(opened.consultationId)).author).toMatchObject({ engine: 'local', server: null, fallbackFrom: null })

    await workstation.dispose()
    events.length = 0
    await open()
    await signIn()
    expect((await call<EngineStatus>('model.status')).engine).toBe('local')
    const remote = await call<EngineStatus>('model.useEngine', { engine: 'remote' })
    expect(remote).toMatchObject({ engine: 'remote', model: { name: 'HuatuoGPT2-7B', engine: 'remote' } })
  })

  it('a server that cannot be reached is refused when chosen, and the choice stays as it was', async () => {
    await call('model.useEngine', { engine: 'local' })
    await server.close()
    // The workstation connected before; the server now is not there at all.
    await workstation.dispose()
    await open()
    await signIn()
    expect(await refused('model.useEngine', { engine: 'remote' })).toBe('REMOTE_UNREACHABLE')
    expect(await refused('model.testServer')).toBe('REMOTE_UNREACHABLE')
    expect((await call<EngineStatus>('model.status')).engine).toBe('local')
  })
})
