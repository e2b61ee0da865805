import { describe, expect, it } from 'vitest'
import type { TriageContext } from '../../electron/contract/triage.ts'
import { agesInText } from '../../electron/core/clinical/triage/age.ts'
import { normalizePatientText } from '../../electron/core/clinical/triage/normalize.ts'
import { child, headInjuryAge, olderAdult, patientFacts, pregnantPatient, youngInfant } from '../../electron/core/clinical/triage/patient-facts.ts'
import {
  bloodPressureCrisis,
  bloodPressureLow,
  glucoseLow,
  glucoseVeryHigh,
  heartRateExtreme,
  thermometerFever,
  thermometerReading,
} from '../../electron/core/clinical/triage/readings.ts'
import { findSign, SignFindings } from '../../electron/core/clinical/triage/scanner.ts'
import type { Sign } from '../../electron/core/clinical/triage/types.ts'

// Who the patient is (age, pregnancy, child or older adult) from the text and the header, and the
// numbers they report.

const ages = (text: string) => agesInText(normalizePatientText(text)).map((age) => Math.round(age.years * 1000) / 1000)
const facts = (text: string, context: TriageContext = {}) => {
  const normalized = normalizePatientText(text)
  return patientFacts(normalized, new SignFindings(normalized), context)
}
const reads = (sign: Sign, text: string) => findSign(normalizePatientText(text), sign).some((finding) => finding.status === 'present')

describe('ages in the text', () => {
  it.each([
    ['我爸今年62', [62]],
    ['七十多岁的老人', [70.5]],
    ['孩子18周岁', [18]],
    ['孩子2岁3个月', [2]],
    ['宝宝两个半月', [0.208]],
    ['宝宝3个多月', [0.292]],
    ['两个月大的宝宝', [0.167]],
    ['出生20天的宝宝', [0.055]],
    ['宝宝50天', [0.137]],
    ['100天宝宝', [0.274]],
    ['新生儿黄疸', [0.038]],
    ['my 6 week old', [0.115]],
    ['a 7-week-old baby', [0.134]],
    ['55 yo male', [55]],
    ['宝宝 2 months', [0.167]],
  ])('%s → %j years', (text, expected) => {
    expect(ages(text)).toEqual(expected)
  })

  it.each([
    ['咳嗽两个月了', 'a duration'],
    ['宝宝两个月前发烧住过院', 'a time ago'],
    ['四周岁左右的时候有过一次晕厥', 'an age back then'],
    ['1岁时摔倒', 'same'],
    ['怀孕32周', 'weeks of pregnancy'],
    ['今年2月开始', 'a month of this year'],
  ])('%s has no age (%s)', (text) => {
    expect(ages(text)).toEqual([])
  })
})

describe('pregnancy', () => {
  it.each(['怀孕32周', '孕8周', '孕晚期', '我是孕妇', '验孕两条杠', '停经40多天', "I'm 34 weeks pregnant", '怀运7个月了'])('%s: pregnant', (text) => {
    expect(facts(text).pregnancy).not.toBeNull()
  })

  it.each([
    '未怀孕',
    '怀孕情况：未怀孕',
    '没有怀孕',
    '备孕中',
    '有怀孕的可能吗',
    '19年孕12周胎停',
    'not pregnant',
    'trying to get pregnant',
    '生完孩子第五天',
  ])('%s: not known pregnant', (text) => {
    expect(facts(text).pregnancy).toBeNull()
  })

  it('comes from the header too, and the header alone adds no words', () => {
    expect(facts('下面出血了', { pregnant: true }).pregnancy).toEqual([])
    expect(pregnantPatient.evidence(facts('下面出血了', { pregnant: true }))).toEqual([])
    expect(facts('下面出血了', { pregnant: true, sex: 'male' }).pregnancy).toBeNull()
  })
})

describe('patient conditions', () => {
  it('an infant under 3 months from the text or the header', () => {
    expect(youngInfant.evidence(facts('宝宝两个月，发烧'))).toEqual(['宝宝两个月'])
    expect(youngInfant.evidence(facts('发烧', { ageYears: 0.15 }))).toEqual([])
    expect(youngInfant.evidence(facts('宝宝三个多月，发烧'))).toBeNull()
    expect(youngInfant.evidence(facts('发烧', { ageYears: 8 }))).toBeNull()
  })

  it('an infant whose every reading is below 38 °C is not febrile', () => {
    expect(youngInfant.evidence(facts('宝宝两个月，有点发热，37.6'))).toBeNull()
    expect(youngInfant.evidence(facts('宝宝两个月，有点发热，体温37.6'))).toBeNull()
    expect(youngInfant.evidence(facts('宝宝两个月，体温38.2'))).not.toBeNull()
  })

  it('a child by age or by word, unless the text gives an adult age', () => {
    expect(child.evidence(facts('宝宝拉肚子'))).toEqual([])
    expect(child.evidence(facts('拉肚子', { ageYears: 3 }))).toEqual([])
    expect(child.evidence(facts('儿子30岁了，拉肚子'))).toBeNull()
    expect(child.evidence(facts('拉肚子', { ageYears: 40 }))).toBeNull()
    expect(child.evidence(facts('宝宝拉肚子', { ageYears: 30 }))).toEqual([])
  })

  it('older adults by age or by word', () => {
    expect(olderAdult.evidence(facts('我爸今年62'))).toEqual(['今年62'])
    expect(olderAdult.evidence(facts('奶奶胸口闷'))).toEqual([])
    expect(olderAdult.evidence(facts('胸口闷', { ageYears: 30 }))).toBeNull()
    expect(headInjuryAge.evidence(facts('老人摔倒头破了'))).toEqual([])
    expect(headInjuryAge.evidence(facts('宝宝8个月大，头磕了'))).toEqual(['宝宝8个月大'])
  })
})

describe('readings', () => {
  it('temperature: only with its word, in °C or °F, in digits or Chinese', () => {
    expect(reads(thermometerFever, '发烧38.5')).toBe(true)
    expect(reads(thermometerFever, '体温三十九度')).toBe(true)
    expect(reads(thermometerFever, '发烧38度5')).toBe(true)
    expect(reads(thermometerFever, 'temp 100.8F')).toBe(true)
    expect(reads(thermometerFever, '38C fever')).toBe(true)
    expect(reads(thermometerFever, '发烧两天38度')).toBe(true)
    expect(reads(thermometerFever, '体温37.2')).toBe(false)
    expect(reads(thermometerReading, '体温37.2')).toBe(true)
    expect(reads(thermometerReading, '今天38度，好热')).toBe(false)
    expect(reads(thermometerReading, '发烧了三天')).toBe(false)
  })

  it('blood pressure: 180/120 is a crisis, 160/90 is not; low pressure counts for shock', () => {
    expect(reads(bloodPressureCrisis, '血压200/120')).toBe(true)
    expect(reads(bloodPressureCrisis, 'BP 185/125')).toBe(true)
    expect(reads(bloodPressureCrisis, '高压190低压100')).toBe(true)
    expect(reads(bloodPressureCrisis, '收缩压200')).toBe(true)
    expect(reads(bloodPressureCrisis, '血压160/90')).toBe(false)
    expect(reads(bloodPressureCrisis, '今天 200/120')).toBe(false)
    expect(reads(bloodPressureLow, '血压掉到80/50')).toBe(true)
  })

  it('glucose: low and high thresholds, mg/dL converted, Chinese numerals only with a decimal point', () => {
    expect(reads(glucoseLow, '测血糖2.8')).toBe(true)
    expect(reads(glucoseLow, '血糖二点八')).toBe(true)
    expect(reads(glucoseLow, 'blood sugar 50 mg/dl')).toBe(true)
    expect(reads(glucoseLow, '空腹血糖7.8')).toBe(false)
    expect(reads(glucoseLow, '血糖一直偏高')).toBe(false)
    expect(reads(glucoseVeryHigh, 'blood sugar 28 mmol')).toBe(true)
    expect(reads(glucoseVeryHigh, 'glucose 400 mg/dl')).toBe(true)
  })

  it('heart rate: ≥150 or 20–40', () => {
    expect(reads(heartRateExtreme, '心跳180多')).toBe(true)
    expect(reads(heartRateExtreme, '心率40以下')).toBe(true)
    expect(reads(heartRateExtreme, '心跳一百六')).toBe(true)
    expect(reads(heartRateExtreme, '心率90')).toBe(false)
    expect(reads(heartRateExtreme, '心跳漏了一拍')).toBe(false)
  })
})
