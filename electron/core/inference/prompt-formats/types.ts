import type { ChatWrapper, LlamaText, Tokenizer } from 'node-llama-cpp'
import type { PromptFormatId } from '../../../contract/inference.ts'
import type { ResolvedSampling } from '../../../contract/sampling.ts'

export type { PromptFormatId }

/**
 * What a prompt format needs to know about the loaded model. Without a model (the `huatuo prompt`
 * preview) only `shouldPrependBosToken: false` is known.
 */
export interface PromptModelFacts {
  /** llama.cpp's own answer (`model.tokens.shouldPrependBosToken`), from the GGUF's add_bos_token. */
  shouldPrependBosToken: boolean
  /** The EOS token's text (`</s>` for Baichuan): the demos also stop when it appears as plain text. */
  eosText?: string
  /** The GGUF's `tokenizer.chat_template`. */
  chatTemplate?: string
  /** Lets node-llama-cpp's Jinja wrapper look at the vocabulary. */
  tokenizer?: Tokenizer
}

/**
 * Who writes the BOS token.
 * - `model`: the wrapper emits BOS itself iff the model says a BOS is prepended. node-llama-cpp's
 *   LlamaChat adds no BOS of its own (it tokenizes the wrapper's text as is), so this is the only one.
 * - `template`: the GGUF's Jinja template writes `bos_token` where it wants it; nothing is added.
 */
export type BosRule = 'model' | 'template'

/** A format's own sampling, every field but the seed set; `source` says where the numbers come from. */
export type RecommendedSampling = Omit<ResolvedSampling, 'seed'> & { source: string }

export interface PromptFormat {
  readonly id: PromptFormatId
  readonly label: { readonly 'zh-CN': string; readonly en: string }
  /** The public source the text layout follows, for anyone re-checking it. */
  readonly source: string
  readonly bos: BosRule
  readonly sampling: RecommendedSampling
  /** Where generation stops (besides the model's own end-of-generation tokens). */
  stopTriggers(model: PromptModelFacts): LlamaText[]
  /**
   * The node-llama-cpp ChatWrapper for this format and model. The same object drives generation
   * (LlamaChatSession) and the `huatuo prompt` preview, so the preview cannot drift from what the
   * model receives. Throws WorkstationError (CHAT_TEMPLATE_*) when the model cannot use the format.
   */
  createChatWrapper(model: PromptModelFacts): ChatWrapper
}
