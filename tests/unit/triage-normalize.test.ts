import { describe, expect, it } from 'vitest'
import { parsePatientNumber } from '../../electron/core/clinical/triage/chinese-numbers.ts'
import { normalizePatientText, originalWords } from '../../electron/core/clinical/triage/normalize.ts'

// Text normalization: what the rules read, and the way back to the patient's own words.

const normalized = (text: string) => normalizePatientText(text).text

/** The patient's words behind the first occurrence of `word` in the normalized text. */
function wordsBehind(text: string, word: string): string {
  const n = normalizePatientText(text)
  const start = n.text.indexOf(word)
  expect(start, `${word} in ${n.text}`).toBeGreaterThanOrEqual(0)
  return originalWords(n, start, start + word.length)
}

describe('normalizePatientText', () => {
  it('folds full-width letters, digits and punctuation to ASCII, and lower-cases', () => {
    expect(normalized('ＢＰ２１０／１３０，头痛！')).toBe('bp210/130,头痛!')
    expect(normalized('Chest PAIN')).toBe('chest pain')
    expect(normalized('体温39℃')).toBe('体温39°c')
  })

  it('simplifies the traditional characters of symptoms, body parts and people', () => {
    expect(normalized('呼吸困難，頭暈，寶寶發燒')).toBe('呼吸困难,头晕,宝宝发烧')
    expect(normalized('說話不清楚，嘴巴歪了')).toBe('说话不清楚,嘴巴歪了')
  })

  it('corrects pinyin slips and English misspellings', () => {
    expect(normalized('凶口闷')).toBe('胸口闷')
    expect(normalized('孩子抽畜了')).toBe('孩子抽搐了')
    expect(normalized('吐雪了')).toBe('吐血了')
    expect(normalized('怀运7个月')).toBe('怀孕7个月')
    expect(normalized('被蜜蜂蛰了')).toBe('被蜜蜂蜇了')
    expect(normalized('he is unconcious and I cant wake him')).toBe("he is unconscious and i can't wake him")
    expect(normalized('chest pian')).toBe('chest pain')
  })

  it('does not touch words that only contain a typo form', () => {
    expect(normalized('心更加难受')).toBe('心更加难受')
    expect(normalized('cantonese')).toBe('cantonese')
  })

  it('straightens curly apostrophes so English contractions match', () => {
    expect(normalized('I can’t breathe')).toBe("i can't breathe")
  })

  it('closes a space inside a Chinese word, but reads a space between phrases as a pause', () => {
    expect(normalized('胸口 闷')).toBe('胸口闷')
    expect(normalized('凶口闷 喘不上气 怎么办啊')).toBe('胸口闷,喘不上气,怎么办啊')
    expect(normalized('宝宝 2 months')).toBe('宝宝 2 months')
    expect(normalized('没有 胸痛 呼吸困难')).toBe('没有胸痛,呼吸困难')
  })

  it("maps every span back to the patient's own characters, typos and all", () => {
    expect(wordsBehind('医生，凶口闷', '胸口闷')).toBe('凶口闷')
    expect(wordsBehind('ＢＰ　２１０／１３０', 'bp 210/130')).toBe('ＢＰ　２１０／１３０')
    expect(wordsBehind('呼吸困難', '呼吸困难')).toBe('呼吸困難')
    expect(wordsBehind('体温39℃了', '39°c')).toBe('39℃')
    expect(wordsBehind('my friend is unconcious', 'unconscious')).toBe('unconcious')
  })

  it('keeps emoji and other characters intact', () => {
    const n = normalizePatientText('😷胸痛')
    expect(n.text).toBe('😷胸痛')
    expect(originalWords(n, n.text.indexOf('胸'), n.text.length)).toBe('胸痛')
  })
})

describe('parsePatientNumber', () => {
  it.each([
    ['38.5', 38.5],
    ['三十八', 38],
    ['三十九点五', 39.5],
    ['一百八', 180],
    ['一百八十', 180],
    ['一百零八', 108],
    ['十八', 18],
    ['两', 2],
    ['二十五', 25],
    ['四十', 40],
  ])('%s → %d', (text, value) => {
    expect(parsePatientNumber(text)).toBe(value)
  })

  it('rejects what is not a number', () => {
    expect(parsePatientNumber('三八')).toBeNull()
    expect(parsePatientNumber('好几')).toBeNull()
    expect(parsePatientNumber('')).toBeNull()
  })
})
