// Runs the built Electron main (out/main/index.js) under Node with the stand-in for `electron`,
// drives what it registered, and prints one JSON report for the test to check.
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import type { Recording } from './electron-stand-in.ts'

register(new URL('./electron-loader.mjs', import.meta.url))
const appPath = process.env['HUATUO_APP_PATH'] ?? process.cwd()
await import(pathToFileURL(join(appPath, 'out/main/index.js')).href)

const recording = (globalThis as { electronRecording?: Recording }).electronRecording!
// Main finishes its start-up after app.whenReady().
for (let i = 0; i < 200 && recording.windows.length === 0 && recording.exitCode === undefined; i++) await new Promise((r) => setTimeout(r, 10))

const window = recording.windows[0]
const report: Record<string, unknown> = { exitCode: recording.exitCode ?? null, errorBoxes: recording.errorBoxes }
if (window) {
  const pageUrl = 'huatuo://app/index.html'
  report['webPreferences'] = window.options['webPreferences']
  report['loaded'] = window.webContents.loaded

  let headers: Record<string, string[]> = {}
  recording.headersListener?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (result: { responseHeaders: Record<string, string[]> }) => (headers = result.responseHeaders))
  report['csp'] = headers['Content-Security-Policy']

  report['windowOpen'] = [
    window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' }),
    window.webContents.windowOpenHandler?.({ url: 'https://huggingface.co/x' }),
  ]
  report['opened'] = recording.opened
  let prevented = 0
  const navigation = { preventDefault: () => prevented++ }
  for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) window.webContents.emit(name, navigation, 'https://evil.example/')
  report['navigationsPrevented'] = prevented

  let permission: boolean | undefined
  recording.permissionRequestHandler?.({}, 'media', (granted: boolean) => (permission = granted))
  report['permissionGranted'] = permission
  report['permissionCheck'] = recording.permissionCheckHandler?.({}, 'geolocation')

  report['ipcChannels'] = [...recording.ipcHandlers.keys()]
  const call = (channel: string, frame: unknown, input: unknown) => recording.ipcHandlers.get(channel)?.({ senderFrame: frame }, input)
  report['ownFrame'] = await call('app.about', { url: pageUrl, parent: null }, {})
  report['foreignFrame'] = await call('app.about', { url: 'https://evil.example/', parent: null }, {})
  report['subFrame'] = await call('app.about', { url: pageUrl, parent: {} }, {})
  report['malformed'] = await call('model.inspect', { url: pageUrl, parent: null }, { modelId: 42 })
  report['fileFrame'] = await call('app.about', { url: pathToFileURL(join(appPath, 'out/renderer/index.html')).href, parent: null }, {})
  report['menu'] = JSON.stringify(recording.menuTemplate)
  report['privilegedSchemes'] = recording.privilegedSchemes
  report['schemesBeforeReady'] = recording.schemesBeforeReady
  // What the app's scheme answers, as Chromium would ask it.
  const handler = recording.protocolHandlers.get('huatuo')
  const scheme: Record<string, unknown> = {}
  let pageText = ''
  for (const url of ['huatuo://app/index.html', 'huatuo://app/', 'huatuo://app/%2e%2e/%2e%2e/package.json', 'huatuo://app/..%2f..%2fpackage.json', 'huatuo://other/index.html', 'huatuo://app/.env']) {
    const response = await handler?.(new Request(url))
    const body = (await response?.text()) ?? ''
    if (url === pageUrl) pageText = body
    scheme[url] = response && { status: response.status, csp: response.headers.get('content-security-policy'), type: response.headers.get('content-type'), body: body.slice(0, 200) }
  }
  const script = /<script[^>]+src="([^"]+)"/.exec(pageText)?.[1]
  if (script && handler) {
    const asset = await handler(new Request(new URL(script, pageUrl).href))
    scheme['script'] = { status: asset.status, type: asset.headers.get('content-type'), csp: asset.headers.get('content-security-policy') }
  }
  report['scheme'] = scheme
}
process.stdout.write(`${JSON.stringify(report)}\n`)
process.exit(0)
