import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { alignUp, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgufValueType } from './gguf-format.ts'
import { GGML_TYPE_F32 } from './ggml-types.ts'

/** A metadata value together with the GGUF type it is written as. */
export type GgufWritableValue =
  | { type: 'uint16' | 'uint32' | 'int32' | 'float32'; value: number }
  | { type: 'uint64'; value: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'float32[]' | 'int32[]'; value: ArrayLike<number> }

/**
 * An F32 tensor whose values are produced chunk by chunk: `fill` receives a buffer to fill with
 * the elements starting at `firstElement`, so a large model never sits in memory whole.
 */
export interface GgufWritableTensor {
  name: string
  /** ne0 first, as GGUF stores them. */
  dimensions: readonly number[]
  fill(chunk: Float32Array, firstElement: number): void
}

export interface GgufWritableModel {
  metadata: ReadonlyArray<readonly [string, GgufWritableValue]>
  tensors: readonly GgufWritableTensor[]
}

const CHUNK_ELEMENTS = 64 * 1024

class HeaderEncoder {
  private parts: Buffer[] = []
  private size = 0

  private push(buffer: Buffer): void {
    this.parts.push(buffer)
    this.size += buffer.length
  }

  u16(value: number): void {
    const buffer = Buffer.alloc(2)
    buffer.writeUInt16LE(value)
    this.push(buffer)
  }

  u32(value: number): void {
    const buffer = Buffer.alloc(4)
    buffer.writeUInt32LE(value)
    this.push(buffer)
  }

  i32(value: number): void {
    const buffer = Buffer.alloc(4)
    buffer.writeInt32LE(value)
    this.push(buffer)
  }

  f32(value: number): void {
    const buffer = Buffer.alloc(4)
    buffer.writeFloatLE(value)
    this.push(buffer)
  }

  u64(value: bigint | number): void {
    const buffer = Buffer.alloc(8)
    buffer.writeBigUInt64LE(BigInt(value))
    this.push(buffer)
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8')
    this.u64(bytes.length)
    this.push(bytes)
  }

  raw(buffer: Buffer): void {
    this.push(buffer)
  }

  value(entry: GgufWritableValue): void {
    switch (entry.type) {
      case 'uint16':
        this.u32(GgufValueType.UINT16)
        return this.u16(entry.value)
      case 'uint32':
        this.u32(GgufValueType.UINT32)
        return this.u32(entry.value)
      case 'int32':
        this.u32(GgufValueType.INT32)
        return this.i32(entry.value)
      case 'float32':
        this.u32(GgufValueType.FLOAT32)
        return this.f32(entry.value)
      case 'uint64':
        this.u32(GgufValueType.UINT64)
        return this.u64(entry.value)
      case 'bool':
        this.u32(GgufValueType.BOOL)
        return this.raw(Buffer.from([entry.value ? 1 : 0]))
      case 'string':
        this.u32(GgufValueType.STRING)
        return this.string(entry.value)
      case 'string[]':
        this.u32(GgufValueType.ARRAY)
        this.u32(GgufValueType.STRING)
        this.u64(entry.value.length)
        for (const item of entry.value) this.string(item)
        return
      case 'float32[]':
        this.u32(GgufValueType.ARRAY)
        this.u32(GgufValueType.FLOAT32)
        this.u64(entry.value.length)
        for (let i = 0; i < entry.value.length; i++) this.f32(entry.value[i] ?? 0)
        return
      case 'int32[]':
        this.u32(GgufValueType.ARRAY)
        this.u32(GgufValueType.INT32)
        this.u64(entry.value.length)
        for (let i = 0; i < entry.value.length; i++) this.i32(entry.value[i] ?? 0)
        return
    }
  }

  get length(): number {
    return this.size
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts, this.size)
  }
}

function elementCount(dimensions: readonly number[]): number {
  return dimensions.reduce((product, dimension) => product * dimension, 1)
}

function alignmentOf(model: GgufWritableModel): number {
  const entry = model.metadata.find(([key]) => key === 'general.alignment')?.[1]
  return entry?.type === 'uint32' ? entry.value : GGUF_DEFAULT_ALIGNMENT
}

/**
 * Everything before the tensor data: header, key/values, tensor infos and the padding up to the
 * data section. Offsets are laid out back to back, each tensor padded to the alignment, as llama.cpp expects.
 */
export function encodeGgufHeader(model: GgufWritableModel): Buffer {
  const alignment = BigInt(alignmentOf(model))
  const encoder = new HeaderEncoder()
  encoder.raw(GGUF_MAGIC)
  encoder.u32(GGUF_VERSION)
  encoder.u64(model.tensors.length)
  encoder.u64(model.metadata.length)
  for (const [key, value] of model.metadata) {
    encoder.string(key)
    encoder.value(value)
  }
  let offset = 0n
  for (const tensor of model.tensors) {
    encoder.string(tensor.name)
    encoder.u32(tensor.dimensions.length)
    for (const dimension of tensor.dimensions) encoder.u64(dimension)
    encoder.u32(GGML_TYPE_F32)
    encoder.u64(offset)
    offset = alignUp(offset + BigInt(elementCount(tensor.dimensions) * 4), alignment)
  }
  const padding = Number(alignUp(BigInt(encoder.length), alignment)) - encoder.length
  encoder.raw(Buffer.alloc(padding))
  return encoder.toBuffer()
}

/**
 * Writes a GGUF v3 file with F32 tensors. It goes to a temporary file beside `out` first and is
 * renamed into place at the end, so a reader never sees half a model under the final name.
 */
export async function writeGgufFile(out: string, model: GgufWritableModel): Promise<void> {
  const alignment = alignmentOf(model)
  const temporary = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.partial`)
  const handle = await open(temporary, 'wx')
  try {
    await handle.write(encodeGgufHeader(model))
    const chunk = new Float32Array(CHUNK_ELEMENTS)
    // GGUF is little-endian, as are the platforms the workstation ships for, so the bytes of a
    // Float32Array are already in file order.
    const chunkBytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    for (const tensor of model.tensors) {
      const total = elementCount(tensor.dimensions)
      for (let first = 0; first < total; first += CHUNK_ELEMENTS) {
        const count = Math.min(CHUNK_ELEMENTS, total - first)
        const view = count === CHUNK_ELEMENTS ? chunk : chunk.subarray(0, count)
        tensor.fill(view, first)
        await handle.write(chunkBytes, 0, count * 4)
      }
      const padding = (alignment - ((total * 4) % alignment)) % alignment
      if (padding > 0) await handle.write(Buffer.alloc(padding))
    }
    await handle.sync()
    await handle.close()
    await rename(temporary, out)
  } catch (error) {
    await handle.close().catch(() => {})
    await rm(temporary, { force: true })
    throw error
  }
}
