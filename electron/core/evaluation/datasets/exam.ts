import type { EvaluationItem } from './evaluation-item.ts'
import { ownId, type LineReader } from './json-lines.ts'

// Multiple-choice exams as HuatuoGPT-II evaluates them: `{question, option: {A: …, B: …}, answer}`
// with `answer` the correct letter, asked with its prompt `请回答下面选择题。\n{question}\n{A. …\nB. …}`.

const LETTER = /^[A-Z]$/

export function examPrompt(question: string, options: Record<string, string>): string {
  const lines = Object.entries(options).map(([letter, text]) => `${letter}. ${text}`)
  return `请回答下面选择题。\n${question}\n${lines.join('\n')}`
}

export const examLine: LineReader = (value, line) => {
  const question = value['question']
  if (typeof question !== 'string' || question.trim() === '') return '`question` must be a non-empty string'
  const option = value['option'] ?? value['options']
  if (typeof option !== 'object' || option === null || Array.isArray(option)) return '`option` must be an object of letters to texts'
  const entries = Object.entries(option as Record<string, unknown>)
  if (entries.length < 2 || !entries.every(([letter, text]) => LETTER.test(letter) && typeof text === 'string'))
    return '`option` needs at least two options keyed by capital letters, each a string'
  const options = Object.fromEntries(entries) as Record<string, string>
  const answer = typeof value['answer'] === 'string' ? value['answer'].trim() : undefined
  if (answer === undefined || !Object.hasOwn(options, answer)) return '`answer` must be the letter of one of the options'
  const item: EvaluationItem = { id: ownId(value, line), question, prompt: examPrompt(question, options), reference: answer, options }
  return item
}
