import { describe, expect, it } from 'vitest'
import { isLongStanding } from '../../electron/core/clinical/triage/chronic.ts'
import { isHearsay } from '../../electron/core/clinical/triage/hearsay.ts'
import { isHypothetical } from '../../electron/core/clinical/triage/hypothetical.ts'
import { isNegated } from '../../electron/core/clinical/triage/negation.ts'
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

describe('hearsay: what the patient only read, watched, studied or asks about in general', () => {
  it.each([
    ['新闻说有个小孩误喝了农药，好可怜', '农药'],
    ['在看一本小说，里面有人吃安眠药自杀，写得好压抑', '自杀'],
    ['看了个纪录片讲大出血抢救，想知道输血一般要输多少', '大出血'],
    ['孩子高热惊厥的时候家长应该怎么处理？', '惊厥'],
    ['过敏性休克的时候肾上腺素笔应该怎么用？', '休克'],
    ['心肺复苏按压的频率是多少？单位要培训', '心肺复苏'],
    ["I'm writing a school essay on suicide prevention", 'suicide'],
    ['Saw a documentary about snake bites in India', 'snake bites'],
    ['The character in my novel has a seizure, how would it realistically look?', 'seizure'],
    ['What are the warning signs that someone might be suicidal?', 'suicidal'],
  ])('%s — %s', (text, sign) => {
    const { text: t, start } = at(text, sign)
    expect(isHearsay(t, start)).toBe(true)
  })

  it.each([
    ['看电影的时候突然胸口剧痛，出冷汗', '胸口剧痛', 'what happened while watching is today’s'],
    ['做作业的时候突然抽搐', '抽搐', 'an activity is not a source'],
    ['watching TV when the chest pain started', 'chest pain', 'the activity, not a programme about it'],
    ['My BP reading is 220/130 and I have chest pain', 'chest pain', 'a reading is a measurement'],
    ['胸口疼，应该怎么办', '胸口疼', 'asking what to do about one’s own pain'],
  ])('%s — %s (the patient’s own, %s)', (text, sign) => {
    const { text: t, start } = at(text, sign)
    expect(isHearsay(t, start)).toBe(false)
  })
})

describe('denials inside the words of a sign, and in dialect', () => {
  it.each([
    ['嘴没歪，说话也清楚', '嘴没歪'],
    ['嘴唇不肿，呼吸也正常', '嘴唇不肿'],
    ['莫得胸口痛，也不气紧', '胸口痛'],
    ['冇胸痛', '胸痛'],
  ])('%s — %s', (text, sign) => {
    const { text: t, start, end } = at(text, sign)
    expect(isNegated(t, start, end)).toBe(true)
  })

  it.each([
    ['叫不醒', '叫不醒'],
    ['喘不上气', '喘不上气'],
    ['血止不住', '血止不住'],
  ])('%s stays what it says', (text, sign) => {
    const { text: t, start, end } = at(text, sign)
    expect(isNegated(t, start, end)).toBe(false)
  })
})
