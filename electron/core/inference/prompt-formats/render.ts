import { SpecialToken, SpecialTokensText, type ChatHistoryItem, type ChatWrapper, type LlamaModel, type LlamaText } from 'node-llama-cpp'

type BuiltinSpecialToken = 'BOS' | 'EOS' | 'EOT' | 'NL' | 'SEP'

/** How each built-in special token is written when a prompt is shown as text. */
export type SpecialTokenTexts = Partial<Record<BuiltinSpecialToken, string>>

/**
 * Without a model the token texts are unknown: EOS is written `</s>` (Baichuan's and Llama's) and
 * BOS is never written (whether a model prepends one is the model's own setting).
 */
export const previewSpecialTokenTexts: SpecialTokenTexts = { BOS: '', EOS: '</s>', NL: '\n' }

/** The model's own token texts; a token the model lacks tokenizes to nothing, so it is written as nothing. */
export function modelSpecialTokenTexts(model: LlamaModel): SpecialTokenTexts {
  const tokens = model.tokens
  return {
    BOS: tokens.bosString ?? '',
    EOS: tokens.eosString ?? '',
    EOT: tokens.eotString ?? '',
    NL: tokens.nlString ?? '',
    SEP: tokens.sepString ?? '',
  }
}

/**
 * The context text a wrapper builds for a history whose last patient message is being answered:
 * the history plus the open model turn LlamaChat appends before it generates.
 */
export function contextTextForAnswer(wrapper: ChatWrapper, history: readonly ChatHistoryItem[]): LlamaText {
  return wrapper.generateContextState({ chatHistory: [...history, { type: 'model', response: [] }] }).contextText
}

/** Writes a rendered prompt as plain text, special tokens as their text. */
export function promptText(contextText: LlamaText, tokenTexts: SpecialTokenTexts): string {
  return contextText.values
    .map((value) => {
      if (typeof value === 'string') return value
      if (value instanceof SpecialTokensText) return value.value
      if (value instanceof SpecialToken) {
        const text = tokenTexts[value.value as BuiltinSpecialToken]
        if (text === undefined) throw new Error(`no text for special token ${value.value}`)
        return text
      }
      throw new Error('unexpected value in a prompt')
    })
    .join('')
}
