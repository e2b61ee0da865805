// What each serving engine is sent and what its stream means (REFERENCE.md §6). Chat-template
// models (HuatuoGPT-o1) go as `messages`, so the server applies the model's own template; HuatuoGPT
// v1 and II go as the workstation's exact prompt text (`prompt`), which the server must not wrap.
import type { RemoteApiStyle } from '../../../contract/remote-engine.ts'
import type { SamplingSettings } from '../../../contract/sampling.ts'

export { remoteApiStyles, type RemoteApiStyle } from '../../../contract/remote-engine.ts'

export interface RemoteChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export type RemotePromptInput = { kind: 'chat'; messages: RemoteChatMessage[] } | { kind: 'text'; prompt: string }

export interface RemoteGenerationRequest {
  model: string
  input: RemotePromptInput
  sampling?: SamplingSettings
  /** Extra stop texts (the model's own end token stops it anyway). */
  stop?: string[]
  /** Structured output (a record draft): the answer is still validated by the caller either way. */
  jsonSchema?: object
  /** Ollama only: the context size to run with (Ollama's own default is small). */
  contextSize?: number
}

export interface BuiltRequest {
  path: string
  body: Record<string, unknown>
  /** How the response streams. */
  stream: 'sse' | 'ndjson'
}

function definedEntries(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined))
}

/** The request body for one streamed generation, in the dialect of `style`. */
export function buildGenerationRequest(style: RemoteApiStyle, request: RemoteGenerationRequest): BuiltRequest {
  const s = request.sampling ?? {}
  const stop = request.stop && request.stop.length > 0 ? request.stop : undefined
  if (style === 'ollama') {
    const options = definedEntries({
      temperature: s.temperature,
      top_k: s.topK,
      top_p: s.topP,
      min_p: s.minP,
      repeat_penalty: s.repeatPenalty,
      num_predict: s.maxTokens,
      seed: s.seed,
      num_ctx: request.contextSize,
      stop,
    })
    const common = definedEntries({ model: request.model, stream: true, options, format: request.jsonSchema })
    return request.input.kind === 'text'
      ? { path: '/api/generate', body: { ...common, prompt: request.input.prompt, raw: true }, stream: 'ndjson' }
      : { path: '/api/chat', body: { ...common, messages: request.input.messages }, stream: 'ndjson' }
  }

  const standard = definedEntries({
    model: request.model,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: s.maxTokens,
    temperature: s.temperature,
    top_p: s.topP,
    seed: s.seed,
    stop,
  })
  // Sampling OpenAI's API does not have: vLLM and llama-server take it as extra fields.
  const extra =
    style === 'vllm'
      ? definedEntries({ top_k: s.topK, min_p: s.minP, repetition_penalty: s.repeatPenalty })
      : style === 'llama-server'
        ? // cache_prompt: reuse the KV cache of the common prefix, so time to first token stays flat over turns.
          definedEntries({ top_k: s.topK, min_p: s.minP, repeat_penalty: s.repeatPenalty, cache_prompt: true })
        : {}
  const structured = request.jsonSchema === undefined ? {} : structuredOutputFields(style, request.input.kind, request.jsonSchema)
  return request.input.kind === 'chat'
    ? { path: '/v1/chat/completions', body: { ...standard, ...extra, ...structured, messages: request.input.messages }, stream: 'sse' }
    : { path: '/v1/completions', body: { ...standard, ...extra, ...structured, prompt: request.input.prompt }, stream: 'sse' }
}

/** Each server's own way of asking for JSON that follows a schema (vLLM silently ignores the old `guided_json`). */
function structuredOutputFields(style: Exclude<RemoteApiStyle, 'ollama'>, kind: RemotePromptInput['kind'], schema: object): Record<string, unknown> {
  if (style === 'vllm') return { structured_outputs: { json: schema } }
  if (style === 'llama-server' && kind === 'text') return { json_schema: schema }
  return { response_format: { type: 'json_schema', json_schema: { name: 'record', schema, strict: true } } }
}

export type RemoteFinish = 'end-token' | 'length'

/** Token counts as a server reports them. */
export interface RemoteUsage {
  promptTokens: number
  generatedTokens: number
  /** Of the prompt, the tokens its prefix cache held (OpenAI's `prompt_tokens_details.cached_tokens`). */
  cachedPromptTokens?: number
}

/** What one event of the stream says. */
export interface StreamStep {
  text: string
  usage?: RemoteUsage
  finish?: RemoteFinish
  /** The stream's own end marker (`[DONE]`, Ollama's `done: true`). */
  done?: boolean
  /** The server reported an error inside the stream; `message` is for classification only, never logged. */
  error?: { status: number | null; message: string }
}

export class MalformedEventError extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function finishOf(reason: unknown): RemoteFinish | undefined {
  if (reason === null || reason === undefined) return undefined
  return reason === 'length' ? 'length' : 'end-token'
}

function streamError(value: unknown): StreamStep['error'] {
  if (typeof value === 'string') return { status: null, message: value }
  if (isRecord(value)) {
    const status = typeof value['code'] === 'number' ? value['code'] : null
    return { status, message: typeof value['message'] === 'string' ? value['message'] : '' }
  }
  return { status: null, message: '' }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch {
    throw new MalformedEventError('an event is not JSON')
  }
}

/** One SSE `data` of /v1/chat/completions or /v1/completions (vLLM, llama-server, OpenAI). */
export function interpretOpenAiEvent(data: string): StreamStep {
  if (data.trim() === '[DONE]') return { text: '', done: true }
  const value = parseJson(data)
  if (!isRecord(value)) throw new MalformedEventError('an event is not a JSON object')
  if ('error' in value) return { text: '', error: streamError(value['error']) }
  const choices = value['choices']
  if (!Array.isArray(choices)) throw new MalformedEventError('an event has no choices')
  const step: StreamStep = { text: '' }
  const choice: unknown = choices[0]
  if (choice !== undefined) {
    if (!isRecord(choice)) throw new MalformedEventError('a choice is not an object')
    const delta = choice['delta']
    const text = isRecord(delta) ? delta['content'] : choice['text']
    if (text !== undefined && text !== null && typeof text !== 'string') throw new MalformedEventError('a choice has no text')
    step.text = text ?? ''
    const finish = finishOf(choice['finish_reason'])
    if (finish) step.finish = finish
  }
  const usage = value['usage']
  if (isRecord(usage) && typeof usage['prompt_tokens'] === 'number' && typeof usage['completion_tokens'] === 'number') {
    step.usage = { promptTokens: usage['prompt_tokens'], generatedTokens: usage['completion_tokens'] }
    // vLLM says it with --enable-prompt-tokens-details (OpenAI's field); a count larger than the
    // prompt is not believed.
    const details = usage['prompt_tokens_details']
    const cached = isRecord(details) ? details['cached_tokens'] : undefined
    if (typeof cached === 'number' && Number.isInteger(cached) && cached >= 0 && cached <= usage['prompt_tokens']) step.usage.cachedPromptTokens = cached
  }
  return step
}

/** One NDJSON line of Ollama's /api/generate or /api/chat. */
export function interpretOllamaLine(line: string): StreamStep {
  const value = parseJson(line)
  if (!isRecord(value)) throw new MalformedEventError('a line is not a JSON object')
  if ('error' in value) return { text: '', error: streamError(value['error']) }
  const message = value['message']
  const text = isRecord(message) ? message['content'] : value['response']
  if (typeof text !== 'string' && !(value['done'] === true && text === undefined)) throw new MalformedEventError('a line has no text')
  const step: StreamStep = { text: typeof text === 'string' ? text : '' }
  if (value['done'] === true) {
    step.done = true
    step.finish = value['done_reason'] === 'length' ? 'length' : 'end-token'
    if (typeof value['prompt_eval_count'] === 'number' || typeof value['eval_count'] === 'number') {
      step.usage = {
        promptTokens: typeof value['prompt_eval_count'] === 'number' ? value['prompt_eval_count'] : 0,
        generatedTokens: typeof value['eval_count'] === 'number' ? value['eval_count'] : 0,
      }
    }
  }
  return step
}
