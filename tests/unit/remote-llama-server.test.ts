import http from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LlamaCompletion, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { countTokens } from '../../electron/core/inference/remote/context.ts'
import { streamGeneration } from '../../electron/core/inference/remote/stream.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'

// Real tokens from a real model through the remote client: a loopback server speaks llama-server's
// OpenAI-style /v1/completions stream (and its /tokenize) and generates with node-llama-cpp.

interface Generation {
  text: string
  tokens: number
  stopReason: string
  closedByClient: boolean
}

let dir: string
let llama: Llama
let models: Record<'ends' | 'endless', LlamaModel>
let contexts: LlamaContext[] = []
let server: http.Server
let base: string
const generations: Generation[] = []

async function startServer(model: LlamaModel, context: LlamaContext): Promise<http.Server> {
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() })
  const httpServer = http.createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      const parsed = JSON.parse(body) as { prompt?: string; content?: string; max_tokens?: number; seed?: number; temperature?: number }
      if (request.url === '/tokenize') {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ tokens: [...model.tokenize(parsed.content ?? '', false)] }))
        return
      }
      void (async () => {
        const abort = new AbortController()
        const generation: Generation = { text: '', tokens: 0, stopReason: '', closedByClient: false }
        response.on('close', () => {
          if (!response.writableEnded) {
            generation.closedByClient = true
            abort.abort()
          }
        })
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        const { metadata } = await completion.generateCompletionWithMeta(parsed.prompt ?? '', {
          maxTokens: parsed.max_tokens ?? 16,
          temperature: parsed.temperature ?? 0,
          ...(parsed.seed === undefined ? {} : { seed: parsed.seed }),
          signal: abort.signal,
          stopOnAbortSignal: true,
          onToken: (tokens) => (generation.tokens += tokens.length),
          onTextChunk: (text) => {
            generation.text += text
            if (!response.destroyed) response.write(`data: ${JSON.stringify({ choices: [{ index: 0, text, finish_reason: null }], object: 'text_completion' })}\n\n`)
          },
        })
        generation.stopReason = metadata.stopReason
        generations.push(generation)
        if (response.destroyed) return
        const usage = { prompt_tokens: model.tokenize(parsed.prompt ?? '', false).length, completion_tokens: generation.tokens }
        const finish = metadata.stopReason === 'maxTokens' ? 'length' : 'stop'
        response.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: '', finish_reason: finish }], usage, object: 'text_completion' })}\n\n`)
        response.end('data: [DONE]\n\n')
      })()
    })
  })
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  return httpServer
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-remote-'))
  await writeTestModel({ out: join(dir, 'ends.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 31 })
  await writeTestModel({ out: join(dir, 'endless.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 32, endsAnswers: false })
  llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  models = {
    ends: await llama.loadModel({ modelPath: join(dir, 'ends.gguf'), gpuLayers: 0 }),
    endless: await llama.loadModel({ modelPath: join(dir, 'endless.gguf'), gpuLayers: 0 }),
  }
  contexts = [await models.ends.createContext({ contextSize: 256, threads: 1 }), await models.endless.createContext({ contextSize: 256, threads: 1 })]
  server = await startServer(models.ends, contexts[0]!)
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 120_000)

afterAll(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  for (const context of contexts) await context.dispose()
  for (const model of Object.values(models ?? {})) await model.dispose()
  if (llama) await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
})

const prompt = '<问>：头痛发热三天，怎么办？\n<答>：'

describe('a node-llama-cpp model behind an OpenAI-style server', () => {
  it('streams the model’s real tokens through the client, with its usage', async () => {
    generations.length = 0
    const pieces: string[] = []
    const result = await streamGeneration({ url: base }, 'llama-server', { model: 'huatuo-ii', input: { kind: 'text', prompt }, sampling: { maxTokens: 12, temperature: 0 } }, { onText: (t) => pieces.push(t) })
    const generated = generations[0]!
    expect(generated.tokens).toBeGreaterThan(0)
    expect(result.text).toBe(generated.text)
    expect(pieces.join('')).toBe(generated.text)
    expect(result).toMatchObject({ status: 'complete', usage: { generatedTokens: generated.tokens } })
    expect(result.endReason).toBe(generated.stopReason === 'maxTokens' ? 'length' : 'end-token')
    expect(result.usage!.promptTokens).toBe(models.ends.tokenize(prompt, false).length)
  })

  it('counts tokens with the server’s /tokenize exactly as the model does', async () => {
    expect(await countTokens({ url: base }, 'llama-server', 'huatuo-ii', prompt)).toEqual({ tokens: models.ends.tokenize(prompt, false).length, exact: true })
  })

  it('stop ends the generation on the server and keeps the partial answer', async () => {
    const endless = await startServer(models.endless, contexts[1]!)
    try {
      generations.length = 0
      const controller = new AbortController()
      let pieces = 0
      const result = await streamGeneration(
        { url: `http://127.0.0.1:${(endless.address() as AddressInfo).port}` },
        'llama-server',
        { model: 'huatuo-ii', input: { kind: 'text', prompt }, sampling: { maxTokens: 200, temperature: 0 } },
        {
          signal: controller.signal,
          onText: () => {
            if (++pieces === 3) controller.abort()
          },
        },
      )
      expect(result.status).toBe('stopped')
      expect(result.text.length).toBeGreaterThan(0)
      // The server noticed the closed connection and stopped generating well before its limit.
      await expect.poll(() => generations.length, { timeout: 10_000 }).toBe(1)
      expect(generations[0]).toMatchObject({ closedByClient: true, stopReason: 'abort' })
      expect(generations[0]!.tokens).toBeLessThan(200)
      expect(generations[0]!.text.startsWith(result.text)).toBe(true)
    } finally {
      endless.closeAllConnections()
      await new Promise((resolve) => endless.close(resolve))
    }
  })
})
