import { access } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { WorkstationError } from '../errors.ts'
import {
  metadataInteger,
  metadataString,
  readGgufFileLayout,
  type GgufEntry,
  type GgufFileLayout,
  type GgufTensorLayout,
  type ReadGgufOptions,
} from './gguf-file.ts'

// A model is one GGUF file or, for large quantizations, several parts named
// NAME-00001-of-0000N.gguf (llama.cpp's gguf-split convention; only part 1 carries the full
// metadata). Every part must be present and valid before the model is described or loaded.

export interface GgufModelLayout {
  /** The file llama.cpp is given: the model itself, or part 1 of a split model. */
  path: string
  parts: GgufFileLayout[]
  /** Part 1's metadata. */
  metadata: ReadonlyMap<string, GgufEntry>
  tensors: GgufTensorLayout[]
  totalFileSize: number
  architecture: string
}

const splitNamePattern = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i

export interface SplitPartName {
  prefix: string
  part: number
  count: number
}

export function parseSplitPartName(path: string): SplitPartName | undefined {
  const match = splitNamePattern.exec(path)
  if (!match) return undefined
  return { prefix: match[1] ?? '', part: Number(match[2]), count: Number(match[3]) }
}

export function splitPartPath(prefix: string, part: number, count: number): string {
  return `${prefix}-${String(part).padStart(5, '0')}-of-${String(count).padStart(5, '0')}.gguf`
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/**
 * The paths of all parts, in order, or just `path` for a single-file model. As in llama.cpp, the
 * metadata (split.count, written into every part) says whether a model is split; the file name
 * only says where the other parts are.
 */
async function resolveParts(path: string, given: GgufFileLayout): Promise<string[]> {
  const declaredCount = metadataInteger(given.metadata, 'split.count')
  if (declaredCount === undefined || declaredCount <= 1) return [path]
  const fromName = parseSplitPartName(path)
  if (!fromName) {
    throw new WorkstationError(
      'MODEL_PART_MISSING',
      `${basename(path)} is part of a ${declaredCount}-part model, but its name does not follow NAME-00001-of-${String(declaredCount).padStart(5, '0')}.gguf, so the other parts cannot be found`,
    )
  }
  if (fromName.count !== declaredCount) {
    throw new WorkstationError('MODEL_CORRUPT', `${basename(path)} is named as one of ${fromName.count} parts, but its metadata says ${declaredCount}`)
  }
  const paths = Array.from({ length: fromName.count }, (_, index) => splitPartPath(fromName.prefix, index + 1, fromName.count))
  const missing: string[] = []
  for (const part of paths) if (!(await exists(part))) missing.push(basename(part))
  if (missing.length > 0) {
    throw new WorkstationError('MODEL_PART_MISSING', `missing ${missing.join(', ')} in ${dirname(path)}`)
  }
  return paths
}

/**
 * Validates a whole model: the given file, and for a split model every part (each part's own
 * layout, its position, and that the parts together hold the declared tensors).
 */
export async function readGgufModelLayout(path: string, options: ReadGgufOptions = {}): Promise<GgufModelLayout> {
  const given = await readGgufFileLayout(path, options)
  const partPaths = await resolveParts(path, given)
  const parts: GgufFileLayout[] = []
  for (const partPath of partPaths) {
    parts.push(partPath === path ? given : await readGgufFileLayout(partPath, options))
  }
  const [first] = parts
  if (first === undefined) throw new WorkstationError('INTERNAL', 'no model parts')

  if (parts.length > 1) {
    parts.forEach((part, index) => {
      const number = metadataInteger(part.metadata, 'split.no')
      const count = metadataInteger(part.metadata, 'split.count')
      if (number !== index || count !== parts.length) {
        throw new WorkstationError('MODEL_CORRUPT', `${basename(part.path)} is not part ${index + 1} of ${parts.length} (split.no ${number}, split.count ${count})`)
      }
    })
    const declaredTensors = metadataInteger(first.metadata, 'split.tensors.count')
    const actualTensors = parts.reduce((sum, part) => sum + part.tensors.length, 0)
    if (declaredTensors !== undefined && declaredTensors !== actualTensors) {
      throw new WorkstationError('MODEL_CORRUPT', `the parts hold ${actualTensors} tensors, part 1 declares ${declaredTensors}`)
    }
  }

  const architecture = metadataString(first.metadata, 'general.architecture')
  if (architecture === undefined || architecture.length === 0) {
    throw new WorkstationError('MODEL_CORRUPT', `${basename(first.path)}: general.architecture is missing`)
  }
  return {
    path: first.path,
    parts,
    metadata: first.metadata,
    tensors: parts.flatMap((part) => part.tensors),
    totalFileSize: parts.reduce((sum, part) => sum + part.fileSize, 0),
    architecture,
  }
}

/**
 * A model file must carry weights: a GGUF with no tensors (or only empty ones) describes a model but
 * cannot answer anything, and llama.cpp would refuse it only at load time with a generic failure.
 * A vocabulary-only file is fine for tokenizing (`huatuo prompt`), so the layout reader itself does
 * not refuse it; inspection and import do.
 */
export function ensureModelHasWeights(layout: GgufModelLayout): void {
  const elements = layout.tensors.reduce((sum, tensor) => sum + tensor.elementCount, 0)
  if (layout.tensors.length === 0 || elements === 0) {
    throw new WorkstationError('MODEL_CORRUPT', `${basename(layout.path)}: no weights (${layout.tensors.length} tensors, ${elements} parameters)`)
  }
}
