// What `model.inspect` (and `huatuo inspect --json`) reports about a GGUF model file before it is
// loaded. Plain data only (structured-clone and JSON safe); absent metadata is null, not missing.
import type { InferenceBackend, PromptFormatId } from './inference.ts'

export interface MemoryEstimate {
  ramBytes: number
  vramBytes: number
}

export interface TensorTypeShare {
  /** ggml type name: F32, F16, Q4_K, Q8_0, … */
  type: string
  tensors: number
  bytes: number
}

export interface ModelInspection {
  /** The file the engine is given (part 1 of a split model). */
  path: string
  fileName: string
  parts: number
  /** All parts together. */
  fileSizeBytes: number
  ggufVersion: number
  architecture: string
  /** How support was established: llama.cpp's architecture list, or a vocabulary-only load. */
  architectureCheck: 'known' | 'probed'
  name: string | null
  basename: string | null
  sizeLabel: string | null
  /** Sum of all tensors' element counts. */
  parameterCount: number
  tensorCount: number
  /** Human name of the quantization: F32, F16, Q4_K_M, Q8_0, … */
  quantization: string
  /** general.file_type as stored, when present. */
  fileType: number | null
  tensorTypes: TensorTypeShare[]
  trainedContextLength: number | null
  vocabularySize: number | null
  hasChatTemplate: boolean
  promptFormat: {
    format: PromptFormatId
    /** HuatuoGPT generation (v1, ii, o1) or generic. */
    family: string
    reason: string
  }
  memory: {
    backend: InferenceBackend
    /** Tokens per sequence (node-llama-cpp counts context size per sequence). */
    contextSize: number
    sequences: number
    gpuLayers: number
    totalLayers: number
    model: MemoryEstimate
    context: MemoryEstimate
    total: MemoryEstimate
  }
}

/**
 * Before loading: what a model needs for a context size against what this machine has free, and
 * the largest context that fits (`model.memoryPlan`). Bytes; VRAM is 0 on a machine without a GPU.
 */
export interface ModelMemoryPlan {
  backend: InferenceBackend
  contextSize: number
  trainedContextLength: number | null
  sequences: number
  /** Layers the engine would offload ('auto': as many as fit), of totalLayers. */
  gpuLayers: number
  totalLayers: number
  required: MemoryEstimate
  machine: { totalRamBytes: number; freeRamBytes: number; totalVramBytes: number; freeVramBytes: number }
  fits: boolean
  /** Rounded down to a multiple of 256; 0 when not even the smallest context fits. */
  largestContextSize: number
}
