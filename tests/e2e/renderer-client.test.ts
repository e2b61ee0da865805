import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket as NodeWebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkstationEvent } from '../../electron/contract/channels.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { WorkstationRequestError } from '../../renderer/src/api/request-error.ts'
import { SocketTransport } from '../../renderer/src/api/socket-transport.ts'
import { WorkstationClient } from '../../renderer/src/api/workstation-client.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { signInFirstClinician } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// The renderer's client over its WebSocket transport, against the real browser host: typed values,
// errors with their codes, pushed events, and a lost connection reported as such. The page's
// WebSocket is stood in for by one that sends the Origin a browser would send.

let dir: string
let host: HostProcess
const originalWebSocket = globalThis.WebSocket

beforeAll(async () => {
  await ensureRendererBuilt()
  dir = await mkdtemp(join(tmpdir(), 'huatuo-client-'))
  // Models come from the hospital's import folder: the page names a file there, never a path.
  await mkdir(join(dir, 'import'))
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ importDir: join(dir, 'import') }))
  host = await startHostProcess({ args: ['--db', join(dir, 'records.db'), '--data-dir', join(dir, 'data')], env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'hospital.json') } })
  await signInFirstClinician(host.port, host.token)
  const origin = host.origin
  class PageWebSocket extends NodeWebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols, { origin })
    }
  }
  globalThis.WebSocket = PageWebSocket as unknown as typeof WebSocket
})

afterAll(async () => {
  globalThis.WebSocket = originalWebSocket
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

function client(): WorkstationClient {
  return new WorkstationClient(new SocketTransport(`ws://127.0.0.1:${host.port}/ws`, host.token))
}

describe('the renderer client over the host WebSocket', () => {
  it('resolves typed values', async () => {
    const about = await client().request('app.about', {})
    expect(about.name).toBe('Huatuo Workstation')
    expect(await client().request('model.list', {})).toEqual([])
  })

  it('rejects with the code, message and detail of a refusal', async () => {
    const failure = await client()
      .request('model.inspect', { modelId: 'no-such-model' })
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(WorkstationRequestError)
    expect(failure).toMatchObject({ code: 'MODEL_NOT_FOUND', message: 'There is no such model in the model library.', detail: 'no-such-model' })
    await expect(client().request('model.load', { modelId: '' })).rejects.toMatchObject({ code: 'CONTRACT_INVALID_INPUT' })
  })

  it('refuses undeclared requests without sending them', async () => {
    const reply = await new SocketTransport('ws://127.0.0.1:9/never-opened', 'unused-token').invoke('fs.readFile', { path: '/etc/passwd' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'CONTRACT_UNKNOWN_REQUEST' } })
  })

  it('without a token asks for the printed address and never opens a socket', async () => {
    let opened = 0
    const Counting = globalThis.WebSocket
    globalThis.WebSocket = class extends (Counting as unknown as typeof NodeWebSocket) {
      constructor(url: string, protocols: string[]) {
        super(url, protocols)
        opened += 1
      }
    } as unknown as typeof WebSocket
    try {
      const reply = await new SocketTransport(`ws://127.0.0.1:${host.port}/ws`, null).invoke('app.about', {})
      expect(reply).toMatchObject({ ok: false, error: { code: 'HOST_TOKEN_MISSING' } })
      expect(opened).toBe(0)
    } finally {
      globalThis.WebSocket = Counting
    }
  })

  it('delivers pushed events to every listener until it unsubscribes', async () => {
    const connection = client()
    const seen: WorkstationEvent[] = []
    const alsoSeen: WorkstationEvent[] = []
    connection.onEvent((event) => seen.push(event))
    const unsubscribe = connection.onEvent((event) => alsoSeen.push(event))
    await writeTestModel({ out: join(dir, 'import', 'tiny.gguf'), size: 'tiny', seed: 9 })
    expect((await connection.request('model.importCandidates', {})).files.map((file) => file.fileName)).toEqual(['tiny.gguf'])
    const imported = await connection.request('model.import', { candidate: 'tiny.gguf' })
    expect(imported.outcome === 'imported' && imported.model.sizeBytes).toBeGreaterThan(0)
    expect(seen.some((event) => event.type === 'download.progress')).toBe(true)
    expect(alsoSeen).toEqual(seen)
    unsubscribe()
    const count = alsoSeen.length
    await connection.request('model.import', { candidate: 'tiny.gguf' })
    expect(seen.length).toBeGreaterThan(count)
    expect(alsoSeen.length).toBe(count)
  })

  it('reports a lost connection as HOST_CONNECTION_LOST', async () => {
    const connection = client()
    await connection.request('app.about', {})
    await host.stop()
    await expect(connection.request('app.about', {})).rejects.toMatchObject({ code: 'HOST_CONNECTION_LOST' })
  })
})
