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
  privilegedSchemes: unknown[]
  /** Whether the schemes were registered before the app was ready, as Electron requires. */
  schemesBeforeReady?: boolean
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>
}

export const recording: Recording = { windows: [], ipcHandlers: new Map(), errorBoxes: [], quit: false, opened: [], forks: [], privilegedSchemes: [], protocolHandlers: new Map() }
;(globalThis as { electronRecording?: Recording }).electronRecording = recording

const userData = mkdtempSync(join(tmpdir(), 'huatuo-main-'))
let resolveReady!: () => void
let isReady = false
const ready = new Promise<void>((resolve) => (resolveReady = resolve))
setTimeout(() => ((isReady = true), resolveReady()), 10)

class FakeApp extends EventEmitter {
  requestSingleInstanceLock = () => true
  /** An installed app, when the test says so. */
  isPackaged = process.env['HUATUO_STAND_IN_PACKAGED'] === '1'
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
  // The clinician cancels: the stand-in has no screen to show a dialog on.
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true, filePath: '' }),
}

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    recording.privilegedSchemes.push(...schemes)
    recording.schemesBeforeReady = !isReady
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    recording.protocolHandlers.set(scheme, handler)
  },
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

export default { app, BrowserWindow, ipcMain, session, Menu, dialog, shell, utilityProcess, safeStorage, protocol }
