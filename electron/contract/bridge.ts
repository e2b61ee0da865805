// What the preload exposes to the renderer as `window.workstation`. The channel list grows with the
// contract (one declaration per channel); the preload refuses any channel not listed here.

export const requestChannels = ['app.about'] as const
export type RequestChannel = (typeof requestChannels)[number]

export interface AppAbout {
  name: string
  version: string
  electron: string
  node: string
}

export interface WorkstationBridge {
  invoke(channel: 'app.about'): Promise<AppAbout>
}

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (requestChannels as readonly string[]).includes(value)
}
