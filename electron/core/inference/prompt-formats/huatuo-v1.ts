import {
  ChatWrapper,
  LlamaText,
  SpecialToken,
  type ChatHistoryItem,
  type ChatWrapperGenerateContextStateOptions,
  type ChatWrapperGeneratedContextState,
  type ChatWrapperSettings,
} from 'node-llama-cpp'
import { eosStopTriggers } from './eos-stop-triggers.ts'
import type { PromptFormat, PromptModelFacts } from './types.ts'

// HuatuoGPT v1 (Baichuan-7B, Ziya-LLaMA-13B). Follows generate_prompt() in FreedomIntelligence/HuatuoGPT
// huatuo_cli_demo_stream.py, byte for byte:
//   prompt = '一位用户和…有礼貌的回答。'
//   prompt += "<病人>：{} <HuatuoGPT>：{}".format(old_query, response) + eos
//   prompt += "<病人>：{} <HuatuoGPT>：".format(query)
// The colons are full-width (U+FF1A). Texts are used exactly as given: the demo strip()s each answer
// before keeping it in its history, which is the caller's business (the stored answer), not the format's.

export const HUATUO_V1_PREAMBLE =
  '一位用户和智能医疗大模型HuatuoGPT之间的对话。对于用户的医疗问诊，HuatuoGPT给出准确的、详细的、温暖的指导建议。对于用户的指令问题，HuatuoGPT给出有益的、详细的、有礼貌的回答。'
export const HUATUO_V1_PATIENT_PREFIX = '<病人>：'
export const HUATUO_V1_MODEL_PREFIX = ' <HuatuoGPT>：'

export interface HuatuoChatWrapperOptions {
  prependBos: boolean
  eosText?: string
}

export class HuatuoV1ChatWrapper extends ChatWrapper {
  readonly wrapperName = 'HuatuoGPT v1'
  override readonly settings: ChatWrapperSettings = { ...ChatWrapper.defaultSettings, supportsSystemMessages: true }
  readonly prependBos: boolean
  readonly eosText: string | undefined

  constructor(options: HuatuoChatWrapperOptions) {
    super()
    this.prependBos = options.prependBos
    this.eosText = options.eosText
  }

  /**
   * The preamble is the system message: a session starts with it, so node-llama-cpp's context shift
   * (which keeps the first system message) drops old turns, never the preamble.
   */
  override generateInitialChatHistory({ systemPrompt }: { systemPrompt?: string } = {}): ChatHistoryItem[] {
    return [{ type: 'system', text: LlamaText(systemPrompt ?? HUATUO_V1_PREAMBLE).toJSON() }]
  }

  override generateContextState({ chatHistory }: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState {
    const systemTexts = chatHistory.flatMap((item) => (item.type === 'system' ? [LlamaText.fromJSON(item.text)] : []))
    const parts: (LlamaText | SpecialToken | string)[] = []
    if (this.prependBos) parts.push(new SpecialToken('BOS'))
    // A history without a system message (e.g. set by setChatHistory) still gets the demo's preamble.
    parts.push(systemTexts.length > 0 ? LlamaText(systemTexts) : HUATUO_V1_PREAMBLE)
    chatHistory.forEach((item, index) => {
      if (item.type === 'user') parts.push(HUATUO_V1_PATIENT_PREFIX, item.text, HUATUO_V1_MODEL_PREFIX)
      else if (item.type === 'model') {
        parts.push(this.generateModelResponseText(item.response))
        // The answer being generated (the last item) stays open: no EOS after it.
        if (index < chatHistory.length - 1) parts.push(new SpecialToken('EOS'))
      }
    })
    return { contextText: LlamaText(parts), stopGenerationTriggers: eosStopTriggers(this.eosText) }
  }
}

export const huatuoV1Format: PromptFormat = {
  id: 'huatuo-v1',
  label: { 'zh-CN': 'HuatuoGPT（第一代）', en: 'HuatuoGPT v1' },
  source: 'FreedomIntelligence/HuatuoGPT huatuo_cli_demo_stream.py, generate_prompt()',
  bos: 'model',
  sampling: {
    // The demo samples softmax(logits / temperature) directly: no top-k, top-p or min-p. It passes
    // repetition_penalty=1.2 to chat_stream(), which never applies it, so there is none here either.
    temperature: 0.5,
    topK: 0,
    topP: 1,
    minP: 0,
    repeatPenalty: 1,
    maxTokens: 512,
    source: 'huatuo_cli_demo_stream.py: --temperature default 0.5, --max-new-tokens default 512, plain temperature sampling',
  },
  stopTriggers: (model: PromptModelFacts) => eosStopTriggers(model.eosText),
  createChatWrapper: (model: PromptModelFacts) =>
    new HuatuoV1ChatWrapper({ prependBos: model.shouldPrependBosToken, eosText: model.eosText }),
}
