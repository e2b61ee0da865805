import { LlamaText, SpecialToken } from 'node-llama-cpp'

/**
 * Makes a rendered prompt start with exactly one BOS if the model prepends one, and with none
 * otherwise. node-llama-cpp's ChatML and Llama 3 wrappers always write BOS; a Qwen-family GGUF
 * (add_bos_token false) must not receive one, and LlamaChat adds none of its own.
 */
export function applyBosRule(contextText: LlamaText, prependBos: boolean): LlamaText {
  const values = [...contextText.values]
  while (values[0] instanceof SpecialToken && values[0].value === 'BOS') values.shift()
  return prependBos ? LlamaText(new SpecialToken('BOS'), values) : LlamaText(values)
}
