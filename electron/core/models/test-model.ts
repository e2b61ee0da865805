import { WorkstationError } from '../errors.ts'
import { parseSplitPartName, splitPartPath } from '../gguf/gguf-model-layout.ts'
import { writeGgufFile, type GgufWritableTensor, type GgufWritableValue } from '../gguf/gguf-writer.ts'
import { SeededRandom, streamSeed } from './seeded-random.ts'
import {
  archVocabularySizes,
  BOS_TOKEN_ID,
  buildTestVocabulary,
  EOS_TOKEN_ID,
  UNKNOWN_TOKEN_ID,
  type ArchVocabulary,
} from './test-model-vocabulary.ts'

// Generated GGUF models for tests and benchmarks: real weights cannot be downloaded here, and tests
// assert mechanics (tokenizing, streaming, stopping), never content, so random weights serve.

export type TestModelSize = 'tiny' | 'bench'
export const testModelSizes: readonly TestModelSize[] = ['tiny', 'bench']
export const archVocabularies = Object.keys(archVocabularySizes) as ArchVocabulary[]
export type { ArchVocabulary }

export interface TestModelOptions {
  out: string
  /** tiny: under 2 MB, loads instantly. bench: ~34M parameters, so per-token compute dominates. */
  size?: TestModelSize
  name?: string
  /** Pads the vocabulary to Baichuan's (HuatuoGPT v1) or Baichuan2's (HuatuoGPT-II) size. */
  archVocab?: ArchVocabulary
  /** Jinja text stored as tokenizer.chat_template. */
  chatTemplate?: string
  seed?: number
  /**
   * Splits the model into this many files the way llama.cpp's gguf-split does (part 1 carries all
   * metadata). `out` is then part 1 and must be named NAME-00001-of-0000N.gguf.
   */
  parts?: number
  /** Only for tests of unsupported architectures: the file is then not loadable on purpose. */
  architecture?: string
  /**
   * false: the model never chooses its end token, so every answer runs to its token limit (tests
   * of stopping, crashing or timing an answer half-way need answers that do not end by chance).
   */
  endsAnswers?: boolean
  /**
   * Only for tests of a file that describes a model but holds no weights (no tensors at all, as a
   * vocabulary-only GGUF): the metadata is complete, so only the missing weights give it away.
   */
  withoutWeights?: boolean
}

export interface TestModelSummary {
  out: string
  /** Every file written: just `out`, or all parts of a split model. */
  files: string[]
  architecture: string
  parameterCount: number
  vocabularySize: number
  tensorCount: number
  sizeLabel: string
}

interface ModelShape {
  embedding: number
  blocks: number
  heads: number
  feedForward: number
  context: number
}

const shapes: Record<TestModelSize, ModelShape> = {
  tiny: { embedding: 64, blocks: 2, heads: 4, feedForward: 128, context: 2048 },
  // Wide and shallow on purpose: at a 1,500-token history, attention is ~16% of a token's work
  // here, as it is for a 7B model at a few thousand tokens (~6–10%); a narrow deep model of the
  // same size would spend ~45% on attention and misrepresent what a KV cache saves.
  bench: { embedding: 1024, blocks: 2, heads: 8, feedForward: 4096, context: 2048 },
}

/** A 64,000- or 125,696-row embedding must stay thin, or the "tiny" file would be hundreds of MB. */
const archVocabTinyShape: ModelShape = { embedding: 8, blocks: 2, heads: 2, feedForward: 16, context: 2048 }

/** Neutral on purpose: a name with "Huatuo" in it would make detection pick a HuatuoGPT format. */
export const DEFAULT_TEST_MODEL_NAME = 'Workstation Test Model'
export const DEFAULT_TEST_MODEL_SEED = 42
const WEIGHT_DEVIATION = 0.02

/** "HuatuoGPT2-7B" → "HuatuoGPT2", as converters split a repository name into basename and size. */
export function basenameFromName(name: string): string {
  return name.replace(/[-_ ]\d+(\.\d+)?[KMBT]$/i, '').trim().replace(/\s+/g, '-')
}

/** 1,234,567 → "1.2M", the general.size_label convention. */
export function sizeLabel(parameters: number): string {
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ]
  for (const [scale, unit] of units) {
    if (parameters >= scale) return `${(parameters / scale).toFixed(1).replace(/\.0$/, '')}${unit}`
  }
  return String(parameters)
}

function randomTensor(name: string, dimensions: number[], seed: number): GgufWritableTensor {
  let random: SeededRandom | undefined
  return {
    name,
    dimensions,
    // The writer asks for chunks in order, so one stream per tensor continues across chunks.
    fill(chunk, firstElement) {
      if (firstElement === 0 || random === undefined) random = new SeededRandom(streamSeed(seed, name))
      for (let i = 0; i < chunk.length; i++) chunk[i] = random.nextWeight(WEIGHT_DEVIATION)
    },
  }
}

/**
 * The output projection, random except for the rows of <unk>, <s> and the 256 byte tokens, which
 * are zero: like a trained model, the generated one then spells text with its pieces rather than
 * raw bytes, so an answer reads back as the same tokens it was generated as (the KV cache of the
 * next turn is reused as it would be with a real model).
 */
function outputTensor(embedding: number, vocabularySize: number, seed: number, endsAnswers: boolean): GgufWritableTensor {
  const random = randomTensor('output.weight', [embedding, vocabularySize], seed)
  // <unk>, <s>, </s>, then the 256 byte tokens: the first piece follows them.
  const neverSampled = (row: number) => row < EOS_TOKEN_ID + 1 + 256 && (row !== EOS_TOKEN_ID || !endsAnswers)
  return {
    ...random,
    fill(chunk, firstElement) {
      random.fill(chunk, firstElement)
      for (let i = 0; i < chunk.length; i++) if (neverSampled(Math.floor((firstElement + i) / embedding))) chunk[i] = 0
    },
  }
}

/** RMS-norm weights of one: the norms then pass activations through unscaled. */
function unitTensor(name: string, dimensions: number[]): GgufWritableTensor {
  return { name, dimensions, fill: (chunk) => chunk.fill(1) }
}

/** Exactly the tensors llama.cpp's llama architecture expects; one extra tensor fails the load. */
function llamaTensors(shape: ModelShape, vocabularySize: number, seed: number, endsAnswers = true): GgufWritableTensor[] {
  const { embedding, feedForward } = shape
  const tensors = [
    randomTensor('token_embd.weight', [embedding, vocabularySize], seed),
    unitTensor('output_norm.weight', [embedding]),
    outputTensor(embedding, vocabularySize, seed, endsAnswers),
  ]
  for (let block = 0; block < shape.blocks; block++) {
    const prefix = `blk.${block}`
    tensors.push(
      unitTensor(`${prefix}.attn_norm.weight`, [embedding]),
      randomTensor(`${prefix}.attn_q.weight`, [embedding, embedding], seed),
      randomTensor(`${prefix}.attn_k.weight`, [embedding, embedding], seed),
      randomTensor(`${prefix}.attn_v.weight`, [embedding, embedding], seed),
      randomTensor(`${prefix}.attn_output.weight`, [embedding, embedding], seed),
      unitTensor(`${prefix}.ffn_norm.weight`, [embedding]),
      randomTensor(`${prefix}.ffn_gate.weight`, [embedding, feedForward], seed),
      randomTensor(`${prefix}.ffn_up.weight`, [embedding, feedForward], seed),
      randomTensor(`${prefix}.ffn_down.weight`, [feedForward, embedding], seed),
    )
  }
  return tensors
}

/**
 * Writes a deterministic GGUF v3 `llama` model: the same options give a byte-identical file.
 * Weights are streamed to disk, so even the bench model never sits in memory whole.
 */
export async function writeTestModel(options: TestModelOptions): Promise<TestModelSummary> {
  const size = options.size ?? 'tiny'
  const seed = options.seed ?? DEFAULT_TEST_MODEL_SEED
  const name = options.name ?? DEFAULT_TEST_MODEL_NAME
  const architecture = options.architecture ?? 'llama'
  const shape = options.archVocab && size === 'tiny' ? archVocabTinyShape : shapes[size]
  const vocabulary = buildTestVocabulary(options.archVocab ? archVocabularySizes[options.archVocab] : undefined)
  const vocabularySize = vocabulary.tokens.length
  const tensors = llamaTensors(shape, vocabularySize, seed, options.endsAnswers ?? true)
  const parameterCount = tensors.reduce((sum, tensor) => sum + tensor.dimensions.reduce((a, b) => a * b, 1), 0)
  const label = sizeLabel(parameterCount)
  const headDimension = shape.embedding / shape.heads

  const arch = (key: string) => `${architecture}.${key}`
  const u32 = (value: number): GgufWritableValue => ({ type: 'uint32', value })
  const metadata: Array<[string, GgufWritableValue]> = [
    ['general.architecture', { type: 'string', value: architecture }],
    ['general.name', { type: 'string', value: name }],
    ['general.basename', { type: 'string', value: basenameFromName(name) }],
    ['general.size_label', { type: 'string', value: label }],
    ['general.file_type', u32(0)],
    [arch('vocab_size'), u32(vocabularySize)],
    [arch('context_length'), u32(shape.context)],
    [arch('embedding_length'), u32(shape.embedding)],
    [arch('block_count'), u32(shape.blocks)],
    [arch('feed_forward_length'), u32(shape.feedForward)],
    [arch('rope.dimension_count'), u32(headDimension)],
    [arch('rope.freq_base'), { type: 'float32', value: 10000 }],
    [arch('attention.head_count'), u32(shape.heads)],
    [arch('attention.head_count_kv'), u32(shape.heads)],
    [arch('attention.layer_norm_rms_epsilon'), { type: 'float32', value: 1e-5 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: 'float32[]', value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { type: 'int32[]', value: vocabulary.types }],
    ['tokenizer.ggml.bos_token_id', u32(BOS_TOKEN_ID)],
    ['tokenizer.ggml.eos_token_id', u32(EOS_TOKEN_ID)],
    ['tokenizer.ggml.unknown_token_id', u32(UNKNOWN_TOKEN_ID)],
    // Baichuan2 (HuatuoGPT-II) does not prepend BOS; Baichuan and LLaMA do.
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: options.archVocab !== 'baichuan2' }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ]
  if (options.chatTemplate !== undefined) {
    metadata.push(['tokenizer.chat_template', { type: 'string', value: options.chatTemplate }])
  }

  if (options.withoutWeights) {
    await writeGgufFile(options.out, { metadata, tensors: [] })
    return { out: options.out, files: [options.out], architecture, parameterCount: 0, vocabularySize, tensorCount: 0, sizeLabel: label }
  }
  const files = await writeParts(options.out, options.parts ?? 1, metadata, tensors)
  return { out: options.out, files, architecture, parameterCount, vocabularySize, tensorCount: tensors.length, sizeLabel: label }
}

/** One file, or gguf-split's layout: consecutive runs of tensors, split.* keys in every part. */
async function writeParts(
  out: string,
  parts: number,
  metadata: Array<[string, GgufWritableValue]>,
  tensors: GgufWritableTensor[],
): Promise<string[]> {
  if (!Number.isInteger(parts) || parts < 1 || parts > tensors.length) {
    throw new WorkstationError('USAGE', `parts must be a whole number from 1 to ${tensors.length}`)
  }
  if (parts === 1) {
    await writeGgufFile(out, { metadata, tensors })
    return [out]
  }
  const name = parseSplitPartName(out)
  if (!name || name.part !== 1 || name.count !== parts) {
    throw new WorkstationError('USAGE', `a ${parts}-part model must be written to NAME-00001-of-${String(parts).padStart(5, '0')}.gguf`)
  }
  const perPart = Math.ceil(tensors.length / parts)
  const files: string[] = []
  for (let index = 0; index < parts; index++) {
    const split: Array<[string, GgufWritableValue]> = [
      ['split.no', { type: 'uint16', value: index }],
      ['split.count', { type: 'uint16', value: parts }],
      ['split.tensors.count', { type: 'int32', value: tensors.length }],
    ]
    const path = splitPartPath(name.prefix, index + 1, parts)
    const partTensors = tensors.slice(index * perPart, (index + 1) * perPart)
    await writeGgufFile(path, { metadata: index === 0 ? [...metadata, ...split] : split, tensors: partTensors })
    files.push(path)
  }
  return files
}
