import type { GgufInsights, Llama } from 'node-llama-cpp'
import { WorkstationError } from '../errors.ts'

export type ArchitectureCheck = 'known' | 'probed'

/**
 * Whether this llama.cpp build can run the model's architecture. llama.cpp's own list answers
 * instantly for the common case; when it says no, a vocabulary-only load (reads metadata and the
 * vocabulary, no weights) is the final word, so a list out of step with the build cannot refuse a
 * model that would load. A failed probe leaves node-llama-cpp's runtime unable to dispose cleanly,
 * so owners of the runtime dispose it with disposeLlamaRuntime (bounded wait).
 */
export async function ensureArchitectureSupported(
  llama: Llama,
  insights: GgufInsights,
  modelPath: string,
  architecture: string,
): Promise<ArchitectureCheck> {
  if (insights.isSupportedByLlamaCpp) return 'known'
  try {
    const model = await llama.loadModel({ modelPath, vocabOnly: true, gpuLayers: 0 })
    await model.dispose()
    return 'probed'
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new WorkstationError('MODEL_UNSUPPORTED', `architecture "${architecture}" (llama.cpp: ${reason})`, { cause: error })
  }
}
