import { JinjaTemplateChatWrapper, LlamaText, type ChatHistoryItem } from 'node-llama-cpp'
import { WorkstationError } from '../../errors.ts'
import { probeStopTriggers } from './probe-stop-triggers.ts'
import type { PromptFormat, PromptModelFacts } from './types.ts'

// The GGUF's own Jinja `tokenizer.chat_template`, rendered by node-llama-cpp's JinjaTemplateChatWrapper.
// HuatuoGPT-o1 uses its base model's template (ChatML for Qwen2.5, Llama-3 headers for Llama-3.1;
// FreedomIntelligence/HuatuoGPT-o1 README: "can be used just like Llama-3.1-8B-Instruct"), so the
// template in the file is the authority, BOS included: it writes `bos_token` where it wants one.

export class GgufTemplateChatWrapper extends JinjaTemplateChatWrapper {
  /**
   * No invented system prompt: node-llama-cpp's default is an English one, while a template such as
   * Qwen2.5's supplies its own default when the history has none.
   */
  override generateInitialChatHistory({ systemPrompt }: { systemPrompt?: string } = {}): ChatHistoryItem[] {
    return systemPrompt === undefined ? [] : [{ type: 'system', text: LlamaText(systemPrompt).toJSON() }]
  }
}

function createGgufTemplateChatWrapper(model: PromptModelFacts): GgufTemplateChatWrapper {
  const template = model.chatTemplate
  if (template === undefined || template.trim() === '') throw new WorkstationError('CHAT_TEMPLATE_MISSING', 'format gguf-template')
  try {
    return new GgufTemplateChatWrapper({
      template,
      ...(model.tokenizer ? { tokenizer: model.tokenizer } : {}),
    })
  } catch (error) {
    // The wrapper renders sample chats when built, so a broken template fails here, not mid-consultation.
    throw new WorkstationError('CHAT_TEMPLATE_INVALID', error instanceof Error ? error.message : String(error), { cause: error })
  }
}

export const ggufTemplateFormat: PromptFormat = {
  id: 'gguf-template',
  label: { 'zh-CN': '模型自带对话模板（HuatuoGPT-o1 等）', en: "The model's own chat template (HuatuoGPT-o1 and others)" },
  source: "the GGUF's tokenizer.chat_template via node-llama-cpp JinjaTemplateChatWrapper",
  bos: 'template',
  sampling: {
    temperature: 0.5,
    topK: 0,
    topP: 0.9,
    minP: 0,
    repeatPenalty: 1,
    // o1 thinks before it answers: the reasoning needs room.
    maxTokens: 2048,
    source: 'FreedomIntelligence/HuatuoGPT-o1 evaluation/eval.py (temperature 0.5, top_p 0.9) and README (max_new_tokens=2048)',
  },
  stopTriggers: (model: PromptModelFacts) => probeStopTriggers(createGgufTemplateChatWrapper(model)),
  createChatWrapper: createGgufTemplateChatWrapper,
}
