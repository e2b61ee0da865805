import { errorMessages, type ErrorCode, type ErrorData, type WorkstationErrorPayload } from '../../../electron/contract/errors.ts'

/** A refused request, as the page sees it: the stable code decides what the clinician reads. */
export class WorkstationRequestError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined
  readonly data: ErrorData | undefined

  constructor(payload: WorkstationErrorPayload) {
    super(payload.message)
    this.name = 'WorkstationRequestError'
    this.code = payload.code
    this.detail = payload.detail
    this.data = payload.data
  }
}

/** A failure of the connection itself, shaped like any other refusal. */
export function connectionLost(detail: string): WorkstationErrorPayload {
  return { code: 'HOST_CONNECTION_LOST', message: errorMessages.HOST_CONNECTION_LOST.en, detail }
}
