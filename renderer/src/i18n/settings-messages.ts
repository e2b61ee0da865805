// User-visible text of the settings and administration screens: zh-CN first, en complete (messages.ts joins it in).
export const settingsMessages = {
  'zh-CN': {},
  en: {},
} as const satisfies Record<'zh-CN' | 'en', Record<string, string>>
