import type { UiLocale } from '../../contract/errors.ts'
import type { AnswerEndReason, AnswerTiming, LoadedModelStatus } from '../../contract/inference.ts'

// What `huatuo chat` says to the clinician, in zh-CN and en. The greeting follows the seed's
// streaming demo (FreedomIntelligence/HuatuoGPT huatuo_cli_demo_stream.py) and adds the commands
// the workstation has on top of it.

export const ASSISTANT_LABEL = 'HuatuoGPT'

interface ChatStrings {
  greeting: string
  userPrompt: string
  thinkingMarker: string
  responseMarker: string
  loading: string
  loaded: (model: LoadedModelStatus) => string
  restartQuestion: string
  restarting: string
  restarted: string
  cleared: string
  endReasons: Record<AnswerEndReason, string>
  stats: (parts: { tokens: number; ttft: string; speed: string; reason: string }) => string
  milliseconds: (ms: number) => string
  tokensPerSecond: (speed: number) => string
  unknown: string
}

const strings: Record<UiLocale, ChatStrings> = {
  'zh-CN': {
    greeting:
      `${ASSISTANT_LABEL}: 你好，我是一个解答医疗健康问题的大模型，目前处于测试阶段，请以医嘱为准。请问有什么可以帮到您？` +
      '输入 clear 清空对话历史，stop 终止程序，/regen 重新生成上一个回答；回答生成时按 Ctrl-C 可停止该回答。',
    userPrompt: '用户：',
    thinkingMarker: '〔思考过程〕',
    responseMarker: '〔最终回答〕',
    loading: '正在加载模型',
    loaded: (m) =>
      m.backend === 'remote'
        ? `已连接医院推理服务器 ${m.deviceNames[0] ?? ''}：${m.name}（提示格式 ${m.promptFormat}，上下文 ${m.contextSize || '由服务器决定'}，用时 ${m.loadSeconds.toFixed(1)} 秒）。对话文字只发送到该服务器。`
        : `模型已加载：${m.name}（提示格式 ${m.promptFormat}，${m.backend}，${m.threads} 个线程，上下文 ${m.contextSize}，用时 ${m.loadSeconds.toFixed(1)} 秒）`,
    restartQuestion: '是否重新启动推理引擎并继续本次问诊？[Y/n] ',
    restarting: '正在重新启动推理引擎……',
    restarted: '推理引擎已重新启动，可以继续问诊。',
    cleared: '对话历史已清空。',
    endReasons: {
      'end-token': '回答完毕',
      stopped: '已停止',
      length: '达到长度上限',
      error: '出错',
      crashed: '引擎崩溃',
    },
    stats: ({ tokens, ttft, speed, reason }) => `[${tokens} 个词元 · 首词元 ${ttft} · ${speed} · ${reason}]`,
    milliseconds: (ms) => `${Math.round(ms)} 毫秒`,
    tokensPerSecond: (speed) => `${speed.toFixed(1)} 词元/秒`,
    unknown: '—',
  },
  en: {
    greeting:
      `${ASSISTANT_LABEL}: Hello, I am a large model that answers medical and health questions. I am still being tested: ` +
      "follow the doctor's advice. How can I help? Type clear to start the consultation over, stop to quit, " +
      '/regen to regenerate the last answer; press Ctrl-C while an answer is being written to stop it.',
    userPrompt: 'User: ',
    thinkingMarker: '[Thinking]',
    responseMarker: '[Final response]',
    loading: 'Loading the model',
    loaded: (m) =>
      m.backend === 'remote'
        ? `Connected to the hospital inference server ${m.deviceNames[0] ?? ''}: ${m.name} (prompt format ${m.promptFormat}, context ${m.contextSize || 'as the server decides'}, ${m.loadSeconds.toFixed(1)} s). The conversation text goes to this server only.`
        : `Model loaded: ${m.name} (prompt format ${m.promptFormat}, ${m.backend}, ${m.threads} thread${m.threads === 1 ? '' : 's'}, context ${m.contextSize}, ${m.loadSeconds.toFixed(1)} s)`,
    restartQuestion: 'Restart the inference engine and continue this consultation? [Y/n] ',
    restarting: 'Restarting the inference engine…',
    restarted: 'The inference engine was restarted; the consultation continues.',
    cleared: 'The conversation history was cleared.',
    endReasons: {
      'end-token': 'end of answer',
      stopped: 'stopped',
      length: 'token limit',
      error: 'error',
      crashed: 'engine crashed',
    },
    stats: ({ tokens, ttft, speed, reason }) => `[${tokens} token${tokens === 1 ? '' : 's'} · first token ${ttft} · ${speed} · ${reason}]`,
    milliseconds: (ms) => `${Math.round(ms)} ms`,
    tokensPerSecond: (speed) => `${speed.toFixed(1)} tokens/s`,
    unknown: '—',
  },
}

export function chatStrings(locale: UiLocale): ChatStrings {
  return strings[locale]
}

/** The short line after each answer: tokens, time to first token, speed, why it ended. */
export function answerStatsLine(timing: AnswerTiming, endReason: AnswerEndReason, locale: UiLocale): string {
  const s = strings[locale]
  // A crashed answer has no timing worth showing (the engine died before reporting it).
  if (endReason === 'crashed') return `[${s.endReasons.crashed}]`
  return s.stats({
    tokens: timing.generatedTokens,
    ttft: timing.timeToFirstTokenMs === null ? s.unknown : s.milliseconds(timing.timeToFirstTokenMs),
    speed: timing.tokensPerSecond === null ? s.unknown : s.tokensPerSecond(timing.tokensPerSecond),
    reason: s.endReasons[endReason],
  })
}

/** Words a clinician may type at the prompt. Anything else is a message for the model. */
export type ChatCommand = 'stop' | 'clear' | 'regen' | 'help'

export function chatCommand(line: string): ChatCommand | undefined {
  switch (line.trim()) {
    case 'stop':
    case '/stop':
      return 'stop'
    case 'clear':
    case '/clear':
      return 'clear'
    case '/regen':
      return 'regen'
    case '/help':
      return 'help'
    default:
      return undefined
  }
}

/** A yes to the restart question: Enter alone, y/yes, 是/好. */
export function isYes(line: string): boolean {
  return /^(|y|yes|是|好|继续)$/i.test(line.trim())
}
