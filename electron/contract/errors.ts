// Stable error codes and the sentence a clinician or IT person reads for each, in zh-CN and en.
// Errors cross every process boundary as WorkstationErrorPayload; the codes never change meaning.

export const errorMessages = {
  MODEL_NOT_GGUF: { 'zh-CN': '此文件不是 GGUF 模型文件。', en: 'This file is not a GGUF model.' },
  MODEL_CORRUPT: {
    'zh-CN': '模型文件已损坏或不完整，请重新复制或下载。',
    en: 'The model file is damaged or incomplete; copy or download it again.',
  },
  MODEL_UNSUPPORTED: {
    'zh-CN': '本工作站的推理引擎不支持此模型的架构。',
    en: "This model's architecture is not supported by the workstation's inference engine.",
  },
  MODEL_UNREADABLE: {
    'zh-CN': '无法读取模型文件：文件不存在、是文件夹或没有读取权限。',
    en: 'The model file cannot be read: it is missing, a folder, or not readable.',
  },
  MODEL_PART_MISSING: {
    'zh-CN': '分卷模型缺少部分文件，请把所有分卷放在同一文件夹中。',
    en: 'A part of this split model is missing; put all parts in the same folder.',
  },
  PROMPT_FORMAT_UNKNOWN: {
    'zh-CN': '未知的提示格式。',
    en: 'Unknown prompt format.',
  },
  CONVERSATION_INVALID: {
    'zh-CN': '对话文件格式不正确：应为按病人、模型交替、以病人消息结尾的消息列表。',
    en: 'The conversation file is malformed: it must alternate patient and model messages and end with a patient message.',
  },
  CHAT_TEMPLATE_MISSING: {
    'zh-CN': '此提示格式需要模型自带的对话模板，但没有可用的模板（请指定含模板的模型，或选择其他格式）。',
    en: "This prompt format needs the model's own chat template, and none is available (give a model that has one, or choose another format).",
  },
  CHAT_TEMPLATE_INVALID: {
    'zh-CN': '模型自带的对话模板无法使用，请为此模型选择其他提示格式。',
    en: "The model's own chat template cannot be used; choose another prompt format for this model.",
  },
  SAMPLING_INVALID: {
    'zh-CN': '采样参数超出允许范围。',
    en: 'A sampling setting is out of its allowed range.',
  },
  INPUT_UNREADABLE: {
    'zh-CN': '无法读取指定的文件：文件不存在、是文件夹或没有读取权限。',
    en: 'The given file cannot be read: it is missing, a folder, or not readable.',
  },
  OUTPUT_UNWRITABLE: {
    'zh-CN': '无法写入输出文件：请确认其所在文件夹存在且可写，磁盘空间充足。',
    en: 'The output file cannot be written; check that its folder exists and is writable, and that the disk has space.',
  },
  USAGE: { 'zh-CN': '命令用法不正确。', en: 'The command was used incorrectly.' },
  INTERNAL: { 'zh-CN': '工作站内部错误。', en: 'Internal workstation error.' },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>

export type ErrorCode = keyof typeof errorMessages
export type UiLocale = 'zh-CN' | 'en'

export interface WorkstationErrorPayload {
  code: ErrorCode
  message: string
  detail?: string
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorMessages, value)
}
