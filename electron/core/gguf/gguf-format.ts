// Constants of the GGUF container format (version 3; version 2 differs only in ways the workstation
// does not write). Shared by the reader that validates files and the writer that generates test models.

/** "GGUF" read as bytes from the start of the file. */
export const GGUF_MAGIC = Buffer.from('GGUF', 'latin1')

export const GGUF_VERSION = 3
export const GGUF_DEFAULT_ALIGNMENT = 32

/** Bytes before the key/values: magic, u32 version, u64 tensor count, u64 key/value count. */
export const GGUF_HEADER_BYTES = 24

/** ggml tensors have at most four dimensions, and names shorter than 64 bytes (GGML_MAX_NAME). */
export const GGML_MAX_DIMS = 4
export const GGML_MAX_NAME_BYTES = 63

/** Value types of the key/value section, as numbered in the file. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const

export type GgufValueTypeId = (typeof GgufValueType)[keyof typeof GgufValueType]

/** Bytes a scalar value of each fixed-size type occupies. */
export const GGUF_SCALAR_BYTES: Readonly<Record<number, number>> = {
  [GgufValueType.UINT8]: 1,
  [GgufValueType.INT8]: 1,
  [GgufValueType.UINT16]: 2,
  [GgufValueType.INT16]: 2,
  [GgufValueType.UINT32]: 4,
  [GgufValueType.INT32]: 4,
  [GgufValueType.FLOAT32]: 4,
  [GgufValueType.BOOL]: 1,
  [GgufValueType.UINT64]: 8,
  [GgufValueType.INT64]: 8,
  [GgufValueType.FLOAT64]: 8,
}

/**
 * The fewest bytes one key/value or one tensor info can take in a file. A count in the header that
 * would need more bytes than the file has left is a corrupt header, detected before any allocation.
 * key/value: u64 key length + 1-byte key + u32 type + 1-byte value.
 * tensor info: u64 name length + 1-byte name + u32 dims (may be 0) + u32 type + u64 offset.
 */
export const GGUF_MIN_KV_BYTES = 8 + 1 + 4 + 1
export const GGUF_MIN_TENSOR_INFO_BYTES = 8 + 1 + 4 + 4 + 8

export function alignUp(value: bigint, alignment: bigint): bigint {
  const remainder = value % alignment
  return remainder === 0n ? value : value + alignment - remainder
}
