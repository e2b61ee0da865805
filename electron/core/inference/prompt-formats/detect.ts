import { promptFormatIds, type PromptFormatId } from '../../../contract/inference.ts'
import { WorkstationError } from '../../errors.ts'

// Plain metadata rules, no node-llama-cpp: `huatuo inspect` and the model library use this too.

/** Which HuatuoGPT generation a model belongs to; `o1` answers carry a thinking part. */
export type ModelFamily = 'v1' | 'ii' | 'o1' | 'generic'

/** GGUF metadata that identifies a model (general.*, tokenizer.*). Every fact may be missing. */
export interface ModelIdentityFacts {
  architecture?: string
  name?: string
  basename?: string
  vocabularySize?: number
  chatTemplate?: string
}

export interface PromptFormatDetection {
  format: PromptFormatId
  family: ModelFamily
  /** One English sentence for inspect output and logs. */
  reason: string
}

// Baichuan-7B (HuatuoGPT v1-7B) and Baichuan2 (HuatuoGPT-II-7B/13B) are both architecture
// `baichuan`; only the vocabulary separates them (REFERENCE.md §1).
export const BAICHUAN_VOCABULARY_SIZE = 64_000
export const BAICHUAN2_VOCABULARY_SIZE = 125_696
/** Llama 3 / 3.1 (HuatuoGPT-o1-8B/70B). */
const LLAMA3_VOCABULARY_SIZE = 128_256

const separator = '[\\s_.-]*'
const namesO1 = new RegExp(`huatuo${separator}gpt${separator}o1(?![0-9])`, 'i')
const namesII = new RegExp(`huatuo${separator}gpt${separator}(?:2|ii)(?![0-9a-z])`, 'i')
// "HuatuoGPT" itself: SCIR-HI's similarly named Huatuo-Llama-Med-Chinese is another project with another format.
const namesHuatuo = new RegExp(`huatuo${separator}gpt`, 'i')

function describe(facts: ModelIdentityFacts): string {
  const label = [facts.name, facts.basename].filter(Boolean).join(' / ')
  return label ? `"${label}"` : 'the model'
}

/** A model without a template: Qwen-family layouts are ChatML, Llama-3-family ones use header tokens. */
function genericFormat(facts: ModelIdentityFacts): PromptFormatId {
  const architecture = facts.architecture?.toLowerCase() ?? ''
  if (architecture.startsWith('qwen')) return 'chatml'
  if (facts.vocabularySize === LLAMA3_VOCABULARY_SIZE) return 'llama3'
  return 'chatml'
}

/**
 * Chooses a prompt format from GGUF metadata. Names in self-converted GGUFs are arbitrary, so the
 * vocabulary size beats the name for Baichuan models; a name only decides where the metadata cannot.
 */
export function detectPromptFormat(facts: ModelIdentityFacts): PromptFormatDetection {
  const architecture = facts.architecture?.toLowerCase()
  const label = `${facts.name ?? ''} ${facts.basename ?? ''}`
  const saysO1 = namesO1.test(label)
  const saysII = !saysO1 && namesII.test(label)
  const saysHuatuo = namesHuatuo.test(label)
  const hasTemplate = facts.chatTemplate !== undefined && facts.chatTemplate.trim() !== ''
  const nameOverruled = ` (its name ${describe(facts)} says otherwise; the vocabulary decides)`

  if (facts.vocabularySize === BAICHUAN2_VOCABULARY_SIZE) {
    const nameConflict = saysO1 || (saysHuatuo && !saysII) ? nameOverruled : ''
    return {
      format: 'huatuo-ii',
      family: 'ii',
      reason: `125,696-token vocabulary is Baichuan2's: HuatuoGPT-II${nameConflict}`,
    }
  }
  // A 64,000-token vocabulary is also Yi's (HuatuoGPT-II-34B, architecture llama): it means
  // Baichuan-7B only for a baichuan model, or when the architecture is unknown and the name agrees.
  if (facts.vocabularySize === BAICHUAN_VOCABULARY_SIZE && (architecture === 'baichuan' || (architecture === undefined && !saysII && !saysO1))) {
    const nameConflict = saysII || saysO1 ? nameOverruled : ''
    return {
      format: 'huatuo-v1',
      family: 'v1',
      reason: `${architecture ?? 'unknown'} architecture with a 64,000-token vocabulary (Baichuan-7B): HuatuoGPT v1${nameConflict}`,
    }
  }
  if (architecture === 'baichuan') {
    if (saysHuatuo && !saysII && !saysO1)
      return { format: 'huatuo-v1', family: 'v1', reason: `baichuan architecture named ${describe(facts)}: HuatuoGPT v1` }
    return {
      format: 'huatuo-ii',
      family: 'ii',
      reason: `baichuan architecture with ${facts.vocabularySize === undefined ? 'an unknown' : `a ${facts.vocabularySize.toLocaleString('en')}-token`} vocabulary: assumed HuatuoGPT-II (Baichuan2), the published GGUFs`,
    }
  }
  if (saysO1) {
    if (hasTemplate)
      return { format: 'gguf-template', family: 'o1', reason: `named ${describe(facts)}: HuatuoGPT-o1 with the GGUF's own chat template` }
    const format = genericFormat(facts)
    return {
      format,
      family: 'o1',
      reason: `named ${describe(facts)} but the GGUF has no chat template: HuatuoGPT-o1 with the ${format} layout of its base model`,
    }
  }
  if (saysII) return { format: 'huatuo-ii', family: 'ii', reason: `named ${describe(facts)}: HuatuoGPT-II` }
  if (hasTemplate) return { format: 'gguf-template', family: 'generic', reason: "the GGUF carries its own chat template" }
  if (saysHuatuo) return { format: 'huatuo-v1', family: 'v1', reason: `named ${describe(facts)} without a chat template: HuatuoGPT v1` }
  const format = genericFormat(facts)
  return {
    format,
    family: 'generic',
    reason: `not a recognised HuatuoGPT model and no chat template: generic ${format} fallback`,
  }
}

/**
 * The format to use for a model: the one stored for it (set by a user in the model library) wins
 * over detection; the family still comes from the metadata (an o1 model keeps its thinking split).
 * An unknown stored id is refused with PROMPT_FORMAT_UNKNOWN rather than ignored.
 */
export function resolvePromptFormat(facts: ModelIdentityFacts, storedOverride?: string | null): PromptFormatDetection {
  const detected = detectPromptFormat(facts)
  if (storedOverride === undefined || storedOverride === null || storedOverride === '') return detected
  const format = promptFormatIds.find((id) => id === storedOverride)
  if (format === undefined)
    throw new WorkstationError('PROMPT_FORMAT_UNKNOWN', `${storedOverride} (known: ${promptFormatIds.join(', ')})`)
  return { format, family: detected.family, reason: `set for this model (detection said ${detected.format}: ${detected.reason})` }
}
