import { describe, expect, it } from 'vitest'
import type { ConsultationTurnText } from '../../electron/contract/inference.ts'
import { chatHistoryForModel } from '../../electron/core/inference/prompt-formats/history.ts'
import {
  FINAL_RESPONSE_HEADER,
  splitThinking,
  ThinkingSplitter,
  type AnswerParts,
} from '../../electron/core/inference/prompt-formats/thinking.ts'

// HuatuoGPT-o1's answers: '## Thinking\n\n{}\n\n## Final Response\n\n{}' (HuatuoGPT-o1 SFT_stage1.py).
const reasoning = '患者头痛三天，伴恶心。\n\n需排除颅内压增高 (ICP)；## 不是标题。😷'
const answer = '建议尽快就医，必要时做头颅 CT。\n\n## 注意\n\n多休息。'
const o1Answer = `## Thinking\n\n${reasoning}\n\n## Final Response\n\n${answer}`

/** Feeds chunks, checking after each that nothing shown so far is ever taken back. */
function stream(chunks: string[], expected: AnswerParts): AnswerParts {
  const splitter = new ThinkingSplitter()
  const shown: AnswerParts = { thinking: '', response: '' }
  for (const chunk of chunks) {
    const delta = splitter.push(chunk)
    shown.thinking += delta.thinking
    shown.response += delta.response
    // Shown text only grows toward the final parts: a partial marker never appears as text.
    expect(expected.thinking.startsWith(shown.thinking)).toBe(true)
    expect(expected.response.startsWith(shown.response)).toBe(true)
  }
  const rest = splitter.finish()
  shown.thinking += rest.thinking
  shown.response += rest.response
  return shown
}

describe('HuatuoGPT-o1 answer split, whole text', () => {
  it('splits thinking from the final response', () => {
    expect(splitThinking(o1Answer)).toEqual({ thinking: reasoning, response: answer })
  })

  it('an answer without thinking is all response, untouched', () => {
    expect(splitThinking('  直接回答。\n')).toEqual({ thinking: '', response: '  直接回答。\n' })
    expect(splitThinking('')).toEqual({ thinking: '', response: '' })
    expect(splitThinking('## Thi')).toEqual({ thinking: '', response: '## Thi' })
    expect(splitThinking('## 诊断\n\n偏头痛')).toEqual({ thinking: '', response: '## 诊断\n\n偏头痛' })
  })

  it('an answer cut off while thinking has thinking only', () => {
    expect(splitThinking('## Thinking\n\n先分析症状\n\n## Final Resp')).toEqual({
      thinking: '先分析症状\n\n## Final Resp',
      response: '',
    })
    expect(splitThinking('## Thinking\n\n')).toEqual({ thinking: '', response: '' })
  })

  it('tolerates whitespace before the first header and single newlines around the markers', () => {
    expect(splitThinking('\n ## Thinking\n想\n## Final Response\n答')).toEqual({ thinking: '想', response: '答' })
  })
})

describe('HuatuoGPT-o1 answer split, streamed', () => {
  const expected = { thinking: reasoning, response: answer }

  it('every single split point gives the same parts', () => {
    for (let i = 0; i <= o1Answer.length; i++) {
      expect(stream([o1Answer.slice(0, i), o1Answer.slice(i)], expected)).toEqual(expected)
    }
  })

  it('every pair of split points around the Final Response marker (mid-marker included)', () => {
    const markerStart = o1Answer.indexOf(FINAL_RESPONSE_HEADER)
    const from = markerStart - 4
    const to = markerStart + FINAL_RESPONSE_HEADER.length + 4
    for (let i = from; i <= to; i++) {
      for (let j = i; j <= to; j++) {
        expect(stream([o1Answer.slice(0, i), o1Answer.slice(i, j), o1Answer.slice(j)], expected)).toEqual(expected)
      }
    }
  })

  it('one code unit at a time (surrogate pairs split too)', () => {
    expect(stream([...o1Answer.split('')], expected)).toEqual(expected)
  })

  it('an answer without thinking streams as response once it cannot be a header', () => {
    const splitter = new ThinkingSplitter()
    expect(splitter.push('## ')).toEqual({ thinking: '', response: '' })
    expect(splitter.push('诊断')).toEqual({ thinking: '', response: '## 诊断' })
    expect(splitter.push('：偏头痛')).toEqual({ thinking: '', response: '：偏头痛' })
    expect(splitter.finish()).toEqual({ thinking: '', response: '' })
  })

  it('holds back exactly a possible marker, then releases it as thinking if it was not one', () => {
    const splitter = new ThinkingSplitter()
    expect(splitter.push('## Thinking\n\n考虑偏头痛\n\n## Fin')).toEqual({ thinking: '考虑偏头痛', response: '' })
    expect(splitter.push('ally')).toEqual({ thinking: '\n\n## Finally', response: '' })
    expect(splitter.push('\n\n## Final Response\n\n')).toEqual({ thinking: '', response: '' })
    expect(splitter.push('就医')).toEqual({ thinking: '', response: '就医' })
  })
})

describe('history sent back to the model', () => {
  const stored: ConsultationTurnText[] = [
    { role: 'patient', text: '头痛' },
    { role: 'model', text: o1Answer },
    { role: 'patient', text: '还要注意什么？' },
  ]

  it('o1: only the final response of earlier answers', () => {
    expect(chatHistoryForModel(stored, 'o1')).toEqual([
      { type: 'user', text: '头痛' },
      { type: 'model', response: [answer] },
      { type: 'user', text: '还要注意什么？' },
    ])
  })

  it('other families: texts exactly as stored', () => {
    expect(chatHistoryForModel(stored, 'ii')[1]).toEqual({ type: 'model', response: [o1Answer] })
    expect(chatHistoryForModel([{ role: 'model', text: ' 空格 ' }], 'o1')).toEqual([{ type: 'model', response: [' 空格 '] }])
  })
})
