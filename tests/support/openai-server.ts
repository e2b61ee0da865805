import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { LlamaCompletion, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaGrammar, type LlamaModel, type Token } from 'node-llama-cpp'

// A hospital inference server on loopback for tests: it speaks vLLM's, llama-server's and Ollama's
// HTTP dialects and generates every answer with node-llama-cpp over a generated model (real
// tokens, never canned text). Chat messages are written in ChatML, as a Qwen-based HuatuoGPT-o1's
// template would. It records what it was sent, and misbehaves on request.

export type ServerDialect = 'vllm' | 'llama-server' | 'ollama'

export type Misbehaviour =
  | { status: number; headers?: Record<string, string>; body?: string }
  /** The connection is destroyed after this many pieces of text were sent. */
  | { cutAfterPieces: number }
  /** The server sends nothing more after this many pieces (the client's idle timeout must end it). */
  | { stallAfterPieces: number }
  /** The answer is generated without the requested JSON schema (a server that ignores structured output). */
  | 'ignore-schema'

export interface ReceivedRequest {
  method: string
  path: string
  body: Record<string, unknown> | null
  authorization: string | undefined
}

export interface OpenAiTestServer {
  url: string
  /** Every request, in order (bodies parsed). */
  requests: ReceivedRequest[]
  /** Generations the model ran: the prompt text it was given, what it generated and why it stopped. */
  generations: { prompt: string; text: string; tokens: number; stopReason: string }[]
  /** The next generation request (any dialect) misbehaves so; later ones are normal. */
  once(misbehaviour: Misbehaviour): void
  /** Answers every generation request with this status until cleared (null). */
  failAll(status: number | null): void
  close(): Promise<void>
}

export interface OpenAiTestServerOptions {
  llama: Llama
  model: LlamaModel
  context: LlamaContext
  dialect: ServerDialect
  /** The model name the server serves. */
  modelName: string
  /** What the server says its context holds (vLLM max_model_len, llama-server n_ctx, Ollama num_ctx). */
  contextSize?: number
  /** The key the server requires as a bearer token (none: any request is served). */
  apiKey?: string
  /** The address to listen on (default 127.0.0.1). */
  host?: string
  /**
   * Reuse the evaluated prefix of the previous prompt on the same sequence (default true: vLLM's
   * automatic prefix caching; llama-server's only when the request says `cache_prompt: true`).
   * false: every prompt is evaluated from its start, as a server without a prefix cache does.
   */
  prefixCache?: boolean
}

const chatml = (messages: { role: string; content: string }[]): string =>
  messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n'

/**
 * How much of a prompt the sequence already holds, as the completion will reuse it (never its last
 * token, which is evaluated again to answer); a leading BOS the sequence holds is not in the prompt.
 */
function heldPrefix(held: readonly Token[], prompt: readonly Token[], bos: Token | null): number {
  const offset = bos !== null && held[0] === bos ? 1 : 0
  let count = 0
  while (count < prompt.length - 1 && held[offset + count] === prompt[count]) count++
  return count
}

export async function startOpenAiTestServer(options: OpenAiTestServerOptions): Promise<OpenAiTestServer> {
  const { llama, model, context, dialect, modelName } = options
  const contextSize = options.contextSize ?? context.contextSize
  const requests: ReceivedRequest[] = []
  const generations: OpenAiTestServer['generations'] = []
  const planned: Misbehaviour[] = []
  let failing: number | null = null
  const sockets = new Set<Socket>()
  // One sequence per generation at a time; more requests wait for a free one.
  const free: LlamaCompletion[] = []
  const waiting: ((completion: LlamaCompletion) => void)[] = []
  const sequenceOf = new Map<LlamaCompletion, LlamaContextSequence>()
  for (let i = 0; i < context.totalSequences; i++) {
    const sequence = context.getSequence()
    const completion = new LlamaCompletion({ contextSequence: sequence })
    sequenceOf.set(completion, sequence)
    free.push(completion)
  }
  const take = () => new Promise<LlamaCompletion>((resolve) => (free.length > 0 ? resolve(free.pop()!) : waiting.push(resolve)))
  const give = (completion: LlamaCompletion) => (waiting.length > 0 ? waiting.shift()!(completion) : free.push(completion))

  const json = (response: http.ServerResponse, status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(value))
  }

  const generate = async (request: http.IncomingMessage, response: http.ServerResponse, path: string, body: Record<string, unknown>) => {
    const misbehaviour = planned.shift()
    if (failing !== null) return json(response, failing, { error: { message: 'failing on purpose', code: failing } })
    if (misbehaviour && typeof misbehaviour === 'object' && 'status' in misbehaviour) {
      response.writeHead(misbehaviour.status, { 'content-type': 'application/json', ...misbehaviour.headers })
      response.end(misbehaviour.body ?? JSON.stringify({ error: { message: 'misbehaving on purpose', code: misbehaviour.status } }))
      return
    }
    const ollama = path.startsWith('/api/')
    const chat = path === '/v1/chat/completions' || path === '/api/chat'
    const messages = (body['messages'] ?? []) as { role: string; content: string }[]
    const prompt = chat ? chatml(messages) : String(body['prompt'] ?? '')
    const sampling = (ollama ? body['options'] ?? {} : body) as Record<string, unknown>
    const maxTokens = Number((ollama ? sampling['num_predict'] : body['max_tokens']) ?? 64)
    const schema = ollama ? body['format'] : ((body['structured_outputs'] as { json?: object } | undefined)?.json ?? body['json_schema'] ?? (body['response_format'] as { json_schema?: { schema?: object } } | undefined)?.json_schema?.schema)
    let grammar: LlamaGrammar | undefined
    if (schema && typeof schema === 'object' && misbehaviour !== 'ignore-schema') grammar = await llama.createGrammarForJsonSchema(schema as never)
    const stop = (sampling['stop'] as string[] | undefined) ?? []

    const abort = new AbortController()
    response.on('close', () => {
      if (!response.writableEnded) abort.abort()
    })
    response.writeHead(200, { 'content-type': ollama ? 'application/x-ndjson' : 'text/event-stream' })
    const send = (value: unknown) => {
      if (response.destroyed) return
      response.write(ollama ? `${JSON.stringify(value)}\n` : `data: ${JSON.stringify(value)}\n\n`)
    }
    const piece = (text: string) =>
      ollama
        ? chat
          ? { model: modelName, message: { role: 'assistant', content: text }, done: false }
          : { model: modelName, response: text, done: false }
        : chat
          ? { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }
          : { object: 'text_completion', choices: [{ index: 0, text, finish_reason: null }] }
    let pieces = 0
    let stalled = false
    const generation = { prompt, text: '', tokens: 0, stopReason: '' }
    const completion = await take()
    const reuse = (options.prefixCache ?? true) && (dialect !== 'llama-server' || body['cache_prompt'] === true)
    if (!reuse) await sequenceOf.get(completion)?.clearHistory()
    const promptTokens = model.tokenize(prompt, false, 'trimLeadingSpace')
    const cachedTokens = reuse ? heldPrefix(sequenceOf.get(completion)?.contextTokens ?? [], promptTokens, model.tokens.bos) : 0
    try {
      const { metadata } = await completion.generateCompletionWithMeta(prompt, {
        maxTokens,
        temperature: Number(sampling['temperature'] ?? 0),
        ...(sampling['seed'] === undefined ? {} : { seed: Number(sampling['seed']) }),
        ...(grammar ? { grammar } : {}),
        ...(stop.length > 0 ? { customStopTriggers: stop } : {}),
        signal: abort.signal,
        stopOnAbortSignal: true,
        onToken: (tokens) => (generation.tokens += tokens.length),
        onTextChunk: (text) => {
          generation.text += text
          if (stalled) return
          send(piece(text))
          pieces++
          if (misbehaviour && typeof misbehaviour === 'object' && 'cutAfterPieces' in misbehaviour && pieces >= misbehaviour.cutAfterPieces) {
            request.socket.destroy()
            abort.abort()
          }
          if (misbehaviour && typeof misbehaviour === 'object' && 'stallAfterPieces' in misbehaviour && pieces >= misbehaviour.stallAfterPieces) {
            stalled = true
            abort.abort()
          }
        },
      })
      generation.stopReason = metadata.stopReason
    } finally {
      give(completion)
    }
    generations.push(generation)
    if (stalled || response.destroyed) return
    const finish = generation.stopReason === 'maxTokens' ? 'length' : 'stop'
    if (ollama) {
      send({ model: modelName, ...(chat ? { message: { role: 'assistant', content: '' } } : { response: '' }), done: true, done_reason: finish, prompt_eval_count: promptTokens.length, eval_count: generation.tokens })
      response.end()
      return
    }
    send({ object: chat ? 'chat.completion.chunk' : 'text_completion', choices: [{ index: 0, ...(chat ? { delta: {} } : { text: '' }), finish_reason: finish }] })
    send({
      object: chat ? 'chat.completion.chunk' : 'text_completion',
      choices: [],
      usage: {
        prompt_tokens: promptTokens.length,
        completion_tokens: generation.tokens,
        total_tokens: promptTokens.length + generation.tokens,
        prompt_tokens_details: { cached_tokens: cachedTokens },
      },
    })
    response.end('data: [DONE]\n\n')
  }

  const server = http.createServer((request, response) => {
    let raw = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => (raw += chunk))
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname
      let body: Record<string, unknown> | null
      try {
        body = raw === '' ? null : (JSON.parse(raw) as Record<string, unknown>)
      } catch {
        return json(response, 400, { error: { message: 'not JSON' } })
      }
      requests.push({ method: request.method ?? '', path, body, authorization: request.headers.authorization })
      if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
        return json(response, 401, { error: { message: 'invalid api key', code: 401 } })
      }
      const handled = route(path, body ?? {})
      if (handled === 'generate') {
        void generate(request, response, path, body ?? {}).catch(() => response.destroy())
        return
      }
      if (handled === null) return json(response, 404, { error: { message: `no route ${path}` } })
      json(response, 200, handled)
    })
  })

  /** Everything but generation: what each dialect says about itself. */
  const route = (path: string, body: Record<string, unknown>): unknown => {
    if (path === '/v1/completions' || path === '/v1/chat/completions' || path === '/api/generate' || path === '/api/chat') {
      if (path.startsWith('/api/') !== (dialect === 'ollama')) return null
      const wanted = body['model']
      if (dialect !== 'llama-server' && wanted !== modelName && wanted !== modelName.replace(/:latest$/, '')) return null
      return 'generate'
    }
    if (dialect === 'ollama') {
      if (path === '/api/tags') return { models: [{ name: modelName, model: modelName }] }
      if (path === '/api/version') return { version: '0.12.3' }
      if (path === '/api/show') return { parameters: `num_ctx ${contextSize}`, model_info: { 'qwen2.context_length': 32768 } }
      return null
    }
    if (path === '/v1/models') return { object: 'list', data: [{ id: modelName, object: 'model', ...(dialect === 'vllm' ? { max_model_len: contextSize } : {}) }] }
    if (dialect === 'vllm') {
      if (path === '/version') return { version: '0.11.0' }
      if (path === '/tokenize') {
        const text = Array.isArray(body['messages']) ? chatml(body['messages'] as { role: string; content: string }[]) : String(body['prompt'] ?? '')
        const tokens = [...model.tokenize(text, false, 'trimLeadingSpace')]
        return { count: tokens.length, max_model_len: contextSize, tokens }
      }
      return null
    }
    if (path === '/props') return { default_generation_settings: { n_ctx: contextSize }, build_info: 'b6500-test' }
    if (path === '/tokenize') return { tokens: [...model.tokenize(String(body['content'] ?? ''), false, 'trimLeadingSpace')] }
    if (path === '/apply-template') return { prompt: chatml((body['messages'] ?? []) as { role: string; content: string }[]) }
    return null
  }

  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    requests,
    generations,
    once: (misbehaviour) => planned.push(misbehaviour),
    failAll: (status) => (failing = status),
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
