import { freemem, totalmem } from 'node:os'
import { GgufInsights, readGgufFileInfo } from 'node-llama-cpp'
import type { ModelMemoryPlan } from '../../contract/model-inspection.ts'
import { WorkstationError } from '../errors.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../inference/llama-runtime.ts'
import { estimateMemory, largestFittingContext, MIN_CONTEXT_SIZE } from '../inference/local/memory-fit.ts'
import { DEFAULT_INSPECTION_CONTEXT, DEFAULT_INSPECTION_SEQUENCES } from './inspect.ts'

/** The largest context the gauge considers: the model's trained context, or 128k when it says none. */
const CEILING = 131_072

/**
 * The gauge before loading: the memory a model needs for a context size on this machine's backend
 * (every layer on the GPU when there is one, as the engine's 'auto' tries first) against the RAM
 * and VRAM free now, and the largest context that would fit. Reads the file's metadata only.
 */
export async function planModelMemory(path: string, options: { contextSize?: number; freeRamBytes?: () => number } = {}): Promise<ModelMemoryPlan> {
  const llama = await loadLlamaRuntime({ gpu: 'auto', threads: 1 })
  try {
    const info = await readGgufFileInfo(path, { logWarnings: false }).catch((error: unknown) => {
      throw new WorkstationError('MODEL_CORRUPT', error instanceof Error ? error.message : String(error), { cause: error })
    })
    const insights = await GgufInsights.from(info, llama)
    const trained = insights.trainContextSize ?? null
    const contextSize = options.contextSize ?? Math.min(DEFAULT_INSPECTION_CONTEXT, trained ?? DEFAULT_INSPECTION_CONTEXT)
    const sequences = DEFAULT_INSPECTION_SEQUENCES
    const onGpu = llama.gpu !== false
    const gpuLayers = onGpu ? insights.totalLayers : 0
    const vram = onGpu ? await llama.getVramState() : { total: 0, free: 0 }
    const freeRamBytes = (options.freeRamBytes ?? freemem)()
    const budget = { freeRamBytes, freeVramBytes: vram.free }
    const required = estimateMemory(insights, contextSize, sequences, gpuLayers)
    const largest = largestFittingContext(insights, sequences, gpuLayers, budget, trained ?? CEILING)
    return {
      backend: onGpu ? (llama.gpu as ModelMemoryPlan['backend']) : 'cpu',
      contextSize,
      trainedContextLength: trained,
      sequences,
      gpuLayers,
      totalLayers: insights.totalLayers,
      required,
      machine: { totalRamBytes: totalmem(), freeRamBytes, totalVramBytes: vram.total, freeVramBytes: vram.free },
      fits: required.ramBytes <= budget.freeRamBytes && required.vramBytes <= budget.freeVramBytes,
      largestContextSize: largest >= MIN_CONTEXT_SIZE ? Math.floor(largest / 256) * 256 : 0,
    }
  } finally {
    await disposeLlamaRuntime(llama)
  }
}
