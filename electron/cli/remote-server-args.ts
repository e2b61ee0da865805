import { getPromptFormat } from '../core/inference/prompt-formats/index.ts'
import { remoteApiStyles, type RemoteApiStyle } from '../contract/remote-engine.ts'
import type { RemoteEngineConfig } from '../core/config/hospital-config.ts'
import { WorkstationError } from '../core/errors.ts'
import type { RemoteInferenceEngine } from '../core/inference/remote/remote-engine.ts'
import type { SecretKeeper } from '../core/inference/remote/remote-server-config.ts'

// `--server URL --server-model NAME` for the terminal commands (chat, eval run): the hospital
// inference server named on the command line instead of a model file. The key comes from
// HUATUO_API_KEY or an owner-only --api-key-file, never from the command line (it would sit in the
// shell's history and the process list).

export const remoteServerOptions = {
  server: { type: 'string' },
  'server-model': { type: 'string' },
  api: { type: 'string' },
  'ca-file': { type: 'string' },
  'api-key-file': { type: 'string' },
} as const

const serverOptionHelp: ReadonlyArray<[string, string[]]> = [
  [
    '--server URL',
    [
      "the hospital inference server instead of --model: vLLM, llama.cpp's",
      'llama-server, Ollama or another OpenAI-compatible server (https://, or',
      'http:// on this machine only); the text goes to it and nowhere else',
    ],
  ],
  ['--server-model NAME', ["the model's name on the server (default: the first one it lists)"]],
  ['--api STYLE', [`${remoteApiStyles.join(', ')} (default: recognised from the server)`]],
  ['--ca-file FILE', ["the hospital CA certificate (PEM), trusted beside the system's"]],
  ['--api-key-file FILE', ['a file holding the API key, readable by its owner only', '(or set HUATUO_API_KEY; never give the key as an argument)']],
]

/** The server options for a command's usage, descriptions from `column` as the command's own options are. */
export function remoteServerUsage(column: number): string {
  const pad = ' '.repeat(column)
  return serverOptionHelp
    .map(([option, lines]) => {
      const head = `  ${option}`
      const first = head.length < column ? `${head.padEnd(column)}${lines[0]}` : `${head}\n${pad}${lines[0]}`
      return [first, ...lines.slice(1).map((line) => pad + line)].join('\n')
    })
    .join('\n') + '\n'
}

type RemoteValues = { [K in keyof typeof remoteServerOptions]?: string | undefined }

/** The server options as a hospital configuration's remoteEngine would give them; null without --server. */
export function remoteEngineFromArgs(values: RemoteValues, extra: { promptFormat?: string; contextSize?: number; maxConcurrent?: number } = {}): (RemoteEngineConfig & { detectApi: boolean }) | null {
  if (values.server === undefined) {
    for (const option of ['server-model', 'api', 'ca-file', 'api-key-file'] as const) {
      if (values[option] !== undefined) throw new WorkstationError('USAGE', `--${option} goes with --server URL`)
    }
    return null
  }
  let url: URL
  try {
    url = new URL(values.server)
  } catch {
    throw new WorkstationError('USAGE', '--server must be an address such as https://gpu1.hospital.local:8000')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WorkstationError('USAGE', '--server must be an http(s) address')
  if (values.api !== undefined && !(remoteApiStyles as readonly string[]).includes(values.api)) {
    throw new WorkstationError('USAGE', `--api must be one of ${remoteApiStyles.join(', ')}`)
  }
  return {
    url: values.server,
    api: (values.api as RemoteApiStyle | undefined) ?? 'openai',
    detectApi: values.api === undefined,
    model: values['server-model'] ?? null,
    promptFormat: extra.promptFormat === undefined ? null : getPromptFormat(extra.promptFormat).id,
    caFile: values['ca-file'] ?? null,
    apiKeyFile: values['api-key-file'] ?? null,
    connectTimeoutMs: 10_000,
    idleTimeoutMs: 120_000,
    contextSize: extra.contextSize ?? null,
    maxConcurrent: extra.maxConcurrent ?? 1,
    fallbackToLocal: false,
  }
}

/** A remote engine for a terminal command: key and CA read, the API style recognised when not given (not yet connected). */
export async function remoteEngineFor(config: RemoteEngineConfig & { detectApi: boolean }, secrets?: SecretKeeper): Promise<RemoteInferenceEngine> {
  const { remoteServerFromConfig } = await import('../core/inference/remote/remote-server-config.ts')
  const { detectApiStyle } = await import('../core/inference/remote/server-facts.ts')
  const { RemoteInferenceEngine } = await import('../core/inference/remote/remote-engine.ts')
  const server = await remoteServerFromConfig(config, secrets ? { secrets } : {})
  const api = config.detectApi ? await detectApiStyle(server) : config.api
  return new RemoteInferenceEngine({
    server,
    api,
    model: config.model,
    promptFormat: config.promptFormat,
    contextSize: config.contextSize,
    maxConcurrent: config.maxConcurrent,
  })
}
