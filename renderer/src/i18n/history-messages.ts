// User-visible text of the history screen: zh-CN first, en complete (messages.ts joins it in).
export const historyMessages = {
  'zh-CN': {},
  en: {},
} as const satisfies Record<'zh-CN' | 'en', Record<string, string>>
