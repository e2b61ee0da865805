import type { MenuItemConstructorOptions } from 'electron'

type MenuLocale = 'zh-CN' | 'en'

const labels = {
  'zh-CN': { file: '文件', quit: '退出', edit: '编辑', view: '视图', window: '窗口', help: '帮助', about: '关于华佗工作站', reload: '重新加载' },
  en: { file: 'File', quit: 'Quit', edit: 'Edit', view: 'View', window: 'Window', help: 'Help', about: 'About Huatuo Workstation', reload: 'Reload' },
} as const

export function menuLocale(systemLocale: string): MenuLocale {
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

/** The application menu in the clinician's language; no developer tools in it. */
export function applicationMenu(locale: MenuLocale, onAbout: () => void): MenuItemConstructorOptions[] {
  const t = labels[locale]
  return [
    { label: t.file, submenu: [{ role: 'quit', label: t.quit }] },
    {
      label: t.edit,
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    { label: t.view, submenu: [{ role: 'reload', label: t.reload }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' }] },
    { label: t.window, submenu: [{ role: 'minimize' }, { role: 'close' }] },
    { label: t.help, submenu: [{ label: t.about, click: onAbout }] },
  ]
}
