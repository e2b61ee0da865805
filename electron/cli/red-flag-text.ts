import type { UiLocale } from '../contract/errors.ts'
import { isRedFlagCategory, redFlagCategoryLabels, redFlagLevelLabels, type RedFlag } from '../contract/triage.ts'

// A red flag as a nurse reads it on a terminal: level, category, the patient's own words, what to do.

const noFlags: Record<UiLocale, string> = { 'zh-CN': '无危急征象', en: 'No red flags' }

function categoryLabel(category: string, locale: UiLocale): string {
  return isRedFlagCategory(category) ? redFlagCategoryLabels[category][locale] : category
}

/** One flag on one line. */
export function formatFlag(flag: Pick<RedFlag, 'category' | 'level' | 'matched' | 'action'>, locale: UiLocale): string {
  const level = redFlagLevelLabels[flag.level][locale]
  const words = locale === 'zh-CN' ? flag.matched.map((word) => `“${word}”`).join('') : flag.matched.map((word) => `"${word}"`).join(', ')
  const colon = locale === 'zh-CN' ? '：' : ': '
  return `[${level}] ${categoryLabel(flag.category, locale)}${colon}${words} → ${flag.action[locale]}`
}

/** Every flag of a message on one line (`huatuo triage`), or "no red flags". */
export function formatFlags(flags: RedFlag[], locale: UiLocale): string {
  if (flags.length === 0) return noFlags[locale]
  return flags.map((flag) => formatFlag(flag, locale)).join(locale === 'zh-CN' ? ' ｜ ' : ' | ')
}
