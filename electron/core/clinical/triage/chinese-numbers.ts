// Numbers as patients write them: 38.5, 三十八点五, 一百八 (=180, the spoken short form), 两, 半.

const digitValues: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const unitValues: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }

/** A regular-expression fragment for one number in either script (for use inside the rules' patterns). */
export const numberPattern = '(?:\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二两三四五六七八九]+)?)'

/** 三十八 → 38, 一百八 → 180, 十二 → 12, 四十 → 40; null when it is not a Chinese integer. */
function chineseInteger(text: string): number | null {
  if (text === '') return null
  let total = 0
  let pending: number | null = null
  let lastUnit = 1
  for (const character of text) {
    const digit = digitValues[character]
    const unit = unitValues[character]
    if (digit === 0) {
      lastUnit = 1 // 一百零八: what follows a zero is units
    } else if (digit !== undefined) {
      if (pending !== null) return null // two digits in a row (三八) is not a number here
      pending = digit
    } else if (unit !== undefined) {
      total += (pending ?? 1) * unit
      pending = null
      lastUnit = unit
    } else {
      return null
    }
  }
  // 一百八 means 180: a trailing digit after a unit counts one unit lower.
  if (pending !== null) total += lastUnit > 1 && text.length > 2 ? pending * (lastUnit / 10) : pending
  return total
}

/** Parses what numberPattern matched; null for anything else. */
export function parsePatientNumber(text: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text)
  const [whole, fraction] = text.split('点')
  const integer = chineseInteger(whole ?? '')
  if (integer === null) return null
  if (fraction === undefined) return integer
  let decimals = ''
  for (const character of fraction) {
    const digit = digitValues[character]
    if (digit === undefined) return null
    decimals += String(digit)
  }
  return Number(`${integer}.${decimals}`)
}
