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
import type { HuatuoChatWrapperOptions } from './huatuo-v1.ts'
import type { PromptFormat, PromptModelFacts } from './types.ts'

// HuatuoGPT-II (Baichuan2-7B/13B, Yi-34B). Follows generate_prompt() in FreedomIntelligence/HuatuoGPT-II
// cli_demo.py, byte for byte:
//   return  f"<问>：{query}\n<答>："                                   (no history)
//   prompt += "<问>：{}\n<答>：{}\n".format(old_query, response)       (each past turn)
//   prompt += "<问>：{}\n<答>：".format(query)
// No preamble, no EOS between turns, full-width colons (U+FF1A). Texts are used exactly as given.

export const HUATUO_II_QUESTION_PREFIX = '<问>：'
export const HUATUO_II_ANSWER_PREFIX = '\n<答>：'
export const HUATUO_II_TURN_SUFFIX = '\n'

export class HuatuoIIChatWrapper extends ChatWrapper {
  readonly wrapperName = 'HuatuoGPT-II'
  // The format has no place for a system message; a session starts with an empty history.
  override readonly settings: ChatWrapperSettings = { ...ChatWrapper.defaultSettings, supportsSystemMessages: false }
  readonly prependBos: boolean
  readonly eosText: string | undefined

  constructor(options: HuatuoChatWrapperOptions) {
    super()
    this.prependBos = options.prependBos
    this.eosText = options.eosText
  }

  override generateInitialChatHistory(): ChatHistoryItem[] {
    return []
  }

  override generateContextState({ chatHistory }: ChatWrapperGenerateContextStateOptions): ChatWrapperGeneratedContextState {
    const parts: (LlamaText | SpecialToken | string)[] = []
    // Baichuan2's tokenizer has add_bos_token false, so a converted GGUF normally gets none.
    if (this.prependBos) parts.push(new SpecialToken('BOS'))
    chatHistory.forEach((item, index) => {
      // System messages are skipped: HuatuoGPT-II was trained without one (see settings).
      if (item.type === 'user') parts.push(HUATUO_II_QUESTION_PREFIX, item.text, HUATUO_II_ANSWER_PREFIX)
      else if (item.type === 'model') {
        parts.push(this.generateModelResponseText(item.response))
        // The answer being generated (the last item) stays open.
        if (index < chatHistory.length - 1) parts.push(HUATUO_II_TURN_SUFFIX)
      }
    })
    return { contextText: LlamaText(parts), stopGenerationTriggers: eosStopTriggers(this.eosText) }
  }
}

export const huatuoIIFormat: PromptFormat = {
  id: 'huatuo-ii',
  label: { 'zh-CN': 'HuatuoGPT-II（第二代）', en: 'HuatuoGPT-II' },
  source: 'FreedomIntelligence/HuatuoGPT-II cli_demo.py, generate_prompt()',
  bos: 'model',
  sampling: {
    temperature: 0.3,
    // The demo sets no top_k, so transformers takes it from the model's generation_config.json:
    // the published HuatuoGPT2-13B/34B configs say top-k 5.
    topK: 5,
    topP: 0.7,
    minP: 0,
    repeatPenalty: 1.1,
    maxTokens: 1024,
    source:
      "cli_demo.py gen_kwargs: max_new_tokens 1024, top_p 0.7, temperature 0.3, repetition_penalty 1.1; top-k 5 from the published generation_config",
  },
  stopTriggers: (model: PromptModelFacts) => eosStopTriggers(model.eosText),
  createChatWrapper: (model: PromptModelFacts) =>
    new HuatuoIIChatWrapper({ prependBos: model.shouldPrependBosToken, eosText: model.eosText }),
}
