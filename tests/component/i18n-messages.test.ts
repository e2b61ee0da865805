// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { errorMessages, type ErrorCode } from '../../electron/contract/errors.ts'
import { i18n } from '../../renderer/src/i18n/index.ts'
import { messages, type Locale } from '../../renderer/src/i18n/messages.ts'

// Every sentence of the window, as vue-i18n renders it in each language: the text as written with
// its {values} filled in — never the key, never the other language, never a sentence that vue-i18n
// read as its own syntax (a `|` as plural, an `@` as a link, a brace as a value).

const locales: Locale[] = ['zh-CN', 'en']
const keys = Object.keys(messages['zh-CN']) as Array<keyof (typeof messages)['zh-CN']>
const errorCodes = Object.keys(errorMessages) as ErrorCode[]

/** A value for each {name} of a message, chosen so it cannot be mistaken for the text around it. */
function valuesFor(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, `«${name}»`]))
}

function expected(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!)
}

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('the window’s messages', () => {
  it('have the same keys in Chinese and English', () => {
    expect(Object.keys(messages.en).sort()).toEqual([...keys].sort())
  })

  it.each(locales)('render in %s exactly as written, values filled in, without falling back', (locale) => {
    i18n.global.locale.value = locale
    const wrong: string[] = []
    for (const key of keys) {
      const text: string = messages[locale][key]
      const values = valuesFor(text)
      const shown = i18n.global.t(key, values)
      if (shown === key || shown !== expected(text, values)) wrong.push(`${key}: ${JSON.stringify(shown)} ≠ ${JSON.stringify(expected(text, values))}`)
    }
    expect(wrong).toEqual([])
  })

  it.each(locales)('say every error code’s sentence in %s as the contract writes it, braces, @ and | included', (locale) => {
    i18n.global.locale.value = locale
    const wrong = errorCodes.filter((code) => i18n.global.t(`errors.${code}`) !== errorMessages[code][locale])
    expect(wrong).toEqual([])
  })

  it('have no flat key that is also the start of another (vue-i18n’s flatJson would drop one of them)', () => {
    const all = [...keys, ...errorCodes.map((code) => `errors.${code}`)]
    const conflicts = all.flatMap((key) => all.filter((other) => other.startsWith(`${key}.`)).map((other) => `${key} / ${other}`))
    expect(conflicts).toEqual([])
  })
})
