import type { GgufInsights } from 'node-llama-cpp'
import { WorkstationError } from '../../errors.ts'

export interface MemoryBudget {
  freeRamBytes: number
  freeVramBytes: number
}

export interface MemoryPlan {
  ramBytes: number
  vramBytes: number
}

/** The smallest context the workstation will open: room for a preamble and a short exchange. */
export const MIN_CONTEXT_SIZE = 256

export function estimateMemory(insights: GgufInsights, contextSize: number, sequences: number, gpuLayers: number): MemoryPlan {
  const model = insights.estimateModelResourceRequirements({ gpuLayers })
  const context = insights.estimateContextResourceRequirements({ contextSize, sequences, modelGpuLayers: gpuLayers })
  return { ramBytes: model.cpuRam + context.cpuRam, vramBytes: model.gpuVram + context.gpuVram }
}

function fits(plan: MemoryPlan, budget: MemoryBudget): boolean {
  return plan.ramBytes <= budget.freeRamBytes && plan.vramBytes <= budget.freeVramBytes
}

/** The largest context per sequence that fits (0 when not even the smallest does). */
export function largestFittingContext(
  insights: GgufInsights,
  sequences: number,
  gpuLayers: number,
  budget: MemoryBudget,
  upTo: number,
): number {
  if (!fits(estimateMemory(insights, MIN_CONTEXT_SIZE, sequences, gpuLayers), budget)) return 0
  let low = MIN_CONTEXT_SIZE
  let high = upTo
  while (low < high) {
    const middle = Math.floor((low + high + 1) / 2)
    if (fits(estimateMemory(insights, middle, sequences, gpuLayers), budget)) low = middle
    else high = middle - 1
  }
  return low
}

/**
 * Refuses a load that cannot fit before anything is allocated, naming the largest context that
 * would (rounded down to a multiple of 256, the sizes people choose).
 */
export function ensureModelFits(
  insights: GgufInsights,
  request: { contextSize: number; sequences: number; gpuLayers: number },
  budget: MemoryBudget,
): MemoryPlan {
  const plan = estimateMemory(insights, request.contextSize, request.sequences, request.gpuLayers)
  if (fits(plan, budget)) return plan
  const largest = largestFittingContext(insights, request.sequences, request.gpuLayers, budget, request.contextSize)
  const largestContextSize = largest >= MIN_CONTEXT_SIZE ? Math.max(MIN_CONTEXT_SIZE, Math.floor(largest / 256) * 256) : 0
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`
  throw new WorkstationError(
    'MODEL_TOO_LARGE',
    `needs ${gib(plan.ramBytes)} RAM and ${gib(plan.vramBytes)} VRAM for ${request.contextSize} tokens × ${request.sequences} sequences; ` +
      `${gib(budget.freeRamBytes)} RAM and ${gib(budget.freeVramBytes)} VRAM are free; ` +
      (largestContextSize > 0 ? `the largest context that fits is ${largestContextSize}` : 'even the smallest context does not fit'),
    { data: { requiredRamBytes: plan.ramBytes, requiredVramBytes: plan.vramBytes, largestContextSize } },
  )
}
