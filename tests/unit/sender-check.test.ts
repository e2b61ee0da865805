import { describe, expect, it } from 'vitest'
import { isOwnFrame } from '../../electron/main/security.ts'

// The app's IPC sender check with the window's hash routes: the place after the # (a screen, a
// consultation's id) is the same page; anything else — another file, a subframe — is not.

const appUrl = 'file:///opt/huatuo/resources/app.asar/out/renderer/index.html'

describe('the sender check', () => {
  it('accepts the app page at any of its routes', () => {
    for (const route of ['', '#/', '#/consultation', '#/consultation/5b0f5c2e-7a44-4c1b-9a53-2f0e8d1c6a10', '#/settings']) {
      expect(isOwnFrame({ url: `${appUrl}${route}`, parent: null }, appUrl), route).toBe(true)
    }
  })

  it('refuses another page, another scheme, a subframe and a malformed address', () => {
    expect(isOwnFrame({ url: 'file:///opt/huatuo/resources/app.asar/out/renderer/other.html#/consultation', parent: null }, appUrl)).toBe(false)
    expect(isOwnFrame({ url: 'http://127.0.0.1:5173/index.html#/consultation', parent: null }, appUrl)).toBe(false)
    expect(isOwnFrame({ url: `${appUrl}#/consultation`, parent: {} }, appUrl)).toBe(false)
    expect(isOwnFrame({ url: 'not a url', parent: null }, appUrl)).toBe(false)
    expect(isOwnFrame(null, appUrl)).toBe(false)
  })
})
