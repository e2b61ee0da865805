import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session, type WebContents } from 'electron'
import type { AppAbout } from '../contract/bridge.ts'

// The Electron shell only: window, security policy and the binding of the contract to ipcMain.
// The domain lives in electron/core; the full contract binding arrives with the shell issue.

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

function isOwnFrame(contents: WebContents, url: string | undefined): boolean {
  if (!url) return false
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  if (devUrl) return url.startsWith(devUrl)
  return url.startsWith('file://') && contents.getURL() === url
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'))
  return win
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows()
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
    })
    ipcMain.handle('app.about', (event): AppAbout => {
      if (!event.senderFrame || !isOwnFrame(event.sender, event.senderFrame.url)) throw new Error('FORBIDDEN')
      return { name: app.getName(), version: app.getVersion(), electron: process.versions.electron ?? '', node: process.versions.node }
    })
    createWindow()
  })
  app.on('window-all-closed', () => app.quit())
}
