import { readFile } from 'node:fs/promises'
import type { ChatWrapper, Llama, LlamaModel } from 'node-llama-cpp'
import type { PromptFormatId } from '../../contract/inference.ts'
import { WorkstationError } from '../../core/errors.ts'
import { loadLlamaRuntime } from '../../core/inference/llama-runtime.ts'
import { parseConversationFile } from '../../core/inference/prompt-formats/conversation-file.ts'
import { resolvePromptFormat, type ModelFamily } from '../../core/inference/prompt-formats/detect.ts'
import { chatHistoryForModel } from '../../core/inference/prompt-formats/history.ts'
import { getPromptFormat } from '../../core/inference/prompt-formats/index.ts'
import { modelIdentityFacts, promptModelFacts } from '../../core/inference/prompt-formats/model-facts.ts'
import {
  contextTextForAnswer,
  modelSpecialTokenTexts,
  previewSpecialTokenTexts,
  promptText,
  type SpecialTokenTexts,
} from '../../core/inference/prompt-formats/render.ts'
import { readGgufModelLayout } from '../../core/gguf/gguf-model-layout.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'

const help = `usage: huatuo prompt --conversation FILE [--format FORMAT] [--model FILE] [--json]

Prints exactly the text the model receives for a conversation, special tokens written as text.
The output is the prompt itself: nothing is added, not even a final newline.

  --conversation FILE  JSON: [{"role":"user","text":"…"},{"role":"assistant","text":"…"},…,{"role":"user","text":"…"}]
  --format FORMAT      huatuo-v1, huatuo-ii, gguf-template, chatml or llama3
                       (optional with --model: then detected from the model's metadata)
  --model FILE         a GGUF model: its own EOS text and chat template are used.
                       Without it EOS is written </s>. BOS is never written.
  --json               print {"format", "family", "prompt"} as one JSON line instead
`

async function readConversation(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new WorkstationError('INPUT_UNREADABLE', code, { cause: error })
  }
}

async function loadVocabulary(llama: Llama, modelPath: string): Promise<LlamaModel> {
  // The workstation's own GGUF check first: a stable code instead of an error from native code.
  const layout = await readGgufModelLayout(modelPath)
  try {
    // The vocabulary and metadata are all a prompt needs; no weights are read.
    return await llama.loadModel({ modelPath: layout.path, vocabOnly: true })
  } catch (error) {
    throw new WorkstationError('MODEL_UNSUPPORTED', error instanceof Error ? error.message : String(error), { cause: error })
  }
}

interface PromptPlan {
  format: PromptFormatId
  family: ModelFamily
  wrapper: ChatWrapper
  tokenTexts: SpecialTokenTexts
}

function planWithModel(model: LlamaModel, formatOption: string | undefined): PromptPlan {
  // --format plays the part of the format stored for a model: it wins over detection.
  const chosen = resolvePromptFormat(modelIdentityFacts(model), formatOption)
  const format = getPromptFormat(chosen.format)
  return {
    format: format.id,
    family: chosen.family,
    wrapper: format.createChatWrapper(promptModelFacts(model)),
    // BOS is never printed, with or without a model: the text shown starts where the model's
    // readable input starts (whether a BOS precedes it is the model's own setting, shown by inspect).
    tokenTexts: { ...modelSpecialTokenTexts(model), BOS: '' },
  }
}

function planWithoutModel(formatOption: string): PromptPlan {
  const format = getPromptFormat(formatOption)
  return {
    format: format.id,
    family: 'generic',
    // No model: nothing says a BOS is prepended, EOS is written </s>, and gguf-template has no
    // template to render (its factory refuses with CHAT_TEMPLATE_MISSING).
    wrapper: format.createChatWrapper({ shouldPrependBosToken: false, eosText: previewSpecialTokenTexts.EOS }),
    tokenTexts: previewSpecialTokenTexts,
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const json = args.includes('--json')
  let llama: Llama | undefined
  let model: LlamaModel | undefined
  try {
    let values
    try {
      values = parseCommandArgs(args, {
        conversation: { type: 'string' },
        format: { type: 'string' },
        model: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      }).values
    } catch (error) {
      io.err(help)
      throw error
    }
    if (values.help) {
      io.out(help)
      return 0
    }
    if (values.conversation === undefined) {
      io.err(help)
      throw new WorkstationError('USAGE', '--conversation is required')
    }
    if (values.format === undefined && values.model === undefined) {
      io.err(help)
      throw new WorkstationError('USAGE', '--format is required without --model')
    }
    // Cheap checks before any model is loaded.
    const turns = parseConversationFile(await readConversation(values.conversation))
    if (values.format !== undefined) getPromptFormat(values.format)

    let plan: PromptPlan
    if (values.model !== undefined) {
      llama = await loadLlamaRuntime({ gpu: false })
      model = await loadVocabulary(llama, values.model)
      plan = planWithModel(model, values.format)
    } else if (values.format !== undefined) {
      plan = planWithoutModel(values.format)
    } else {
      throw new WorkstationError('USAGE', '--format is required without --model')
    }
    const contextText = contextTextForAnswer(plan.wrapper, chatHistoryForModel(turns, plan.family))
    const text = promptText(contextText, plan.tokenTexts)
    io.out(json ? `${JSON.stringify({ format: plan.format, family: plan.family, prompt: text })}\n` : text)
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  } finally {
    await model?.dispose()
    await llama?.dispose()
  }
}
