import { LlamaText, SpecialToken } from 'node-llama-cpp'

/**
 * Both HuatuoGPT demos stop on the EOS token, and also when the EOS text shows up in the decoded
 * output (v1: `output.rfind(stop_str)`, II: `if sep in new_text`), so a model that spells `</s>`
 * out of ordinary pieces stops as well.
 */
export function eosStopTriggers(eosText: string | undefined): LlamaText[] {
  const triggers = [LlamaText(new SpecialToken('EOS'))]
  if (eosText) triggers.push(LlamaText(eosText))
  return triggers
}
