import type { UiLocale } from '../../contract/errors.ts'
import type { MemoryEstimate, ModelInspection } from '../../contract/model-inspection.ts'
import { WorkstationError } from '../../core/errors.ts'
import { configuredInferenceThreads } from '../../core/inference/threads.ts'
import { inspectModel } from '../../core/models/inspect.ts'
import { parseCommandArgs } from '../args.ts'
import { formatBytes } from '../format.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo inspect FILE [--json] [--context N] [--sequences N]

Checks a GGUF model file (and every part of a split model) and describes it: architecture, name,
parameters, quantization, trained context, vocabulary, chat template, HuatuoGPT family and prompt
format, and the memory it needs on this machine for the given context and sequences.
  --context N     tokens per consultation for the memory estimate (default 4096, capped at the trained context)
  --sequences N   consultations held at once (default 2)
  --json          one JSON object on stdout
`

const labels = {
  'zh-CN': {
    model: '模型',
    file: '文件',
    architecture: '架构',
    parameters: '参数量',
    tensors: '个张量',
    quantization: '量化',
    context: '训练上下文',
    vocabulary: '词表',
    template: '对话模板',
    family: '系列',
    memory: '内存',
    parts: (n: number) => `${n} 个分卷`,
    tokens: '个词元',
    present: '有',
    absent: '无',
    unknown: '未知',
    format: '提示格式',
    layers: (gpu: number, total: number) => `GPU 层 ${gpu}/${total}`,
    sequences: (context: number, sequences: number) => `上下文 ${context.toLocaleString('en')} × ${sequences} 个会话`,
    weights: '权重',
    cache: '上下文',
    total: '合计',
  },
  en: {
    model: 'Model',
    file: 'File',
    architecture: 'Architecture',
    parameters: 'Parameters',
    tensors: 'tensors',
    quantization: 'Quantization',
    context: 'Trained context',
    vocabulary: 'Vocabulary',
    template: 'Chat template',
    family: 'Family',
    memory: 'Memory',
    parts: (n: number) => `${n} part${n === 1 ? '' : 's'}`,
    tokens: 'tokens',
    present: 'present',
    absent: 'none',
    unknown: 'unknown',
    format: 'prompt format',
    layers: (gpu: number, total: number) => `${gpu}/${total} layers on GPU`,
    sequences: (context: number, sequences: number) => `context ${context.toLocaleString('en')} × ${sequences} sequences`,
    weights: 'model',
    cache: 'context',
    total: 'total',
  },
} satisfies Record<UiLocale, unknown>

/** 1536 → "1.5 KiB": binary units, as memory is counted. */

/** Columns a label takes in a terminal: CJK characters are two wide. */
function displayWidth(text: string): number {
  let width = 0
  for (const character of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(character) ? 2 : 1
  return width
}

function memory(estimate: MemoryEstimate): string {
  return `${formatBytes(estimate.ramBytes)} RAM, ${formatBytes(estimate.vramBytes)} VRAM`
}

export function formatInspection(inspection: ModelInspection, locale: UiLocale): string {
  const l = labels[locale]
  const count = (n: number) => n.toLocaleString('en')
  const identity = [inspection.basename, inspection.sizeLabel].filter((part) => part !== null).join(', ')
  const types = inspection.tensorTypes.map((share) => `${share.type} ×${share.tensors}`).join(', ')
  const { memory: m, promptFormat } = inspection
  const rows: Array<[string, string]> = [
    [l.model, `${inspection.name ?? l.unknown}${identity ? ` (${identity})` : ''}`],
    [l.file, `${inspection.path} — ${formatBytes(inspection.fileSizeBytes)}, ${l.parts(inspection.parts)}, GGUF v${inspection.ggufVersion}`],
    [l.architecture, inspection.architecture],
    [l.parameters, `${count(inspection.parameterCount)} (${inspection.tensorCount} ${l.tensors})`],
    [l.quantization, `${inspection.quantization}${inspection.fileType === null ? '' : ` (general.file_type ${inspection.fileType})`}; ${types}`],
    [l.context, inspection.trainedContextLength === null ? l.unknown : `${count(inspection.trainedContextLength)} ${l.tokens}`],
    [l.vocabulary, inspection.vocabularySize === null ? l.unknown : `${count(inspection.vocabularySize)} ${l.tokens}`],
    [l.template, inspection.hasChatTemplate ? l.present : l.absent],
    [l.family, `${promptFormat.family}, ${l.format} ${promptFormat.format}`],
    ['', promptFormat.reason],
    [`${l.memory} (${m.backend})`, `${l.sequences(m.contextSize, m.sequences)}, ${l.layers(m.gpuLayers, m.totalLayers)}`],
    ['', `${l.weights} ${memory(m.model)}; ${l.cache} ${memory(m.context)}`],
    ['', `${l.total} ${memory(m.total)}`],
  ]
  const width = Math.max(...rows.map(([label]) => displayWidth(label))) + 2
  return rows.map(([label, value]) => `${label}${' '.repeat(width - displayWidth(label))}${value}`).join('\n') + '\n'
}

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^[1-9][0-9]*$/.test(value)) throw new WorkstationError('USAGE', `${option} must be a positive integer`)
  return Number(value)
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        context: { type: 'string' },
        sequences: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    )
    json = values.json ?? false
    if (values.help) {
      io.out(usage)
      return 0
    }
    const [path, ...extra] = positionals
    if (path === undefined || extra.length > 0) throw new WorkstationError('USAGE', 'give exactly one model file')
    const contextSize = positiveInteger(values.context, '--context')
    const sequences = positiveInteger(values.sequences, '--sequences')

    const inspection = await inspectModel(path, {
      threads: configuredInferenceThreads(),
      ...(contextSize !== undefined && { contextSize }),
      ...(sequences !== undefined && { sequences }),
    })
    io.out(json ? `${JSON.stringify(inspection)}\n` : formatInspection(inspection, io.locale))
    return 0
  } catch (error) {
    if (error instanceof WorkstationError && error.code === 'USAGE') io.err(usage)
    return reportFailure(io, error, json)
  }
}
