import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { WorkstationError } from '../../core/errors.ts'
import {
  archVocabularies,
  DEFAULT_TEST_MODEL_SEED,
  testModelSizes,
  writeTestModel,
  type ArchVocabulary,
  type TestModelSize,
} from '../../core/models/test-model.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo make-test-model --out FILE [--size tiny|bench] [--name NAME]
                         [--arch-vocab baichuan|baichuan2] [--chat-template FILE] [--seed N]
                         [--parts N] [--json]

Writes a GGUF model with random weights for tests and benchmarks (the same options give the same bytes).
  --size tiny         under 2 MB, loads instantly (default)
  --size bench        about 34M parameters, for benchmarks
  --arch-vocab        pad the vocabulary to Baichuan's 64,000 (HuatuoGPT v1) or Baichuan2's 125,696 (HuatuoGPT-II) tokens
  --chat-template     store this file's Jinja text as tokenizer.chat_template
  --seed N            weights seed, 0..4294967295 (default ${DEFAULT_TEST_MODEL_SEED})
  --parts N           write a split model in N files, as llama.cpp's gguf-split does;
                      --out is then part 1, named NAME-00001-of-0000N.gguf
`

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new WorkstationError('USAGE', `${option} must be one of ${allowed.join(', ')}`)
}

function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]+$/.test(value) || Number(value) > 0xffffffff) throw new WorkstationError('USAGE', '--seed must be an integer from 0 to 4294967295')
  return Number(value)
}

async function readChatTemplate(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new WorkstationError('INPUT_UNREADABLE', `${basename(path)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error })
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values } = parseCommandArgs(args, {
      out: { type: 'string' },
      size: { type: 'string' },
      name: { type: 'string' },
      'arch-vocab': { type: 'string' },
      'chat-template': { type: 'string' },
      seed: { type: 'string' },
      parts: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    })
    json = values.json ?? false
    if (values.help) {
      io.out(usage)
      return 0
    }
    if (values.out === undefined) throw new WorkstationError('USAGE', '--out FILE is required')
    const size = oneOf<TestModelSize>(values.size, testModelSizes, '--size')
    const archVocab = oneOf<ArchVocabulary>(values['arch-vocab'], archVocabularies, '--arch-vocab')
    const seed = parseSeed(values.seed)
    if (values.parts !== undefined && !/^[1-9][0-9]*$/.test(values.parts)) throw new WorkstationError('USAGE', '--parts must be a positive integer')
    const parts = values.parts === undefined ? undefined : Number(values.parts)
    const chatTemplate = await readChatTemplate(values['chat-template'])

    const summary = await writeTestModel({
      out: values.out,
      ...(size && { size }),
      ...(values.name !== undefined && { name: values.name }),
      ...(archVocab && { archVocab }),
      ...(chatTemplate !== undefined && { chatTemplate }),
      ...(seed !== undefined && { seed }),
      ...(parts !== undefined && { parts }),
    }).catch((error: unknown) => {
      if (error instanceof WorkstationError) throw error
      throw new WorkstationError('OUTPUT_UNWRITABLE', `${basename(values.out ?? '')}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error })
    })

    if (json) {
      io.out(`${JSON.stringify(summary)}\n`)
    } else {
      io.out(
        `wrote ${summary.out}: ${summary.architecture}, ${summary.parameterCount.toLocaleString('en')} parameters (${summary.sizeLabel}), ` +
          `${summary.vocabularySize.toLocaleString('en')}-token vocabulary` +
          `${summary.files.length > 1 ? `, ${summary.files.length} parts` : ''}\n`,
      )
    }
    return 0
  } catch (error) {
    if (error instanceof WorkstationError && error.code === 'USAGE') io.err(usage)
    return reportFailure(io, error, json)
  }
}
