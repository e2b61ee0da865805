// Builds GGUF bytes by hand, so tests can write the malformed files a real writer never would:
// impossible counts, lengths and types, misplaced tensors.

export const GgufType = { UINT8: 0, UINT16: 2, UINT32: 4, INT32: 5, FLOAT32: 6, STRING: 8, ARRAY: 9, UINT64: 10 } as const

export class GgufBytes {
  private parts: Buffer[] = []

  raw(bytes: Buffer | string): this {
    this.parts.push(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)
    return this
  }

  u32(value: number): this {
    const buffer = Buffer.alloc(4)
    buffer.writeUInt32LE(value)
    return this.raw(buffer)
  }

  u64(value: number | bigint): this {
    const buffer = Buffer.alloc(8)
    buffer.writeBigUInt64LE(BigInt(value))
    return this.raw(buffer)
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8')
    return this.u64(bytes.length).raw(bytes)
  }

  /** "GGUF", version, tensor count, key/value count. */
  header(options: { version?: number; tensors?: number | bigint; kvs?: number | bigint } = {}): this {
    return this.raw('GGUF')
      .u32(options.version ?? 3)
      .u64(options.tensors ?? 0)
      .u64(options.kvs ?? 0)
  }

  kvString(key: string, value: string): this {
    return this.string(key).u32(GgufType.STRING).string(value)
  }

  kvU32(key: string, value: number): this {
    return this.string(key).u32(GgufType.UINT32).u32(value)
  }

  tensorInfo(name: string, dimensions: number[], type: number, offset: number | bigint): this {
    this.string(name).u32(dimensions.length)
    for (const dimension of dimensions) this.u64(dimension)
    return this.u32(type).u64(offset)
  }

  /** Zero bytes up to the next multiple of `alignment`. */
  pad(alignment = 32): this {
    const length = this.length
    return this.raw(Buffer.alloc((alignment - (length % alignment)) % alignment))
  }

  get length(): number {
    return this.parts.reduce((sum, part) => sum + part.length, 0)
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts)
  }
}
