import { WorkstationError } from '../errors.ts'

// What a new PIN must be. A PIN is 6–12 digits (quick at a consulting-room keyboard; the lock-out
// after a few wrong tries is what protects it); a password is at least 8 characters. The detail of
// a refusal names the rule, never the PIN.

const minPinDigits = 6
const maxPinDigits = 12
const minPasswordLength = 8
const maxLength = 128

function weakDigits(digits: string): string | null {
  if (/^(\d)\1+$/.test(digits)) return 'all digits the same'
  const steps = new Set<number>()
  for (let i = 1; i < digits.length; i++) steps.add((Number(digits[i]) - Number(digits[i - 1]) + 10) % 10)
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return 'a run of consecutive digits'
  if (/^(\d\d)\1+$/.test(digits) || /^(\d\d\d)\1+$/.test(digits)) return 'a repeated pattern'
  return null
}

/** Refuses a PIN of the wrong length (PIN_WRONG_LENGTH) or easy to guess (PIN_TOO_WEAK); returns nothing when it is acceptable. */
export function checkNewPin(pin: string, staffId: string): void {
  const text = pin.normalize('NFKC')
  const refuse = (rule: string): never => {
    throw new WorkstationError('PIN_TOO_WEAK', rule)
  }
  // Too short or too long is not "too easy to guess": said as what it is.
  const wrongLength = (rule: string): never => {
    throw new WorkstationError('PIN_WRONG_LENGTH', rule)
  }
  if (text.length > maxLength) wrongLength(`longer than ${maxLength} characters`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) refuse('contains control characters')
  if (text.trim() !== text) refuse('begins or ends with a space')
  if (text.toLowerCase() === staffId.normalize('NFKC').toLowerCase()) refuse('the same as the staff id')
  if (/^\d+$/.test(text)) {
    if (text.length < minPinDigits || text.length > maxPinDigits) wrongLength(`a PIN is ${minPinDigits}-${maxPinDigits} digits`)
    const weakness = weakDigits(text)
    if (weakness !== null) refuse(weakness)
    return
  }
  if ([...text].length < minPasswordLength) wrongLength(`a password is at least ${minPasswordLength} characters`)
  if (new Set(text).size === 1) refuse('all characters the same')
}
