import { errorMessages, type ErrorCode, type ErrorData, type UiLocale, type WorkstationErrorPayload } from '../contract/errors.ts'

/**
 * The one error type core throws for anything a user can cause. `message` is the English sentence;
 * `detail` is technical context for the log (never clinical text).
 */
export class WorkstationError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined
  readonly data: ErrorData | undefined

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; data?: ErrorData }) {
    super(errorMessages[code].en, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'WorkstationError'
    this.code = code
    this.detail = detail
    this.data = options?.data
  }

  /** Rebuilds an error that crossed a process boundary. */
  static fromPayload(payload: WorkstationErrorPayload): WorkstationError {
    return new WorkstationError(payload.code, payload.detail, payload.data ? { data: payload.data } : undefined)
  }

  localized(locale: UiLocale): string {
    return errorMessages[this.code][locale]
  }

  toPayload(): WorkstationErrorPayload {
    const payload: WorkstationErrorPayload = { code: this.code, message: this.message }
    if (this.detail !== undefined) payload.detail = this.detail
    if (this.data !== undefined) payload.data = this.data
    return payload
  }
}

export function isWorkstationError(value: unknown, code?: ErrorCode): value is WorkstationError {
  return value instanceof WorkstationError && (code === undefined || value.code === code)
}
