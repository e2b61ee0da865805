// The server's context limit and token counts, so the engine can drop whole old turns before the
// server refuses a prompt as too long. Each server says it differently (REFERENCE.md §6).
import { WorkstationError } from '../../errors.ts'
import type { RemoteApiStyle, RemotePromptInput } from './dialects.ts'
import { promptInputText } from './remote-prompt.ts'
import { requestJson, type RemoteServer } from './server.ts'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const positiveInteger = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null)

/** vLLM's /v1/models: the entry of `model` carries `max_model_len`. Null when not said. */
export function contextLimitFromModels(body: unknown, model: string): number | null {
  if (!isRecord(body) || !Array.isArray(body['data'])) return null
  const entry: unknown = body['data'].find((item: unknown) => isRecord(item) && item['id'] === model)
  return isRecord(entry) ? positiveInteger(entry['max_model_len']) : null
}

/** llama-server's /props: `default_generation_settings.n_ctx` (or a top-level `n_ctx`). */
export function contextLimitFromProps(body: unknown): number | null {
  if (!isRecord(body)) return null
  const settings = body['default_generation_settings']
  if (isRecord(settings)) {
    const direct = positiveInteger(settings['n_ctx'])
    if (direct !== null) return direct
    const params = settings['params']
    if (isRecord(params)) {
      const nested = positiveInteger(params['n_ctx'])
      if (nested !== null) return nested
    }
  }
  return positiveInteger(body['n_ctx'])
}

/**
 * Ollama's /api/show: the context the model runs with is `num_ctx` among its parameters when set
 * (Ollama's default is far below what the model was trained for), else `<arch>.context_length`
 * from model_info; the smaller of the two when both are said.
 */
export function contextLimitFromOllamaShow(body: unknown): number | null {
  if (!isRecord(body)) return null
  let trained: number | null = null
  const info = body['model_info']
  if (isRecord(info)) {
    for (const [key, value] of Object.entries(info)) {
      if (key.endsWith('.context_length')) trained = positiveInteger(value) ?? trained
    }
  }
  const parameters = typeof body['parameters'] === 'string' ? body['parameters'] : ''
  const match = /^\s*num_ctx\s+(\d+)\s*$/m.exec(parameters)
  const configured = match ? Number(match[1]) : null
  if (configured !== null && trained !== null) return Math.min(configured, trained)
  return configured ?? trained
}

/** Asks the server for its context limit; null where its API does not say (OpenAI's own). */
export async function readContextLimit(server: RemoteServer, style: RemoteApiStyle, model: string, signal?: AbortSignal): Promise<number | null> {
  if (style === 'vllm') return contextLimitFromModels(await requestJson(server, 'GET', '/v1/models', undefined, signal), model)
  if (style === 'llama-server') return contextLimitFromProps(await requestJson(server, 'GET', '/props', undefined, signal))
  if (style === 'ollama') return contextLimitFromOllamaShow(await requestJson(server, 'POST', '/api/show', { model }, signal))
  return null
}

/** The token count in a /tokenize answer: llama-server `{tokens: [...]}`, vLLM `{count, tokens}`. */
export function tokenCountFromTokenize(body: unknown): number {
  if (isRecord(body)) {
    if (typeof body['count'] === 'number' && Number.isInteger(body['count']) && body['count'] >= 0) return body['count']
    if (Array.isArray(body['tokens'])) return body['tokens'].length
  }
  throw new WorkstationError('REMOTE_MALFORMED', 'tokenize answer without tokens')
}

/**
 * A deliberately high guess at the token count of `text` for servers without /tokenize: an ASCII
 * word piece is rarely under 3 characters, and a Chinese character is at most ~1.5 tokens in the
 * tokenizers HuatuoGPT uses (byte fallback aside), so each is counted on the high side, plus a
 * margin for the special tokens a template adds.
 */
export function estimateTokens(text: string): number {
  let ascii = 0
  let other = 0
  for (const char of text) {
    if (char.codePointAt(0)! < 0x80) ascii++
    else other++
  }
  return Math.ceil(ascii / 3) + Math.ceil(other * 1.5) + 8
}

/**
 * Counts the tokens of `text` as the server would: llama-server's and vLLM's /tokenize (the exact
 * prompt text, no special tokens added by the wrapper); an estimate elsewhere. `exact` says which.
 */
export async function countTokens(
  server: RemoteServer,
  style: RemoteApiStyle,
  model: string,
  text: string,
  signal?: AbortSignal,
): Promise<{ tokens: number; exact: boolean }> {
  if (style === 'llama-server') {
    return { tokens: tokenCountFromTokenize(await requestJson(server, 'POST', '/tokenize', { content: text }, signal)), exact: true }
  }
  if (style === 'vllm') {
    return { tokens: tokenCountFromTokenize(await requestJson(server, 'POST', '/tokenize', { model, prompt: text }, signal)), exact: true }
  }
  return { tokens: estimateTokens(text), exact: false }
}

/**
 * The tokens of a whole prompt as the server would count them: text prompts with /tokenize; chat
 * messages with vLLM's /tokenize (it applies the template) or llama-server's /apply-template then
 * /tokenize; elsewhere a high estimate with a margin per message for the template's markers.
 */
export async function countPromptTokens(
  server: RemoteServer,
  style: RemoteApiStyle,
  model: string,
  input: RemotePromptInput,
  signal?: AbortSignal,
): Promise<{ tokens: number; exact: boolean }> {
  if (input.kind === 'text') return countTokens(server, style, model, input.prompt, signal)
  if (style === 'vllm') {
    return { tokens: tokenCountFromTokenize(await requestJson(server, 'POST', '/tokenize', { model, messages: input.messages }, signal)), exact: true }
  }
  if (style === 'llama-server') {
    const applied = await requestJson(server, 'POST', '/apply-template', { messages: input.messages }, signal)
    if (!isRecord(applied) || typeof applied['prompt'] !== 'string') throw new WorkstationError('REMOTE_MALFORMED', 'apply-template answer without a prompt')
    return countTokens(server, style, model, applied['prompt'], signal)
  }
  return { tokens: estimateTokens(promptInputText(input)) + 8 * input.messages.length, exact: false }
}
