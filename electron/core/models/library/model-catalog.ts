import { readFile } from 'node:fs/promises'
import { z } from 'zod'
// Bundled into the app (a JSON import), so it is found wherever the code runs: sources, the
// built main, or the asar of an installed app.
import bundledCatalog from '../../../../resources/model-catalog.json' with { type: 'json' }
import { promptFormatIds } from '../../../contract/inference.ts'
import type { ModelCatalogEntry } from '../../../contract/models.ts'
import { WorkstationError } from '../../errors.ts'

const catalogSchema = z.object({
  version: z.literal(1),
  models: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9-]+$/),
      name: z.string(),
      family: z.string(),
      promptFormat: z.enum(promptFormatIds),
      architecture: z.string(),
      languages: z.array(z.string()),
      quantization: z.string(),
      repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
      files: z.array(z.string().regex(/^[\w.-]+\.gguf$/)).min(1),
      sizeBytes: z.number().int().positive(),
    }),
  ),
})

/** resources/model-catalog.json (the public HuatuoGPT GGUF files, REFERENCE.md §2), or another catalog file. */
export async function readModelCatalog(path?: string): Promise<ModelCatalogEntry[]> {
  const json: unknown = path === undefined ? bundledCatalog : JSON.parse(await readFile(path, 'utf8'))
  const parsed = catalogSchema.safeParse(json)
  if (!parsed.success) throw new WorkstationError('CONFIG_INVALID', `model catalog ${path ?? 'bundled'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data.models
}

/**
 * The download address of a catalog file. A base URL is a Hugging Face-style host
 * (`{base}/{repository}/resolve/main/{file}`: huggingface.co, hf-mirror.com, a hospital mirror) or a
 * template naming `{repository}` and `{file}` for servers laid out otherwise (e.g. ModelScope's
 * `https://modelscope.cn/models/{repository}/resolve/master/{file}`).
 */
export function catalogFileUrl(baseUrl: string, repository: string, file: string): string {
  const base = baseUrl.replace(/\/+$/, '')
  if (base.includes('{file}')) return base.replaceAll('{repository}', repository).replaceAll('{file}', encodeURIComponent(file))
  return `${base}/${repository}/resolve/main/${encodeURIComponent(file)}`
}
