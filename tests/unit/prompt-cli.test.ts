import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { runHuatuo } from '../support/cli.ts'

// `huatuo prompt` as a user runs it: a separate process, stdout holding exactly the prompt.

const preamble =
  '一位用户和智能医疗大模型HuatuoGPT之间的对话。对于用户的医疗问诊，HuatuoGPT给出准确的、详细的、温暖的指导建议。对于用户的指令问题，HuatuoGPT给出有益的、详细的、有礼貌的回答。'
const qwenTemplate =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"

const conversation = [
  { role: 'user', text: ' 头痛三天\t<b> ' },
  { role: 'assistant', text: '请多休息。😷' },
  { role: 'user', text: '还是痛，</s> 怎么办？' },
]

let dir: string
const file = (name: string) => join(dir, name)

async function writeJson(name: string, value: unknown): Promise<string> {
  await writeFile(file(name), typeof value === 'string' ? value : JSON.stringify(value), 'utf8')
  return file(name)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-prompt-cli-'))
  await writeJson('conversation.json', conversation)
  await writeTestModel({ out: file('v1.gguf'), size: 'tiny', name: 'HuatuoGPT-7B', seed: 5 })
  // A self-converted HuatuoGPT-II with a meaningless name: the Baichuan2 vocabulary identifies it.
  await writeTestModel({ out: file('ii.gguf'), size: 'tiny', name: 'ggml model', archVocab: 'baichuan2', seed: 5 })
  await writeTestModel({ out: file('o1.gguf'), size: 'tiny', name: 'HuatuoGPT-o1-7B', chatTemplate: qwenTemplate, seed: 5 })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('huatuo prompt, success', () => {
  it('v1 without a model: the demo text, EOS as </s>, no BOS, no trailing newline', async () => {
    const result = await runHuatuo(['prompt', '--format', 'huatuo-v1', '--conversation', file('conversation.json')])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toBe(
      `${preamble}<病人>： 头痛三天\t<b>  <HuatuoGPT>：请多休息。😷</s><病人>：还是痛，</s> 怎么办？ <HuatuoGPT>：`,
    )
  })

  it('II without a model', async () => {
    const result = await runHuatuo(['prompt', '--format', 'huatuo-ii', '--conversation', file('conversation.json')])
    expect(result.status).toBe(0)
    expect(result.stdout).toBe('<问>： 头痛三天\t<b> \n<答>：请多休息。😷\n<问>：还是痛，</s> 怎么办？\n<答>：')
  })

  it('with a model: its own EOS text, and no BOS even though this model prepends one', async () => {
    const result = await runHuatuo(['prompt', '--format', 'huatuo-v1', '--conversation', file('conversation.json'), '--model', file('v1.gguf')])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toBe(
      `${preamble}<病人>： 头痛三天\t<b>  <HuatuoGPT>：请多休息。😷</s><病人>：还是痛，</s> 怎么办？ <HuatuoGPT>：`,
    )
  })

  it('with a model and no --format: detected (Baichuan2 vocabulary → HuatuoGPT-II, which adds no BOS)', async () => {
    const result = await runHuatuo(['prompt', '--conversation', file('conversation.json'), '--model', file('ii.gguf'), '--json'])
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      format: 'huatuo-ii',
      family: 'ii',
      prompt: '<问>： 头痛三天\t<b> \n<答>：请多休息。😷\n<问>：还是痛，</s> 怎么办？\n<答>：',
    })
  })

  it("gguf-template renders the model's own chat template; o1 history keeps only final responses", async () => {
    const o1Conversation = [
      { role: 'user', text: '头痛' },
      { role: 'assistant', text: '## Thinking\n\n考虑偏头痛。\n\n## Final Response\n\n请就医。' },
      { role: 'user', text: '还有呢' },
    ]
    const path = await writeJson('o1-conversation.json', o1Conversation)
    const result = await runHuatuo(['prompt', '--conversation', path, '--model', file('o1.gguf'), '--json'])
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      format: 'gguf-template',
      family: 'o1',
      prompt: '<|im_start|>user\n头痛<|im_end|>\n<|im_start|>assistant\n请就医。<|im_end|>\n<|im_start|>user\n还有呢<|im_end|>\n<|im_start|>assistant\n',
    })
  })
})

// Each case is its own short process and none generates text, so they may run side by side.
describe.concurrent('huatuo prompt, failures', () => {
  it.each<[string, unknown]>([
    ['not JSON', '[{"role": "user", "text": "头痛"'],
    ['not an array', { role: 'user', text: '头痛' }],
    ['empty', []],
    ['starts with the model', [{ role: 'assistant', text: 'a' }, { role: 'user', text: 'q' }]],
    ['ends with the model', [{ role: 'user', text: 'q' }, { role: 'assistant', text: 'a' }]],
    ['two patient messages in a row', [{ role: 'user', text: 'q' }, { role: 'user', text: 'q' }, { role: 'user', text: 'q' }]],
    ['an unknown role', [{ role: 'doctor', text: 'q' }]],
    ['text not a string', [{ role: 'user', text: 42 }]],
    ['a message not an object', ['头痛']],
  ])('CONVERSATION_INVALID: %s', async (label, content) => {
    const path = await writeJson(`bad-${label.replace(/\W+/g, '-')}.json`, content)
    const result = await runHuatuo(['prompt', '--format', 'huatuo-ii', '--conversation', path])
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^CONVERSATION_INVALID: /)
    // Clinical text never ends up in the error line.
    expect(result.stderr).not.toContain('头痛')
  })

  it('INPUT_UNREADABLE: missing file, or a folder', async () => {
    for (const path of [file('missing.json'), dir]) {
      const result = await runHuatuo(['prompt', '--format', 'huatuo-ii', '--conversation', path])
      expect(result.status).toBe(1)
      expect(result.stderr).toMatch(/^INPUT_UNREADABLE: /)
    }
  })

  it('PROMPT_FORMAT_UNKNOWN, with and without --json', async () => {
    const plain = await runHuatuo(['prompt', '--format', 'alpaca', '--conversation', file('conversation.json')])
    expect(plain.status).toBe(1)
    expect(plain.stderr).toMatch(/^PROMPT_FORMAT_UNKNOWN: Unknown prompt format\./)
    const json = await runHuatuo(['prompt', '--format', 'alpaca', '--conversation', file('conversation.json'), '--json'])
    expect(json.status).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'PROMPT_FORMAT_UNKNOWN' } })
  })

  it('PROMPT_FORMAT_UNKNOWN also with a model given (checked before loading it)', async () => {
    const result = await runHuatuo(['prompt', '--format', 'qwen', '--conversation', file('conversation.json'), '--model', file('v1.gguf')])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^PROMPT_FORMAT_UNKNOWN: /)
  })

  it('CHAT_TEMPLATE_MISSING: gguf-template without a model, or with a model that has no template', async () => {
    for (const extra of [[], ['--model', file('v1.gguf')]]) {
      const result = await runHuatuo(['prompt', '--format', 'gguf-template', '--conversation', file('conversation.json'), ...extra])
      expect(result.status).toBe(1)
      expect(result.stderr).toMatch(/^CHAT_TEMPLATE_MISSING: /)
    }
  })

  it('model errors carry the model codes', async () => {
    await writeFile(file('not-a-model.gguf'), 'hello, not a model')
    await mkdir(file('folder.gguf'), { recursive: true })
    const cases: [string, string][] = [
      [file('absent.gguf'), 'MODEL_UNREADABLE'],
      [file('folder.gguf'), 'MODEL_UNREADABLE'],
      [file('not-a-model.gguf'), 'MODEL_NOT_GGUF'],
    ]
    for (const [model, code] of cases) {
      const result = await runHuatuo(['prompt', '--format', 'huatuo-ii', '--conversation', file('conversation.json'), '--model', model])
      expect([model, result.status]).toEqual([model, 1])
      expect(result.stderr.startsWith(`${code}: `)).toBe(true)
    }
  })

  it.each([
    [['prompt', '--format', 'huatuo-ii']],
    [['prompt', '--conversation', 'c.json']],
    [['prompt', '--format', 'huatuo-ii', '--conversation', 'c.json', '--temperature', '1']],
    [['prompt', '--format', 'huatuo-ii', '--conversation', 'c.json', 'extra']],
  ])('USAGE (exit 2): %j', async (args) => {
    const result = await runHuatuo(args)
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/^USAGE: /m)
  })

  it('zh-CN sentences when the locale is Chinese', async () => {
    const result = await runHuatuo(['prompt', '--format', 'alpaca', '--conversation', file('conversation.json')], {
      env: { LANG: 'zh_CN.UTF-8' },
    })
    expect(result.stderr).toMatch(/^PROMPT_FORMAT_UNKNOWN: 未知的提示格式。/)
  })
})
