import type { ErrorCode, ErrorData } from '../../../electron/contract/errors.ts'
import { WorkstationRequestError } from '../api/request-error.ts'

/** What a store keeps of a failed request: the code (shown localized) and the detail (for IT). */
export interface Failure {
  code: ErrorCode
  detail: string | undefined
  /** Facts the window can act on (MODEL_TOO_LARGE's largestContextSize). */
  data?: ErrorData
}

export function failureOf(error: unknown): Failure {
  if (error instanceof WorkstationRequestError) return { code: error.code, detail: error.detail, ...(error.data ? { data: error.data } : {}) }
  return { code: 'INTERNAL', detail: error instanceof Error ? error.message : String(error) }
}
