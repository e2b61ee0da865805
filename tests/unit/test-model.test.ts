import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LlamaCompletion, type Llama, type LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { metadataArray, metadataInteger, metadataString, readGgufFileLayout } from '../../electron/core/gguf/gguf-file.ts'
import { writeTestModel, type TestModelOptions, type TestModelSummary } from '../../electron/core/models/test-model.ts'
import { runHuatuo } from '../support/cli.ts'

// The generated models stand in for real HuatuoGPT weights in every other test: they must load in
// node-llama-cpp, tokenize any Chinese text, generate, and be byte-for-byte reproducible.

let dir: string
let llama: Llama
const models = new Map<string, TestModelSummary>()

const consultation = '<病人>：我头痛发烧三天了，还有点咳嗽，需要吃药吗？ <HuatuoGPT>：'
const unusual = '罕见字：龘靐齉。Emoji 😷 and ASCII ~!@#'

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex')
}

async function generate(name: string, options: Omit<TestModelOptions, 'out'>): Promise<TestModelSummary> {
  const summary = await writeTestModel({ out: join(dir, `${name}.gguf`), ...options })
  models.set(name, summary)
  return summary
}

async function withModel<T>(name: string, use: (model: LlamaModel) => Promise<T>): Promise<T> {
  const model = await llama.loadModel({ modelPath: models.get(name)?.out ?? '', gpuLayers: 0 })
  try {
    return await use(model)
  } finally {
    await model.dispose()
  }
}

async function completeFewTokens(model: LlamaModel): Promise<number> {
  const context = await model.createContext({ contextSize: 512, threads: 1 })
  try {
    let tokens = 0
    await new LlamaCompletion({ contextSequence: context.getSequence() }).generateCompletion(consultation, {
      maxTokens: 4,
      onToken: (chunk) => (tokens += chunk.length),
    })
    return tokens
  } finally {
    await context.dispose()
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-test-model-'))
  await generate('tiny', {})
  await generate('bench', { size: 'bench' })
  await generate('baichuan', { archVocab: 'baichuan', name: 'HuatuoGPT-7B' })
  await generate('baichuan2', { archVocab: 'baichuan2', name: 'HuatuoGPT2-7B' })
  llama = await loadLlamaRuntime({ threads: 1 })
})

afterAll(async () => {
  if (llama) await disposeLlamaRuntime(llama)
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the tiny model', () => {
  it('is under 2 MB, F32, with the metadata llama.cpp and the workstation read', async () => {
    const path = models.get('tiny')?.out ?? ''
    expect((await stat(path)).size).toBeLessThan(2 * 1024 * 1024)
    const { metadata, tensors, version, alignment } = await readGgufFileLayout(path, { arrayValueLimit: Infinity })
    expect(version).toBe(3)
    expect(alignment).toBe(32)
    expect(metadataString(metadata, 'general.architecture')).toBe('llama')
    expect(metadataString(metadata, 'general.name')).toBe('Workstation Test Model')
    expect(metadataString(metadata, 'general.basename')).toBe('Workstation-Test-Model')
    expect(metadataString(metadata, 'general.size_label')).toBe(models.get('tiny')?.sizeLabel)
    expect(metadataInteger(metadata, 'general.file_type')).toBe(0)
    expect(metadataString(metadata, 'tokenizer.ggml.model')).toBe('llama')
    expect(metadataInteger(metadata, 'tokenizer.ggml.unknown_token_id')).toBe(0)
    expect(metadataInteger(metadata, 'tokenizer.ggml.bos_token_id')).toBe(1)
    expect(metadataInteger(metadata, 'tokenizer.ggml.eos_token_id')).toBe(2)
    expect(metadata.get('tokenizer.ggml.add_bos_token')?.value).toBe(true)
    expect(metadata.has('tokenizer.chat_template')).toBe(false)
    const tokens = metadataArray(metadata, 'tokenizer.ggml.tokens')?.values ?? []
    for (const piece of ['<0x00>', '<0xFF>', '<病人>', '<HuatuoGPT>', '<问>', '<答>', '：', '▁', '头', '痛']) expect(tokens).toContain(piece)
    expect(tensors.every((tensor) => tensor.type.name === 'F32')).toBe(true)
  })

  it('loads, tokenizes any text through byte fallback, and detokenizes it back', async () => {
    await withModel('tiny', async (model) => {
      for (const text of [consultation, unusual]) expect(model.detokenize(model.tokenize(text))).toBe(text)
      // Role markers are one piece each, as in the real HuatuoGPT vocabularies.
      expect(model.tokenize('<病人>', false, 'trimLeadingSpace')).toHaveLength(1)
      expect(model.tokenize('<HuatuoGPT>', false, 'trimLeadingSpace')).toHaveLength(1)
      expect(model.tokens.bos).toBe(1)
      expect(model.tokens.eos).toBe(2)
      expect(model.tokens.shouldPrependBosToken).toBe(true)
    })
  })

  it('generates tokens', async () => {
    expect(await withModel('tiny', completeFewTokens)).toBeGreaterThan(0)
  })
})

describe('the bench model', () => {
  it('has tens of millions of parameters, and loads and generates', async () => {
    const summary = models.get('bench')
    expect(summary?.parameterCount).toBeGreaterThan(20_000_000)
    expect(summary?.parameterCount).toBeLessThan(60_000_000)
    expect(await withModel('bench', completeFewTokens)).toBeGreaterThan(0)
  })
})

describe.each([
  ['baichuan', 64_000, true],
  ['baichuan2', 125_696, false],
] as const)('the %s-vocabulary model', (name, size, addsBos) => {
  it(`has exactly ${size.toLocaleString('en')} tokens and stays small`, async () => {
    const summary = models.get(name)
    expect(summary?.vocabularySize).toBe(size)
    const { metadata } = await readGgufFileLayout(summary?.out ?? '')
    expect(metadataArray(metadata, 'tokenizer.ggml.tokens')?.length).toBe(size)
    expect(metadataArray(metadata, 'tokenizer.ggml.scores')?.length).toBe(size)
    expect(metadataArray(metadata, 'tokenizer.ggml.token_type')?.length).toBe(size)
    expect((await stat(summary?.out ?? '')).size).toBeLessThan(16 * 1024 * 1024)
  })

  it('loads, tokenizes Chinese, and generates', async () => {
    await withModel(name, async (model) => {
      expect(model.detokenize(model.tokenize(consultation))).toBe(consultation)
      expect(model.tokens.shouldPrependBosToken).toBe(addsBos)
      expect(await completeFewTokens(model)).toBeGreaterThan(0)
    })
  })
})

describe('reproducibility', () => {
  it('gives byte-identical files for the same seed, and different ones for another seed', async () => {
    const first = await writeTestModel({ out: join(dir, 'seed-a.gguf'), seed: 7 })
    const again = await writeTestModel({ out: join(dir, 'seed-b.gguf'), seed: 7 })
    const other = await writeTestModel({ out: join(dir, 'seed-c.gguf'), seed: 8 })
    expect(await sha256(first.out)).toBe(await sha256(again.out))
    expect(await sha256(first.out)).not.toBe(await sha256(other.out))
  })
})

describe('options', () => {
  it('embeds a chat template', async () => {
    const template = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}"
    const summary = await writeTestModel({ out: join(dir, 'template.gguf'), chatTemplate: template, name: 'HuatuoGPT-o1-7B' })
    const { metadata } = await readGgufFileLayout(summary.out)
    expect(metadataString(metadata, 'tokenizer.chat_template')).toBe(template)
    expect(metadataString(metadata, 'general.basename')).toBe('HuatuoGPT-o1')
  })

  it('writes a split model whose parts llama.cpp loads together', async () => {
    const summary = await writeTestModel({ out: join(dir, 'split-00001-of-00002.gguf'), parts: 2 })
    expect(summary.files).toEqual([join(dir, 'split-00001-of-00002.gguf'), join(dir, 'split-00002-of-00002.gguf')])
    const model = await llama.loadModel({ modelPath: summary.out, gpuLayers: 0 })
    expect(model.detokenize(model.tokenize(consultation))).toBe(consultation)
    await model.dispose()
  })

  it('leaves no temporary file behind', async () => {
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([])
  })
})

describe('huatuo make-test-model', () => {
  it('writes the same bytes as the function API', async () => {
    const out = join(dir, 'cli.gguf')
    const result = await runHuatuo(['make-test-model', '--out', out, '--seed', '7', '--json'])
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ out, architecture: 'llama', files: [out] })
    expect(await sha256(out)).toBe(await sha256(join(dir, 'seed-a.gguf')))
  })

  it('takes --arch-vocab, --name and --chat-template', async () => {
    const out = join(dir, 'cli-ii.gguf')
    const templateFile = join(dir, 'template.jinja')
    await writeFile(templateFile, '{{ messages }}')
    const result = await runHuatuo(['make-test-model', '--out', out, '--arch-vocab', 'baichuan2', '--name', 'HuatuoGPT2-7B', '--chat-template', templateFile])
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('125,696-token vocabulary')
    const { metadata } = await readGgufFileLayout(out)
    expect(metadataString(metadata, 'general.name')).toBe('HuatuoGPT2-7B')
    expect(metadataString(metadata, 'tokenizer.chat_template')).toBe('{{ messages }}')
  })

  it.each([
    [['--size', 'tiny'], 'USAGE', 2],
    [['--out', 'x.gguf', '--size', 'huge'], 'USAGE', 2],
    [['--out', 'x.gguf', '--arch-vocab', 'qwen'], 'USAGE', 2],
    [['--out', 'x.gguf', '--seed', '-1'], 'USAGE', 2],
    [['--out', 'x.gguf', '--bogus'], 'USAGE', 2],
    [['--out', 'x.gguf', '--chat-template', '/nonexistent/template.jinja'], 'INPUT_UNREADABLE', 1],
    [['--out', '/nonexistent/folder/model.gguf'], 'OUTPUT_UNWRITABLE', 1],
  ] as const)('refuses %j with %s', async (args, code, status) => {
    const result = await runHuatuo(['make-test-model', ...args])
    expect(result.status).toBe(status)
    expect(result.stderr).toContain(`${code}: `)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
