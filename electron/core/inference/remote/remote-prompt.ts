// What a hospital inference server is sent for one answer. HuatuoGPT v1 and II were trained on the
// workstation's own exact text layout, so they go as prompt text (the same chat wrapper that drives
// the local engine writes it, so the two cannot drift); chat-template models (HuatuoGPT-o1) go as
// messages and the server applies the model's own template. o1's thinking never goes back.
import type { ConsultationTurnText, PromptFormatId } from '../../../contract/inference.ts'
import { detectPromptFormat, type ModelFamily } from '../prompt-formats/detect.ts'
import { chatHistoryForModel } from '../prompt-formats/history.ts'
import { getPromptFormat } from '../prompt-formats/index.ts'
import { contextTextForAnswer, promptText } from '../prompt-formats/render.ts'
import { splitThinking } from '../prompt-formats/thinking.ts'
import type { RemoteChatMessage, RemotePromptInput } from './dialects.ts'

/** The end-of-text token of Baichuan and Llama models, written as text: the server's tokenizer reads it as the token. */
const EOS_TEXT = '</s>'

/** Formats whose exact text layout the workstation writes itself. */
const textFormats: ReadonlySet<PromptFormatId> = new Set(['huatuo-v1', 'huatuo-ii'])

export interface RemotePromptPlan {
  format: PromptFormatId
  family: ModelFamily
  input: 'text' | 'chat'
}

/**
 * How prompts for a served model are written: the configured format, else what the model's name
 * says (a served model has no GGUF metadata to read). An unrecognised model goes as chat messages,
 * which every server can template for its own model.
 */
export function remotePromptPlan(model: string, configured: PromptFormatId | null): RemotePromptPlan {
  const named = detectPromptFormat({ name: model })
  const family = named.family
  const format = configured ?? (family === 'v1' || family === 'ii' ? named.format : 'gguf-template')
  return { format, family, input: textFormats.has(format) ? 'text' : 'chat' }
}

/** The prompt for answering `patientText` after `history` (final texts, alternating from the patient). */
export function remotePromptInput(plan: RemotePromptPlan, history: readonly ConsultationTurnText[], patientText: string): RemotePromptInput {
  if (plan.input === 'chat') {
    const messages: RemoteChatMessage[] = history.map((turn) =>
      turn.role === 'patient'
        ? { role: 'user', content: turn.text }
        : { role: 'assistant', content: plan.family === 'o1' ? splitThinking(turn.text).response : turn.text },
    )
    messages.push({ role: 'user', content: patientText })
    return { kind: 'chat', messages }
  }
  // The server adds BOS itself when its model wants one (llama-server, vLLM and Ollama all tokenize
  // a prompt with the model's own special-token rule), so the text never carries one.
  const wrapper = getPromptFormat(plan.format).createChatWrapper({ shouldPrependBosToken: false, eosText: EOS_TEXT })
  const items = [...wrapper.generateInitialChatHistory(), ...chatHistoryForModel(history, plan.family), { type: 'user' as const, text: patientText }]
  return { kind: 'text', prompt: promptText(contextTextForAnswer(wrapper, items), { BOS: '', EOS: EOS_TEXT, EOT: '', NL: '\n', SEP: '' }) }
}

/** Extra stop texts: the demos also stop when `</s>` appears spelled out as ordinary text. */
export function remoteStopTexts(plan: RemotePromptPlan): string[] {
  return plan.input === 'text' ? [EOS_TEXT] : []
}

/** All the text of a prompt, for estimating its tokens where the server cannot count them. */
export function promptInputText(input: RemotePromptInput): string {
  return input.kind === 'text' ? input.prompt : input.messages.map((message) => `${message.role}\n${message.content}`).join('\n')
}
