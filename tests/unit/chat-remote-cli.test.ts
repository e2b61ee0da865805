import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { HUATUO_II_ANSWER_PREFIX, HUATUO_II_QUESTION_PREFIX } from '../../electron/core/inference/prompt-formats/huatuo-ii.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { runHuatuo } from '../support/cli.ts'
import { startOpenAiTestServer, type OpenAiTestServer } from '../support/openai-server.ts'

// `huatuo chat --server`: a terminal consultation through the hospital inference server, here a
// loopback llama-server that generates with node-llama-cpp. What the terminal shows is what the
// server's model generated; the prompts are the workstation's exact text; the key goes as a bearer.

let dir: string
let llama: Llama
let model: LlamaModel
let context: LlamaContext
let server: OpenAiTestServer

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-chat-remote-'))
  await writeTestModel({ out: join(dir, 'ii.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 51 })
  llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  model = await llama.loadModel({ modelPath: join(dir, 'ii.gguf'), gpuLayers: 0 })
  context = await model.createContext({ contextSize: 1024, sequences: 1, threads: 1 })
  server = await startOpenAiTestServer({ llama, model, context, dialect: 'llama-server', modelName: 'HuatuoGPT2-7B', apiKey: 'k-123' })
}, 120_000)

afterAll(async () => {
  await server?.close()
  await context?.dispose()
  await model?.dispose()
  if (llama) await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
})

describe('huatuo chat --server', () => {
  it('holds a consultation through the server: its model’s answers stream to the terminal, two turns in the exact II layout', async () => {
    const result = await runHuatuo(['chat', '--server', server.url, '--max-tokens', '8', '--seed', '3'], {
      input: '头痛三天\n还发热\nstop\n',
      env: { HUATUO_API_KEY: 'k-123' },
    })
    expect(result.status).toBe(0)
    // The server's kind was recognised from its own endpoints, and its model and context were read.
    expect(result.stderr).toMatch(new RegExp(`Connected to the hospital inference server ${server.url.replace(/[.]/g, '\\.')}: HuatuoGPT2-7B \\(prompt format huatuo-ii, context 1024`))
    const [first, second] = server.generations
    expect(second!.prompt).toBe(`${HUATUO_II_QUESTION_PREFIX}头痛三天${HUATUO_II_ANSWER_PREFIX}${first!.text}\n${HUATUO_II_QUESTION_PREFIX}还发热${HUATUO_II_ANSWER_PREFIX}`)
    expect(result.stdout).toContain(`HuatuoGPT: ${first!.text.trim().slice(0, 4)}`)
    expect(server.requests.every((request) => request.authorization === 'Bearer k-123')).toBe(true)
    // The key is nowhere in what the command printed.
    expect(result.stdout + result.stderr).not.toContain('k-123')
  })

  it('an owner-only key file works; one others can read is refused with REMOTE_KEY_UNREADABLE', async () => {
    const key = join(dir, 'server.key')
    await writeFile(key, 'k-123\n', { mode: 0o644 })
    const exposed = await runHuatuo(['chat', '--server', server.url, '--api', 'llama-server', '--api-key-file', key], { input: 'stop\n' })
    expect(exposed.status).toBe(1)
    expect(exposed.stderr).toMatch(/^REMOTE_KEY_UNREADABLE:/m)
    const own = join(dir, 'own.key')
    await writeFile(own, 'k-123\n', { mode: 0o600 })
    const result = await runHuatuo(['chat', '--server', server.url, '--api', 'llama-server', '--api-key-file', own, '--max-tokens', '4'], { input: '咳嗽\nstop\n' })
    expect(result.status).toBe(0)
  })

  it('refuses what cannot work with a code: a wrong key, plain http to another host, a server that is not there, and usage mistakes', async () => {
    const wrongKey = await runHuatuo(['chat', '--server', server.url], { input: 'stop\n', env: { HUATUO_API_KEY: 'wrong' } })
    expect([wrongKey.status, wrongKey.stderr]).toEqual([1, expect.stringMatching(/^REMOTE_UNAUTHORIZED:/m)])
    const insecure = await runHuatuo(['chat', '--server', 'http://10.20.30.40:8000', '--api', 'vllm'], { input: 'stop\n' })
    expect([insecure.status, insecure.stderr]).toEqual([1, expect.stringMatching(/^REMOTE_INSECURE_URL:/m)])
    const gone = await runHuatuo(['chat', '--server', 'http://127.0.0.1:9', '--api', 'vllm'], { input: 'stop\n' })
    expect([gone.status, gone.stderr]).toEqual([1, expect.stringMatching(/^REMOTE_UNREACHABLE:/m)])
    expect((await runHuatuo(['chat', '--server', server.url, '--model', 'x.gguf'], { input: '' })).status).toBe(2)
    expect((await runHuatuo(['chat', '--server-model', 'x'], { input: '' })).status).toBe(2)
    expect((await runHuatuo(['chat', '--server', server.url, '--api', 'tgi'], { input: '' })).status).toBe(2)
  })
})
