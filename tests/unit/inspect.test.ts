import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Llama } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelInspection } from '../../electron/contract/model-inspection.ts'
import { isWorkstationError } from '../../electron/core/errors.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { inspectModel } from '../../electron/core/models/inspect.ts'
import { writeTestModel, type TestModelOptions, type TestModelSummary } from '../../electron/core/models/test-model.ts'
import { runHuatuo } from '../support/cli.ts'

// What a clinician's IT department sees before loading a model: identity, size, quantization,
// context, vocabulary, HuatuoGPT family and prompt format, and whether it fits in memory.

/** Qwen2.5's ChatML template, shortened: what HuatuoGPT-o1-7B's GGUF carries. */
const qwenChatTemplate = `{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}`

let dir: string
let llama: Llama
const models = new Map<string, TestModelSummary>()

async function generate(name: string, options: Omit<TestModelOptions, 'out'>): Promise<void> {
  models.set(name, await writeTestModel({ out: join(dir, `${name}.gguf`), ...options }))
}

function pathOf(name: string): string {
  return models.get(name)?.out ?? ''
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-inspect-'))
  await generate('tiny', {})
  await generate('v1', { archVocab: 'baichuan', name: 'HuatuoGPT-7B' })
  await generate('ii', { archVocab: 'baichuan2', name: 'HuatuoGPT2-7B' })
  await generate('o1', { name: 'HuatuoGPT-o1-7B', chatTemplate: qwenChatTemplate })
  models.set('split', await writeTestModel({ out: join(dir, 'split-00001-of-00003.gguf'), parts: 3 }))
  await generate('unsupported', { architecture: 'notarealarch' })
  llama = await loadLlamaRuntime({ threads: 1 })
})

afterAll(async () => {
  if (llama) await disposeLlamaRuntime(llama)
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('inspectModel', () => {
  it('describes the tiny model completely', async () => {
    const inspection = await inspectModel(pathOf('tiny'), { llama })
    const summary = models.get('tiny')
    expect(inspection).toMatchObject({
      fileName: 'tiny.gguf',
      parts: 1,
      ggufVersion: 3,
      architecture: 'llama',
      architectureCheck: 'known',
      name: 'Workstation Test Model',
      basename: 'Workstation-Test-Model',
      sizeLabel: summary?.sizeLabel,
      parameterCount: summary?.parameterCount,
      tensorCount: summary?.tensorCount,
      quantization: 'F32',
      fileType: 0,
      tensorTypes: [{ type: 'F32', tensors: summary?.tensorCount }],
      trainedContextLength: 2048,
      vocabularySize: summary?.vocabularySize,
      hasChatTemplate: false,
    })
    expect(inspection.fileSizeBytes).toBeGreaterThan(inspection.parameterCount * 4)
    expect(inspection.promptFormat.family).toBe('generic')
    expect(inspection.promptFormat.format).toBe('chatml')
    expect(inspection.promptFormat.reason.length).toBeGreaterThan(0)
  })

  it('estimates memory for the default context (capped at the trained one) and two sequences', async () => {
    const { memory } = await inspectModel(pathOf('tiny'), { llama })
    expect(memory.backend).toBe(llama.gpu === false ? 'cpu' : llama.gpu)
    expect(memory).toMatchObject({ contextSize: 2048, sequences: 2, totalLayers: 3 })
    expect(memory.model.ramBytes + memory.model.vramBytes).toBeGreaterThan(0)
    expect(memory.total.ramBytes).toBe(memory.model.ramBytes + memory.context.ramBytes)
    expect(memory.total.vramBytes).toBe(memory.model.vramBytes + memory.context.vramBytes)
  })

  it('counts every sequence in the context estimate', async () => {
    const one = await inspectModel(pathOf('tiny'), { llama, contextSize: 1024, sequences: 1 })
    const four = await inspectModel(pathOf('tiny'), { llama, contextSize: 1024, sequences: 4 })
    expect(four.memory.contextSize).toBe(1024)
    const bytes = (i: ModelInspection) => i.memory.context.ramBytes + i.memory.context.vramBytes
    expect(bytes(four)).toBeGreaterThan(bytes(one))
  })

  it.each([
    ['v1', 'huatuo-v1', 'v1', 64_000],
    ['ii', 'huatuo-ii', 'ii', 125_696],
  ] as const)('recognizes the %s family by vocabulary size and name', async (name, format, family, vocabularySize) => {
    const inspection = await inspectModel(pathOf(name), { llama })
    expect(inspection.vocabularySize).toBe(vocabularySize)
    expect(inspection.promptFormat).toMatchObject({ format, family })
  })

  it('uses the GGUF chat template for HuatuoGPT-o1', async () => {
    const inspection = await inspectModel(pathOf('o1'), { llama })
    expect(inspection.hasChatTemplate).toBe(true)
    expect(inspection.name).toBe('HuatuoGPT-o1-7B')
    expect(inspection.promptFormat).toMatchObject({ format: 'gguf-template', family: 'o1' })
  })

  it('describes a split model from any of its parts', async () => {
    const split = models.get('split')
    for (const part of split?.files ?? []) {
      const inspection = await inspectModel(part, { llama })
      expect(inspection.path).toBe(split?.out)
      expect(inspection.parts).toBe(3)
      expect(inspection.parameterCount).toBe(split?.parameterCount)
      expect(inspection.tensorCount).toBe(split?.tensorCount)
    }
  })

  it('refuses an architecture llama.cpp cannot run', async () => {
    const error = await inspectModel(pathOf('unsupported'), { llama }).catch((thrown: unknown) => thrown)
    expect(isWorkstationError(error, 'MODEL_UNSUPPORTED')).toBe(true)
    expect(isWorkstationError(error) && error.detail).toContain('notarealarch')
  })
})

describe('huatuo inspect', () => {
  it('prints a readable description', async () => {
    const result = await runHuatuo(['inspect', pathOf('ii')])
    expect(result.status).toBe(0)
    expect(result.stderr).toBe('')
    for (const line of ['Architecture', 'llama', 'Parameters', 'Quantization', 'F32', 'Trained context', '2,048 tokens']) {
      expect(result.stdout).toContain(line)
    }
    expect(result.stdout).toContain('125,696 tokens')
    expect(result.stdout).toContain('prompt format huatuo-ii')
    expect(result.stdout).toMatch(/Memory \((cpu|cuda|metal|vulkan)\)/)
  })

  it('prints Chinese labels in a Chinese locale', async () => {
    const result = await runHuatuo(['inspect', pathOf('tiny')], { env: { LANG: 'zh_CN.UTF-8' } })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('架构')
    expect(result.stdout).toContain('对话模板')
  })

  it('prints one JSON object with --json', async () => {
    const result = await runHuatuo(['inspect', pathOf('o1'), '--json', '--context', '1024', '--sequences', '3'])
    expect(result.status).toBe(0)
    const inspection = JSON.parse(result.stdout) as ModelInspection
    expect(inspection).toMatchObject({
      architecture: 'llama',
      hasChatTemplate: true,
      promptFormat: { format: 'gguf-template', family: 'o1' },
      memory: { contextSize: 1024, sequences: 3 },
    })
  })

  it('reports an unsupported architecture with its code', async () => {
    const result = await runHuatuo(['inspect', pathOf('unsupported')])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^MODEL_UNSUPPORTED: [^\n]+\n$/)
  })

  it.each([[[]], [['a.gguf', 'b.gguf']], [['x.gguf', '--context', '0']], [['x.gguf', '--frobnicate']]])('refuses usage %j', async (args) => {
    const result = await runHuatuo(['inspect', ...args])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('USAGE: ')
  })
})
