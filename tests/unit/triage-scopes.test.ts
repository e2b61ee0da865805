import { describe, expect, it } from 'vitest'
import { isLongStanding } from '../../electron/core/clinical/triage/chronic.ts'
import { isHypothetical } from '../../electron/core/clinical/triage/hypothetical.ts'
import { normalizePatientText } from '../../electron/core/clinical/triage/normalize.ts'
import { isResolved } from '../../electron/core/clinical/triage/resolved.ts'

// The other scope rules: worry and knowledge questions, long-standing complaints, stopped bleeds.

function at(text: string, sign: string): { text: string; start: number; end: number } {
  const { text: normalized } = normalizePatientText(text)
  const start = normalized.lastIndexOf(sign)
  expect(start, `"${sign}" in "${normalized}"`).toBeGreaterThanOrEqual(0)
  return { text: normalized, start, end: start + sign.length }
}

describe('worry, hypotheticals and knowledge questions', () => {
  it.each([
    ['怎么预防中风？', '中风'],
    ['担心自己会心梗', '心梗'],
    ['如果突然胸痛应该怎么办？', '胸痛'],
    ['会不会是中风', '中风'],
    ['心梗的症状有哪些', '心梗'],
    ['What are the warning signs of a stroke?', 'stroke'],
    ["I'm worried about having a heart attack", 'heart attack'],
    ['can stress cause chest pain', 'chest pain'],
  ])('%s — %s', (text, sign) => {
    const { text: t, start, end } = at(text, sign)
    expect(isHypothetical(t, start, end)).toBe(true)
  })

  it.each([
    ['怕冷发烧', '发烧', '怕冷 is a symptom, not a worry'],
    ['是不是中风了？嘴巴歪了', '嘴巴歪', 'the question is about the name; the droop is reported'],
    ['胸口痛是心脏病吗', '胸口痛', 'the pain is reported; the question is about its cause'],
    ['脑梗引起的头疼', '头疼', '"caused by" is not a hypothetical'],
    ['I think my dad is having a stroke', 'having a stroke', 'a report'],
  ])('%s — %s (reported, %s)', (text, sign) => {
    const { text: t, start, end } = at(text, sign)
    expect(isHypothetical(t, start, end)).toBe(false)
  })
})

describe('long-standing complaints', () => {
  it.each([
    ['左手麻木两个月了', '左手麻'],
    ['便血好几个月了，有时候有有时候没有', '便血'],
    ['胸闷好几年了', '胸闷'],
    ['有时候胸口痛', '胸口痛'],
    ['left arm numb on and off for years', 'left arm numb'],
  ])('%s — %s', (text, sign) => {
    const { text: t, start } = at(text, sign)
    expect(isLongStanding(t, start)).toBe(true)
  })

  it.each([
    ['胸闷好几年了，最近加重', '胸闷', 'it changed'],
    ['今天有时候胸痛', '胸痛', 'today'],
    ['高血压十年了，右边手脚没劲', '右边手脚没劲', 'the duration belongs to another clause'],
    ['左手突然麻了', '左手', 'sudden'],
  ])('%s — %s (new: %s)', (text, sign) => {
    const { text: t, start } = at(text, sign)
    expect(isLongStanding(t, start)).toBe(false)
  })
})

describe('bleeding that stopped', () => {
  it.each([
    ['鼻血止不住，按了二十分钟终于止住了', '止不住'],
    ['血流不止，后来自己停了', '血流不止'],
    ['bleeding heavily, it has stopped now', 'bleeding heavily'],
  ])('%s — %s', (text, sign) => {
    const { text: t, start, end } = at(text, sign)
    expect(isResolved(t, start, end)).toBe(true)
  })

  it('a bleed that goes on is not resolved', () => {
    const { text, start, end } = at('鼻血流了四十分钟了还止不住', '止不住')
    expect(isResolved(text, start, end)).toBe(false)
  })
})
