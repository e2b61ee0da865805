// Ages as patients give them: "62岁", "七十多岁", "孩子18周岁", "今年62", "宝宝两个半月", "3个多月大",
// "出生20天的宝宝", "宝宝50天", "100天宝宝", "新生儿", "my 6 week old", "55 yo", "宝宝 2 months".
// A bare duration is not an age ("咳嗽两个月了"), nor a time ago ("两个月前"), nor an age back then
// ("四周岁左右的时候"): months, weeks and days count only next to a baby word or with 大/龄.
import { parsePatientNumber } from './chinese-numbers.ts'
import { N } from './patterns.ts'
import type { NormalizedText } from './normalize.ts'
import { originalWords } from './normalize.ts'

export interface TextAge {
  years: number
  words: string
}

const baby = '(?:宝宝|婴儿|孩子|小孩|儿子|女儿|闺女|娃|宝贝|孙子|孙女|外孙女?|新生儿|小朋友)'
const notAgo = '(?!前|后|以前|之前|以后|之后|了?以来)'
const daysPerYear = 365.25

interface AgePattern {
  pattern: RegExp
  /** Years from the match, or null to ignore it. */
  years(match: ReadonlyArray<string | undefined>): number | null
}

function amount(text: string | undefined, more: string | undefined): number | null {
  const value = parsePatientNumber(text ?? '')
  if (value === null) return null
  return value + (more === '多' || more === '半' ? 0.5 : 0)
}

const unitYears: Record<string, number> = {
  岁: 1, 年: 1, 月: 1 / 12, 周: 7 / daysPerYear, 天: 1 / daysPerYear,
  year: 1, yr: 1, month: 1 / 12, week: 7 / daysPerYear, day: 1 / daysPerYear,
}

const agePatterns: AgePattern[] = [
  // 62岁, 七十多岁, 18周岁, 3岁半 — but not "4岁的时候", "1岁时".
  {
    pattern: new RegExp(`(${N})(多)?周?岁(半)?(?!时|的时候|那年|那时|左右的时候|左右时)`, 'gu'),
    years: (m) => amount(m[1], m[2] ?? m[3]),
  },
  { pattern: new RegExp(`今年(${N})(?:岁)?(?![\\d年月号日])`, 'gu'), years: (m) => amount(m[1], undefined) },
  // 宝宝两个半月, 宝宝3个多月, 宝宝50天, 宝宝8周 (not 宝宝两个月前).
  {
    pattern: new RegExp(`${baby}[^,。;!?\\n\\d零〇一二两三四五六七八九十]{0,4}(${N})个?(多|半)?(月|周|天)(?!岁)(?:大)?${notAgo}`, 'gu'),
    years: (m) => scaled(m[1], m[2], m[3]),
  },
  // 两个月大的宝宝, 3个多月大, 月龄2, 50天的宝宝, 100天宝宝, 出生20天.
  { pattern: new RegExp(`(${N})个?(多|半)?(月|周|天)(?:大|龄)`, 'gu'), years: (m) => scaled(m[1], m[2], m[3]) },
  { pattern: new RegExp(`(${N})个?(多|半)?(月|周|天)的?${baby}`, 'gu'), years: (m) => scaled(m[1], m[2], m[3]) },
  { pattern: new RegExp(`月龄(${N})`, 'gu'), years: (m) => scaled(m[1], undefined, '月') },
  { pattern: new RegExp(`出生(?:才|刚)?(${N})(多)?天`, 'gu'), years: (m) => scaled(m[1], m[2], '天') },
  { pattern: /新生儿|刚出生/gu, years: () => 14 / daysPerYear },
  { pattern: /(?:刚)?满月/gu, years: () => 1 / 12 },
  { pattern: /百天/gu, years: () => 100 / daysPerYear },
  // English: 6 week old, 7-week-old, 55 yo, aged 70, baby is 2 months.
  { pattern: /(\d+)[- ]?(day|week|month|year|yr)s?[- ]old/gu, years: (m) => scaled(m[1], undefined, m[2]) },
  { pattern: /\b(\d+) ?(?:yo|y\/o|y\.o\.|yrs? old)\b/gu, years: (m) => amount(m[1], undefined) },
  { pattern: /\baged? (\d+)\b/gu, years: (m) => amount(m[1], undefined) },
  {
    pattern: new RegExp(`(?:baby|infant|son|daughter|newborn|${baby})(?: is)? ?(\\d+) ?(day|week|month)s?\\b`, 'gu'),
    years: (m) => scaled(m[1], undefined, m[2]),
  },
]

function scaled(value: string | undefined, more: string | undefined, unit: string | undefined): number | null {
  const count = amount(value, more)
  const perUnit = unitYears[unit ?? '']
  return count === null || perUnit === undefined ? null : count * perUnit
}

/** Every age the text gives, in years, with the words that gave it. */
export function agesInText(normalized: NormalizedText): TextAge[] {
  const ages: TextAge[] = []
  // One age per stretch of text: 宝宝8个月大 is matched by two patterns but is one age.
  const taken: Array<[number, number]> = []
  for (const { pattern, years } of agePatterns) {
    pattern.lastIndex = 0
    for (const match of normalized.text.matchAll(pattern)) {
      const start = match.index
      const end = start + match[0].length
      if (taken.some(([s, e]) => start < e && s < end)) continue
      const value = years(match)
      if (value === null || value < 0 || value > 120) continue
      taken.push([start, end])
      ages.push({ years: value, words: originalWords(normalized, start, end) })
    }
  }
  return ages
}
