import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChatHistoryItem, Llama, LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../../electron/contract/inference.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { dropOldestTurns, renderedTokenCount } from '../../electron/core/inference/local/context-shift.ts'
import { LlamaConsultationEngine } from '../../electron/core/inference/local/llama-consultation-engine.ts'
import { getPromptFormat } from '../../electron/core/inference/prompt-formats/index.ts'
import { promptModelFacts } from '../../electron/core/inference/prompt-formats/model-facts.ts'
import { HUATUO_V1_PREAMBLE } from '../../electron/core/inference/prompt-formats/huatuo-v1.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'

// Overflow: the preamble stays and the oldest whole patient+model pairs go; node-llama-cpp's own
// strategy (which cuts inside turns) must never be the one that runs.

let dir: string
let modelPath: string
let llama: Llama
let model: LlamaModel

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-shift-'))
  modelPath = join(dir, 'v1.gguf')
  await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT-7B', seed: 21 })
  llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  model = await llama.loadModel({ modelPath })
})

afterAll(async () => {
  await model.dispose()
  await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
})

const turn = (i: number): ChatHistoryItem[] => [
  { type: 'user', text: `第${i}次问诊：头痛发热，想知道怎么办。` },
  { type: 'model', response: [`第${i}次回答：注意休息，多喝水。`] },
]

describe('dropOldestTurns', () => {
  it('keeps the preamble and the turn being answered, and drops whole pairs oldest first', () => {
    const wrapper = getPromptFormat('huatuo-v1').createChatWrapper(promptModelFacts(model))
    const preamble = wrapper.generateInitialChatHistory()
    const current: ChatHistoryItem[] = [{ type: 'user', text: '现在怎么办？' }, { type: 'model', response: ['正在'] }]
    const history = [...preamble, ...turn(1), ...turn(2), ...turn(3), ...turn(4), ...current]
    const full = renderedTokenCount(history, wrapper, model.tokenizer)
    const withoutTwo = renderedTokenCount([...preamble, ...turn(3), ...turn(4), ...current], wrapper, model.tokenizer)

    const shifted = dropOldestTurns(history, withoutTwo, wrapper, model.tokenizer)
    expect(shifted).toEqual([...preamble, ...turn(3), ...turn(4), ...current])
    expect(renderedTokenCount(shifted, wrapper, model.tokenizer)).toBeLessThan(full)
    expect(shifted[0]).toEqual({ type: 'system', text: HUATUO_V1_PREAMBLE })

    // However small the room, the preamble and the current turn stay (CONTEXT_FULL guards that case).
    expect(dropOldestTurns(history, 1, wrapper, model.tokenizer)).toEqual([...preamble, ...current])
    // Nothing is dropped when it fits.
    expect(dropOldestTurns(history, full, wrapper, model.tokenizer)).toEqual(history)
  })
})

describe('a consultation longer than the context', () => {
  it('answers every turn without node-llama-cpp falling back to its own (turn-cutting) strategy', async () => {
    const warn = vi.spyOn(console, 'warn')
    const error = vi.spyOn(console, 'error')
    const events: EngineEvent[] = []
    const engine = new LlamaConsultationEngine({ emit: (event) => events.push(event), threads: 1 })
    try {
      await engine.load({ modelPath, contextSize: 256, sequences: 1 })
      engine.openConsultation({ consultationId: 'long', history: [] })
      for (let i = 0; i < 10; i++) {
        const answer = await engine.send({ consultationId: 'long', answerId: `a${i}`, patientText: `第${i}次问诊：头痛发热三天，想知道怎么办。`, sampling: { maxTokens: 24, seed: i } })
        expect(answer.status).toBe('complete')
      }
      expect(engine.history('long')).toHaveLength(20)
      expect(warn).not.toHaveBeenCalled()
      expect(error).not.toHaveBeenCalled()
    } finally {
      warn.mockRestore()
      error.mockRestore()
      await engine.dispose()
    }
  })
})
