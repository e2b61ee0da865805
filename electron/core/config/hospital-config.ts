import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { promptFormatIds, type PromptFormatId } from '../../contract/inference.ts'
import { remoteApiStyles, type RemoteApiStyle } from '../../contract/remote-engine.ts'
import type { HospitalFixableSetting } from '../../contract/workstation-settings.ts'
import { WorkstationError } from '../errors.ts'
import { defaultDataDir, systemConfigPath } from './workstation-paths.ts'

// What hospital IT decides for every workstation: where models live, which models may be used,
// where downloads come from. Read from one JSON file; absent means the defaults.

const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 is 64 hexadecimal characters').transform((hex) => hex.toLowerCase())

const httpUrl = z.url({ protocol: /^https?$/ })

const hospitalConfigSchema = z
  .object({
    /** Where the record store, backups and keys live (must be a local disk). */
    dataDir: z.string().min(1).optional(),
    modelsDir: z.string().min(1).optional(),
    /** When present, only models whose SHA-256 is listed may be imported or loaded. */
    approvedModelSha256: z.array(sha256).optional(),
    /** The model loaded at start: a library id, or a model's SHA-256. */
    preselectedModel: z.string().regex(/^[0-9a-fA-F]{6,64}$/).optional(),
    /** Hugging Face by default; a mirror (hf-mirror), ModelScope or a hospital-internal server. */
    downloadBaseUrl: httpUrl.optional(),
    /** false: no downloads at all (models come from IT by import only). */
    downloadsEnabled: z.boolean().optional(),
    /** A download with no bytes for this long is paused (resumable). */
    downloadStallSeconds: z.number().positive().max(3600).optional(),
    /**
     * The hospital's own inference server (vLLM, llama.cpp's llama-server, Ollama, or another
     * OpenAI-compatible server). https except on loopback; an administrator chooses in the window
     * whether consultations use it or the local model.
     */
    remoteEngine: z
      .object({
        url: httpUrl,
        api: z.enum(remoteApiStyles),
        /** The model's name on the server; absent: the first model the server lists. */
        model: z.string().min(1).max(300).optional(),
        /** How prompts are written; absent: from the model's name (HuatuoGPT v1/II as exact text, others as chat). */
        promptFormat: z.enum(promptFormatIds).optional(),
        /** The hospital CA's certificate (PEM), trusted beside the system roots. */
        caFile: z.string().min(1).optional(),
        /** A file holding the API key, readable only by its owner (HUATUO_API_KEY wins when set). */
        apiKeyFile: z.string().min(1).optional(),
        connectTimeoutSeconds: z.number().positive().max(300).optional(),
        /** The longest silence allowed while the server answers (default 120 s). */
        idleTimeoutSeconds: z.number().positive().max(3600).optional(),
        /** Tokens the server's context holds, for servers that do not say (OpenAI style). */
        contextSize: z.number().int().min(256).max(1_048_576).optional(),
        /** Requests this workstation keeps in flight at once (consultations before evaluation items). Default 4. */
        maxConcurrent: z.number().int().min(1).max(64).optional(),
        /** When the server cannot answer, the local model (if one is loaded) answers instead, and the clinician is told. */
        fallbackToLocal: z.boolean().optional(),
      })
      .strict()
      .optional(),
    clinicName: z.string().min(1).max(200).optional(),
    departments: z.array(z.string().min(1).max(100)).max(500).optional(),
    /** URIs naming the hospital's identifier systems in exported records (FHIR `identifier.system`). */
    identifierSystems: z
      .object({ patient: z.string().min(1).optional(), encounter: z.string().min(1).optional(), record: z.string().min(1).optional() })
      .strict()
      .optional(),
    /** Minutes without input before the workstation locks (default 5). */
    idleLockMinutes: z.number().min(1).max(240).optional(),
    /** Wrong PINs in a row before an account locks until an admin unlocks it (default 5). */
    pinAttemptsBeforeLock: z.number().int().min(3).max(10).optional(),
    /**
     * Operating-system user name → staff id: that OS user is signed in to that account without a
     * PIN (the OS login vouches for them). Unlocking after idle and signing still ask for the PIN.
     */
    osUserAccounts: z.record(z.string().min(1).max(256), z.string().min(1).max(32)).optional(),
    /**
     * Set only when the hospital's own CA-certified electronic signature covers this workstation's
     * signatures: the description is stored with every signature instead of the statement that it
     * is not CA-certified.
     */
    certifiedSignature: z.object({ provider: z.string().min(1).max(200), description: z.string().min(1).max(500) }).strict().optional(),
    /** The audit chain's key file (default keys/audit-chain.key in the data folder); readable by its owner only. */
    auditKeyFile: z.string().min(1).optional(),
    /**
     * A second place every manual and daily backup is also copied to (e.g. another disk), beside
     * backups/ in the data folder; one folder per workstation, as old daily copies are pruned there too.
     */
    backupDir: z.string().min(1).optional(),
    /**
     * The folder whose `.gguf` files the window offers for import when it has no open dialog (the
     * browser host): a drive or share IT mounts. The window names a file in it, never a path.
     */
    importDir: z.string().min(1).optional(),
    /**
     * The folder whose dataset files (and cMedQA2 folders) the Evaluation screen offers; the window
     * names one of them, never a path. Default evaluations/datasets in the data folder.
     */
    evaluationDataDir: z.string().min(1).optional(),
    /** Hosts the window may open in the system browser; nothing else leaves the app. */
    externalLinkHosts: z.array(z.string().regex(/^[a-z0-9.-]+$/i)).max(50).optional(),
  })
  .strict()

export interface HospitalConfig {
  dataDir: string
  modelsDir: string
  approvedModelSha256: readonly string[] | null
  preselectedModel: string | null
  downloadBaseUrl: string
  downloadsEnabled: boolean
  downloadStallMs: number
  remoteEngine: RemoteEngineConfig | null
  clinicName: string | null
  departments: readonly string[]
  identifierSystems: { patient: string; encounter: string; record: string }
  idleLockMs: number
  pinAttemptsBeforeLock: number
  osUserAccounts: Readonly<Record<string, string>>
  certifiedSignature: { provider: string; description: string } | null
  /** null: keys/audit-chain.key in the data folder of the database. */
  auditKeyFile: string | null
  /** null: backups only in backups/ in the data folder. */
  backupDir: string | null
  /** null: the browser host offers no model files for import. */
  importDir: string | null
  /** The evaluation datasets the window may choose from (by name); runs are written to evaluations/runs in the data folder. */
  evaluationDataDir: string
  externalLinkHosts: readonly string[]
  /** The file the settings came from, or null for the defaults. */
  source: string | null
  /**
   * The workstation settings this file sets (clinicName, departments, idleLockMinutes): fixed for
   * every workstation, shown locked in the window and refused by core (SETTING_FIXED_BY_HOSPITAL).
   * A setting the file leaves out is the workstation's own to change.
   */
  fixedSettings: readonly HospitalFixableSetting[]
}

/** The hospital inference server as the configuration names it (key and CA as file paths, read when used). */
export interface RemoteEngineConfig {
  url: string
  api: RemoteApiStyle
  model: string | null
  promptFormat: PromptFormatId | null
  caFile: string | null
  apiKeyFile: string | null
  connectTimeoutMs: number
  idleTimeoutMs: number
  contextSize: number | null
  maxConcurrent: number
  fallbackToLocal: boolean
}

/** Identifier systems used when IT names none: URNs of this workstation, not of any registry. */
const defaultIdentifierSystems = {
  patient: 'urn:huatuo-workstation:patient-id',
  encounter: 'urn:huatuo-workstation:consultation-id',
  record: 'urn:huatuo-workstation:record-id',
}

export const HUGGING_FACE = 'https://huggingface.co'

/**
 * The configuration file in force: HUATUO_HOSPITAL_CONFIG, else one beside the executable (a
 * portable or per-department install), else the machine-wide one.
 */
export async function locateHospitalConfig(executableDir: string | null, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env['HUATUO_HOSPITAL_CONFIG']) return env['HUATUO_HOSPITAL_CONFIG']
  if (executableDir) {
    const beside = join(executableDir, 'hospital.json')
    if (await access(beside).then(() => true, () => false)) return beside
  }
  return systemConfigPath(env)
}

export async function readHospitalConfig(path: string = systemConfigPath(), env: NodeJS.ProcessEnv = process.env): Promise<HospitalConfig> {
  let text: string | null = null
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new WorkstationError('CONFIG_INVALID', `${path}: ${(error as NodeJS.ErrnoException).code}`)
  }
  let parsed: z.infer<typeof hospitalConfigSchema> = {}
  if (text !== null) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new WorkstationError('CONFIG_INVALID', `${path}: not JSON`)
    }
    const result = hospitalConfigSchema.safeParse(json)
    if (!result.success) {
      throw new WorkstationError('CONFIG_INVALID', `${path}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    }
    parsed = result.data
  }
  const dataDir = parsed.dataDir ?? defaultDataDir(env)
  return {
    dataDir,
    modelsDir: parsed.modelsDir ?? env['HUATUO_MODELS_DIR'] ?? join(dataDir, 'models'),
    approvedModelSha256: parsed.approvedModelSha256 ?? null,
    preselectedModel: parsed.preselectedModel?.toLowerCase() ?? null,
    downloadBaseUrl: (parsed.downloadBaseUrl ?? HUGGING_FACE).replace(/\/+$/, ''),
    downloadsEnabled: parsed.downloadsEnabled ?? true,
    downloadStallMs: (parsed.downloadStallSeconds ?? 30) * 1000,
    remoteEngine: parsed.remoteEngine ? remoteEngineConfig(parsed.remoteEngine) : null,
    clinicName: parsed.clinicName ?? null,
    departments: parsed.departments ?? [],
    identifierSystems: { ...defaultIdentifierSystems, ...parsed.identifierSystems },
    idleLockMs: (parsed.idleLockMinutes ?? 5) * 60_000,
    pinAttemptsBeforeLock: parsed.pinAttemptsBeforeLock ?? 5,
    osUserAccounts: parsed.osUserAccounts ?? {},
    certifiedSignature: parsed.certifiedSignature ?? null,
    auditKeyFile: parsed.auditKeyFile ?? null,
    backupDir: parsed.backupDir ?? null,
    importDir: parsed.importDir ?? null,
    evaluationDataDir: parsed.evaluationDataDir ?? join(dataDir, 'evaluations', 'datasets'),
    externalLinkHosts: parsed.externalLinkHosts ?? [],
    source: text === null ? null : path,
    fixedSettings: (['clinicName', 'departments', 'idleLockMinutes'] as const).filter((name) => parsed[name] !== undefined),
  }
}

function remoteEngineConfig(remote: NonNullable<z.infer<typeof hospitalConfigSchema>['remoteEngine']>): RemoteEngineConfig {
  return {
    url: remote.url,
    api: remote.api,
    model: remote.model ?? null,
    promptFormat: remote.promptFormat ?? null,
    caFile: remote.caFile ?? null,
    apiKeyFile: remote.apiKeyFile ?? null,
    connectTimeoutMs: (remote.connectTimeoutSeconds ?? 10) * 1000,
    idleTimeoutMs: (remote.idleTimeoutSeconds ?? 120) * 1000,
    contextSize: remote.contextSize ?? null,
    maxConcurrent: remote.maxConcurrent ?? 4,
    fallbackToLocal: remote.fallbackToLocal ?? false,
  }
}
