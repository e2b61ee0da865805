import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelAnswer } from '../../electron/contract/inference.ts'
import { AnswerPrinter, displayableText, terminalStyle } from '../../electron/cli/commands/chat-terminal.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { ClinicianAccounts } from '../../electron/core/clinicians/clinician-accounts.ts'
import { openRecordStore } from '../../electron/core/records/record-store.ts'
import { repoRoot, runHuatuo } from '../support/cli.ts'
import { testScryptCost } from '../../electron/core/clinicians/pin-hashing.ts'

// `huatuo chat` as a clinician uses it: its own process, lines on stdin, the answers streamed on
// stdout. Generated models answer gibberish, so only the mechanics are checked.

const huatuoBin = fileURLToPath(new URL('../../bin/huatuo.js', import.meta.url))
const statsLine = /^\[(\d+) tokens? · first token (?:\d+ ms|—) · (?:[\d.]+ tokens\/s|—) · ([a-z ]+)\]$/gm
const label = 'HuatuoGPT: '

let dir: string
let tiny: string
let bench: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-chat-cli-'))
  tiny = join(dir, 'tiny.gguf')
  bench = join(dir, 'bench.gguf')
  await writeTestModel({ out: tiny, size: 'tiny', seed: 11 })
  await writeTestModel({ out: bench, size: 'bench', seed: 11 })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function chat(input: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return runHuatuo(['chat', '--model', tiny, '--max-tokens', '16', '--seed', '3', ...extra], { input, env })
}

/** The reasons after each answer, in order. */
function endReasons(stdout: string): string[] {
  return [...stdout.matchAll(statsLine)].map((match) => match[2] ?? '')
}

describe('huatuo chat, triage and the record', () => {
  it('prints every red flag of a patient line above its answer, with the words and what to do, in the terminal\'s language', async () => {
    const zh = await chat('突然胸痛，大汗淋漓，呼吸困难\nstop\n', [], { LANG: 'zh_CN.UTF-8' })
    expect(zh.status).toBe(0)
    const answerAt = zh.stdout.lastIndexOf(label)
    const flagAt = zh.stdout.indexOf('[危急] ')
    expect(flagAt).toBeGreaterThan(0)
    expect(flagAt).toBeLessThan(answerAt)
    expect(zh.stdout).toMatch(/\[危急\] 胸痛[^\n]*“胸痛”[^\n]*→ [^\n]*120/)
    const en = await chat('crushing chest pain going to my jaw, sweating a lot\nI feel fine otherwise\nstop\n')
    expect(en.stdout).toMatch(/\[Emergency\] [^\n]+: "[^"]+"[^\n]* → /i)
    // A line without red flags gets none.
    const lines = en.stdout.split('\n')
    const second = lines.findIndex((line, index) => index > 0 && line.startsWith(label) && lines.slice(0, index).some((l) => /Emergency/i.test(l)))
    expect(lines.slice(second + 1).some((line) => /^\[(Emergency|Urgent)\]/i.test(line))).toBe(false)
  })

  it('with --db and --actor keeps the consultation as the window does: the clinician\'s PIN first, messages, red flags, answers', async () => {
    const db = join(dir, 'chat-records.db')
    const store = await openRecordStore({ path: db, scheduledBackups: false })
    const accounts = new ClinicianAccounts(store, { scryptCost: testScryptCost })
    await accounts.createFirstAdmin({ staffId: 'A001', name: '王工', roles: ['admin'], department: '信息科' }, '246813')
    await accounts.add({ staffId: 'D1024', name: '张医生', roles: ['doctor'], department: '急诊科' }, '135792', 'A001', { pinChangeRequired: false })
    store.close()
    const data = join(dir, 'chat-data')
    const env = { HUATUO_DATA_DIR: data, HUATUO_HOSPITAL_CONFIG: join(dir, 'no-hospital.json') }
    const args = ['--db', db, '--actor', 'D1024']

    const wrong = await chat('000000\n头痛\nstop\n', args, env)
    expect([wrong.status, wrong.stderr]).toEqual([1, expect.stringMatching(/PIN_WRONG:/)])
    expect((await chat('头痛\n', ['--db', db], env)).status).toBe(2)

    const result = await chat('135792\n突然胸痛，大汗淋漓，呼吸困难\n/regen\n现在好一点了\nstop\n', args, env)
    expect(result.stderr).not.toMatch(/[A-Z_]{5,}:/)
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/\[Emergency\] /i)
    expect(endReasons(result.stdout)).toHaveLength(3)

    const check = await openRecordStore({ path: db, readOnly: true })
    try {
      const [consultation] = check.consultations.list({ limit: 5 }).items
      const messages = check.messages.list(consultation!.id, { includeSuperseded: true }).items
      expect(messages.map((m) => [m.role, m.status, m.supersededAt === null])).toEqual([
        ['patient', 'complete', true],
        ['model', 'complete', false],
        ['model', 'complete', true],
        ['patient', 'complete', true],
        ['model', 'complete', true],
      ])
      expect(messages[0]!.text).toBe('突然胸痛，大汗淋漓，呼吸困难')
      const view = check.consultations.open(consultation!.id)
      expect(view.redFlags.map((flag) => [flag.category, flag.level, flag.messageId])).toContainEqual(['chest-pain', 'emergency', messages[0]!.id])
      // The clinician held it: the audit log names D1024 for the consultation and its answers.
      const actors = new Set(check.audit.list({ limit: 200 }).items.filter((entry) => entry.entityId === consultation!.id).map((entry) => entry.actor))
      expect(actors).toContain('D1024')
      // The model went into the workstation's library first, as every model the workstation loads does.
      expect(await readdir(join(data, 'models'))).not.toEqual([])
    } finally {
      check.close()
    }
  })
})

describe('huatuo chat, piped input', () => {
  it('greets (en), says how to use it, loads on stderr, quits on stop', async () => {
    const result = await chat('stop\n')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^HuatuoGPT: Hello, .*clear .*stop .*\/regen .*Ctrl-C/)
    expect(result.stderr).toMatch(/Model loaded: .*prompt format chatml, cpu, 1 thread/)
    expect(endReasons(result.stdout)).toEqual([])
  })

  it('greets in Chinese under a Chinese locale, as the seed demo does', async () => {
    const result = await chat('stop\n', [], { LANG: 'zh_CN.UTF-8' })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('HuatuoGPT: 你好，我是一个解答医疗健康问题的大模型')
    expect(result.stdout).toContain('输入 clear 清空对话历史，stop 终止程序')
    expect(result.stderr).toContain('模型已加载')
  })

  it('two turns: each answer streamed after the label, then its stats line', async () => {
    const result = await chat('头痛三天，伴有恶心\n\n还是痛，怎么办？\nstop\n')
    expect(result.status).toBe(0)
    expect(result.stderr).not.toMatch(/[A-Z_]{5,}:/)
    // The blank line is ignored; each answer ends at its end token or at the 16-token limit.
    const reasons = endReasons(result.stdout)
    expect(reasons).toHaveLength(2)
    for (const reason of reasons) expect(['end of answer', 'token limit']).toContain(reason)
    for (const match of result.stdout.matchAll(statsLine)) expect(Number(match[1])).toBeGreaterThan(0)
    expect(result.stdout.split(label).length - 1).toBe(3) // greeting + two answers
  })

  it('the end of piped input quits like stop', async () => {
    const result = await chat('头痛\n')
    expect(result.status).toBe(0)
    expect(endReasons(result.stdout)).toHaveLength(1)
  })

  it('/regen answers the last message again; with nothing to regenerate it says so and goes on', async () => {
    const result = await chat('/regen\n头痛\n/regen\nstop\n')
    expect(result.status).toBe(0)
    expect(result.stderr).toContain('NOTHING_TO_REGENERATE: There is no answer to regenerate yet.')
    expect(endReasons(result.stdout)).toHaveLength(2)
  })

  it('clear starts the consultation over: greeting again, and nothing left to regenerate', async () => {
    const result = await chat('头痛\nclear\n/regen\n还是痛\nstop\n')
    expect(result.status).toBe(0)
    const [, afterClear = ''] = result.stdout.split('The conversation history was cleared.')
    expect(afterClear).toMatch(/^\nHuatuoGPT: Hello, /)
    expect(result.stderr).toContain('NOTHING_TO_REGENERATE')
    expect(endReasons(result.stdout)).toHaveLength(2)
  })

  it('an unknown model path: MODEL_UNREADABLE on one line, exit 1, no greeting', async () => {
    const result = await runHuatuo(['chat', '--model', join(dir, 'absent.gguf')], { input: 'stop\n' })
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^MODEL_UNREADABLE: The model file cannot be read/)
  })

  it('usage errors exit 2', async () => {
    for (const args of [['chat'], ['chat', '--model', tiny, '--threads', '0'], ['chat', '--model', tiny, '--bogus']]) {
      const result = await runHuatuo(args)
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 2])
      expect(result.stderr).toContain('USAGE:')
    }
  })

  it('an unknown --format is refused before the model is loaded', async () => {
    const result = await runHuatuo(['chat', '--model', tiny, '--format', 'alpaca'], { input: 'stop\n' })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^PROMPT_FORMAT_UNKNOWN/)
    expect(result.stderr).not.toContain('Loading')
  })
})

/** A chat process driven line by line, with the whole output kept. */
class ChatProcess {
  readonly child: ChildProcessWithoutNullStreams
  stdout = ''
  stderr = ''
  readonly exited: Promise<number | null>
  #waiters: Array<() => void> = []

  constructor(args: string[]) {
    // Its own process group, so Ctrl-C can be sent as a terminal sends it: to the whole group.
    this.child = spawn(process.execPath, [huatuoBin, 'chat', ...args], {
      cwd: repoRoot,
      env: { ...process.env, HUATUO_THREADS: '1', LANG: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    })
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.#add('stdout', chunk))
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.#add('stderr', chunk))
    this.exited = new Promise((resolve) => this.child.on('close', (status) => resolve(status)))
  }

  #add(stream: 'stdout' | 'stderr', chunk: string): void {
    this[stream] += chunk
    for (const waiter of this.#waiters.splice(0)) waiter()
  }

  /** Resolves when `condition` holds on the output so far (the test's own timeout bounds the wait). */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise<void>((resolve) => this.#waiters.push(resolve))
  }

  write(text: string): void {
    this.child.stdin.write(text)
  }

  /** Ctrl-C on a terminal: SIGINT to the foreground process group. */
  interrupt(): void {
    if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGINT')
  }

  /** The text streamed after the n-th answer label (0 = the first answer). */
  answerText(n: number): string {
    return this.stdout.split(label)[n + 2] ?? ''
  }
}

async function childPids(pid: number): Promise<number[]> {
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (ppid === pid) pids.push(Number(entry))
  }
  return pids
}

describe('huatuo chat, interrupting', () => {
  it('Ctrl-C while a reply streams stops it and keeps its partial text; stop then quits with 0', async () => {
    const chatProcess = new ChatProcess(['--model', bench, '--max-tokens', '32768', '--seed', '1'])
    try {
      chatProcess.write('医生您好，我最近三天一直头痛，伴有恶心。\n')
      await chatProcess.until(() => chatProcess.answerText(0).length > 0)
      chatProcess.interrupt()
      await chatProcess.until(() => endReasons(chatProcess.stdout).length === 1)
      chatProcess.write('stop\n')
      expect(await chatProcess.exited).toBe(0)
    } finally {
      chatProcess.child.kill('SIGKILL')
    }
    expect(chatProcess.stderr).not.toContain('MODEL_CRASHED')
    expect(endReasons(chatProcess.stdout)).toEqual(['stopped'])
    const [stats] = [...chatProcess.stdout.matchAll(statsLine)]
    const tokens = Number(stats?.[1])
    // Stopped well before the context would have ended it, with what was written kept on screen.
    expect(tokens).toBeGreaterThan(0)
    expect(tokens).toBeLessThan(1500)
    const partial = chatProcess.answerText(0).split('\n[')[0] ?? ''
    expect(partial.length).toBeGreaterThan(0)
  }, 60_000)

  it('Ctrl-C at the prompt quits', async () => {
    const chatProcess = new ChatProcess(['--model', tiny])
    try {
      await chatProcess.until(() => chatProcess.stdout.includes('Hello'))
      chatProcess.interrupt()
      expect(await chatProcess.exited).toBe(0)
    } finally {
      chatProcess.child.kill('SIGKILL')
    }
  })

  it.skipIf(process.platform !== 'linux')('an engine crash mid-answer: MODEL_CRASHED, partial kept, restart on request, the consultation goes on', async () => {
    const chatProcess = new ChatProcess(['--model', bench, '--max-tokens', '32768', '--seed', '1'])
    try {
      chatProcess.write('医生您好，我最近三天一直头痛。\n')
      await chatProcess.until(() => chatProcess.answerText(0).length > 0)
      const pid = chatProcess.child.pid ?? 0
      const [engine] = await childPids(pid)
      expect(engine).toBeDefined()
      process.kill(engine ?? 0, 'SIGKILL')
      await chatProcess.until(() => chatProcess.stdout.includes('Restart the inference engine') && chatProcess.stderr.includes('MODEL_CRASHED'))
      expect(chatProcess.stderr).toMatch(/^MODEL_CRASHED: The inference engine stopped unexpectedly/m)
      expect(endReasons(chatProcess.stdout)).toEqual([])
      expect(chatProcess.stdout).toContain('[engine crashed]')
      expect(chatProcess.answerText(0).split('\n[engine crashed]')[0]?.length).toBeGreaterThan(0)
      chatProcess.write('y\n')
      await chatProcess.until(() => chatProcess.stderr.includes('The inference engine was restarted'))
      chatProcess.write('还是痛\n')
      await chatProcess.until(() => chatProcess.answerText(1).length > 0)
      chatProcess.interrupt()
      await chatProcess.until(() => endReasons(chatProcess.stdout).length === 1)
      chatProcess.write('stop\n')
      expect(await chatProcess.exited).toBe(0)
    } finally {
      chatProcess.child.kill('SIGKILL')
    }
    expect(endReasons(chatProcess.stdout)).toEqual(['stopped'])
  }, 60_000)
})

describe('the answer as printed', () => {
  const answer = (text: string, thinking: string): ModelAnswer => ({
    answerId: 'a',
    text,
    thinking,
    status: 'complete',
    endReason: 'end-token',
    timing: { promptTokens: 10, evaluatedPromptTokens: 10, generatedTokens: 42, timeToFirstTokenMs: 120.4, tokensPerSecond: 33.33 },
  })

  it("HuatuoGPT-o1's thinking is set apart (dimmed on a terminal) from the final response", () => {
    let out = ''
    const printer = new AnswerPrinter('a', (text) => (out += text), terminalStyle(true), 'en', true)
    printer.delta('患者头痛', '')
    printer.delta('三天。', '')
    printer.delta('', '建议')
    printer.finish(answer('建议休息。', '患者头痛三天。'))
    expect(out).toBe(
      'HuatuoGPT: \n\x1b[2m[Thinking]\x1b[22m\n\x1b[2m患者头痛\x1b[22m\x1b[2m三天。\x1b[22m\n\n\x1b[2m[Final response]\x1b[22m\n建议休息。' +
        '\n\x1b[2m[42 tokens · first token 120 ms · 33.3 tokens/s · end of answer]\x1b[22m\n',
    )
  })

  it('control characters in model text never reach the terminal (no escape sequences, no carriage returns)', () => {
    expect(displayableText('a\x1b[2Jb\rc\x10d\u009be\n\tf')).toBe('a[2Jbcde\n\tf')
    let out = ''
    const printer = new AnswerPrinter('a', (text) => (out += text), terminalStyle(false), 'en', false)
    printer.delta('', 'x\x1b[31my')
    printer.finish(answer('x\x1b[31my!', ''))
    expect(out.split('\n')[0]).toBe('HuatuoGPT: x[31my!')
  })

  it('in a pipe: markers without colour, in Chinese under a Chinese locale', () => {
    let out = ''
    const printer = new AnswerPrinter('a', (text) => (out += text), terminalStyle(false), 'zh-CN', false)
    printer.delta('思考', '回答')
    printer.finish({ ...answer('回答', '思考'), status: 'stopped', endReason: 'stopped' })
    expect(out).toBe('HuatuoGPT: \n〔思考过程〕\n思考\n\n〔最终回答〕\n回答\n[42 个词元 · 首词元 120 毫秒 · 33.3 词元/秒 · 已停止]\n')
  })
})
