import type { LlamaModel } from 'node-llama-cpp'
import type { ModelIdentityFacts } from './detect.ts'
import type { PromptModelFacts } from './types.ts'

/** What the prompt formats need from a loaded model (a vocabulary-only load is enough). */
export function promptModelFacts(model: LlamaModel): PromptModelFacts {
  const facts: PromptModelFacts = { shouldPrependBosToken: model.tokens.shouldPrependBosToken, tokenizer: model.tokenizer }
  const eosText = model.tokens.eosString
  if (eosText) facts.eosText = eosText
  const chatTemplate = model.fileInfo.metadata.tokenizer?.chat_template
  if (chatTemplate) facts.chatTemplate = chatTemplate
  return facts
}

/** The GGUF metadata format detection looks at. */
export function modelIdentityFacts(model: LlamaModel): ModelIdentityFacts {
  const metadata = model.fileInfo.metadata
  const facts: ModelIdentityFacts = {}
  const architecture = metadata.general?.architecture
  if (architecture) facts.architecture = architecture
  if (metadata.general?.name) facts.name = metadata.general.name
  if (metadata.general?.basename) facts.basename = metadata.general.basename
  const tokens = metadata.tokenizer?.ggml?.tokens
  if (Array.isArray(tokens)) facts.vocabularySize = tokens.length
  const chatTemplate = metadata.tokenizer?.chat_template
  if (chatTemplate) facts.chatTemplate = chatTemplate
  return facts
}
