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

  it('exposes only window.workstation, which refuses undeclared channels', async () => {
    const exposed = new Map<string, { invoke(channel: string): Promise<unknown> }>()
    const invoked: string[] = []
    const electronStandIn = {
      contextBridge: { exposeInMainWorld: (key: string, api: { invoke(channel: string): Promise<unknown> }) => exposed.set(key, api) },
      ipcRenderer: { invoke: async (channel: string) => (invoked.push(channel), { channel }) },
    }
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return electronStandIn
      throw new Error(`a sandboxed preload cannot require ${name}`)
    }
    runInNewContext(preloadCode, { require: sandboxRequire, module: { exports: {} }, exports: {} })

    expect([...exposed.keys()]).toEqual(['workstation'])
    const api = exposed.get('workstation')!
    await expect(api.invoke('app.about')).resolves.toEqual({ channel: 'app.about' })
    await expect(api.invoke('fs.readFile')).rejects.toThrow(/undeclared channel/)
    expect(invoked).toEqual(['app.about'])
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
