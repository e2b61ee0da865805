import { errorMessages, type ErrorCode, type UiLocale, type WorkstationErrorPayload } from '../contract/errors.ts'

/**
 * The one error type core throws for anything a user can cause. `message` is the English sentence;
 * `detail` is technical context for the log (never clinical text).
 */
export class WorkstationError extends Error {
  readonly code: ErrorCode
  readonly detail: string | undefined

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(errorMessages[code].en, options)
    this.name = 'WorkstationError'
    this.code = code
    this.detail = detail
  }

  localized(locale: UiLocale): string {
    return errorMessages[this.code][locale]
  }

  toPayload(): WorkstationErrorPayload {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail }
  }
}

export function isWorkstationError(value: unknown, code?: ErrorCode): value is WorkstationError {
  return value instanceof WorkstationError && (code === undefined || value.code === code)
}
