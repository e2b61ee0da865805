import { stat } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import type { LibraryModel } from '../../../contract/models.ts'
import { WorkstationError } from '../../errors.ts'
import { hashFile } from './hashing-copy.ts'

/**
 * Hospital approval: when IT lists approved SHA-256s, no other model is imported or loaded. A split
 * model is approved only if every part is.
 */
export function ensureApproved(approved: readonly string[] | null, hashes: readonly string[], what: string): void {
  if (approved === null) return
  const refused = hashes.filter((hash) => !approved.includes(hash.toLowerCase()))
  if (refused.length > 0) {
    throw new WorkstationError('MODEL_NOT_APPROVED', `${what}: SHA-256 ${refused.map((h) => h.slice(0, 16)).join(', ')}… not on the approved list`, {
      data: { sha256: refused[0] ?? null },
    })
  }
}

/**
 * The approval check before a load. A model from the library is known by its recorded hash, as long
 * as its files are unchanged (same size and modification time); anything else is hashed now.
 */
export async function ensureApprovedForLoad(
  modelPath: string,
  approved: readonly string[] | null,
  library: { modelsDir: string; models: readonly LibraryModel[] },
): Promise<void> {
  if (approved === null) return
  const target = resolve(modelPath)
  const entry = library.models.find((model) => target.startsWith(resolve(library.modelsDir, model.folder) + sep))
  const hashes: string[] = []
  if (entry) {
    for (const file of entry.files) {
      const path = resolve(library.modelsDir, entry.folder, file.name)
      const now = await stat(path).catch(() => null)
      hashes.push(now && now.size === file.sizeBytes && now.mtimeMs === file.mtimeMs ? file.sha256 : await hashFile(path))
    }
  } else {
    hashes.push(await hashFile(target))
  }
  ensureApproved(approved, hashes, modelPath)
}
