import {
  Llama3ChatWrapper,
  LlamaText,
  type ChatHistoryItem,
  type ChatWrapperGenerateContextStateOptions,
  type ChatWrapperGeneratedContextState,
} from 'node-llama-cpp'
import { applyBosRule } from './bos.ts'
import { probeStopTriggers } from './probe-stop-triggers.ts'
import type { PromptFormat, PromptModelFacts } from './types.ts'

// Generic fallback for Llama-3-family models without a chat template (HuatuoGPT-o1-8B/70B are on
// Llama-3.1): `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>`, written by node-llama-cpp's
// Llama3ChatWrapper.

export class WorkstationLlama3ChatWrapper extends Llama3ChatWrapper {
  readonly prependBos: boolean

  constructor(options: { prependBos: boolean }) {
    super()
    this.prependBos = options.prependBos
  }

  /** No invented system prompt (node-llama-cpp's default is an English one); only an explicit one. */
  override generateInitialChatHistory({ systemPrompt }: { systemPrompt?: string } = {}): ChatHistoryItem[] {
    return systemPrompt === undefined ? [] : [{ type: 'system', text: LlamaText(systemPrompt).toJSON() }]
  }

  override generateContextState(options: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState {
    const state = super.generateContextState(options)
    return { ...state, contextText: applyBosRule(state.contextText, this.prependBos) }
  }
}

export const llama3Format: PromptFormat = {
  id: 'llama3',
  label: { 'zh-CN': '通用 Llama 3 格式', en: 'Generic Llama 3' },
  source: 'Llama 3 headers as written by node-llama-cpp Llama3ChatWrapper (Meta Llama 3 model card)',
  bos: 'model',
  sampling: {
    temperature: 0.6,
    topK: 0,
    topP: 0.9,
    minP: 0,
    repeatPenalty: 1,
    maxTokens: 1024,
    source: "Llama-3.1-Instruct's published generation_config.json (temperature 0.6, top-p 0.9); 1024 new tokens",
  },
  stopTriggers: (model: PromptModelFacts) => probeStopTriggers(llama3Format.createChatWrapper(model)),
  createChatWrapper: (model: PromptModelFacts) => new WorkstationLlama3ChatWrapper({ prependBos: model.shouldPrependBosToken }),
}
