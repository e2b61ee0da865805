import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** scrypt's cost: N = 2^log2N, block size r, parallelism p. */
export interface ScryptCost {
  log2N: number
  r: number
  p: number
}

/**
 * OWASP's minimum for scrypt (N=2^17, r=8, p=1): 128 MiB and about a quarter of a second per hash
 * here, paid once per sign-in. A stolen database then costs an attacker that much per guess.
 */
export const productionScryptCost: ScryptCost = { log2N: 17, r: 8, p: 1 }

/** Tests only (a few milliseconds); passed explicitly, never chosen by configuration or environment. */
export const testScryptCost: ScryptCost = { log2N: 10, r: 8, p: 1 }

const saltBytes = 16
const hashBytes = 32
// Parameters read back from the database are bounded, so an edited row cannot make a check take minutes or gigabytes.
const bounds = { log2N: [10, 20], r: [1, 32], p: [1, 16] } as const

interface StoredHash {
  cost: ScryptCost
  salt: Buffer
  hash: Buffer
}

function derive(secret: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 }
  // The async form runs on libuv's thread pool, so the window stays responsive while it works.
  return new Promise((resolve, reject) =>
    scrypt(secretBytes(secret), salt, hashBytes, options, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

/**
 * What is hashed: the PIN in Unicode NFKC, so full-width digits from a Chinese input method
 * (１２３４５６) are the same PIN as 123456.
 */
function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.normalize('NFKC'), 'utf8')
}

function within(value: number, [low, high]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= low && value <= high
}

function parse(stored: string): StoredHash | null {
  const match = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(stored)
  if (match === null) return null
  const cost = { log2N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) }
  if (!within(cost.log2N, bounds.log2N) || !within(cost.r, bounds.r) || !within(cost.p, bounds.p)) return null
  const salt = Buffer.from(match[4] as string, 'base64')
  const hash = Buffer.from(match[5] as string, 'base64')
  if (salt.length < saltBytes || hash.length !== hashBytes) return null
  return { cost, salt, hash }
}

/** A salted scrypt hash, self-describing: `scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64). */
export async function hashPin(pin: string, cost: ScryptCost = productionScryptCost): Promise<string> {
  const salt = randomBytes(saltBytes)
  const hash = await derive(pin, salt, cost)
  return `scrypt$ln=${cost.log2N},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** Whether `pin` is the one hashed in `stored`, compared in constant time. A malformed hash matches nothing. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parsed = parse(stored)
  if (parsed === null) return false
  const candidate = await derive(pin, parsed.salt, parsed.cost)
  return timingSafeEqual(candidate, parsed.hash)
}

/** Spends the time of a real check, so an unknown staff id answers as slowly as a wrong PIN. */
export async function spendPinCheck(pin: string, cost: ScryptCost): Promise<void> {
  await derive(pin, randomBytes(saltBytes), cost)
}

/** A hash made with weaker parameters than `cost` is upgraded at the next successful check. */
export function weakerThan(stored: string, cost: ScryptCost): boolean {
  const parsed = parse(stored)
  if (parsed === null) return false
  return parsed.cost.log2N < cost.log2N || parsed.cost.r < cost.r || parsed.cost.p < cost.p
}
