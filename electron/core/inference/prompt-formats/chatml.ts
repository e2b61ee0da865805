import {
  ChatMLChatWrapper,
  LlamaText,
  type ChatHistoryItem,
  type ChatWrapperGenerateContextStateOptions,
  type ChatWrapperGeneratedContextState,
} from 'node-llama-cpp'
import { applyBosRule } from './bos.ts'
import { probeStopTriggers } from './probe-stop-triggers.ts'
import type { PromptFormat, PromptModelFacts } from './types.ts'

// Generic fallback for models without a chat template: ChatML (`<|im_start|>role\n…<|im_end|>\n`),
// the layout of Qwen2.5 (HuatuoGPT-o1-7B/72B). node-llama-cpp's ChatMLChatWrapper writes the turns.

export class WorkstationChatMLChatWrapper extends ChatMLChatWrapper {
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

export const chatMLFormat: PromptFormat = {
  id: 'chatml',
  label: { 'zh-CN': '通用 ChatML 格式', en: 'Generic ChatML' },
  source: 'ChatML as written by node-llama-cpp ChatMLChatWrapper (openai-python chatml.md)',
  bos: 'model',
  sampling: {
    temperature: 0.7,
    topK: 20,
    topP: 0.8,
    minP: 0,
    repeatPenalty: 1.05,
    maxTokens: 1024,
    source: "Qwen2.5-Instruct's published generation_config.json (ChatML's main user here); 1024 new tokens as HuatuoGPT-II",
  },
  stopTriggers: (model: PromptModelFacts) => probeStopTriggers(chatMLFormat.createChatWrapper(model)),
  createChatWrapper: (model: PromptModelFacts) => new WorkstationChatMLChatWrapper({ prependBos: model.shouldPrependBosToken }),
}
