import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LlamaChatSession, LlamaText, SpecialToken, type Llama, type LlamaModel } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationTurnText, PromptFormatId } from '../../electron/contract/inference.ts'
import { isWorkstationError } from '../../electron/core/errors.ts'
import { loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import {
  detectPromptFormat,
  resolvePromptFormat,
  type ModelIdentityFacts,
} from '../../electron/core/inference/prompt-formats/detect.ts'
import { chatHistoryForModel } from '../../electron/core/inference/prompt-formats/history.ts'
import { getPromptFormat, promptFormats, type PromptModelFacts } from '../../electron/core/inference/prompt-formats/index.ts'
import { promptModelFacts } from '../../electron/core/inference/prompt-formats/model-facts.ts'
import {
  contextTextForAnswer,
  modelSpecialTokenTexts,
  previewSpecialTokenTexts,
  promptText,
} from '../../electron/core/inference/prompt-formats/render.ts'
import { llamaSamplingOptions, resolveSampling } from '../../electron/core/inference/prompt-formats/sampling.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'

// ---------------------------------------------------------------------------------------------
// The demos' generate_prompt(), transcribed plainly from the Python (not from the workstation's code):
//
// FreedomIntelligence/HuatuoGPT huatuo_cli_demo_stream.py
//   def generate_prompt(query, history, eos):
//       if not history:
//           return f"""一位用户…回答。<病人>：{query} <HuatuoGPT>："""
//       else:
//           prompt = '一位用户…回答。'
//           for i, (old_query, response) in enumerate(history):
//               prompt += "<病人>：{} <HuatuoGPT>：{}".format(old_query, response) + eos
//           prompt += "<病人>：{} <HuatuoGPT>：".format(query)
//           return prompt
//
// FreedomIntelligence/HuatuoGPT-II cli_demo.py
//   def generate_prompt(query, history):
//       if not history:
//           return  f"<问>：{query}\n<答>："
//       else:
//           prompt = ''
//           for i, (old_query, response) in enumerate(history):
//               prompt += "<问>：{}\n<答>：{}\n".format(old_query, response)
//           prompt += "<问>：{}\n<答>：".format(query)
//           return prompt
// ---------------------------------------------------------------------------------------------

const demoPreamble =
  '一位用户和智能医疗大模型HuatuoGPT之间的对话。对于用户的医疗问诊，HuatuoGPT给出准确的、详细的、温暖的指导建议。对于用户的指令问题，HuatuoGPT给出有益的、详细的、有礼貌的回答。'

function demoV1Prompt(query: string, history: [string, string][], eos: string): string {
  if (history.length === 0) return demoPreamble + '<病人>：' + query + ' <HuatuoGPT>：'
  let prompt = demoPreamble
  for (const [oldQuery, response] of history) prompt += '<病人>：' + oldQuery + ' <HuatuoGPT>：' + response + eos
  prompt += '<病人>：' + query + ' <HuatuoGPT>：'
  return prompt
}

function demoIIPrompt(query: string, history: [string, string][]): string {
  if (history.length === 0) return '<问>：' + query + '\n<答>：'
  let prompt = ''
  for (const [oldQuery, response] of history) prompt += '<问>：' + oldQuery + '\n<答>：' + response + '\n'
  prompt += '<问>：' + query + '\n<答>：'
  return prompt
}

/** Texts that break naive builders: CJK, emoji (surrogate pairs), tabs, surrounding spaces, markers. */
const awkwardTexts = [
  '我最近三天头痛，伴有恶心。',
  '  前后有空格  ',
  '体温\t38.5℃\t（腋下）',
  '<病人>：假装的角色 <HuatuoGPT>：',
  '😷🤒 咳嗽一周 👨‍⚕️',
  '<问>：嵌套\n<答>：的标记',
  'a < b > c </s> <s> 不是特殊符号',
  '多行\n第二行\r\n第三行\n',
  '',
  'Is 布洛芬 OK with 阿司匹林?',
]

function conversationOf(turnCount: number): { history: [string, string][]; query: string; turns: ConsultationTurnText[] } {
  const history: [string, string][] = []
  for (let i = 0; i < turnCount - 1; i++) {
    history.push([awkwardTexts[(2 * i) % awkwardTexts.length] ?? '', awkwardTexts[(2 * i + 1) % awkwardTexts.length] ?? ''])
  }
  const query = awkwardTexts[(2 * turnCount + 3) % awkwardTexts.length] ?? ''
  const turns: ConsultationTurnText[] = history.flatMap(([q, a]): ConsultationTurnText[] => [
    { role: 'patient', text: q },
    { role: 'model', text: a },
  ])
  turns.push({ role: 'patient', text: query })
  return { history, query, turns }
}

const noModel: PromptModelFacts = { shouldPrependBosToken: false, eosText: '</s>' }

function render(format: PromptFormatId, turns: ConsultationTurnText[], model: PromptModelFacts = noModel): string {
  const wrapper = getPromptFormat(format).createChatWrapper(model)
  return promptText(contextTextForAnswer(wrapper, chatHistoryForModel(turns, 'generic')), previewSpecialTokenTexts)
}

describe('HuatuoGPT v1 prompt (huatuo_cli_demo_stream.py)', () => {
  it('one turn, literally', () => {
    expect(render('huatuo-v1', [{ role: 'patient', text: '头痛三天怎么办？' }])).toBe(
      '一位用户和智能医疗大模型HuatuoGPT之间的对话。对于用户的医疗问诊，HuatuoGPT给出准确的、详细的、温暖的指导建议。对于用户的指令问题，HuatuoGPT给出有益的、详细的、有礼貌的回答。<病人>：头痛三天怎么办？ <HuatuoGPT>：',
    )
  })

  it('two turns, literally: EOS right after the answer, full-width colons', () => {
    const text = render('huatuo-v1', [
      { role: 'patient', text: '头痛' },
      { role: 'model', text: '多休息。' },
      { role: 'patient', text: '还是痛' },
    ])
    expect(text).toBe(
      '一位用户和智能医疗大模型HuatuoGPT之间的对话。对于用户的医疗问诊，HuatuoGPT给出准确的、详细的、温暖的指导建议。对于用户的指令问题，HuatuoGPT给出有益的、详细的、有礼貌的回答。<病人>：头痛 <HuatuoGPT>：多休息。</s><病人>：还是痛 <HuatuoGPT>：',
    )
    expect(text).toContain('\uFF1A')
    expect(text).not.toContain(':')
  })

  it.each([1, 2, 5])('%i turns equal the demo byte for byte', (turnCount) => {
    const { history, query, turns } = conversationOf(turnCount)
    const expected = demoV1Prompt(query, history, '</s>')
    const actual = render('huatuo-v1', turns)
    expect(Buffer.from(actual, 'utf8').equals(Buffer.from(expected, 'utf8'))).toBe(true)
    expect(actual).toBe(expected)
  })
})

describe('HuatuoGPT-II prompt (cli_demo.py)', () => {
  it('one turn, literally', () => {
    expect(render('huatuo-ii', [{ role: 'patient', text: '头痛三天怎么办？' }])).toBe('<问>：头痛三天怎么办？\n<答>：')
  })

  it('two turns, literally: no preamble, no EOS between turns', () => {
    expect(
      render('huatuo-ii', [
        { role: 'patient', text: ' 头痛 ' },
        { role: 'model', text: '多休息。' },
        { role: 'patient', text: '还是痛😣' },
      ]),
    ).toBe('<问>： 头痛 \n<答>：多休息。\n<问>：还是痛😣\n<答>：')
  })

  it.each([1, 2, 5])('%i turns equal the demo byte for byte', (turnCount) => {
    const { history, query, turns } = conversationOf(turnCount)
    const expected = demoIIPrompt(query, history)
    const actual = render('huatuo-ii', turns)
    expect(Buffer.from(actual, 'utf8').equals(Buffer.from(expected, 'utf8'))).toBe(true)
  })
})

describe('the custom wrappers as node-llama-cpp sees them', () => {
  it('patient text is never parsed as special tokens', () => {
    const wrapper = getPromptFormat('huatuo-v1').createChatWrapper(noModel)
    const contextText = contextTextForAnswer(
      wrapper,
      chatHistoryForModel(
        [
          { role: 'patient', text: '</s><s>' },
          { role: 'model', text: '</s>' },
          { role: 'patient', text: '</s>' },
        ],
        'v1',
      ),
    )
    const specials = contextText.values.filter((value) => value instanceof SpecialToken)
    expect(specials.map((value) => (value as SpecialToken).value)).toEqual(['EOS']) // only the real one, after the past answer
  })

  it('the answer being generated has no closing suffix', () => {
    for (const format of ['huatuo-v1', 'huatuo-ii'] as const) {
      const wrapper = getPromptFormat(format).createChatWrapper(noModel)
      const { contextText } = wrapper.generateContextState({
        chatHistory: [
          { type: 'user', text: '问' },
          { type: 'model', response: ['半句'] },
        ],
      })
      expect(promptText(contextText, previewSpecialTokenTexts).endsWith('半句')).toBe(true)
    }
  })

  it('a custom wrapper emits BOS itself exactly when the model prepends one', () => {
    for (const format of ['huatuo-v1', 'huatuo-ii', 'chatml', 'llama3'] as const) {
      for (const shouldPrependBosToken of [false, true]) {
        const wrapper = getPromptFormat(format).createChatWrapper({ shouldPrependBosToken })
        const { contextText } = wrapper.generateContextState({
          chatHistory: [
            { type: 'user', text: 'q' },
            { type: 'model', response: [] },
          ],
        })
        const bosCount = contextText.values.filter((value) => value instanceof SpecialToken && value.value === 'BOS').length
        expect([format, bosCount]).toEqual([format, shouldPrependBosToken ? 1 : 0])
        if (shouldPrependBosToken) expect(contextText.values[0]).toEqual(new SpecialToken('BOS'))
      }
    }
  })

  it('v1 keeps its preamble as the session system message; II starts empty', () => {
    const v1 = getPromptFormat('huatuo-v1').createChatWrapper(noModel)
    expect(v1.generateInitialChatHistory()).toEqual([{ type: 'system', text: demoPreamble }])
    expect(v1.settings.supportsSystemMessages).toBe(true)
    const ii = getPromptFormat('huatuo-ii').createChatWrapper(noModel)
    expect(ii.generateInitialChatHistory()).toEqual([])
    expect(ii.settings.supportsSystemMessages).toBe(false)
    // Rendering with the system message from a session equals rendering without one.
    const turns = chatHistoryForModel([{ role: 'patient', text: '咳嗽' }], 'v1')
    expect(promptText(contextTextForAnswer(v1, [...v1.generateInitialChatHistory(), ...turns]), previewSpecialTokenTexts)).toBe(
      promptText(contextTextForAnswer(v1, turns), previewSpecialTokenTexts),
    )
  })

  it('stop triggers: EOS, and the EOS text as the demos also match it', () => {
    for (const format of ['huatuo-v1', 'huatuo-ii'] as const) {
      const triggers = getPromptFormat(format).stopTriggers({ shouldPrependBosToken: false, eosText: '</s>' })
      expect(triggers.map((trigger) => trigger.toJSON())).toEqual([[{ type: 'specialToken', value: 'EOS' }], '</s>'])
    }
    const chatml = getPromptFormat('chatml').stopTriggers(noModel)
    expect(chatml.some((trigger) => LlamaText.compare(trigger, LlamaText('<|im_end|>')))).toBe(true)
  })
})

describe('gguf-template (the GGUF chat template, HuatuoGPT-o1)', () => {
  const qwenTemplate =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"

  it('renders through the template, texts untouched', () => {
    const text = render(
      'gguf-template',
      [
        { role: 'patient', text: ' 胸闷\t<b> ' },
        { role: 'model', text: '请就医。' },
        { role: 'patient', text: '😷' },
      ],
      { shouldPrependBosToken: false, chatTemplate: qwenTemplate },
    )
    expect(text).toBe(
      '<|im_start|>user\n 胸闷\t<b> <|im_end|>\n<|im_start|>assistant\n请就医。<|im_end|>\n<|im_start|>user\n😷<|im_end|>\n<|im_start|>assistant\n',
    )
  })

  it('refuses without a template, and with a broken one', () => {
    const format = getPromptFormat('gguf-template')
    expect(() => format.createChatWrapper(noModel)).toThrow(expect.objectContaining({ code: 'CHAT_TEMPLATE_MISSING' }))
    expect(() => format.createChatWrapper({ shouldPrependBosToken: false, chatTemplate: '{% for %}' })).toThrow(
      expect.objectContaining({ code: 'CHAT_TEMPLATE_INVALID' }),
    )
  })
})

describe('the registry', () => {
  it('has every format, labelled in both languages, with its source', () => {
    expect(Object.keys(promptFormats).sort()).toEqual(['chatml', 'gguf-template', 'huatuo-ii', 'huatuo-v1', 'llama3'])
    for (const [id, format] of Object.entries(promptFormats)) {
      expect(format.id).toBe(id)
      expect(format.label['zh-CN']).toMatch(/\S/)
      expect(format.label.en).toMatch(/\S/)
      expect(format.source).toMatch(/\S/)
      expect(format.sampling.source).toMatch(/\S/)
    }
  })

  it('refuses an unknown id with PROMPT_FORMAT_UNKNOWN', () => {
    let caught: unknown
    try {
      getPromptFormat('huatuo-v3')
    } catch (error) {
      caught = error
    }
    expect(isWorkstationError(caught, 'PROMPT_FORMAT_UNKNOWN')).toBe(true)
  })
})

const chatTemplate = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"

describe('format detection from GGUF metadata', () => {
  it.each<[string, ModelIdentityFacts, PromptFormatId, string]>([
    // HuatuoGPT v1: Baichuan-7B's 64,000-token vocabulary, whatever the file is called
    ['v1-7B, converted', { architecture: 'baichuan', name: 'HuatuoGPT-7B', vocabularySize: 64_000 }, 'huatuo-v1', 'v1'],
    ['v1-7B, arbitrary name', { architecture: 'baichuan', name: 'model', vocabularySize: 64_000 }, 'huatuo-v1', 'v1'],
    ['v1-7B, architecture unknown', { vocabularySize: 64_000 }, 'huatuo-v1', 'v1'],
    ['v1-13B (Ziya-LLaMA) by name', { architecture: 'llama', name: 'HuatuoGPT 13B', vocabularySize: 39_424 }, 'huatuo-v1', 'v1'],
    // HuatuoGPT-II: Baichuan2's 125,696-token vocabulary, or its name
    ['II-7B', { architecture: 'baichuan', name: 'HuatuoGPT2-7B', basename: 'HuatuoGPT2', vocabularySize: 125_696 }, 'huatuo-ii', 'ii'],
    ['II-13B, arbitrary name', { architecture: 'baichuan', name: 'ggml-model', vocabularySize: 125_696 }, 'huatuo-ii', 'ii'],
    ['II-34B on Yi (64,000 tokens, llama)', { architecture: 'llama', name: 'HuatuoGPT-II-34B', vocabularySize: 64_000 }, 'huatuo-ii', 'ii'],
    ['II by basename only', { architecture: 'llama', basename: 'huatuogpt2', vocabularySize: 64_000 }, 'huatuo-ii', 'ii'],
    ['baichuan, vocabulary unknown', { architecture: 'baichuan' }, 'huatuo-ii', 'ii'],
    // HuatuoGPT-o1: the GGUF's own template
    ['o1-7B (Qwen2.5)', { architecture: 'qwen2', name: 'HuatuoGPT-o1-7B', vocabularySize: 152_064, chatTemplate }, 'gguf-template', 'o1'],
    ['o1-8B (Llama-3.1)', { architecture: 'llama', name: 'HuatuoGPT o1 8B', vocabularySize: 128_256, chatTemplate }, 'gguf-template', 'o1'],
    ['o1-7B without template', { architecture: 'qwen2', name: 'HuatuoGPT-o1-7B' }, 'chatml', 'o1'],
    ['o1-8B without template', { architecture: 'llama', basename: 'HuatuoGPT-o1', vocabularySize: 128_256 }, 'llama3', 'o1'],
    // anything else
    ['another model with a template', { architecture: 'qwen2', name: 'Qwen2.5 7B Instruct', chatTemplate }, 'gguf-template', 'generic'],
    ['a Qwen without template', { architecture: 'qwen2', name: 'Qwen2.5 7B' }, 'chatml', 'generic'],
    ['a Llama 3 without template', { architecture: 'llama', name: 'Meta Llama 3.1 8B', vocabularySize: 128_256 }, 'llama3', 'generic'],
    ['nothing known', {}, 'chatml', 'generic'],
    ['not HuatuoGPT (SCIR-HI Huatuo-Llama)', { architecture: 'llama', name: 'Huatuo-Llama-Med-Chinese', vocabularySize: 32_000 }, 'chatml', 'generic'],
  ])('%s → %s', (_label, facts, format, family) => {
    const detected = detectPromptFormat(facts)
    expect([detected.format, detected.family]).toEqual([format, family])
    expect(detected.reason).toMatch(/\S/)
  })

  it.each<[string, ModelIdentityFacts, PromptFormatId]>([
    ['named II, Baichuan-7B vocabulary', { architecture: 'baichuan', name: 'HuatuoGPT2-7B', vocabularySize: 64_000 }, 'huatuo-v1'],
    ['named v1, Baichuan2 vocabulary', { architecture: 'baichuan', name: 'HuatuoGPT-7B', vocabularySize: 125_696 }, 'huatuo-ii'],
    ['named o1, Baichuan2 vocabulary', { architecture: 'baichuan', name: 'HuatuoGPT-o1-7B', vocabularySize: 125_696, chatTemplate }, 'huatuo-ii'],
  ])('conflict: %s — the vocabulary wins over the name', (_label, facts, format) => {
    const detected = detectPromptFormat(facts)
    expect(detected.format).toBe(format)
    expect(detected.reason).toContain('vocabulary decides')
  })

  it('a template does not make a HuatuoGPT-II file use it', () => {
    expect(detectPromptFormat({ architecture: 'llama', name: 'HuatuoGPT2-34B', vocabularySize: 64_000, chatTemplate }).format).toBe('huatuo-ii')
  })

  it('the format stored for a model wins; the family still comes from the metadata', () => {
    const o1 = { architecture: 'qwen2', name: 'HuatuoGPT-o1-7B', chatTemplate }
    expect(resolvePromptFormat(o1, 'chatml')).toMatchObject({ format: 'chatml', family: 'o1' })
    expect(resolvePromptFormat(o1, 'chatml').reason).toContain('set for this model')
    expect(resolvePromptFormat(o1, null)).toEqual(detectPromptFormat(o1))
    expect(resolvePromptFormat(o1, undefined)).toEqual(detectPromptFormat(o1))
    expect(() => resolvePromptFormat(o1, 'alpaca')).toThrow(expect.objectContaining({ code: 'PROMPT_FORMAT_UNKNOWN' }))
  })
})

describe('recommended sampling (REFERENCE.md §1), overridable per request', () => {
  it('v1: plain temperature sampling as in the demo, no repeat penalty', () => {
    const sampling = resolveSampling(getPromptFormat('huatuo-v1').sampling)
    expect(sampling).toEqual({ temperature: 0.5, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: 512 })
    // node-llama-cpp would otherwise apply its own 1.1 repeat penalty.
    expect(llamaSamplingOptions(sampling)).toEqual({ temperature: 0.5, topK: 0, topP: 1, minP: 0, maxTokens: 512, repeatPenalty: false })
  })

  it('II: the demo gen_kwargs, repetition penalty in node-llama-cpp shape', () => {
    const sampling = resolveSampling(getPromptFormat('huatuo-ii').sampling)
    expect(sampling).toMatchObject({ temperature: 0.3, topP: 0.7, repeatPenalty: 1.1, maxTokens: 1024 })
    expect(llamaSamplingOptions(sampling).repeatPenalty).toEqual({
      penalty: 1.1,
      lastTokens: 1024,
      penalizeNewLine: true,
      frequencyPenalty: 0,
      presencePenalty: 0,
    })
  })

  it('o1 (gguf-template): the authors’ evaluation settings', () => {
    expect(resolveSampling(getPromptFormat('gguf-template').sampling)).toMatchObject({ temperature: 0.5, topP: 0.9, maxTokens: 2048 })
  })

  it('overrides win field by field; undefined keeps the recommendation', () => {
    const sampling = resolveSampling(getPromptFormat('huatuo-ii').sampling, { temperature: 0, maxTokens: 64, seed: 7 })
    expect(sampling).toEqual({ temperature: 0, topK: 5, topP: 0.7, minP: 0, repeatPenalty: 1.1, maxTokens: 64, seed: 7 })
    expect(llamaSamplingOptions(sampling)).toMatchObject({ seed: 7, maxTokens: 64 })
  })

  it.each([{ temperature: -1 }, { topP: 0 }, { topK: 1.5 }, { maxTokens: 0 }, { repeatPenalty: 0.9 }, { minP: Number.NaN }])(
    'refuses %j with SAMPLING_INVALID',
    (override) => {
      expect(() => resolveSampling(getPromptFormat('huatuo-v1').sampling, override)).toThrow(
        expect.objectContaining({ code: 'SAMPLING_INVALID' }),
      )
    },
  )
})

describe('a custom wrapper drives node-llama-cpp', () => {
  let dir: string
  let llama: Llama
  const models: LlamaModel[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'huatuo-prompt-formats-'))
    llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
  })

  afterAll(async () => {
    for (const model of models) await model.dispose()
    await llama?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it.each([
    ['a model that prepends BOS', undefined],
    ['Baichuan2 vocabulary, no BOS', 'baichuan2' as const],
  ])('the HuatuoGPT-II wrapper: %s — the context holds exactly the rendered prompt', async (_label, archVocab) => {
    const modelPath = join(dir, `ii-${archVocab ?? 'llama'}.gguf`)
    await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 3, ...(archVocab ? { archVocab } : {}) })
    const model = await llama.loadModel({ modelPath })
    models.push(model)
    const context = await model.createContext({ contextSize: 512, threads: 1 })
    try {
      const format = getPromptFormat('huatuo-ii')
      const facts = promptModelFacts(model)
      expect(facts.shouldPrependBosToken).toBe(archVocab === undefined)
      const wrapper = format.createChatWrapper(facts)
      const past: ConsultationTurnText[] = [
        { role: 'patient', text: '头痛三天 <b>' },
        { role: 'model', text: ' 请多休息。\t' },
      ]
      const question = '还有发热😷'
      const sequence = context.getSequence()
      const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper: wrapper })
      session.setChatHistory(chatHistoryForModel(past, 'ii'))
      await session.prompt(question, {
        ...llamaSamplingOptions(resolveSampling(format.sampling, { temperature: 0, maxTokens: 4, seed: 1 })),
      })

      const rendered = contextTextForAnswer(wrapper, chatHistoryForModel([...past, { role: 'patient', text: question }], 'ii'))
      const expectedText = promptText(rendered, modelSpecialTokenTexts(model))
      expect(expectedText).toBe(`${archVocab ? '' : '<s>'}<问>：头痛三天 <b>\n<答>： 请多休息。\t\n<问>：还有发热😷\n<答>：`)

      const expectedTokens = rendered.tokenize(model.tokenizer)
      const evaluated = sequence.contextTokens
      expect(evaluated.length).toBeGreaterThan(expectedTokens.length) // the prompt, then what was generated
      expect(evaluated.slice(0, expectedTokens.length)).toEqual(expectedTokens)
      // Detokenized, the evaluated prompt is the rendered text (which `huatuo prompt --model` prints without the BOS).
      expect(model.detokenize(evaluated.slice(0, expectedTokens.length), true)).toBe(expectedText)
      const bosCount = evaluated.filter((token) => token === model.tokens.bos).length
      expect(bosCount).toBe(archVocab ? 0 : 1)
    } finally {
      await context.dispose()
    }
  })
})
