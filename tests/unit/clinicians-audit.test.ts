import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../electron/core/clinicians/audit-chain-verification.ts'
import { keyFileVault, sealedKeyFileVault, type KeySealer } from '../../electron/core/clinicians/audit-key-vault.ts'
import { keyedChainHasher } from '../../electron/core/clinicians/keyed-chain-hasher.ts'
import { openKeyedRecordStore } from '../../electron/core/clinicians/keyed-record-store.ts'
import { auditEntryText } from '../../electron/core/records/audit-log.ts'
import { genesisHash, sha256ChainHasher, type ChainHasher } from '../../electron/core/records/chain-hasher.ts'
import { runHuatuo } from '../support/cli.ts'
import { codeOf, draftRecord, openClinic, people, signIn, temporaryFolder } from './clinicians-support.ts'
import { openTestStore } from './records-support.ts'

// The audit chain is keyed with a secret outside the database: whoever edits the database file —
// a row changed, a row removed, rows re-hashed with plain SHA-256 or with a guessed key — leaves a
// chain that `huatuo audit verify` rejects at the first entry touched. The key file is the owner's
// alone (mode 0600), and a key file others can read is refused.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let counter = 0

beforeAll(async () => {
  folder = await temporaryFolder('clinicians-audit')
})

afterAll(async () => {
  await folder?.remove()
})

/** A keyed database with accounts, sign-ins, a signed record: about twenty entries. Closed; returns its folder. */
async function keyedDatabase(): Promise<{ path: string; keyPath: string; hasher: ChainHasher; remove(): Promise<void> }> {
  const clinic = await openClinic(`forgery-${++counter}`)
  await signIn(clinic, 'doctor')
  const recordId = draftRecord(clinic.store)
  await clinic.signing.sign(recordId, people.doctor.pin)
  clinic.sessions.lock()
  await clinic.sessions.unlock(people.doctor.pin)
  await signIn(clinic, 'nurse')
  clinic.close()
  return { path: `${clinic.folder}/records.db`, keyPath: clinic.keyPath, hasher: clinic.hasher, remove: clinic.remove }
}

interface Row {
  seq: number
  at: number
  actor: string
  action: string
  entity_type: string
  entity_id: string
  details: string
  hash_scheme: string
  previous_hash: string
  hash: string
}

/** What someone with the file and an SQLite shell can do: drop the guards, then change rows. */
function tamper(path: string, change: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(path)
  db.exec('DROP TRIGGER IF EXISTS audit_entries_append_only_update; DROP TRIGGER IF EXISTS audit_entries_append_only_delete')
  change(db)
  db.close()
}

/** Recomputes the chain from `fromSeq` (to `toSeq`), as a forger would, with `hasher` (and its scheme, unless `label` is given). */
function rehash(db: DatabaseSync, fromSeq: number, hasher: ChainHasher, label = hasher.scheme, toSeq = Number.MAX_SAFE_INTEGER): void {
  const rows = db.prepare('SELECT * FROM audit_entries ORDER BY seq').all() as unknown as Row[]
  let previous = genesisHash
  const update = db.prepare('UPDATE audit_entries SET hash_scheme = ?, previous_hash = ?, hash = ? WHERE seq = ?')
  for (const row of rows) {
    if (row.seq >= fromSeq && row.seq <= toSeq) {
      const hash = hasher.hash(previous, auditEntryText(row))
      update.run(label, previous, hash, row.seq)
      previous = hash
    } else previous = row.hash
  }
}

async function verified(path: string, hasher: ChainHasher) {
  const store = await openTestStore(path, { readOnly: true })
  try {
    return verifyAuditChain(store, [hasher])
  } finally {
    store.close()
  }
}

const guessedKey: ChainHasher = {
  scheme: 'guessed',
  hash: (previous, entry) => createHmac('sha256', 'a guessed key').update(previous).update('\n').update(entry).digest('hex'),
}

describe('forgery attempts', () => {
  it.each([
    ['an edited row', (db: DatabaseSync) => db.exec("UPDATE audit_entries SET actor = 'D0001' WHERE seq = 9"), 9, 'hash-mismatch', 8],
    ['a deleted row', (db: DatabaseSync) => db.exec('DELETE FROM audit_entries WHERE seq = 9'), 10, 'sequence-gap', 8],
    [
      'an edited row re-hashed with plain SHA-256, and every row after it',
      (db: DatabaseSync) => {
        db.exec("UPDATE audit_entries SET actor = 'D0001' WHERE seq = 9")
        rehash(db, 9, sha256ChainHasher)
      },
      9,
      'unkeyed-entry',
      8,
    ],
    [
      'an edited row re-hashed with SHA-256 under the keyed label',
      (db: DatabaseSync) => {
        db.exec("UPDATE audit_entries SET actor = 'D0001' WHERE seq = 9")
        rehash(db, 9, sha256ChainHasher, 'KEEP')
        db.exec("UPDATE audit_entries SET hash_scheme = (SELECT hash_scheme FROM audit_entries WHERE seq = 1) WHERE hash_scheme = 'KEEP'")
      },
      9,
      'hash-mismatch',
      8,
    ],
    ['the whole chain rewritten with plain SHA-256', (db: DatabaseSync) => rehash(db, 1, sha256ChainHasher), 1, 'unkeyed-entry', 0],
    [
      'an edited row re-hashed with a guessed key',
      (db: DatabaseSync) => {
        db.exec("UPDATE audit_entries SET entity_id = 'other' WHERE seq = 12")
        const scheme = (db.prepare('SELECT hash_scheme FROM audit_entries WHERE seq = 12').get() as { hash_scheme: string }).hash_scheme
        rehash(db, 12, guessedKey, scheme)
      },
      12,
      'hash-mismatch',
      11,
    ],
    [
      'an edited row re-hashed with the forger’s own key',
      (db: DatabaseSync) => {
        db.exec("UPDATE audit_entries SET entity_id = 'other' WHERE seq = 12")
        rehash(db, 12, keyedChainHasher(randomBytes(32)))
      },
      12,
      'unknown-scheme',
      11,
    ],
  ] as const)('%s is found at the first entry touched', async (_, change, seq, reason, intactBefore) => {
    const db = await keyedDatabase()
    expect((await verified(db.path, db.hasher)).ok).toBe(true)
    tamper(db.path, change)
    expect(await verified(db.path, db.hasher)).toEqual({ ok: false, entriesChecked: intactBefore, firstBroken: { seq, reason } })
    await db.remove()
  })

  it('huatuo audit verify uses the key file, and names the first broken entry of each forgery', async () => {
    const db = await keyedDatabase()
    const intact = await runHuatuo(['audit', 'verify', '--db', db.path])
    expect(intact.stderr).toBe('')
    expect(intact.stdout).toMatch(new RegExp(`^audit log intact: (\\d+) entries \\(keyed with ${db.hasher.scheme}\\)\\nchain head anchored at entry \\1\\n`))
    tamper(db.path, (raw) => {
      raw.exec("UPDATE audit_entries SET action = 'record.edit' WHERE seq = 15")
      rehash(raw, 15, sha256ChainHasher)
    })
    const broken = await runHuatuo(['audit', 'verify', '--db', db.path])
    expect(broken.status).toBe(1)
    expect(broken.stderr).toMatch(/^AUDIT_CHAIN_BROKEN: .*\(entry 15: unkeyed-entry; 14 entries before it are intact\)\n$/)
    const json = await runHuatuo(['audit', 'verify', '--db', db.path, '--json'])
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      entriesChecked: 14,
      firstBroken: { seq: 15, reason: 'unkeyed-entry' },
      keys: [db.hasher.scheme],
      // The re-hashed entry 15 is the anchored head: it no longer has the anchored hash.
      anchor: { state: 'truncated', anchoredSeq: 15, headSeq: 15 },
      signedVersions: { checked: 1, tampered: [] },
    })
    await db.remove()
  })

  it('without its key the chain cannot be verified, and the command says which key is missing', async () => {
    const db = await keyedDatabase()
    const moved = `${db.keyPath}.elsewhere`
    await rename(db.keyPath, moved)
    const missing = await runHuatuo(['audit', 'verify', '--db', db.path])
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain('AUDIT_KEY_UNAVAILABLE')
    expect(missing.stderr).toContain(`entry 1 is hashed with ${db.hasher.scheme}`)
    const given = await runHuatuo(['audit', 'verify', '--db', db.path, '--audit-key', moved])
    expect(given.status).toBe(0)
    await db.remove()
  })
})

describe('a database from before accounts', () => {
  it('is keyed from the first keyed open on; its earlier, unkeyed entries stay covered by the keyed ones', async () => {
    const path = `${folder.path}/legacy.db`
    const legacy = await openTestStore(path)
    const patient = legacy.patients.register({ name: '旧病人' }, 'dr.old')
    legacy.consultations.create({ patientId: patient.id }, 'dr.old')
    legacy.close()
    const vault = keyFileVault(`${folder.path}/keys/audit-chain.key`)
    const first = await openKeyedRecordStore({ path, keyVault: vault, scheduledBackups: false })
    expect(first.keyCreated).toBe(true)
    const marker = first.store.audit.list().items[0]
    expect(marker).toMatchObject({ actor: 'system', action: 'audit.key', hashScheme: first.auditHasher?.scheme, details: { previousScheme: 'sha256' } })
    first.store.close()
    const again = await openKeyedRecordStore({ path, keyVault: vault, scheduledBackups: false })
    expect(again.store.audit.list().items[0]?.seq).toBe(marker?.seq)
    expect(verifyAuditChain(again.store, [again.auditHasher as ChainHasher]).ok).toBe(true)
    again.store.close()
    // Rewriting the unkeyed part breaks the chain at the first keyed entry, which covers it.
    const markerSeq = marker?.seq as number
    tamper(path, (db) => {
      db.exec("UPDATE audit_entries SET actor = 'dr.other' WHERE seq = 2")
      rehash(db, 2, sha256ChainHasher, 'sha256', markerSeq - 1)
      db.exec(`UPDATE audit_entries SET previous_hash = (SELECT hash FROM audit_entries WHERE seq = ${markerSeq - 1}) WHERE seq = ${markerSeq}`)
    })
    expect((await verified(path, first.auditHasher as ChainHasher)).firstBroken).toEqual({ seq: marker?.seq, reason: 'hash-mismatch' })
  })
})

describe('the key file', () => {
  it('is made on first use in keys/, readable by its owner only, and used again after', async () => {
    const db = await keyedDatabase()
    expect((await stat(db.keyPath)).mode & 0o777).toBe(0o600)
    expect((await stat(dirname(db.keyPath))).mode & 0o777).toBe(0o700)
    expect((await readFile(db.keyPath, 'utf8')).split('\n')[0]).toBe('huatuo-audit-key v1')
    const reopened = await openKeyedRecordStore({ path: db.path, keyVault: keyFileVault(db.keyPath), scheduledBackups: false })
    expect(reopened.keyCreated).toBe(false)
    expect(reopened.auditHasher?.scheme).toBe(db.hasher.scheme)
    reopened.store.close()
    await db.remove()
  })

  it('that group or others may read or write is refused, by the store and by the command', async () => {
    const db = await keyedDatabase()
    for (const mode of [0o640, 0o604, 0o620, 0o602, 0o644]) {
      await chmod(db.keyPath, mode)
      expect([mode.toString(8), await codeOf(() => keyFileVault(db.keyPath).findKey())]).toEqual([mode.toString(8), 'AUDIT_KEY_EXPOSED'])
    }
    expect(await codeOf(() => openKeyedRecordStore({ path: db.path, keyVault: keyFileVault(db.keyPath), scheduledBackups: false }))).toBe('AUDIT_KEY_EXPOSED')
    const result = await runHuatuo(['audit', 'verify', '--db', db.path])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^AUDIT_KEY_EXPOSED: .*mode 644, must be 600\)\n$/)
    await chmod(db.keyPath, 0o400)
    expect(await keyFileVault(db.keyPath).findKey()).not.toBeNull()
    await db.remove()
  })

  it('owned by another user, a symbolic link, or malformed: refused', async () => {
    const path = `${folder.path}/own/audit-chain.key`
    await keyFileVault(path).obtainKey()
    expect(await codeOf(() => keyFileVault(path, { uid: 4242 }).findKey())).toBe('AUDIT_KEY_EXPOSED')
    await symlink(path, `${folder.path}/own/link.key`)
    expect(await codeOf(() => keyFileVault(`${folder.path}/own/link.key`).findKey())).toBe('AUDIT_KEY_EXPOSED')
    await writeFile(`${folder.path}/own/bad.key`, 'huatuo-audit-key v1\nnot base64!\n', { mode: 0o600 })
    expect(await codeOf(() => keyFileVault(`${folder.path}/own/bad.key`).findKey())).toBe('AUDIT_KEY_INVALID')
    await writeFile(`${folder.path}/own/short.key`, `huatuo-audit-key v1\n${randomBytes(8).toString('base64')}\n`, { mode: 0o600 })
    expect(await codeOf(() => keyFileVault(`${folder.path}/own/short.key`).findKey())).toBe('AUDIT_KEY_INVALID')
  })

  it('made by two processes at once ends as one key', async () => {
    const path = `${folder.path}/race/audit-chain.key`
    const results = await Promise.all([keyFileVault(path).obtainKey(), keyFileVault(path).obtainKey(), keyFileVault(path).obtainKey()])
    expect(results.filter((r) => r.created)).toHaveLength(1)
    for (const r of results) expect(Buffer.from(r.key).equals(Buffer.from(results[0]?.key as Uint8Array))).toBe(true)
  })

  it('a read-only open never makes one', async () => {
    const path = `${folder.path}/readonly/records.db`
    await mkdir(`${folder.path}/readonly`)
    ;(await openTestStore(path)).close()
    const opened = await openKeyedRecordStore({ path, readOnly: true, keyVault: keyFileVault(`${folder.path}/readonly/keys/audit-chain.key`) })
    expect(opened.auditHasher).toBeNull()
    opened.store.close()
    await expect(stat(`${folder.path}/readonly/keys`)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('a key sealed by the operating system (the app’s safeStorage)', () => {
  // Stands in for safeStorage: a secret the OS keeps for the user.
  const osSecret = randomBytes(32)
  const sealer: KeySealer = {
    name: 'test keychain',
    seal: (key) => {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', osSecret, iv)
      const body = Buffer.concat([cipher.update(key), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    unseal: (sealed) => {
      const data = Buffer.from(sealed)
      const decipher = createDecipheriv('aes-256-gcm', osSecret, data.subarray(0, 12))
      decipher.setAuthTag(data.subarray(12, 28))
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()])
    },
  }

  it('is stored sealed, mode 0600, and keys the chain like the plain key', async () => {
    const path = `${folder.path}/sealed/audit-chain.sealed`
    const vault = sealedKeyFileVault(path, sealer)
    const { key, created } = await vault.obtainKey()
    expect(created).toBe(true)
    expect(vault.location).toBe(`${path} (sealed by test keychain)`)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const stored = await readFile(path, 'utf8')
    expect(stored.startsWith('huatuo-audit-key-sealed v1\n')).toBe(true)
    expect(stored).not.toContain(Buffer.from(key).toString('base64'))
    expect(Buffer.from((await vault.findKey()) as Uint8Array).equals(Buffer.from(key))).toBe(true)
    const otherUser = sealedKeyFileVault(path, { ...sealer, unseal: () => { throw new Error('cannot decrypt') } })
    expect(await codeOf(() => otherUser.findKey())).toBe('AUDIT_KEY_UNAVAILABLE')
  })
})
