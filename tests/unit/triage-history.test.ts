import { describe, expect, it } from 'vitest'
import { isHistory } from '../../electron/core/clinical/triage/history.ts'
import { normalizePatientText } from '../../electron/core/clinical/triage/normalize.ts'
import { inHistorySection } from '../../electron/core/clinical/triage/sections.ts'

// History as its own rule: what happened before and is over is not today's emergency — until a
// word for "now" says it is happening again.

function past(text: string, sign: string, occurrence: 'first' | 'last' = 'first'): boolean {
  const { text: normalized } = normalizePatientText(text)
  const start = occurrence === 'first' ? normalized.indexOf(sign) : normalized.lastIndexOf(sign)
  expect(start, `"${sign}" in "${normalized}"`).toBeGreaterThanOrEqual(0)
  return isHistory(normalized, start, start + sign.length)
}

describe('history', () => {
  it.each([
    ['三年前中过风', '中过风', 'a time in the past, and 过'],
    ['他中过风', '中过风', 'experiential 过 alone'],
    ['以前心梗放过支架', '心梗', '以前'],
    ['去年车祸后一直腰疼', '车祸', '去年'],
    ['两个月前发烧住过院', '发烧', 'months ago'],
    ['四周岁左右的时候有过一次短暂晕厥', '晕厥', 'an age back then'],
    ['2016年2月（1岁时）摔倒碰到头部', '碰到头部', 'a time clause in brackets before'],
    ['三年前，他中风了', '中风了', 'a clause that is only a time carries over'],
    ['吐过血', '吐过血', 'V过O'],
    ['晕倒过一次', '晕倒', '过 right after the sign'],
    ['我爸心梗去世了', '心梗', 'a relative who died of it'],
    ['脑梗后遗症', '脑梗', 'sequelae'],
    ['心梗史', '心梗', '史'],
    ['Had a stroke in 2019, now doing well', 'had a stroke', 'a year after the sign'],
    ['history of seizures', 'seizures', 'history of'],
    ['as a child I had seizures', 'seizures', 'as a child'],
    ['I had a heart attack 3 years ago', 'heart attack', 'years ago'],
    ['既往病史：【慢性疾病】：脑梗，心梗放过支架', '心梗', 'the past-history section'],
    ['过敏史：青霉素过敏性休克', '过敏性休克', 'the allergy section'],
    ['家族史：父亲脑梗', '脑梗', 'the family-history section'],
  ])('%s — %s (%s)', (text, sign) => {
    expect(past(text, sign)).toBe(true)
  })

  it.each([
    ['以前心梗放过支架，现在又胸口闷', '胸口闷', 'first', 'a new clause about now'],
    ['三年前中过风，今天又说话不清楚', '说话不清楚', 'first', 'today'],
    ['20年3月20号又晕厥了一次', '晕厥', 'first', '又: it happened again'],
    ['以前心梗放过支架，现在又心梗了', '心梗', 'last', '现在 between the cue and the sign'],
    ['睡觉以前胸口痛', '胸口痛', 'first', '睡觉以前 is "before sleeping"'],
    ['以前从来没有这样胸口痛过', '胸口痛', 'first', 'first time ever'],
    ['刚才晕倒过一次', '晕倒', 'first', '过 with 刚才 is recent'],
    ['今天胸痛', '胸痛', 'first', 'nothing past'],
    ['had a stroke this morning', 'had a stroke', 'first', 'this morning'],
    ['疾病：头痛 病情描述：今天突然头痛 过敏史：无', '突然头痛', 'first', 'the complaint section is not history'],
  ] as Array<[string, string, 'first' | 'last', string]>)('%s — %s (not history: %s)', (text, sign, occurrence) => {
    expect(past(text, sign, occurrence)).toBe(false)
  })
})

describe('history sections of a form', () => {
  it('runs from a history label to the next label', () => {
    const text = normalizePatientText('疾病:头痛 病情描述:突然剧烈头痛 过敏史:青霉素 既往病史:高血压 用药情况:氨氯地平').text
    expect(inHistorySection(text, text.indexOf('剧烈'))).toBe(false)
    expect(inHistorySection(text, text.indexOf('青霉素'))).toBe(true)
    expect(inHistorySection(text, text.indexOf('高血压'))).toBe(true)
    expect(inHistorySection(text, text.indexOf('氨氯地平'))).toBe(false)
  })
})
