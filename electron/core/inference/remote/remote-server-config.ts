// The hospital inference server as the hospital configuration names it, made ready to use: the CA
// file read (trusted beside the system roots), the API key read from HUATUO_API_KEY or an
// owner-only key file. The key is never logged, never stored in the database, never sent to the
// window; the shell may keep it sealed (Electron's safeStorage) and open it per request.
import { readFile } from 'node:fs/promises'
import type { RemoteEngineView } from '../../../contract/inference.ts'
import { readOwnerOnlyFile } from '../../clinicians/owner-only-file.ts'
import type { RemoteEngineConfig } from '../../config/hospital-config.ts'
import { WorkstationError } from '../../errors.ts'
import { remotePromptPlan } from './remote-prompt.ts'
import type { RemoteServer } from './server.ts'

/** How the shell keeps a secret in memory: sealed by the operating system, opened when used. */
export interface SecretKeeper {
  keep(secret: string): () => string
}

/** The key as given, in memory: what the CLI and the browser host do. */
export const plainSecretKeeper: SecretKeeper = { keep: (secret) => () => secret }

/** The server's address as shown and stored: no user, password, query or fragment. */
export function displayServerUrl(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  parsed.search = ''
  parsed.hash = ''
  return parsed.href.replace(/\/+$/, '')
}

/** The API key: HUATUO_API_KEY when set, else the configured key file (owner-only), else none. */
export async function readRemoteApiKey(config: RemoteEngineConfig, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const fromEnv = env['HUATUO_API_KEY']?.trim()
  if (fromEnv) return fromEnv
  if (config.apiKeyFile === null) return null
  let bytes: Buffer | null
  try {
    bytes = await readOwnerOnlyFile(config.apiKeyFile)
  } catch (error) {
    // The file's own problem (mode, owner, size) is named; never its content.
    throw new WorkstationError('REMOTE_KEY_UNREADABLE', error instanceof WorkstationError ? (error.detail ?? error.code) : config.apiKeyFile)
  }
  const key = bytes?.toString('utf8').trim() ?? ''
  if (key === '' || /\s/.test(key)) throw new WorkstationError('REMOTE_KEY_UNREADABLE', `${config.apiKeyFile}: ${bytes === null ? 'missing' : 'not one key on one line'}`)
  return key
}

/** The hospital CA (PEM) from the configured file; none when the configuration names none. */
export async function readHospitalCa(config: RemoteEngineConfig): Promise<string | undefined> {
  if (config.caFile === null) return undefined
  let text: string
  try {
    text = await readFile(config.caFile, 'utf8')
  } catch (error) {
    throw new WorkstationError('REMOTE_CA_UNREADABLE', `${config.caFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(text)) throw new WorkstationError('REMOTE_CA_UNREADABLE', `${config.caFile}: no PEM certificate`)
  return text
}

/** The server ready to be asked: key and CA read now, so a wrong file is found before any consultation. */
export async function remoteServerFromConfig(
  config: RemoteEngineConfig,
  options: { env?: NodeJS.ProcessEnv; secrets?: SecretKeeper } = {},
): Promise<RemoteServer> {
  const key = await readRemoteApiKey(config, options.env)
  const ca = await readHospitalCa(config)
  return {
    url: config.url,
    ...(key === null ? {} : { apiKey: (options.secrets ?? plainSecretKeeper).keep(key) }),
    ...(ca === undefined ? {} : { hospitalCa: ca }),
    connectTimeoutMs: config.connectTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
  }
}

/** What the window may see of the configured server (before or after it was asked for its context). */
export function remoteEngineView(config: RemoteEngineConfig, connected: { model: string; contextSize: number | null } | null): RemoteEngineView {
  const model = connected?.model ?? config.model ?? ''
  return {
    url: displayServerUrl(config.url),
    api: config.api,
    model,
    promptFormat: remotePromptPlan(model, config.promptFormat).format,
    contextSize: connected?.contextSize ?? config.contextSize,
    fallbackToLocal: config.fallbackToLocal,
  }
}
