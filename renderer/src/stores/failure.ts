import type { ErrorCode } from '../../../electron/contract/errors.ts'
import { WorkstationRequestError } from '../api/request-error.ts'

/** What a store keeps of a failed request: the code (shown localized) and the detail (for IT). */
export interface Failure {
  code: ErrorCode
  detail: string | undefined
}

export function failureOf(error: unknown): Failure {
  if (error instanceof WorkstationRequestError) return { code: error.code, detail: error.detail }
  return { code: 'INTERNAL', detail: error instanceof Error ? error.message : String(error) }
}
