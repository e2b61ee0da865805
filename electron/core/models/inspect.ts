import { basename } from 'node:path'
import { GgufFileType, GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp'
import type { InferenceBackend } from '../../contract/inference.ts'
import type { MemoryEstimate, ModelInspection, TensorTypeShare } from '../../contract/model-inspection.ts'
import { WorkstationError } from '../errors.ts'
import { disposeLlamaRuntime, loadLlamaRuntime, type GpuPreference } from '../inference/llama-runtime.ts'
import { detectPromptFormat, type ModelIdentityFacts } from '../inference/prompt-formats/detect.ts'
import { ensureArchitectureSupported } from './architecture-support.ts'
import { metadataArray, metadataInteger, metadataString } from '../gguf/gguf-file.ts'
import { ensureModelHasWeights, readGgufModelLayout, type GgufModelLayout } from '../gguf/gguf-model-layout.ts'

export type { ModelInspection }

/** What the workstation opens by default: 4,096 tokens per consultation (capped at the trained length), two consultations. */
export const DEFAULT_INSPECTION_CONTEXT = 4096
export const DEFAULT_INSPECTION_SEQUENCES = 2

export interface InspectModelOptions {
  /** Reuse a runtime (tests, the engine process); otherwise one is created and disposed. */
  llama?: Llama
  gpu?: GpuPreference
  threads?: number
  /** Tokens per sequence for the memory estimate; default 4,096 capped at the trained context. */
  contextSize?: number
  sequences?: number
}

/** The inspection side of prompt-format detection, kept behind one function. */
export function detectModelPromptFormat(identity: ModelIdentityFacts): ModelInspection['promptFormat'] {
  const { format, family, reason } = detectPromptFormat(identity)
  return { format, family, reason }
}

export function quantizationOf(layout: GgufModelLayout): { quantization: string; fileType: number | null; tensorTypes: TensorTypeShare[] } {
  const shares = new Map<string, TensorTypeShare>()
  for (const tensor of layout.tensors) {
    const share = shares.get(tensor.type.name) ?? { type: tensor.type.name, tensors: 0, bytes: 0 }
    share.tensors += 1
    share.bytes += tensor.byteSize
    shares.set(tensor.type.name, share)
  }
  const tensorTypes = [...shares.values()].sort((a, b) => b.bytes - a.bytes)
  const fileType = metadataInteger(layout.metadata, 'general.file_type') ?? null
  // GgufFileType names read MOSTLY_Q4_K_M, ALL_F32: the part after the prefix is what people call it.
  const fileTypeName = fileType === null ? undefined : (GgufFileType[fileType] as string | undefined)?.replace(/^(MOSTLY|ALL)_/, '')
  return { quantization: fileTypeName ?? tensorTypes[0]?.type ?? 'unknown', fileType, tensorTypes }
}

function backendOf(llama: Llama): InferenceBackend {
  return llama.gpu === false ? 'cpu' : llama.gpu
}

function estimate(requirements: { cpuRam: number; gpuVram: number }): MemoryEstimate {
  return { ramBytes: requirements.cpuRam, vramBytes: requirements.gpuVram }
}

/**
 * Checks a model file completely (layout, every split part, architecture support) and describes
 * it: identity, size, quantization, context, vocabulary, prompt format, and the memory it needs on
 * this machine's backend. Any problem is a WorkstationError with a stable code.
 */
export async function inspectModel(path: string, options: InspectModelOptions = {}): Promise<ModelInspection> {
  const layout = await readGgufModelLayout(path)
  // Refused before anything is loaded: a file without weights would "pass" as 0 parameters.
  ensureModelHasWeights(layout)
  // Inspection decodes nothing, so one thread is plenty unless the caller says otherwise.
  const llama = options.llama ?? (await loadLlamaRuntime({ gpu: options.gpu ?? 'auto', threads: options.threads ?? 1 }))
  try {
    const info = await readGgufFileInfo(layout.path, { logWarnings: false }).catch((error: unknown) => {
      throw new WorkstationError('MODEL_CORRUPT', `${basename(layout.path)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    })
    const insights = await GgufInsights.from(info, llama)
    const architectureCheck = await ensureArchitectureSupported(llama, insights, layout.path, layout.architecture)

    const metadata = layout.metadata
    const name = metadataString(metadata, 'general.name') ?? null
    const modelBasename = metadataString(metadata, 'general.basename') ?? null
    const chatTemplate = metadataString(metadata, 'tokenizer.chat_template')
    const vocabularySize =
      metadataArray(metadata, 'tokenizer.ggml.tokens')?.length ?? metadataInteger(metadata, `${layout.architecture}.vocab_size`) ?? null
    const trainedContextLength = metadataInteger(metadata, `${layout.architecture}.context_length`) ?? null

    const contextSize = options.contextSize ?? Math.min(DEFAULT_INSPECTION_CONTEXT, trainedContextLength ?? DEFAULT_INSPECTION_CONTEXT)
    const sequences = options.sequences ?? DEFAULT_INSPECTION_SEQUENCES
    const backend = backendOf(llama)
    const totalLayers = insights.totalLayers
    // On a GPU the workstation offloads every layer that fits; the estimate shows the full offload.
    const gpuLayers = backend === 'cpu' ? 0 : totalLayers
    const model = estimate(insights.estimateModelResourceRequirements({ gpuLayers }))
    const context = estimate(insights.estimateContextResourceRequirements({ contextSize, sequences, modelGpuLayers: gpuLayers }))

    return {
      path: layout.path,
      fileName: basename(layout.path),
      parts: layout.parts.length,
      fileSizeBytes: layout.totalFileSize,
      ggufVersion: layout.parts[0]?.version ?? 3,
      architecture: layout.architecture,
      architectureCheck,
      name,
      basename: modelBasename,
      sizeLabel: metadataString(metadata, 'general.size_label') ?? null,
      parameterCount: layout.tensors.reduce((sum, tensor) => sum + tensor.elementCount, 0),
      tensorCount: layout.tensors.length,
      ...quantizationOf(layout),
      trainedContextLength,
      vocabularySize,
      hasChatTemplate: chatTemplate !== undefined && chatTemplate.trim() !== '',
      promptFormat: detectModelPromptFormat({
        architecture: layout.architecture,
        ...(name !== null && { name }),
        ...(modelBasename !== null && { basename: modelBasename }),
        ...(vocabularySize !== null && { vocabularySize }),
        ...(chatTemplate !== undefined && { chatTemplate }),
      }),
      memory: {
        backend,
        contextSize,
        sequences,
        gpuLayers,
        totalLayers,
        model,
        context,
        total: { ramBytes: model.ramBytes + context.ramBytes, vramBytes: model.vramBytes + context.vramBytes },
      },
    }
  } finally {
    if (!options.llama) await disposeLlamaRuntime(llama)
  }
}
