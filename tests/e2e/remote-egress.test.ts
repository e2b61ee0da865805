import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationOpened } from '../../electron/contract/channels.ts'
import type { ConsultationTurn } from '../../electron/contract/consultation-messages.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import type { EgressRecord } from '../support/egress-recorder.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { HostSocket, signInFirstClinician } from '../support/host-socket.ts'
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openai-server.ts'

// Network honesty with a hospital inference server: the browser host (`huatuo serve`) with a
// hospital configuration naming a server at 127.0.0.2 — another address than the page's own
// 127.0.0.1 — holds a consultation through it. Every connection and name lookup the host and its
// engine process start goes to that one host and port; the server receives the conversation text
// and nothing the workstation keeps for itself (no key it was not given, no record, no patient's name).

const SERVER_HOST = '127.0.0.2'

let dir: string
let llama: Llama
let model: LlamaModel
let context: LlamaContext
let server: OpenAiTestServer
let host: HostProcess
const egressLog = () => join(dir, 'egress.jsonl')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-remote-egress-'))
  await writeTestModel({ out: join(dir, 'served.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 71 })
  llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  model = await llama.loadModel({ modelPath: join(dir, 'served.gguf'), gpuLayers: 0 })
  context = await model.createContext({ contextSize: 2048, sequences: 1, threads: 1 })
  server = await startOpenAiTestServer({ llama, model, context, dialect: 'llama-server', modelName: 'HuatuoGPT2-7B', host: SERVER_HOST })
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ remoteEngine: { url: server.url, api: 'llama-server' } }))
  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--data-dir', join(dir, 'data')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'hospital.json') },
    egressLog: egressLog(),
  })
  await signInFirstClinician(host.port, host.token)
}, 120_000)

afterAll(async () => {
  await host?.stop()
  await server?.close()
  await context?.dispose()
  await model?.dispose()
  if (llama) await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
})

describe('a consultation through the hospital inference server', () => {
  it('sends the conversation text to the configured server and opens no other connection', async () => {
    const socket = await HostSocket.open(host.port, host.token)
    try {
      await expect.poll(async () => (await socket.value<{ model: { name: string } | null }>('model.status')).model?.name, { timeout: 20_000 }).toBe('HuatuoGPT2-7B')
      const patient = await socket.value<{ id: string }>('patient.register', { name: '赵六', sex: 'female', ageYears: 41, clinicNumber: 'MZ-EGRESS-1' })
      const opened = await socket.value<ConsultationOpened>('consultation.open', { patientId: patient.id })
      const turn = await socket.value<ConsultationTurn>('consultation.send', {
        consultationId: opened.consultationId,
        answerId: 'egress-1',
        text: '右下腹痛一天，伴恶心',
        sampling: { maxTokens: 8, seed: 4 },
      })
      expect(turn.text).toBe(server.generations.at(-1)!.text)
    } finally {
      socket.close()
    }

    // The server got the patient's words, and none of what stays on the workstation.
    const sent = JSON.stringify(server.requests.map((request) => request.body))
    expect(sent).toContain('右下腹痛一天，伴恶心')
    expect(sent).not.toContain('赵六')
    expect(sent).not.toContain('MZ-EGRESS-1')
    expect(new Set(server.requests.map((request) => request.path))).toEqual(new Set(['/v1/models', '/props', '/tokenize', '/v1/completions']))

    const records = (await readFile(egressLog(), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EgressRecord)
    // The host and its engine process were both recorded.
    expect(new Set(records.filter((r) => r.kind === 'start').map((r) => r.pid)).size).toBeGreaterThanOrEqual(1)
    // Listening on its own address (127.0.0.1) makes Node look that address up: not a connection.
    const outbound = records.filter((r) => r.kind !== 'start' && !(r.kind === 'lookup' && r.host === '127.0.0.1'))
    expect(outbound.length).toBeGreaterThan(0)
    const port = Number(new URL(server.url).port)
    for (const record of outbound) expect(record, JSON.stringify(record)).toMatchObject({ kind: 'tcp', host: SERVER_HOST, port, path: null })
  })
})
