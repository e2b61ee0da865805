import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { WorkstationError } from '../errors.ts'
import { defaultDataDir, systemConfigPath } from './workstation-paths.ts'

// What hospital IT decides for every workstation: where models live, which models may be used,
// where downloads come from. Read from one JSON file; absent means the defaults.

const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 is 64 hexadecimal characters').transform((hex) => hex.toLowerCase())

const hospitalConfigSchema = z
  .object({
    modelsDir: z.string().min(1).optional(),
    /** When present, only models whose SHA-256 is listed may be imported or loaded. */
    approvedModelSha256: z.array(sha256).optional(),
    /** Hugging Face by default; a mirror (hf-mirror), ModelScope or a hospital-internal server. */
    downloadBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** A download with no bytes for this long is paused (resumable). */
    downloadStallSeconds: z.number().positive().max(3600).optional(),
  })
  .strict()

export interface HospitalConfig {
  modelsDir: string
  approvedModelSha256: readonly string[] | null
  downloadBaseUrl: string
  downloadStallMs: number
  /** The file the settings came from, or null for the defaults. */
  source: string | null
}

export const HUGGING_FACE = 'https://huggingface.co'

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
  return {
    modelsDir: parsed.modelsDir ?? env['HUATUO_MODELS_DIR'] ?? join(defaultDataDir(env), 'models'),
    approvedModelSha256: parsed.approvedModelSha256 ?? null,
    downloadBaseUrl: (parsed.downloadBaseUrl ?? HUGGING_FACE).replace(/\/+$/, ''),
    downloadStallMs: (parsed.downloadStallSeconds ?? 30) * 1000,
    source: text === null ? null : path,
  }
}
