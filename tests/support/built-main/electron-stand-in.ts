// A recording stand-in for the parts of Electron that main uses. It records what main asks of
// Electron so a test can check it, and lets the test drive the handlers main registered.
import { EventEmitter } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

type Listener = (...args: unknown[]) => unknown

export interface Recording {
  windows: FakeWindow[]
  ipcHandlers: Map<string, Listener>
  permissionRequestHandler?: Listener
  permissionCheckHandler?: Listener
  headersListener?: Listener
  menuTemplate?: unknown
  errorBoxes: string[]
  exitCode?: number
  quit: boolean
  opened: string[]
  forks: string[]
}

export const recording: Recording = { windows: [], ipcHandlers: new Map(), errorBoxes: [], quit: false, opened: [], forks: [] }
;(globalThis as { electronRecording?: Recording }).electronRecording = recording

const userData = mkdtempSync(join(tmpdir(), 'huatuo-main-'))
let resolveReady!: () => void
const ready = new Promise<void>((resolve) => (resolveReady = resolve))
setTimeout(() => resolveReady(), 10)

class FakeApp extends EventEmitter {
  requestSingleInstanceLock = () => true
  whenReady = () => ready
  getPath = (name: string) => (name === 'exe' ? join(userData, 'huatuo-workstation') : userData)
  getAppPath = () => process.env['HUATUO_APP_PATH'] ?? process.cwd()
  getLocale = () => 'zh-CN'
  getName = () => 'Huatuo Workstation'
  getVersion = () => '0.1.0-test'
  quit = () => {
    recording.quit = true
  }
  exit = (code: number) => {
    recording.exitCode = code
  }
}
export const app = new FakeApp()

class FakeWebContents extends EventEmitter {
  windowOpenHandler?: Listener
  sent: unknown[] = []
  loaded?: string
  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload })
  }
}

export class FakeWindow extends EventEmitter {
  readonly options: Record<string, unknown>
  readonly webContents = new FakeWebContents()
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
    recording.windows.push(this)
  }
  isDestroyed = () => false
  isMinimized = () => false
  isMaximized = () => false
  maximize() {}
  restore() {}
  focus() {}
  show() {}
  getNormalBounds = () => ({ x: 10, y: 10, width: 1280, height: 820 })
  loadFile(file: string) {
    this.webContents.loaded = `file:${file}`
    return Promise.resolve()
  }
  loadURL(url: string) {
    this.webContents.loaded = url
    return Promise.resolve()
  }
}
export const BrowserWindow = FakeWindow

export const ipcMain = {
  handle(channel: string, listener: Listener) {
    recording.ipcHandlers.set(channel, listener)
  },
}

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: Listener) {
      recording.permissionRequestHandler = handler
    },
    setPermissionCheckHandler(handler: Listener) {
      recording.permissionCheckHandler = handler
    },
    webRequest: {
      onHeadersReceived(listener: Listener) {
        recording.headersListener = listener
      },
    },
  },
}

export const Menu = {
  buildFromTemplate: (template: unknown) => ({ template }),
  setApplicationMenu(menu: { template: unknown }) {
    recording.menuTemplate = menu.template
  },
}

export const dialog = {
  showErrorBox(_title: string, content: string) {
    recording.errorBoxes.push(content)
  },
  showMessageBox: async () => ({ response: 0 }),
}

export const shell = {
  openExternal: async (url: string) => {
    recording.opened.push(url)
  },
}

export const utilityProcess = {
  fork(entry: string) {
    recording.forks.push(entry)
    throw new Error('the stand-in starts no processes')
  },
}

/** As on a Linux desktop without a keyring: the app falls back to its owner-only key file. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: (text: string) => Buffer.from(text),
  decryptString: (bytes: Buffer) => bytes.toString(),
}

export default { app, BrowserWindow, ipcMain, session, Menu, dialog, shell, utilityProcess, safeStorage }
