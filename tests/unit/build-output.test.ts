import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { parse } from 'acorn'
import { build } from 'electron-vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { startLocalEngine } from '../../electron/core/inference/local/local-engine.ts'
import { forkEngineProcess } from '../../electron/core/inference/local/process-launcher.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import type { WorkstationBridge } from '../../electron/contract/bridge.ts'
import { repoRoot } from '../support/cli.ts'

// What `npm run build` produces, checked as the app would use it: the sandboxed preload (one
// CommonJS file requiring only 'electron') and the engine process bundle main forks.

interface AstNode {
  type: string
  [key: string]: unknown
}

function* walk(node: unknown): Generator<AstNode> {
  if (Array.isArray(node)) {
    for (const child of node) yield* walk(child)
  } else if (node && typeof node === 'object' && typeof (node as AstNode).type === 'string') {
    yield node as AstNode
    for (const value of Object.values(node)) if (value && typeof value === 'object') yield* walk(value)
  }
}

/** Every module the file loads: require('x') calls, any other use of require, import and export-from. */
function modulesLoaded(code: string): string[] {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true })
  const loaded: string[] = []
  for (const node of walk(ast)) {
    if (node.type === 'CallExpression') {
      const callee = node['callee'] as AstNode
      if (callee.type === 'Identifier' && callee['name'] === 'require') {
        const [arg] = node['arguments'] as AstNode[]
        loaded.push(arg?.type === 'Literal' && typeof arg['value'] === 'string' ? arg['value'] : '<dynamic require>')
      }
    } else if (node.type === 'ImportExpression') {
      loaded.push('<dynamic import>')
    } else if (node.type === 'MemberExpression') {
      const object = node['object'] as AstNode
      if (object.type === 'Identifier' && object['name'] === 'module' && (node['property'] as AstNode)['name'] === 'require') {
        loaded.push('<module.require>')
      }
    }
  }
  return loaded
}

const preloadPath = join(repoRoot, 'out/preload/index.cjs')
let preloadCode = ''

beforeAll(async () => {
  await build({ root: repoRoot, logLevel: 'silent' })
  preloadCode = await readFile(preloadPath, 'utf8')
}, 120_000)

describe('built preload', () => {
  it('is one CommonJS script that requires only electron', () => {
    // acorn's `script` mode rejects any static import/export, so parsing is itself the ESM check.
    expect(modulesLoaded(preloadCode)).toEqual(['electron'])
  })

  it('the checker catches what a broken build would contain', () => {
    expect(modulesLoaded("const z = require('zod'); require('electron')")).toEqual(['zod', 'electron'])
    expect(modulesLoaded("const m = 'fs'; require(m)")).toEqual(['<dynamic require>'])
    expect(modulesLoaded("import('./chunk.js')")).toEqual(['<dynamic import>'])
    expect(() => modulesLoaded("import { x } from './chunk.js'")).toThrow()
  })

  it('exposes only window.workstation: declared requests go to ipcRenderer, anything else is refused there', async () => {
    const exposed = new Map<string, WorkstationBridge>()
    const invoked: string[] = []
    const listeners = new Map<string, (event: unknown, payload: unknown) => void>()
    const electronStandIn = {
      contextBridge: { exposeInMainWorld: (key: string, api: WorkstationBridge) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (channel: string) => (invoked.push(channel), { ok: true, value: channel }),
        on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener),
        removeListener: (channel: string) => listeners.delete(channel),
      },
    }
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return electronStandIn
      throw new Error(`a sandboxed preload cannot require ${name}`)
    }
    runInNewContext(preloadCode, { require: sandboxRequire, module: { exports: {} }, exports: {} })

    expect([...exposed.keys()]).toEqual(['workstation'])
    const api = exposed.get('workstation')!
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent'])
    await expect(api.invoke('app.about')).resolves.toEqual({ ok: true, value: 'app.about' })
    await expect(api.invoke('fs.readFile')).resolves.toMatchObject({ ok: false, error: { code: 'CONTRACT_UNKNOWN_REQUEST' } })
    expect(invoked).toEqual(['app.about'])

    const events: unknown[] = []
    const stop = api.onEvent((event) => events.push(event))
    listeners.get('workstation:event')?.({ sender: 'main' }, { type: 'model.progress', modelPath: 'm', loadedFraction: 0.5 })
    expect(events).toEqual([{ type: 'model.progress', modelPath: 'm', loadedFraction: 0.5 }])
    stop()
    expect(listeners.has('workstation:event')).toBe(false)
    // The preload stays small: no zod, no schemas, just the names.
    expect(preloadCode.length).toBeLessThan(8_000)
  })
})

describe('built engine process', () => {
  it('runs a consultation turn when forked from out/main', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huatuo-bundle-'))
    const engine = await startLocalEngine({ threads: 1, launcher: forkEngineProcess(join(repoRoot, 'out/main/engine-process.js')) })
    try {
      const modelPath = join(dir, 'tiny.gguf')
      await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 2 })
      expect((await engine.load({ modelPath, contextSize: 512 })).promptFormat).toBe('huatuo-ii')
      const consultation = await engine.openConsultation({ consultationId: 'bundle', history: [] })
      const answer = await consultation.send({ answerId: 'b1', patientText: '头痛', sampling: { maxTokens: 8 } })
      expect(answer.status).toBe('complete')
    } finally {
      await engine.dispose()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('built Electron main, run under Node with a recording stand-in for electron', () => {
  interface MainReport {
    exitCode: number | null
    errorBoxes: string[]
    webPreferences?: Record<string, unknown>
    loaded?: string
    csp?: string[]
    windowOpen?: unknown[]
    navigationsPrevented?: number
    permissionGranted?: boolean
    permissionCheck?: boolean
    ipcChannels?: string[]
    ownFrame?: { ok: boolean }
    foreignFrame?: { ok: boolean; error?: { code: string } }
    subFrame?: { ok: boolean; error?: { code: string } }
    malformed?: { ok: boolean; error?: { code: string } }
    menu?: string
    fileFrame?: { ok: boolean; error?: { code: string } }
    privilegedSchemes?: unknown[]
    schemesBeforeReady?: boolean
    scheme?: Record<string, { status: number; csp: string | null; type: string | null; body?: string } | undefined>
  }

  async function runMain(env: Record<string, string>, args: string[] = []): Promise<{ report: MainReport; stdout: string }> {
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [join(repoRoot, 'tests/support/built-main/run-built-main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HUATUO_APP_PATH: repoRoot, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    await new Promise((resolve) => child.on('close', resolve))
    const lines = stdout.trim().split('\n')
    return { report: JSON.parse(lines.at(-1) ?? '{}') as MainReport, stdout }
  }

  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'huatuo-main-data-'))
  })

  it('opens one locked-down window and binds exactly the contract, checking every sender', async () => {
    const { writeFile } = await import('node:fs/promises')
    const config = join(dataDir, 'hospital.json')
    await writeFile(config, JSON.stringify({ externalLinkHosts: ['huggingface.co'] }))
    const { report } = await runMain({ HUATUO_HOSPITAL_CONFIG: config, HUATUO_DATA_DIR: dataDir })
    const { requestNames } = await import('../../electron/contract/request-names.ts')
    expect(report.exitCode).toBeNull()
    expect(report.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false })
    expect(report.webPreferences?.['preload']).toBe(join(repoRoot, 'out/preload/index.cjs'))
    // The page comes from the app's own privileged scheme, never file://.
    expect(report.loaded).toBe('huatuo://app/index.html')
    expect(report.privilegedSchemes).toEqual([{ scheme: 'huatuo', privileges: { standard: true, secure: true, supportFetchAPI: true } }])
    expect(report.schemesBeforeReady).toBe(true)
    const scheme = report.scheme!
    for (const url of ['huatuo://app/index.html', 'huatuo://app/']) {
      expect(scheme[url], url).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' })
      expect(scheme[url]?.csp, url).toMatch(/^default-src 'self'; script-src 'self';/)
    }
    expect(scheme['script']).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' })
    expect(scheme['script']?.csp).toMatch(/script-src 'self'/)
    for (const url of ['huatuo://app/%2e%2e/%2e%2e/package.json', 'huatuo://app/..%2f..%2fpackage.json', 'huatuo://other/index.html', 'huatuo://app/.env']) {
      expect(scheme[url], url).toMatchObject({ status: 404, body: '' })
      expect(scheme[url]?.csp, url).toMatch(/default-src 'self'/)
    }
    // A page under file:// — any folder on the disk — is not the app's page.
    expect(report.fileFrame?.error?.code).toBe('FORBIDDEN')
    expect(report.csp?.[0]).toMatch(/default-src 'self'; script-src 'self'/)
    expect(report.csp?.[0]).not.toMatch(/https?:|unsafe-eval/)
    // New windows are always refused; an allowlisted link opens in the system browser instead.
    expect(report.windowOpen).toEqual([{ action: 'deny' }, { action: 'deny' }])
    expect(report.navigationsPrevented).toBe(3)
    expect(report.permissionGranted).toBe(false)
    expect(report.permissionCheck).toBe(false)
    expect(report.ipcChannels).toEqual([...requestNames])
    expect(report.ownFrame?.ok).toBe(true)
    expect(report.foreignFrame?.error?.code).toBe('FORBIDDEN')
    expect(report.subFrame?.error?.code).toBe('FORBIDDEN')
    expect(report.malformed?.error?.code).toBe('CONTRACT_INVALID_INPUT')
    expect(report.menu).toContain('退出')
  })

  it('installers set the fuses: no file:// privileges, no RunAsNode, asar only', async () => {
    const { readFile } = await import('node:fs/promises')
    const builder = await readFile(join(repoRoot, 'electron-builder.yml'), 'utf8')
    const fuses = builder.slice(builder.indexOf('electronFuses:'))
    for (const fuse of ['grantFileProtocolExtraPrivileges: false', 'runAsNode: false', 'onlyLoadAppFromAsar: true', 'enableEmbeddedAsarIntegrityValidation: true']) {
      expect(fuses).toMatch(new RegExp(`^  ${fuse}$`, 'm'))
    }
  })

  it('honours ELECTRON_RENDERER_URL while developing only, never in an installed app', async () => {
    const devUrl = 'http://localhost:5173/'
    const developing = await runMain({ HUATUO_DATA_DIR: dataDir, ELECTRON_RENDERER_URL: devUrl })
    expect(developing.report.loaded).toBe(devUrl)
    const installed = await runMain({ HUATUO_DATA_DIR: dataDir, ELECTRON_RENDERER_URL: 'http://attacker.example/', HUATUO_STAND_IN_PACKAGED: '1' })
    expect(installed.report.loaded).toBe('huatuo://app/index.html')
    expect(installed.report.ownFrame?.ok).toBe(true)
  })

  it('an invalid hospital configuration stops the start, naming the key', async () => {
    const { writeFile } = await import('node:fs/promises')
    const config = join(dataDir, 'bad-hospital.json')
    await writeFile(config, JSON.stringify({ idleLockMinutes: 'five', approvedModelSha256: ['abc'] }))
    const { report } = await runMain({ HUATUO_HOSPITAL_CONFIG: config, HUATUO_DATA_DIR: dataDir })
    expect(report.exitCode).toBe(1)
    expect(report.errorBoxes[0]).toContain('医院配置文件格式不正确')
    expect(report.errorBoxes[0]).toContain('idleLockMinutes')
    expect(report.errorBoxes[0]).toContain('approvedModelSha256.0')
    expect(report.webPreferences).toBeUndefined()
  })

  it('`<app> --cli …` runs a huatuo command before any window opens', async () => {
    const { report, stdout } = await runMain({ HUATUO_DATA_DIR: dataDir }, ['--cli', 'models', 'catalog', '--json'])
    expect(report.exitCode).toBe(0)
    expect(report.webPreferences).toBeUndefined()
    expect(stdout).toContain('huatuogpt2-7b-q4km')
  })
})
