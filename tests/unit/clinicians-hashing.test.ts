import { describe, expect, it } from 'vitest'
import { checkedRoles, rolesFromStored, storedRoles } from '../../electron/core/clinicians/clinician-roles.ts'
import { retryAfterMs, waitAfterFailures } from '../../electron/core/clinicians/pin-attempts.ts'
import { hashPin, productionScryptCost, testScryptCost, verifyPin, weakerThan } from '../../electron/core/clinicians/pin-hashing.ts'
import { checkNewPin } from '../../electron/core/clinicians/pin-policy.ts'
import { checkedStaffId } from '../../electron/core/clinicians/staff-id.ts'
import { codeOf, errorOf } from './clinicians-support.ts'

// PINs are kept only as salted scrypt hashes; a new PIN must not be easy to guess; staff ids and
// roles are checked the same way wherever they come from.

describe('PIN hashing', () => {
  it('stores a salted scrypt hash that names its parameters, and verifies only the right PIN', async () => {
    const first = await hashPin('135792', testScryptCost)
    const second = await hashPin('135792', testScryptCost)
    expect(first).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/)
    expect(first).not.toBe(second)
    expect(first).not.toContain('135792')
    expect(await verifyPin('135792', first)).toBe(true)
    expect(await verifyPin('135792', second)).toBe(true)
    expect(await verifyPin('135793', first)).toBe(false)
    expect(await verifyPin('', first)).toBe(false)
  })

  it('production hashing is OWASP’s scrypt minimum (N=2^17, r=8, p=1), and that is the default', async () => {
    expect(productionScryptCost).toEqual({ log2N: 17, r: 8, p: 1 })
    const hash = await hashPin('135792')
    expect(hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$/)
    expect(await verifyPin('135792', hash)).toBe(true)
    expect(weakerThan(await hashPin('135792', testScryptCost), productionScryptCost)).toBe(true)
    expect(weakerThan(hash, productionScryptCost)).toBe(false)
  })

  it('full-width digits from a Chinese input method are the same PIN', async () => {
    const hash = await hashPin('１３５７９２', testScryptCost)
    expect(await verifyPin('135792', hash)).toBe(true)
  })

  it('a malformed or tampered hash matches nothing, and absurd parameters are never run', async () => {
    const hash = await hashPin('135792', testScryptCost)
    expect(await verifyPin('135792', hash.replace('ln=10', 'ln=30'))).toBe(false)
    expect(await verifyPin('135792', hash.replace('r=8', 'r=0'))).toBe(false)
    expect(await verifyPin('135792', 'plain text 135792')).toBe(false)
    expect(await verifyPin('135792', hash.slice(0, -8))).toBe(false)
  })
})

describe('new PINs', () => {
  it.each(['135792', '246813', '20240915', '１３５７９２', 'correct horse', '协和医院2024!'])('accepts %s', (pin) => {
    expect(() => checkNewPin(pin, 'D1024')).not.toThrow()
  })

  it.each([
    ['12345', 'a PIN is 6-12 digits'],
    ['1234567890123', 'a PIN is 6-12 digits'],
    ['000000', 'all digits the same'],
    ['123456', 'a run of consecutive digits'],
    ['654321', 'a run of consecutive digits'],
    ['890123', 'a run of consecutive digits'],
    ['121212', 'a repeated pattern'],
    ['159159', 'a repeated pattern'],
    ['d1024', 'the same as the staff id'],
    ['short', 'a password is at least 8 characters'],
    ['aaaaaaaa', 'all characters the same'],
    [' 135792', 'begins or ends with a space'],
    ['1357\n92', 'contains control characters'],
  ])('refuses %j (%s), naming the rule and not the PIN', async (pin, rule) => {
    const error = await errorOf(() => checkNewPin(pin, 'D1024'))
    // Too short or too long is said as a length, not as "too easy to guess".
    expect(error.code).toBe(/ is \d|at least|longer than/.test(rule) ? 'PIN_WRONG_LENGTH' : 'PIN_TOO_WEAK')
    expect(error.detail).toBe(rule)
    expect(JSON.stringify([error.detail, error.data])).not.toContain(pin.trim())
  })
})

describe('rate limit schedule', () => {
  it('waits longer after each wrong PIN: 0, 0, 1 s, 4 s, 16 s, 64 s … at most 5 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(waitAfterFailures)).toEqual([0, 0, 1000, 4000, 16_000, 64_000, 256_000, 300_000, 300_000])
    expect(retryAfterMs(3, 10_000, 12_000)).toBe(2000)
    expect(retryAfterMs(3, 10_000, 14_000)).toBe(0)
    expect(retryAfterMs(0, null, 0)).toBe(0)
  })
})

describe('staff ids and roles', () => {
  it('normalizes a staff id typed in full width, and refuses what is not one', async () => {
    expect(checkedStaffId(' Ｄ１０２４ ')).toBe('D1024')
    expect(checkedStaffId('hz.0231_b-2')).toBe('hz.0231_b-2')
    for (const bad of ['', '张三', 'D 1024', '-D1', 'x'.repeat(33), 'system', 'IMPORT', 'recovery']) {
      expect(await codeOf(() => checkedStaffId(bad))).toBe('STAFF_ID_INVALID')
    }
  })

  it('a doctor or nurse may also be an admin, never both doctor and nurse', async () => {
    expect(checkedRoles(['admin', 'doctor'])).toEqual(['doctor', 'admin'])
    expect(storedRoles(['admin', 'nurse'])).toBe('nurse+admin')
    expect(rolesFromStored('doctor+admin')).toEqual(['doctor', 'admin'])
    for (const bad of [[], ['doctor', 'nurse'], ['doctor', 'doctor'], ['surgeon']]) expect(await codeOf(() => checkedRoles(bad))).toBe('USAGE')
  })
})
