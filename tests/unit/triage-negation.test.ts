import { describe, expect, it } from 'vitest'
import { chineseGapIsList, englishGapIsList, isNegated } from '../../electron/core/clinical/triage/negation.ts'
import { normalizePatientText } from '../../electron/core/clinical/triage/normalize.ts'

// Negation as its own rule: a cue denies a sign only across fillers and lists of other complaints.

/** Is `sign` (its first occurrence, after normalization) denied in `text`? */
function denied(text: string, sign: string): boolean {
  const { text: normalized } = normalizePatientText(text)
  const start = normalized.indexOf(sign)
  expect(start, `"${sign}" in "${normalized}"`).toBeGreaterThanOrEqual(0)
  return isNegated(normalized, start, start + sign.length)
}

describe('negation denies', () => {
  it.each([
    ['没有胸痛', '胸痛'],
    ['否认胸痛', '胸痛'],
    ['无呼吸困难', '呼吸困难'],
    ['不发烧，不咳嗽', '发烧'],
    ['不发烧，不咳嗽', '咳嗽'],
    ['没什么胸痛', '胸痛'],
    ['无明显胸痛、胸闷', '胸闷'],
    ['没有发烧、咳嗽和胸痛', '胸痛'],
    ['否认高血压、糖尿病、冠心病史', '冠心病'],
    ['并没有出现呼吸困难', '呼吸困难'],
    ['没有发烧咳嗽胸痛', '胸痛'],
    ['胸痛：无', '胸痛'],
    ['呼吸困难(-)', '呼吸困难'],
    ['差点晕倒', '晕倒'],
    ['denies chest pain', 'chest pain'],
    ['no fever or chest pain', 'chest pain'],
    ['He denies chest pain, shortness of breath or fever.', 'shortness of breath'],
    ["I don't have any chest pain", 'chest pain'],
    ["she doesn't have a fever", 'fever'],
    ['without any difficulty breathing', 'difficulty breathing'],
    ["I've never had a seizure", 'seizure'],
    ['no thoughts of self-harm', 'self-harm'],
    ['I almost fainted', 'fainted'],
    ['没有 chest pain', 'chest pain'],
  ])('%s — %s', (text, sign) => {
    expect(denied(text, sign)).toBe(true)
  })
})

describe('negation leaves positive', () => {
  it.each([
    ['胸痛', '胸痛', 'no cue at all'],
    ['没吃早饭就晕倒了', '晕倒', 'the cue negates the breakfast'],
    ['无明显诱因出现胸痛', '胸痛', '"no obvious cause" is not "no chest pain"'],
    ['没什么原因突然胸痛', '胸痛', 'same'],
    ['不知道为什么胸口痛', '胸口痛', '"don\'t know why"'],
    ['以前从来没有这样胸口痛过', '胸口痛', '"never like this before" means it is new'],
    ['没有发烧，但是胸口痛得厉害', '胸口痛', 'a comma ends a Chinese negation'],
    ['没有发烧但胸痛', '胸痛', 'but ends it too'],
    ['是不是胸痛引起的', '胸痛', 'A-not-A is a question, not a denial'],
    ['有没有可能是胸痛', '胸痛', 'same'],
    ['胸痛无法忍受', '胸痛', '无法 after the sign is not a denial'],
    ['不停抽搐', '抽搐', '不停 means it keeps going'],
    ['没睡好胸口闷', '胸口闷', 'the cue negates the sleep'],
    ['not sure why my chest hurts', 'chest hurts', '"not sure"'],
    ['no fever, but my chest hurts', 'chest hurts', '"but" ends the list'],
    ['never had chest pain like this before', 'chest pain', '"like this before" means it is new'],
    ['no idea, he is not breathing', 'not breathing', 'the sign contains its own "not"'],
  ])('%s — %s (%s)', (text, sign) => {
    expect(denied(text, sign)).toBe(false)
  })
})

describe('the list grammar between a cue and a sign', () => {
  it('accepts fillers, other complaints and separators', () => {
    expect(chineseGapIsList('')).toBe(true)
    expect(chineseGapIsList('明显的')).toBe(true)
    expect(chineseGapIsList('发烧、咳嗽和')).toBe(true)
    expect(chineseGapIsList('任何肚子疼或者')).toBe(true)
    expect(englishGapIsList(' any ')).toBe(true)
    expect(englishGapIsList(' fever, cough or ')).toBe(true)
    expect(englishGapIsList(' history of ')).toBe(true)
  })

  it('rejects anything that is not a list', () => {
    expect(chineseGapIsList('吃早饭就')).toBe(false)
    expect(chineseGapIsList('明显诱因出现')).toBe(false)
    expect(chineseGapIsList('这样')).toBe(false)
    expect(chineseGapIsList('很'.repeat(40))).toBe(false)
    expect(englishGapIsList(' sure why my ')).toBe(false)
    expect(englishGapIsList(' fever and my ')).toBe(false)
    expect(englishGapIsList(' 12 hours ')).toBe(false)
  })
})
