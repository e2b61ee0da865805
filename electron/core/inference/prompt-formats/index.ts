import { promptFormatIds, type PromptFormatId } from '../../../contract/inference.ts'
import { WorkstationError } from '../../errors.ts'
import { chatMLFormat } from './chatml.ts'
import { ggufTemplateFormat } from './gguf-template.ts'
import { huatuoIIFormat } from './huatuo-ii.ts'
import { huatuoV1Format } from './huatuo-v1.ts'
import { llama3Format } from './llama3.ts'
import type { PromptFormat } from './types.ts'

export type { BosRule, PromptFormat, PromptModelFacts, RecommendedSampling } from './types.ts'
export type { PromptFormatId }

/** Every prompt format the workstation knows, by id. */
export const promptFormats: Readonly<Record<PromptFormatId, PromptFormat>> = {
  'huatuo-v1': huatuoV1Format,
  'huatuo-ii': huatuoIIFormat,
  'gguf-template': ggufTemplateFormat,
  chatml: chatMLFormat,
  llama3: llama3Format,
}

export function isPromptFormatId(value: unknown): value is PromptFormatId {
  return typeof value === 'string' && (promptFormatIds as readonly string[]).includes(value)
}

/** The format for an id typed by a user or stored in settings; PROMPT_FORMAT_UNKNOWN otherwise. */
export function getPromptFormat(id: string): PromptFormat {
  if (!isPromptFormatId(id)) throw new WorkstationError('PROMPT_FORMAT_UNKNOWN', `${id} (known: ${promptFormatIds.join(', ')})`)
  return promptFormats[id]
}
