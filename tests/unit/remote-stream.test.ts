import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import tls from 'node:tls'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isWorkstationError, type WorkstationError } from '../../electron/core/errors.ts'
import { buildGenerationRequest, interpretOpenAiEvent, type RemoteApiStyle } from '../../electron/core/inference/remote/dialects.ts'
import { isLoopbackHost, serverUrl, trustedRoots, type RemoteServer } from '../../electron/core/inference/remote/server.ts'
import { streamGeneration, type RemoteStreamResult } from '../../electron/core/inference/remote/stream.ts'
import { NdjsonParser, SseParser } from '../../electron/core/inference/remote/stream-parser.ts'

// The remote engine's HTTP layer against a real node:http server on loopback: each server's
// dialect (written from its documentation) replayed in awkward chunks, and each failure made by
// the server itself — closed sockets, silence, error statuses, broken events.

const API_KEY = 'sk-hospital-secret-0123456789'

// vLLM's OpenAI-compatible /v1/chat/completions stream (docs: "Streaming" with stream_options.include_usage).
const vllmChat = [
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"HuatuoGPT-o1-7B","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"HuatuoGPT-o1-7B","choices":[{"index":0,"delta":{"content":"## Thinking\\n\\n头痛伴发热"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"HuatuoGPT-o1-7B","choices":[{"index":0,"delta":{"content":"，考虑感冒。\\n\\n## Final Response\\n\\n多喝水😊"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"HuatuoGPT-o1-7B","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"HuatuoGPT-o1-7B","choices":[],"usage":{"prompt_tokens":21,"total_tokens":33,"completion_tokens":12}}',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n')
const vllmChatText = '## Thinking\n\n头痛伴发热，考虑感冒。\n\n## Final Response\n\n多喝水😊'

// llama-server's /v1/completions stream (tools/server README), CRLF line ends and a keep-alive comment.
const llamaServerCompletion = [
  ': keep-alive',
  'data: {"choices":[{"text":"注意","index":0,"logprobs":null,"finish_reason":null}],"created":1,"model":"huatuo-ii","system_fingerprint":"b5000","object":"text_completion","id":"cmpl-a"}',
  '',
  'data: {"choices":[{"text":"休息，","index":0,"logprobs":null,"finish_reason":null}],"created":1,"model":"huatuo-ii","object":"text_completion","id":"cmpl-a"}',
  '',
  'data: {"choices":[{"text":"多喝水。","index":0,"logprobs":null,"finish_reason":"length"}],"created":1,"model":"huatuo-ii","object":"text_completion","id":"cmpl-a","usage":{"completion_tokens":6,"prompt_tokens":15,"total_tokens":21},"timings":{"prompt_n":15,"predicted_n":6}}',
  '',
  'data: [DONE]',
  '',
  '',
].join('\r\n')

// Ollama's /api/generate with raw: true (docs/api.md "Generate a completion"): NDJSON.
const ollamaGenerate =
  [
    '{"model":"huatuo","created_at":"2026-01-01T00:00:00Z","response":"您好，","done":false}',
    '{"model":"huatuo","created_at":"2026-01-01T00:00:00Z","response":"请描述症状。","done":false}',
    '{"model":"huatuo","created_at":"2026-01-01T00:00:00Z","response":"","done":true,"done_reason":"stop","total_duration":10,"load_duration":1,"prompt_eval_count":26,"prompt_eval_duration":2,"eval_count":4,"eval_duration":3}',
  ].join('\n') + '\n'

/** Cuts bytes into uneven pieces (1, 2, 3, 5, 8 … bytes), so cuts fall mid-line and mid-character. */
function awkwardChunks(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8')
  const sizes = [1, 2, 3, 5, 8, 13]
  const chunks: Buffer[] = []
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    chunks.push(bytes.subarray(at, at + size))
    at += size
  }
  return chunks
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void | Promise<void>
let handler: Handler
let server: http.Server
let base: string
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = []

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body })
      void handler(request, response, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterEach(() => {
  seen.length = 0
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

async function replay(response: http.ServerResponse, contentType: string, text: string): Promise<void> {
  response.writeHead(200, { 'content-type': contentType })
  for (const chunk of awkwardChunks(text)) {
    response.write(chunk)
    await delay(1)
  }
  response.end()
}

const remote = (extra: Partial<RemoteServer> = {}): RemoteServer => ({ url: base, apiKey: API_KEY, ...extra })

async function failure(promise: Promise<unknown>): Promise<WorkstationError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!isWorkstationError(error)) throw new Error(`expected a WorkstationError, got ${String(error)}`)
  // Neither the key nor any consultation text ever appears in what an error says.
  expect(JSON.stringify({ ...error.toPayload(), cause: String(error.cause) })).not.toContain(API_KEY)
  return error
}

const chat = { model: 'HuatuoGPT-o1-7B', input: { kind: 'chat' as const, messages: [{ role: 'user' as const, content: '头痛发热怎么办？' }] } }
const text = { model: 'huatuo-ii', input: { kind: 'text' as const, prompt: '<问>：头痛发热怎么办？\n<答>：' } }

describe('stream parsers', () => {
  it('give the same events wherever the bytes are cut, even inside a character or a CRLF', () => {
    for (const fixture of [vllmChat, llamaServerCompletion]) {
      const whole = new SseParser().push(fixture)
      const bytes = Buffer.from(fixture, 'utf8')
      for (let cut = 1; cut < bytes.length; cut += 7) {
        const parser = new SseParser()
        expect([...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut)), ...parser.end()]).toEqual(whole)
      }
      const byByte = new SseParser()
      expect([...bytes].flatMap((b) => byByte.push(Uint8Array.of(b)))).toEqual(whole)
    }
    const ndjson = new NdjsonParser()
    expect([...Buffer.from(ollamaGenerate)].flatMap((b) => ndjson.push(Uint8Array.of(b)))).toEqual(ollamaGenerate.trim().split('\n'))
  })

  it('read how much of the prompt the server’s prefix cache held, where it says so and says it believably', () => {
    // vLLM with --enable-prompt-tokens-details (and recent llama-server) end with OpenAI's usage details.
    const usage = (details: unknown) =>
      interpretOpenAiEvent(JSON.stringify({ object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 1500, completion_tokens: 40, prompt_tokens_details: details } })).usage
    expect(usage({ cached_tokens: 1408 })).toEqual({ promptTokens: 1500, generatedTokens: 40, cachedPromptTokens: 1408 })
    expect(usage({ cached_tokens: null })).toEqual({ promptTokens: 1500, generatedTokens: 40 })
    expect(usage({ cached_tokens: 1501 })).toEqual({ promptTokens: 1500, generatedTokens: 40 })
    expect(usage({ cached_tokens: -1 })).toEqual({ promptTokens: 1500, generatedTokens: 40 })
    expect(usage(undefined)).toEqual({ promptTokens: 1500, generatedTokens: 40 })
  })

  it('join multi-line data, skip comments, and never dispatch an event the stream cut off', () => {
    const parser = new SseParser()
    expect(parser.push(': ping\nevent: error\ndata: a\ndata: b\n\ndata: half')).toEqual([{ event: 'error', data: 'a\nb' }])
    expect(parser.end()).toEqual([])
  })
})

describe('request building per API style', () => {
  it('chat models go to /v1/chat/completions; v1 and II as exact prompt text to /v1/completions; Ollama raw', () => {
    const sampling = { temperature: 0.3, topK: 5, topP: 0.85, repeatPenalty: 1.1, maxTokens: 64, seed: 7 }
    const vllm = buildGenerationRequest('vllm', { ...text, sampling })
    expect(vllm).toMatchObject({ path: '/v1/completions', stream: 'sse' })
    expect(vllm.body).toEqual({
      model: 'huatuo-ii',
      prompt: '<问>：头痛发热怎么办？\n<答>：',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.3,
      top_p: 0.85,
      seed: 7,
      top_k: 5,
      repetition_penalty: 1.1,
    })
    const llamaServer = buildGenerationRequest('llama-server', { ...chat, sampling })
    expect(llamaServer).toMatchObject({ path: '/v1/chat/completions', body: { messages: chat.input.messages, cache_prompt: true, repeat_penalty: 1.1, top_k: 5 } })
    const openai = buildGenerationRequest('openai', { ...chat, sampling })
    expect(openai.body).not.toHaveProperty('top_k')
    expect(openai.body).not.toHaveProperty('repetition_penalty')
    const ollama = buildGenerationRequest('ollama', { ...text, sampling, contextSize: 4096, stop: ['</s>'] })
    expect(ollama).toEqual({
      path: '/api/generate',
      stream: 'ndjson',
      body: {
        model: 'huatuo-ii',
        prompt: '<问>：头痛发热怎么办？\n<答>：',
        raw: true,
        stream: true,
        options: { temperature: 0.3, top_k: 5, top_p: 0.85, repeat_penalty: 1.1, num_predict: 64, seed: 7, num_ctx: 4096, stop: ['</s>'] },
      },
    })
  })

  it('asks for structured output in each server’s dialect', () => {
    const schema = { type: 'object', properties: { chiefComplaint: { type: 'string', maxLength: 40 } } }
    expect(buildGenerationRequest('vllm', { ...chat, jsonSchema: schema }).body['structured_outputs']).toEqual({ json: schema })
    expect(buildGenerationRequest('vllm', { ...chat, jsonSchema: schema }).body).not.toHaveProperty('guided_json')
    expect(buildGenerationRequest('llama-server', { ...text, jsonSchema: schema }).body['json_schema']).toEqual(schema)
    for (const style of ['openai', 'llama-server'] as RemoteApiStyle[]) {
      expect(buildGenerationRequest(style, { ...chat, jsonSchema: schema }).body['response_format']).toEqual({
        type: 'json_schema',
        json_schema: { name: 'record', schema, strict: true },
      })
    }
    expect(buildGenerationRequest('ollama', { ...text, jsonSchema: schema }).body['format']).toEqual(schema)
  })
})

describe('streaming from a server on loopback', () => {
  it('vLLM chat: the text, finish and usage, with the key as a bearer token', async () => {
    handler = (_req, res) => replay(res, 'text/event-stream', vllmChat)
    const pieces: string[] = []
    const result = await streamGeneration(remote(), 'vllm', chat, { onText: (t) => pieces.push(t) })
    expect(result).toMatchObject({ text: vllmChatText, status: 'complete', endReason: 'end-token', usage: { promptTokens: 21, generatedTokens: 12 } })
    expect(pieces.join('')).toBe(vllmChatText)
    expect(result.timeToFirstTokenMs).toBeGreaterThanOrEqual(0)
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions' })
    expect(seen[0]!.headers['authorization']).toBe(`Bearer ${API_KEY}`)
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ model: 'HuatuoGPT-o1-7B', stream: true, messages: chat.input.messages })
  })

  it('llama-server completions: the exact prompt goes out, the length finish comes back', async () => {
    handler = (_req, res) => replay(res, 'text/event-stream', llamaServerCompletion)
    const result = await streamGeneration(remote(), 'llama-server', text)
    expect(result).toMatchObject({ text: '注意休息，多喝水。', status: 'complete', endReason: 'length', usage: { promptTokens: 15, generatedTokens: 6 } })
    expect(seen[0]!.url).toBe('/v1/completions')
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ prompt: text.input.prompt, cache_prompt: true })
  })

  it('Ollama NDJSON from /api/generate with raw: true', async () => {
    handler = (_req, res) => replay(res, 'application/x-ndjson', ollamaGenerate)
    const result = await streamGeneration(remote(), 'ollama', text)
    expect(result).toMatchObject({ text: '您好，请描述症状。', status: 'complete', endReason: 'end-token', usage: { promptTokens: 26, generatedTokens: 4 } })
    expect(seen[0]!.url).toBe('/api/generate')
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ raw: true, prompt: text.input.prompt })
  })

  it('stop aborts the request and keeps the partial answer', async () => {
    let serverSawClose: Promise<void> = Promise.resolve()
    handler = async (_req, res) => {
      serverSawClose = new Promise((resolve) => res.on('close', resolve))
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(`data: {"choices":[{"index":0,"delta":{"content":"字${i}"},"finish_reason":null}]}\n\n`)
        await delay(10)
      }
      res.end()
    }
    const controller = new AbortController()
    const result = await streamGeneration(remote(), 'vllm', chat, {
      signal: controller.signal,
      onText: (t) => {
        if (t === '字2') controller.abort()
      },
    })
    expect(result).toMatchObject({ text: '字0字1字2', status: 'stopped', endReason: 'stopped' })
    await serverSawClose
  })
})

describe('failures, each a stable code', () => {
  it('refuses http:// to another host before connecting; loopback may use http', async () => {
    expect(await failure(streamGeneration({ url: 'http://10.1.2.3:8000' }, 'vllm', chat))).toMatchObject({ code: 'REMOTE_INSECURE_URL' })
    expect(() => serverUrl({ url: 'http://gpu.hospital.local' }, '/v1/models')).toThrow(expect.objectContaining({ code: 'REMOTE_INSECURE_URL' }))
    expect(() => serverUrl({ url: 'ftp://127.0.0.1' }, '/x')).toThrow(expect.objectContaining({ code: 'REMOTE_INSECURE_URL' }))
    expect(serverUrl({ url: 'https://gpu.hospital.local:8443/' }, '/v1/models').href).toBe('https://gpu.hospital.local:8443/v1/models')
    expect(serverUrl({ url: 'http://localhost:8080' }, '/props').href).toBe('http://localhost:8080/props')
    // A base URL as OpenAI clients write it, and a gateway's path prefix.
    expect(serverUrl({ url: 'https://gpu.hospital.local:8443/v1/' }, '/v1/models').href).toBe('https://gpu.hospital.local:8443/v1/models')
    expect(serverUrl({ url: 'https://gw.hospital.local/llm/v1' }, '/tokenize').href).toBe('https://gw.hospital.local/llm/tokenize')
    expect(serverUrl({ url: 'https://gw.hospital.local/llm' }, '/v1/completions').href).toBe('https://gw.hospital.local/llm/v1/completions')
    for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::1']) expect(isLoopbackHost(host)).toBe(true)
    for (const host of ['10.0.0.1', '192.168.1.5', 'localhost.hospital.cn', '128.0.0.1', '[::2]']) expect(isLoopbackHost(host)).toBe(false)
  })

  it('trusts the system roots plus the hospital CA (never the CA alone)', () => {
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    const roots = trustedRoots(ca)!
    expect(roots).toHaveLength(tls.rootCertificates.length + 1)
    expect(roots.slice(0, -1)).toEqual([...tls.rootCertificates])
    expect(roots.at(-1)).toBe(ca)
    expect(trustedRoots(undefined)).toBeUndefined()
  })

  it('unreachable server, DNS failure and connect timeout', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    expect(await failure(streamGeneration(remote({ url: `http://127.0.0.1:${port}` }), 'vllm', chat))).toMatchObject({ code: 'REMOTE_UNREACHABLE' })

    const lookup = ((_host: string, _options: unknown, callback: (error: NodeJS.ErrnoException) => void) => {
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND gpu.invalid'), { code: 'ENOTFOUND' }))
    }) as unknown as RemoteServer['lookup']
    expect(await failure(streamGeneration(remote({ url: 'https://gpu.invalid', lookup }), 'vllm', chat))).toMatchObject({ code: 'REMOTE_DNS_FAILED' })

    // A TCP server that accepts and never answers the TLS handshake.
    const sockets: net.Socket[] = []
    const silent = net.createServer((socket) => {
      sockets.push(socket)
      socket.resume()
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`
      expect(await failure(streamGeneration(remote({ url, connectTimeoutMs: 150 }), 'vllm', chat))).toMatchObject({ code: 'REMOTE_CONNECT_TIMEOUT' })
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it.each([
    [401, 'REMOTE_UNAUTHORIZED'],
    [403, 'REMOTE_UNAUTHORIZED'],
    [404, 'REMOTE_MODEL_NOT_FOUND'],
    [500, 'REMOTE_SERVER_ERROR'],
    [503, 'REMOTE_SERVER_ERROR'],
    [422, 'REMOTE_REJECTED'],
  ])('HTTP %i → %s', async (status, code) => {
    handler = (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `echo of 头痛发热怎么办 ${API_KEY}`, code: status } }))
    }
    const error = await failure(streamGeneration(remote(), 'vllm', chat))
    expect(error.code).toBe(code)
    expect(error.detail).toBe(`HTTP ${status}`)
  })

  it('429 carries the Retry-After seconds; a too-long prompt is CONTEXT_FULL', async () => {
    handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': '7' })
      res.end('{"error":"busy"}')
    }
    expect(await failure(streamGeneration(remote(), 'vllm', chat))).toMatchObject({ code: 'REMOTE_RATE_LIMITED', data: { retryAfterSeconds: 7 } })
    handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", code: 400 }))
    }
    expect(await failure(streamGeneration(remote(), 'vllm', chat))).toMatchObject({ code: 'CONTEXT_FULL' })
  })

  it('a socket closed mid-answer keeps the partial answer as interrupted', async () => {
    handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: {"choices":[{"index":0,"delta":{"content":"建议您"},"finish_reason":null}]}\n\ndata: {"choices":[{"index":0,"delta":{"con')
      await delay(20)
      res.socket?.destroy()
    }
    const result = await streamGeneration(remote(), 'vllm', chat)
    expect(result).toMatchObject({ text: '建议您', status: 'interrupted', endReason: 'error' })
    expect(result.error?.code).toBe('REMOTE_STREAM_CUT')
  })

  it('a stream that ends cleanly without its end marker is cut, not complete', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      res.end('{"response":"您好","done":false}\n')
    }
    const result = await streamGeneration(remote(), 'ollama', text)
    expect(result).toMatchObject({ text: '您好', status: 'interrupted' })
    expect(result.error?.code).toBe('REMOTE_STREAM_CUT')
  })

  it('silence between chunks, and before the response, is REMOTE_STALLED', async () => {
    handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: {"choices":[{"index":0,"text":"多休息","finish_reason":null}]}\n\n')
      await delay(2000)
      res.end()
    }
    const result: RemoteStreamResult = await streamGeneration(remote({ idleTimeoutMs: 150 }), 'llama-server', text)
    expect(result).toMatchObject({ text: '多休息', status: 'interrupted' })
    expect(result.error?.code).toBe('REMOTE_STALLED')

    handler = async (_req, res) => {
      await delay(2000)
      res.end()
    }
    expect(await failure(streamGeneration(remote({ idleTimeoutMs: 150 }), 'llama-server', text))).toMatchObject({ code: 'REMOTE_STALLED' })
  })

  it('malformed events: kept as interrupted after text, rejected before any', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end('data: {"choices":[{"index":0,"delta":{"content":"可能是"},"finish_reason":null}]}\n\ndata: {not json\n\n')
    }
    const result = await streamGeneration(remote(), 'vllm', chat)
    expect(result).toMatchObject({ text: '可能是', status: 'interrupted' })
    expect(result.error?.code).toBe('REMOTE_MALFORMED')

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end('data: {"object":"chat.completion.chunk"}\n\n')
    }
    expect(await failure(streamGeneration(remote(), 'vllm', chat))).toMatchObject({ code: 'REMOTE_MALFORMED' })

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      res.end('{"response":"好","done":false}\n<html>\n')
    }
    expect((await streamGeneration(remote(), 'ollama', text)).error?.code).toBe('REMOTE_MALFORMED')
  })

  it('an error event inside the stream (vLLM, Ollama) is mapped like its status', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end('data: {"choices":[{"index":0,"delta":{"content":"首先"},"finish_reason":null}]}\n\ndata: {"error":{"object":"error","message":"engine died","code":500}}\n\n')
    }
    const result = await streamGeneration(remote(), 'vllm', chat)
    expect(result).toMatchObject({ text: '首先', status: 'interrupted' })
    expect(result.error?.code).toBe('REMOTE_SERVER_ERROR')

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      res.end('{"error":"model \\"huatuo\\" not found, try pulling it first"}\n')
    }
    expect(await failure(streamGeneration(remote(), 'ollama', text))).toMatchObject({ code: 'REMOTE_SERVER_ERROR' })
  })
})
