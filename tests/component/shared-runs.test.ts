import { describe, expect, it } from 'vitest'
import { excerptOf, piecesOf, sharedRuns, textUnits } from '../../renderer/src/records/shared-runs.ts'

// What the record editor highlights in a cited message: the runs of two or more units (a CJK
// character, a Latin word or number) the drafted section also has in the same order, and a lone
// Latin word of four letters or more; punctuation and spaces never start or end a run.

/** The shared parts of the message, as text. */
function shared(message: string, section: string): string[] {
  return sharedRuns(message, section).map(([start, end]) => message.slice(start, end))
}

describe('textUnits', () => {
  it('reads each CJK character and each Latin word or number (decimals kept, lowercased) as one unit, and nothing else', () => {
    expect(textUnits('头痛3天，体温 37.8℃ Fever!').map((unit) => unit.key)).toEqual(['头', '痛', '3', '天', '体', '温', '37.8', 'fever'])
    expect(textUnits('，。！？、 ……   ')).toEqual([])
  })

  it('reads full-width Latin letters and digits as their ASCII words, at their own place in the text', () => {
    const units = textUnits('服用ＡＢＣ１０片')
    expect(units.map((unit) => unit.key)).toEqual(['服', '用', 'abc10', '片'])
    expect(units[2]).toMatchObject({ start: 2, end: 7, latinLetters: 3 })
  })
})

describe('sharedRuns', () => {
  it('marks the Chinese runs of two or more characters the section repeats, not single characters', () => {
    const message = '我头痛三天了，还有点发烧，晚上睡不好。'
    const section = '头痛3天，伴发烧。'
    expect(shared(message, section)).toEqual(['头痛', '发烧'])
  })

  it('joins overlapping bigrams into one run and returns ranges of the message string', () => {
    const message = '患者昨天开始咳嗽咳痰'
    expect(sharedRuns(message, '咳嗽咳痰两天')).toEqual([[6, 10]])
    expect(shared(message, '咳嗽咳痰两天')).toEqual(['咳嗽咳痰'])
  })

  it('lets a run cross punctuation inside it, but never start or end on it', () => {
    expect(shared('头痛，发热，三天。', '头痛发热三天')).toEqual(['头痛，发热，三天'])
    expect(shared('（头痛）', '头痛')).toEqual(['头痛'])
  })

  it('finds no run where the section shares no wording: a weak link', () => {
    expect(sharedRuns('查体：咽部充血，扁桃体无肿大', '上呼吸道感染')).toEqual([])
    // One character in common is not a run.
    expect(sharedRuns('咽痛', '头痛')).toEqual([])
  })

  it('never counts punctuation or spaces alone, however much of it the two share', () => {
    expect(sharedRuns('……，。！！  ', '……，。！！  ')).toEqual([])
    expect(sharedRuns('，。', '头痛，。')).toEqual([])
  })

  it('matches Latin words case-insensitively, as pairs of words or as one word of four letters or more', () => {
    expect(shared('Severe Headache since Monday', 'headache, since monday')).toEqual(['Headache since Monday'])
    expect(shared('I have a fever', 'Fever for two days')).toEqual(['fever'])
    // Short words alone are not evidence.
    expect(sharedRuns('I had it', 'it is')).toEqual([])
    // Numbers alone neither.
    expect(sharedRuns('37.8', '最高37.8')).toEqual([])
  })

  it('handles mixed Chinese, numbers and Latin: a number beside a character is a run', () => {
    const message = '体温38.5℃，做过CT，提示肺炎'
    const section = '发热，最高体温38.5℃；胸部CT提示肺炎。'
    expect(shared(message, section)).toEqual(['体温38.5', 'CT，提示肺炎'])
  })
})

describe('piecesOf and excerptOf', () => {
  it('cuts the message at the runs for marking, keeping every character once', () => {
    const message = '我头痛三天了'
    const pieces = piecesOf(message, sharedRuns(message, '头痛三天'))
    expect(pieces).toEqual([
      { text: '我', shared: false },
      { text: '头痛三天', shared: true },
      { text: '了', shared: false },
    ])
    expect(pieces.map((piece) => piece.text).join('')).toBe(message)
  })

  it('names a link by the longest run it shares, or by the message’s beginning when it shares none', () => {
    const message = '前两天受凉，之后开始咳嗽，夜间加重，痰是黄色的'
    expect(excerptOf(message, sharedRuns(message, '咳嗽2天，夜间加重，咳黄痰'))).toBe('夜间加重')
    expect(excerptOf(message, [])).toBe('前两天受凉，之后开始咳嗽，夜…')
  })
})
