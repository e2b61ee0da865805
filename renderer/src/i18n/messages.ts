// User-visible text: zh-CN first, en complete. Keys name what the text is for.
export const messages = {
  'zh-CN': {
    'app.title': '华佗工作站',
    'app.subtitle': '离线门诊问诊工作站',
    'app.offline': '所有问诊在本机完成，不经网络传输。',
    'app.version': '版本',
    'app.language': 'English',
  },
  en: {
    'app.title': 'Huatuo Workstation',
    'app.subtitle': 'Offline outpatient consultation workstation',
    'app.offline': 'Every consultation runs on this machine; nothing is sent over the network.',
    'app.version': 'Version',
    'app.language': '中文',
  },
} as const

export type Locale = keyof typeof messages
export type MessageKey = keyof (typeof messages)['zh-CN']
