// Numbers patients report: thermometer readings (38.5, 三十九度, 38度5, 100.8F), blood pressure
// (160/90, 高压150低压95, BP 185/125), blood glucose (2.8, 二点八, 50 mg/dl, 血糖测出来HI) and heart
// rate (心率40, 心跳180多). A reading counts only with its word (体温, 血压, 血糖, 心率 …): "今天38度"
// is the weather.
import { parsePatientNumber } from './chinese-numbers.ts'
import { G } from './patterns.ts'
import type { Sign } from './types.ts'

// Temperature: value, unit, and the digit of "38度5".
const temperatureWord =
  '(?:体温|发烧|发热|高烧|低烧|高热|烧到|烧了|温度|探热|腋温|肛温|耳温|额温|\\btemp(?:erature)?(?: of)?|\\bfever(?: of)?|\\bfeverish)'
// Digits, or 三十八/三十九点五 followed by 度 (so "发烧两天" is not a reading of 2).
const temperatureValue = '\\d{2,3}(?:\\.\\d+)?|[三四]十[一二三四五六七八九]?(?:点[零一二三四五六七八九])?(?=度)'
const temperatureAfterWord = new RegExp(
  `${temperatureWord}[^\\d,。;!?\\n]{0,6}?(${temperatureValue})\\s*(度|°c|°f|°|c\\b|f\\b)?(\\d(?!\\d))?`,
  'u',
)
const temperatureBeforeWord = new RegExp(
  `(\\d{2,3}(?:\\.\\d)?)\\s*(度|°c|°f|°|c\\b|f\\b)(\\d(?!\\d))?\\s*(?:的)?\\s*(?:fever|temp|temperature|发烧|发热|高烧|体温)`,
  'u',
)

// A bare 37.6 counts when a fever word comes shortly before it in the sentence ("有点发热，37.6"),
// and not when it is a weight, a length or a lab value.
const bareTemperature =
  /(?<=(?:发烧|发热|高烧|低烧|烧|体温|温度|fever|temp)[^。.!?;\n]{0,20})(?<![\d.])((?:3[5-9]|4[0-2])\.\d)(?![\d.])\s*(度|°c|°f|°|c\b)?(?!\s*(?:kg|公斤|斤|千克|cm|厘米|mm|毫米|%|万|元|mmol|ml|毫升|克|g\b|u\/l))/u

/** °C from a thermometer match, or null when it is not a body temperature. */
export function temperatureOf(match: ReadonlyArray<string | undefined>): number | null {
  let value = parsePatientNumber(match[1] ?? '')
  if (value === null) return null
  if (match[3] !== undefined && Number.isInteger(value)) value += Number(match[3]) / 10
  const fahrenheit = match[2] === '°f' || match[2] === 'f' || (value >= 93 && value <= 110)
  const celsius = fahrenheit ? ((value - 32) * 5) / 9 : value
  return celsius >= 34 && celsius <= 43.5 ? Math.round(celsius * 10) / 10 : null
}

export const thermometerReading: Sign = {
  name: 'thermometer reading',
  patterns: [temperatureAfterWord, temperatureBeforeWord, bareTemperature],
  accept: (match) => temperatureOf(match) !== null,
}

export const thermometerFever: Sign = {
  name: 'temperature ≥ 38 °C',
  patterns: [temperatureAfterWord, temperatureBeforeWord, bareTemperature],
  accept: (match) => (temperatureOf(match) ?? 0) >= 38,
}

// Blood pressure: systolic and diastolic groups; a lone systolic is also a reading (收缩压200).
const bloodPressurePatterns = [
  new RegExp(`(?:血压|\\bbp\\b|blood pressure|收缩压)[^\\d,。;!?\\n]{0,8}(\\d{2,3})多?\\s*(?:/|除以|、|\\bover\\b|-)\\s*(\\d{2,3})`, 'u'),
  new RegExp(`高压${G}{0,3}?(\\d{2,3})[^\\d]{0,4}低压${G}{0,3}?(\\d{2,3})`, 'u'),
  /(\d{2,3})\s*\/\s*(\d{2,3})\s*mmhg/u,
  new RegExp(`(?:血压|高压|收缩压|\\bbp\\b)[^\\d,。;!?\\n]{0,8}(\\d{3})(?![\\d/])`, 'u'),
]

function bloodPressureOf(match: ReadonlyArray<string | undefined>): { systolic: number; diastolic: number | null } {
  return { systolic: Number(match[1]), diastolic: match[2] === undefined ? null : Number(match[2]) }
}

function bloodPressureSign(name: string, test: (systolic: number, diastolic: number | null) => boolean): Sign {
  return {
    name,
    patterns: bloodPressurePatterns,
    accept: (match) => {
      const { systolic, diastolic } = bloodPressureOf(match)
      return systolic >= 50 && systolic <= 300 && test(systolic, diastolic)
    },
  }
}

export const bloodPressureCrisis = bloodPressureSign('blood pressure ≥ 180/120', (s, d) => s >= 180 || (d ?? 0) >= 120)
export const bloodPressureSevereInPregnancy = bloodPressureSign('blood pressure ≥ 160/110', (s, d) => s >= 160 || (d ?? 0) >= 110)
export const bloodPressureHighInPregnancy = bloodPressureSign('blood pressure ≥ 140/90', (s, d) => s >= 140 || (d ?? 0) >= 90)
export const bloodPressureLow = bloodPressureSign('systolic blood pressure ≤ 90', (s) => s <= 90)

// Blood glucose. Chinese numerals only with a decimal point (二点八): "血糖一直偏高" is not 1 mmol/L.
const glucosePattern = new RegExp(
  `(?:血糖|\\bbg\\b|\\bbm\\b|glucose|blood sugar|\\bsugars?\\b)[^\\d,。;!?\\n]{0,12}?(\\d+(?:\\.\\d+)?|[一二两三四五六七八九十]+点[零〇一二三四五六七八九]+)\\s*(mmol|mg)?`,
  'u',
)

/** mmol/L; values above 35 are taken as mg/dL (a glucose of 50 mmol/L is not survivable). */
function glucoseOf(match: ReadonlyArray<string | undefined>): number | null {
  const value = parsePatientNumber(match[1] ?? '')
  if (value === null || value <= 0) return null
  return match[2] === 'mg' || value > 35 ? value / 18 : value
}

function glucoseSign(name: string, test: (mmol: number) => boolean): Sign {
  return { name, patterns: [glucosePattern], accept: (match) => test(glucoseOf(match) ?? Number.NaN) }
}

export const glucoseLow = glucoseSign('blood glucose < 3.9 mmol/L', (mmol) => mmol < 3.9)
export const glucoseVeryLow = glucoseSign('blood glucose < 3.0 mmol/L', (mmol) => mmol < 3.0)
export const glucoseVeryHigh = glucoseSign('blood glucose ≥ 20 mmol/L', (mmol) => mmol >= 20)

// Heart rate: ≥ 150 or 20–40 a minute (below 20 it is a misreading: 心跳漏了一拍). Two or three
// digits, or a Chinese number with 十 or 百 (一百八, 四十): the 一 of 一下子 is not a rate.
const rateValue = '\\d{2,3}|[一二两三四五六七八九]?百[零一二两三四五六七八九十]*|[二三四五六七八九]?十[一二三四五六七八九]?'
const heartRatePattern = new RegExp(`(?:心率|心跳|脉搏|脉率|heart rate|\\bpulse\\b|\\bhr\\b)[^\\d,。;!?\\n]{0,10}?(${rateValue})`, 'u')
// 心跳特别快，手环显示190多: a device's reading may come in the next clause, after the word that shows it.
const heartRateShownPattern = new RegExp(`(?:心率|心跳|脉搏)[^\\d。;!?\\n]{0,12}?(?:显示|测出来是|测的是|量出来是|量的是)[^\\d。;!?\\n]{0,3}?(${rateValue})`, 'u')

export const heartRateExtreme: Sign = {
  name: 'heart rate ≥ 150 or ≤ 40',
  patterns: [heartRatePattern, heartRateShownPattern],
  accept: (match) => {
    const rate = parsePatientNumber(match[1] ?? '')
    return rate !== null && ((rate >= 150 && rate <= 300) || (rate >= 20 && rate <= 40))
  },
}
