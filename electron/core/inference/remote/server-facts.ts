// What the hospital inference server says about itself: the models it serves and its version.
// Used when the remote engine connects and by the model manager's "test connection".
import { WorkstationError } from '../../errors.ts'
import type { RemoteApiStyle } from './dialects.ts'
import { requestJson, type RemoteServer } from './server.ts'

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The model names in /v1/models (`data[].id`) or Ollama's /api/tags (`models[].name`). */
export function modelNamesFrom(style: RemoteApiStyle, body: unknown): string[] {
  const list = isRecord(body) ? body[style === 'ollama' ? 'models' : 'data'] : undefined
  if (!Array.isArray(list)) throw new WorkstationError('REMOTE_MALFORMED', 'the model list is not a list')
  return list.flatMap((entry: unknown) => {
    if (!isRecord(entry)) return []
    const name = style === 'ollama' ? (entry['name'] ?? entry['model']) : entry['id']
    return typeof name === 'string' && name !== '' ? [name] : []
  })
}

/** The models the server serves. */
export async function listServedModels(server: RemoteServer, style: RemoteApiStyle, signal?: AbortSignal): Promise<string[]> {
  return modelNamesFrom(style, await requestJson(server, 'GET', style === 'ollama' ? '/api/tags' : '/v1/models', undefined, signal))
}

/** Whether `wanted` is among `served`; Ollama names a model `name:tag`, where `name` means `name:latest`. */
export function servesModel(style: RemoteApiStyle, served: readonly string[], wanted: string): boolean {
  if (served.includes(wanted)) return true
  return style === 'ollama' && !wanted.includes(':') && served.includes(`${wanted}:latest`)
}

/**
 * The server's version where it says it: vLLM's /version, Ollama's /api/version, llama-server's
 * /props `build_info`. Null where it does not (OpenAI's API) or the answer says nothing readable.
 */
export async function readServerVersion(server: RemoteServer, style: RemoteApiStyle, signal?: AbortSignal): Promise<string | null> {
  const path = style === 'vllm' ? '/version' : style === 'ollama' ? '/api/version' : style === 'llama-server' ? '/props' : null
  if (path === null) return null
  let body: unknown
  try {
    body = await requestJson(server, 'GET', path, undefined, signal)
  } catch (error) {
    // An older server without the endpoint still serves; only an unreachable one is a failure.
    if (error instanceof WorkstationError && (error.code === 'REMOTE_MODEL_NOT_FOUND' || error.code === 'REMOTE_MALFORMED' || error.code === 'REMOTE_REJECTED')) return null
    throw error
  }
  if (!isRecord(body)) return null
  const version = style === 'llama-server' ? body['build_info'] : body['version']
  return typeof version === 'string' && version.trim() !== '' ? version.trim().slice(0, 100) : null
}

/**
 * Which serving engine answers at `server`, for a terminal command given only an address:
 * llama-server's /props, Ollama's /api/version, vLLM's /version, else OpenAI's plain API.
 * A server that cannot be reached at all fails with its code.
 */
export async function detectApiStyle(server: RemoteServer, signal?: AbortSignal): Promise<RemoteApiStyle> {
  const probe = async (path: string, shape: (body: Record<string, unknown>) => boolean): Promise<boolean> => {
    try {
      const body = await requestJson(server, 'GET', path, undefined, signal)
      return isRecord(body) && shape(body)
    } catch (error) {
      if (error instanceof WorkstationError && (error.code === 'REMOTE_MODEL_NOT_FOUND' || error.code === 'REMOTE_MALFORMED' || error.code === 'REMOTE_REJECTED')) return false
      throw error
    }
  }
  if (await probe('/props', (body) => isRecord(body['default_generation_settings']))) return 'llama-server'
  if (await probe('/api/version', (body) => typeof body['version'] === 'string')) return 'ollama'
  if (await probe('/version', (body) => typeof body['version'] === 'string')) return 'vllm'
  return 'openai'
}
