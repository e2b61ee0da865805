import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readGgufFileInfo, type Llama } from 'node-llama-cpp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../electron/contract/errors.ts'
import { isWorkstationError } from '../../electron/core/errors.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { metadataArray, metadataString, readGgufFileLayout } from '../../electron/core/gguf/gguf-file.ts'
import { parseSplitPartName, readGgufModelLayout, splitPartPath } from '../../electron/core/gguf/gguf-model-layout.ts'
import { inspectModel } from '../../electron/core/models/inspect.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { runHuatuo } from '../support/cli.ts'
import { GgufBytes, GgufType } from '../support/gguf-bytes.ts'

// Every class of bad model file a user can pick must end in a stable code and one sentence — never
// a crash, a hang, or a huge allocation driven by numbers in the file.

let dir: string
let llama: Llama
let validPath: string
let valid: Buffer

const TWO_TO_THE_60 = 2n ** 60n

function patched(edit: (bytes: Buffer) => void): Buffer {
  const copy = Buffer.from(valid)
  edit(copy)
  return copy
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!isWorkstationError(error)) throw new Error(`expected WorkstationError ${code}, got ${String(error)}`)
  expect(error.code).toBe(code)
  return error.detail ?? ''
}

interface BadFile {
  name: string
  code: ErrorCode
  /** Returns the path to give to inspect. */
  make(): Promise<string>
}

async function file(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, bytes)
  return path
}

const badFiles: BadFile[] = [
  { name: 'an empty file', code: 'MODEL_NOT_GGUF', make: () => file('empty.gguf', '') },
  { name: 'a text file', code: 'MODEL_NOT_GGUF', make: () => file('notes.gguf', '主诉：头痛三天。\nThis is not a model.\n') },
  {
    name: 'a PNG image',
    code: 'MODEL_NOT_GGUF',
    make: () => file('image.gguf', Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)])),
  },
  { name: 'a header only', code: 'MODEL_CORRUPT', make: () => file('header-only.gguf', valid.subarray(0, 24)) },
  { name: 'a file cut in the key/values', code: 'MODEL_CORRUPT', make: () => file('cut-kv.gguf', valid.subarray(0, 300)) },
  { name: 'a file cut in the tensor data', code: 'MODEL_CORRUPT', make: () => file('cut-data.gguf', valid.subarray(0, valid.length - 4096)) },
  { name: 'GGUF version 99', code: 'MODEL_CORRUPT', make: () => file('version-99.gguf', patched((b) => b.writeUInt32LE(99, 4))) },
  {
    name: 'an absurd tensor count (2^60)',
    code: 'MODEL_CORRUPT',
    make: () => file('tensor-count.gguf', patched((b) => b.writeBigUInt64LE(TWO_TO_THE_60, 8))),
  },
  {
    name: 'an absurd key/value count (2^60)',
    code: 'MODEL_CORRUPT',
    make: () => file('kv-count.gguf', patched((b) => b.writeBigUInt64LE(TWO_TO_THE_60, 16))),
  },
  {
    name: 'an absurd string length (2^60)',
    code: 'MODEL_CORRUPT',
    // The first key's length sits right after the 24-byte header.
    make: () => file('string-length.gguf', patched((b) => b.writeBigUInt64LE(TWO_TO_THE_60, 24))),
  },
  {
    name: 'an absurd array length (2^60)',
    code: 'MODEL_CORRUPT',
    make: () =>
      file(
        'array-length.gguf',
        new GgufBytes().header({ kvs: 1 }).string('tokenizer.ggml.tokens').u32(GgufType.ARRAY).u32(GgufType.STRING).u64(TWO_TO_THE_60).toBuffer(),
      ),
  },
  {
    name: 'an unknown architecture',
    code: 'MODEL_UNSUPPORTED',
    make: async () => (await writeTestModel({ out: join(dir, 'notarealarch.gguf'), architecture: 'notarealarch' })).out,
  },
  {
    // A complete description (architecture, vocabulary, context) and not one tensor: it used to pass
    // inspection as a model with 0 parameters and fail only at load, as MODEL_LOAD_FAILED.
    name: 'a model with no weights',
    code: 'MODEL_CORRUPT',
    make: async () => (await writeTestModel({ out: join(dir, 'no-weights.gguf'), withoutWeights: true })).out,
  },
  { name: 'a missing path', code: 'MODEL_UNREADABLE', make: async () => join(dir, 'does-not-exist.gguf') },
  {
    name: 'a folder',
    code: 'MODEL_UNREADABLE',
    make: async () => {
      const path = join(dir, 'folder.gguf')
      await mkdir(path, { recursive: true })
      return path
    },
  },
  {
    name: 'a split model with a part missing',
    code: 'MODEL_PART_MISSING',
    make: async () => {
      const summary = await writeTestModel({ out: join(dir, 'split-00001-of-00003.gguf'), parts: 3 })
      await rm(summary.files[1] ?? '')
      return summary.out
    },
  },
]

const badPaths = new Map<string, string>()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-gguf-file-'))
  validPath = (await writeTestModel({ out: join(dir, 'valid.gguf') })).out
  valid = await readFile(validPath)
  for (const bad of badFiles) badPaths.set(bad.name, await bad.make())
  llama = await loadLlamaRuntime({ threads: 1 })
})

afterAll(async () => {
  if (llama) await disposeLlamaRuntime(llama)
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('a valid model', () => {
  it('reads the layout the way node-llama-cpp does', async () => {
    const layout = await readGgufFileLayout(validPath)
    const info = await readGgufFileInfo(validPath, { logWarnings: false })
    expect(layout.version).toBe(3)
    expect(layout.alignment).toBe(32)
    expect(layout.dataOffset % 32).toBe(0)
    expect(metadataString(layout.metadata, 'general.architecture')).toBe('llama')
    expect(layout.tensors.map((t) => t.name)).toEqual(info.fullTensorInfo?.map((t) => t.name))
    expect(layout.tensors.map((t) => t.dimensions)).toEqual(info.fullTensorInfo?.map((t) => t.dimensions.map(Number)))
    expect(layout.tensors.map((t) => layout.dataOffset + t.offset)).toEqual(info.fullTensorInfo?.map((t) => Number(t.fileOffset)))
    const last = layout.tensors.at(-1)
    expect(last && layout.dataOffset + last.offset + last.byteSize).toBeLessThanOrEqual(layout.fileSize)
  })

  it('counts long arrays without keeping them, unless asked', async () => {
    const counted = metadataArray((await readGgufFileLayout(validPath)).metadata, 'tokenizer.ggml.tokens')
    expect(counted?.length).toBeGreaterThan(256)
    expect(counted?.values).toBeUndefined()
    const kept = metadataArray((await readGgufFileLayout(validPath, { arrayValueLimit: Infinity })).metadata, 'tokenizer.ggml.tokens')
    expect(kept?.values?.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>'])
  })

  it('reads a hand-built minimal file', async () => {
    const bytes = new GgufBytes().header({ tensors: 1, kvs: 1 }).kvString('general.architecture', 'llama').tensorInfo('x.weight', [32], 0, 0).pad()
    const path = await file('minimal.gguf', Buffer.concat([bytes.toBuffer(), Buffer.alloc(128)]))
    const layout = await readGgufModelLayout(path)
    expect(layout.tensors).toMatchObject([{ name: 'x.weight', elementCount: 32, byteSize: 128, offset: 0 }])
  })
})

describe.each(badFiles.map((bad) => [bad.name, bad] as const))('%s', (_name, bad) => {
  it(`is refused with ${bad.code} by inspectModel`, async () => {
    const detail = await expectCode(inspectModel(badPaths.get(bad.name) ?? '', { llama }), bad.code)
    if (bad.code === 'MODEL_PART_MISSING') expect(detail).toContain('split-00002-of-00003.gguf')
    if (bad.name === 'a model with no weights') expect(detail).toContain('no weights')
  })

  it(`is refused with ${bad.code} by huatuo inspect`, async () => {
    const result = await runHuatuo(['inspect', badPaths.get(bad.name) ?? '', '--json'])
    expect(result.status).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: bad.code } })
    // One line: CODE, the sentence, the technical detail; no stack trace.
    expect(result.stderr).toMatch(new RegExp(`^${bad.code}: [^\\n]+\\n$`))
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('layout checks llama.cpp would otherwise trip over', () => {
  const architecture = () => new GgufBytes().kvString('general.architecture', 'llama')

  async function craft(name: string, bytes: GgufBytes, dataBytes = 0): Promise<string> {
    return file(name, Buffer.concat([bytes.pad().toBuffer(), Buffer.alloc(dataBytes)]))
  }

  it('refuses a big-endian file', async () => {
    const path = await file('big-endian.gguf', patched((b) => b.writeUInt32BE(3, 4)))
    expect(await expectCode(readGgufFileLayout(path), 'MODEL_CORRUPT')).toContain('big-endian')
  })

  it('refuses a tensor type llama.cpp does not know as unsupported, and a wild one as corrupt', async () => {
    const newer = new GgufBytes().header({ tensors: 1, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x.weight', [32], 60, 0)
    await expectCode(readGgufFileLayout(await craft('type-60.gguf', newer, 1024)), 'MODEL_UNSUPPORTED')
    const wild = new GgufBytes().header({ tensors: 1, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x.weight', [32], 0x7fff0000, 0)
    await expectCode(readGgufFileLayout(await craft('type-wild.gguf', wild, 1024)), 'MODEL_CORRUPT')
    const retired = new GgufBytes().header({ tensors: 1, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x.weight', [32], 4, 0)
    await expectCode(readGgufFileLayout(await craft('type-retired.gguf', retired, 1024)), 'MODEL_UNSUPPORTED')
  })

  it('refuses rows that are not whole quantization blocks', async () => {
    const bytes = new GgufBytes().header({ tensors: 1, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x.weight', [33], 2, 0)
    expect(await expectCode(readGgufFileLayout(await craft('blocks.gguf', bytes, 1024)), 'MODEL_CORRUPT')).toContain('Q4_0')
  })

  it('refuses tensors that are not laid out back to back', async () => {
    const bytes = new GgufBytes()
      .header({ tensors: 2, kvs: 1 })
      .raw(architecture().toBuffer())
      .tensorInfo('a.weight', [32], 0, 0)
      .tensorInfo('b.weight', [32], 0, 256)
    expect(await expectCode(readGgufFileLayout(await craft('gap.gguf', bytes, 1024)), 'MODEL_CORRUPT')).toContain('expected 128')
  })

  it('refuses a tensor that points past the end of the file', async () => {
    const bytes = new GgufBytes().header({ tensors: 1, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x.weight', [1024, 1024], 0, 0)
    expect(await expectCode(readGgufFileLayout(await craft('past-end.gguf', bytes, 64)), 'MODEL_CORRUPT')).toContain('cut short')
  })

  it('refuses too many dimensions, a too long tensor name and duplicate tensors', async () => {
    const dims = new GgufBytes().header({ tensors: 1, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x', [1, 1, 1, 1, 1], 0, 0)
    await expectCode(readGgufFileLayout(await craft('dims.gguf', dims, 64)), 'MODEL_CORRUPT')
    const long = new GgufBytes().header({ tensors: 1, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x'.repeat(64), [8], 0, 0)
    await expectCode(readGgufFileLayout(await craft('long-name.gguf', long, 64)), 'MODEL_CORRUPT')
    const twice = new GgufBytes().header({ tensors: 2, kvs: 1 }).raw(architecture().toBuffer()).tensorInfo('x', [8], 0, 0).tensorInfo('x', [8], 0, 32)
    await expectCode(readGgufFileLayout(await craft('twice.gguf', twice, 64)), 'MODEL_CORRUPT')
  })

  it('refuses a bad alignment, nested arrays, duplicate and unknown-typed keys', async () => {
    const alignmentAsString = new GgufBytes().header({ kvs: 1 }).kvString('general.alignment', '32')
    await expectCode(readGgufFileLayout(await craft('alignment-type.gguf', alignmentAsString)), 'MODEL_CORRUPT')
    const alignmentOdd = new GgufBytes().header({ kvs: 1 }).kvU32('general.alignment', 24)
    await expectCode(readGgufFileLayout(await craft('alignment-odd.gguf', alignmentOdd)), 'MODEL_CORRUPT')
    const nested = new GgufBytes().header({ kvs: 1 }).string('x').u32(GgufType.ARRAY).u32(GgufType.ARRAY).u64(1)
    await expectCode(readGgufFileLayout(await craft('nested.gguf', nested, 64)), 'MODEL_CORRUPT')
    const duplicate = new GgufBytes().header({ kvs: 2 }).kvU32('a', 1).kvU32('a', 2)
    await expectCode(readGgufFileLayout(await craft('duplicate.gguf', duplicate)), 'MODEL_CORRUPT')
    const unknownType = new GgufBytes().header({ kvs: 1 }).string('a').u32(77).u32(0)
    await expectCode(readGgufFileLayout(await craft('kv-type.gguf', unknownType)), 'MODEL_CORRUPT')
  })

  it('refuses a file without general.architecture as a model', async () => {
    const bytes = new GgufBytes().header({ kvs: 1 }).kvString('general.name', 'x')
    expect(await expectCode(readGgufModelLayout(await craft('no-arch.gguf', bytes)), 'MODEL_CORRUPT')).toContain('general.architecture')
  })
})

describe('split models', () => {
  it('names parts as llama.cpp does', () => {
    expect(parseSplitPartName('/m/HuatuoGPT-o1-72B.Q4_K_M-00002-of-00003.gguf')).toEqual({
      prefix: '/m/HuatuoGPT-o1-72B.Q4_K_M',
      part: 2,
      count: 3,
    })
    expect(parseSplitPartName('/m/model.gguf')).toBeUndefined()
    expect(splitPartPath('/m/x', 1, 12)).toBe('/m/x-00001-of-00012.gguf')
  })

  it('validates every part, whichever part is given', async () => {
    const summary = await writeTestModel({ out: join(dir, 'whole-00001-of-00002.gguf'), parts: 2 })
    for (const given of summary.files) {
      const layout = await readGgufModelLayout(given)
      expect(layout.path).toBe(summary.out)
      expect(layout.parts).toHaveLength(2)
      expect(layout.tensors).toHaveLength(summary.tensorCount)
    }
  })

  it('names every missing part', async () => {
    const summary = await writeTestModel({ out: join(dir, 'gone-00001-of-00003.gguf'), parts: 3 })
    await rm(summary.files[0] ?? '')
    await rm(summary.files[2] ?? '')
    const detail = await expectCode(readGgufModelLayout(summary.files[1] ?? ''), 'MODEL_PART_MISSING')
    expect(detail).toContain('gone-00001-of-00003.gguf')
    expect(detail).toContain('gone-00003-of-00003.gguf')
  })

  it('goes by the metadata, not the name: a whole model named like a part is one file', async () => {
    const path = await file('whole-00001-of-00002.bin.gguf', valid)
    const renamed = await file('renamed-00001-of-00004.gguf', valid)
    expect((await readGgufModelLayout(path)).parts).toHaveLength(1)
    expect((await readGgufModelLayout(renamed)).parts).toHaveLength(1)
  })

  it('refuses a part renamed to a different part count', async () => {
    const summary = await writeTestModel({ out: join(dir, 'count-00001-of-00002.gguf'), parts: 2 })
    const renamed = await file('count-00001-of-00005.gguf', await readFile(summary.out))
    await expectCode(readGgufModelLayout(renamed), 'MODEL_CORRUPT')
  })

  it('refuses a part that is in the wrong place, or is damaged', async () => {
    const summary = await writeTestModel({ out: join(dir, 'swap-00001-of-00002.gguf'), parts: 2 })
    const second = summary.files[1] ?? ''
    const bytes = await readFile(second)
    await writeFile(second, bytes.subarray(0, bytes.length - 100))
    await expectCode(readGgufModelLayout(summary.out), 'MODEL_CORRUPT')
    await writeFile(second, await readFile(summary.out))
    expect(await expectCode(readGgufModelLayout(summary.out), 'MODEL_CORRUPT')).toContain('not part 2 of 2')
  })
})

describe('unreadable files', () => {
  it.skipIf(process.getuid?.() === 0)('refuses a file without read permission', async () => {
    const { chmod } = await import('node:fs/promises')
    const path = await file('locked.gguf', valid)
    await chmod(path, 0o000)
    await expectCode(readGgufFileLayout(path), 'MODEL_UNREADABLE')
  })
})
