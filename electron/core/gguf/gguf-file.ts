import { open, stat, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { WorkstationError } from '../errors.ts'
import {
  alignUp,
  GGML_MAX_DIMS,
  GGML_MAX_NAME_BYTES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_HEADER_BYTES,
  GGUF_MAGIC,
  GGUF_MIN_KV_BYTES,
  GGUF_MIN_TENSOR_INFO_BYTES,
  GGUF_SCALAR_BYTES,
  GgufValueType,
} from './gguf-format.ts'
import { ggmlTensorByteSize, ggmlTensorType, type GgmlTensorType } from './ggml-types.ts'

// A GGUF reader that trusts nothing in the file. Every count and length is checked against the
// bytes actually left before anything is read or allocated, the header region is read through a
// small window (never the whole multi-GB file), and every tensor must lie inside the file, laid out
// the way llama.cpp requires. Whatever is wrong becomes a WorkstationError with a stable code
// instead of a crash in native code later.

export type GgufScalar = number | bigint | boolean | string

export interface GgufArray {
  itemType: number
  length: number
  /** Kept only for arrays up to `arrayValueLimit` items; a 150,000-token vocabulary is only counted. */
  values: GgufScalar[] | undefined
}

export interface GgufEntry {
  type: number
  value: GgufScalar | GgufArray
}

export interface GgufTensorLayout {
  name: string
  /** ne0 first, as stored. */
  dimensions: number[]
  type: GgmlTensorType
  elementCount: number
  byteSize: number
  /** Relative to the start of the data section. */
  offset: number
}

export interface GgufFileLayout {
  path: string
  fileSize: number
  version: number
  alignment: number
  metadata: ReadonlyMap<string, GgufEntry>
  tensors: GgufTensorLayout[]
  /** Absolute file position of the data section. */
  dataOffset: number
}

export interface ReadGgufOptions {
  /** Arrays with more items than this are validated and counted but their values are not kept. */
  arrayValueLimit?: number
}

/** Far above any real model's metadata (the largest vocabularies take tens of MB), far below RAM. */
const MAX_METADATA_REGION_BYTES = 256 * 1024 * 1024
const MAX_KEY_BYTES = 64 * 1024
const MAX_STRING_VALUE_BYTES = 16 * 1024 * 1024
const WINDOW_BYTES = 1024 * 1024
const INT64_MAX = 2n ** 63n - 1n

function corrupt(fileName: string, detail: string): WorkstationError {
  return new WorkstationError('MODEL_CORRUPT', `${fileName}: ${detail}`)
}

/** Reads forward through the file via a bounded window; refuses to go past the end. */
class BoundedReader {
  readonly handle: FileHandle
  readonly fileSize: number
  readonly fileName: string
  position = 0
  private window = Buffer.alloc(0)
  private windowStart = 0

  constructor(handle: FileHandle, fileSize: number, fileName: string) {
    this.handle = handle
    this.fileSize = fileSize
    this.fileName = fileName
  }

  get remaining(): number {
    return this.fileSize - this.position
  }

  private ensureWithinFile(length: number | bigint, what: string): void {
    if (BigInt(length) > BigInt(this.remaining)) {
      throw corrupt(this.fileName, `${what} needs ${length} bytes at offset ${this.position}, but the file ends ${this.remaining} bytes later`)
    }
    if (this.position + Number(length) > MAX_METADATA_REGION_BYTES) {
      throw corrupt(this.fileName, `the metadata region runs past ${MAX_METADATA_REGION_BYTES} bytes (at ${what})`)
    }
  }

  async take(length: number, what: string): Promise<Buffer> {
    this.ensureWithinFile(length, what)
    let start = this.position - this.windowStart
    if (start < 0 || start + length > this.window.length) {
      const size = Math.min(Math.max(length, WINDOW_BYTES), this.remaining)
      const buffer = Buffer.allocUnsafe(size)
      let filled = 0
      while (filled < size) {
        const { bytesRead } = await this.handle.read(buffer, filled, size - filled, this.position + filled)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      // The file may have shrunk since it was measured (a copy still in progress).
      if (filled < length) throw corrupt(this.fileName, `the file ended while reading ${what}`)
      this.window = buffer.subarray(0, filled)
      this.windowStart = this.position
      start = 0
    }
    this.position += length
    return this.window.subarray(start, start + length)
  }

  skip(length: bigint, what: string): void {
    this.ensureWithinFile(length, what)
    this.position += Number(length)
  }

  async u32(what: string): Promise<number> {
    return (await this.take(4, what)).readUInt32LE(0)
  }

  async u64(what: string): Promise<bigint> {
    return (await this.take(8, what)).readBigUInt64LE(0)
  }

  async string(what: string, maxBytes: number): Promise<string> {
    const length = await this.u64(`the length of ${what}`)
    if (length > BigInt(maxBytes) && length <= BigInt(this.remaining)) {
      throw corrupt(this.fileName, `${what} claims ${length} bytes, more than the ${maxBytes} allowed`)
    }
    this.ensureWithinFile(length, what)
    return (await this.take(Number(length), what)).toString('utf8')
  }

  async scalar(type: number, what: string): Promise<GgufScalar> {
    switch (type) {
      case GgufValueType.UINT8:
        return (await this.take(1, what)).readUInt8(0)
      case GgufValueType.INT8:
        return (await this.take(1, what)).readInt8(0)
      case GgufValueType.UINT16:
        return (await this.take(2, what)).readUInt16LE(0)
      case GgufValueType.INT16:
        return (await this.take(2, what)).readInt16LE(0)
      case GgufValueType.UINT32:
        return (await this.take(4, what)).readUInt32LE(0)
      case GgufValueType.INT32:
        return (await this.take(4, what)).readInt32LE(0)
      case GgufValueType.FLOAT32:
        return (await this.take(4, what)).readFloatLE(0)
      case GgufValueType.BOOL:
        return (await this.take(1, what)).readUInt8(0) !== 0
      case GgufValueType.UINT64:
        return (await this.take(8, what)).readBigUInt64LE(0)
      case GgufValueType.INT64:
        return (await this.take(8, what)).readBigInt64LE(0)
      case GgufValueType.FLOAT64:
        return (await this.take(8, what)).readDoubleLE(0)
      case GgufValueType.STRING:
        return this.string(what, MAX_STRING_VALUE_BYTES)
      default:
        throw corrupt(this.fileName, `${what} has unknown value type ${type}`)
    }
  }
}

async function readArray(reader: BoundedReader, key: string, arrayValueLimit: number): Promise<GgufArray> {
  const itemType = await reader.u32(`the item type of ${key}`)
  const length = await reader.u64(`the length of ${key}`)
  if (itemType === GgufValueType.ARRAY) throw corrupt(reader.fileName, `${key} is an array of arrays, which llama.cpp refuses`)
  const itemBytes = itemType === GgufValueType.STRING ? 8 : GGUF_SCALAR_BYTES[itemType]
  if (itemBytes === undefined) throw corrupt(reader.fileName, `${key} has unknown item type ${itemType}`)
  // Every item takes at least itemBytes, so an impossible length is caught before the loop.
  if (length * BigInt(itemBytes) > BigInt(reader.remaining)) {
    throw corrupt(reader.fileName, `${key} claims ${length} items, which cannot fit in the ${reader.remaining} bytes left`)
  }
  const count = Number(length)
  if (count <= arrayValueLimit) {
    const values: GgufScalar[] = []
    for (let i = 0; i < count; i++) values.push(await reader.scalar(itemType, `${key}[${i}]`))
    return { itemType, length: count, values }
  }
  if (itemType !== GgufValueType.STRING) {
    reader.skip(length * BigInt(itemBytes), key)
  } else {
    for (let i = 0; i < count; i++) {
      const itemLength = await reader.u64(`the length of ${key}[${i}]`)
      reader.skip(itemLength, `${key}[${i}]`)
    }
  }
  return { itemType, length: count, values: undefined }
}

async function readMetadata(reader: BoundedReader, count: number, arrayValueLimit: number): Promise<Map<string, GgufEntry>> {
  const metadata = new Map<string, GgufEntry>()
  for (let i = 0; i < count; i++) {
    const key = await reader.string(`key ${i}`, MAX_KEY_BYTES)
    if (key.length === 0) throw corrupt(reader.fileName, `key ${i} is empty`)
    if (metadata.has(key)) throw corrupt(reader.fileName, `key ${key} appears twice`)
    const type = await reader.u32(`the type of ${key}`)
    const value = type === GgufValueType.ARRAY ? await readArray(reader, key, arrayValueLimit) : await reader.scalar(type, key)
    metadata.set(key, { type, value })
  }
  return metadata
}

function alignmentOf(metadata: ReadonlyMap<string, GgufEntry>, fileName: string): number {
  const entry = metadata.get('general.alignment')
  if (entry === undefined) return GGUF_DEFAULT_ALIGNMENT
  // llama.cpp reads this key as u32 and aborts the process on any other type: refuse it here.
  if (entry.type !== GgufValueType.UINT32 || typeof entry.value !== 'number') {
    throw corrupt(fileName, 'general.alignment is not a u32')
  }
  const alignment = entry.value
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0) {
    throw corrupt(fileName, `general.alignment ${alignment} is not a power of two`)
  }
  return alignment
}

interface TensorInfo {
  name: string
  dimensions: bigint[]
  type: GgmlTensorType
  byteSize: bigint
  offset: bigint
}

async function readTensorInfos(reader: BoundedReader, count: number): Promise<TensorInfo[]> {
  const tensors: TensorInfo[] = []
  const names = new Set<string>()
  for (let i = 0; i < count; i++) {
    const name = await reader.string(`the name of tensor ${i}`, GGML_MAX_NAME_BYTES)
    if (name.length === 0) throw corrupt(reader.fileName, `tensor ${i} has no name`)
    if (names.has(name)) throw corrupt(reader.fileName, `tensor ${name} appears twice`)
    names.add(name)
    const dimensionCount = await reader.u32(`the dimension count of ${name}`)
    if (dimensionCount > GGML_MAX_DIMS) throw corrupt(reader.fileName, `tensor ${name} has ${dimensionCount} dimensions (at most ${GGML_MAX_DIMS})`)
    const dimensions: bigint[] = []
    let elements = 1n
    for (let d = 0; d < dimensionCount; d++) {
      const dimension = await reader.u64(`dimension ${d} of ${name}`)
      elements *= dimension
      if (dimension > INT64_MAX || elements > INT64_MAX) throw corrupt(reader.fileName, `tensor ${name} has an impossible shape`)
      dimensions.push(dimension)
    }
    const typeId = await reader.u32(`the type of ${name}`)
    const type = ggmlTensorType(typeId)
    if (type === undefined) {
      // A small id is most likely a tensor type newer (or older) than this llama.cpp; a large one, damage.
      throw typeId < 64
        ? new WorkstationError('MODEL_UNSUPPORTED', `${reader.fileName}: tensor ${name} uses ggml type ${typeId}, unknown to this llama.cpp`)
        : corrupt(reader.fileName, `tensor ${name} has invalid ggml type ${typeId}`)
    }
    const byteSize = ggmlTensorByteSize(type, dimensions.length > 0 ? dimensions : [1n])
    if (byteSize === undefined) {
      throw corrupt(reader.fileName, `tensor ${name} rows are not a whole number of ${type.name} blocks`)
    }
    const offset = await reader.u64(`the data offset of ${name}`)
    tensors.push({ name, dimensions, type, byteSize, offset })
  }
  return tensors
}

/** Missing, a folder, no permission: all mean the same to the person choosing the file. */
async function openModelFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  const fileName = basename(path)
  try {
    // stat before open: opening a FIFO for reading would block until someone writes to it.
    const stats = await stat(path)
    if (!stats.isFile()) throw new WorkstationError('MODEL_UNREADABLE', `${fileName}: ${stats.isDirectory() ? 'is a folder' : 'is not a regular file'}`)
    const handle = await open(path, 'r')
    return { handle, size: (await handle.stat()).size }
  } catch (error) {
    if (error instanceof WorkstationError) throw error
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new WorkstationError('MODEL_UNREADABLE', `${fileName}: ${code}`, { cause: error })
  }
}

/** Reads and validates one GGUF file: header, key/values, tensor infos and the data section's extent. */
export async function readGgufFileLayout(path: string, options: ReadGgufOptions = {}): Promise<GgufFileLayout> {
  const { handle, size } = await openModelFile(path)
  const fileName = basename(path)
  try {
    const reader = new BoundedReader(handle, size, fileName)
    if (size < GGUF_MAGIC.length) throw new WorkstationError('MODEL_NOT_GGUF', `${fileName}: ${size === 0 ? 'the file is empty' : `only ${size} bytes`}`)
    const magic = await reader.take(GGUF_MAGIC.length, 'the magic')
    if (!magic.equals(GGUF_MAGIC)) throw new WorkstationError('MODEL_NOT_GGUF', `${fileName}: does not start with "GGUF"`)
    if (size < GGUF_HEADER_BYTES) throw corrupt(fileName, `the header is cut short (${size} bytes)`)

    const version = await reader.u32('the version')
    if ((version & 0xffff) === 0 && version !== 0) throw corrupt(fileName, 'the file is big-endian; llama.cpp reads only little-endian GGUF')
    if (version !== 2 && version !== 3) throw corrupt(fileName, `GGUF version ${version} is not supported (only 2 and 3)`)

    const tensorCount = await reader.u64('the tensor count')
    const kvCount = await reader.u64('the key/value count')
    const minimumBytes = tensorCount * BigInt(GGUF_MIN_TENSOR_INFO_BYTES) + kvCount * BigInt(GGUF_MIN_KV_BYTES)
    if (minimumBytes > BigInt(reader.remaining)) {
      throw corrupt(fileName, `the header claims ${tensorCount} tensors and ${kvCount} key/values, which cannot fit in ${size} bytes`)
    }

    const metadata = await readMetadata(reader, Number(kvCount), options.arrayValueLimit ?? 256)
    const alignment = alignmentOf(metadata, fileName)
    const infos = await readTensorInfos(reader, Number(tensorCount))
    const dataOffset = Number(alignUp(BigInt(reader.position), BigInt(alignment)))

    // llama.cpp requires tensors back to back in declaration order, each padded to the alignment,
    // and each one's bytes inside the file (the last one's padding may be missing).
    let expectedOffset = 0n
    const tensors: GgufTensorLayout[] = []
    for (const info of infos) {
      if (info.offset !== expectedOffset) {
        throw corrupt(fileName, `tensor ${info.name} starts at data offset ${info.offset}, expected ${expectedOffset}`)
      }
      const end = BigInt(dataOffset) + info.offset + info.byteSize
      if (end > BigInt(size)) {
        throw corrupt(fileName, `the file is cut short: tensor ${info.name} needs bytes up to ${end}, the file has ${size}`)
      }
      tensors.push({
        name: info.name,
        dimensions: info.dimensions.map(Number),
        type: info.type,
        elementCount: Number(info.dimensions.reduce((product, dimension) => product * dimension, 1n)),
        byteSize: Number(info.byteSize),
        offset: Number(info.offset),
      })
      expectedOffset = alignUp(info.offset + info.byteSize, BigInt(alignment))
    }
    return { path, fileSize: size, version, alignment, metadata, tensors, dataOffset }
  } finally {
    await handle.close()
  }
}

export function metadataString(metadata: ReadonlyMap<string, GgufEntry>, key: string): string | undefined {
  const value = metadata.get(key)?.value
  return typeof value === 'string' ? value : undefined
}

/** Any integer-typed value as a number (undefined when absent, not an integer, or too large). */
export function metadataInteger(metadata: ReadonlyMap<string, GgufEntry>, key: string): number | undefined {
  const value = metadata.get(key)?.value
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= 0n) return Number(value)
  return undefined
}

export function metadataArray(metadata: ReadonlyMap<string, GgufEntry>, key: string): GgufArray | undefined {
  const value = metadata.get(key)?.value
  return typeof value === 'object' ? value : undefined
}
