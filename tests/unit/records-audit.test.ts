import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainHasher } from '../../electron/core/records/chain-hasher.ts'
import type { RecordStore } from '../../electron/core/records/record-store.ts'
import { runHuatuo } from '../support/cli.ts'
import { fillWithDemo, openTestStore, temporaryFolder } from './records-support.ts'

// The audit log is append-only and hash-chained: any edit, removal or reordering is found, and
// `huatuo audit verify` names the first broken entry.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let counter = 0

/** A database with a realistic audit log, closed. */
async function auditedDatabase(): Promise<string> {
  const path = `${folder.path}/audit-${++counter}.db`
  const store = await openTestStore(path)
  await fillWithDemo(store, 12, 5)
  store.close()
  return path
}

/** What someone with the file and an SQLite shell could do: drop the guards, then edit. */
async function tamper(path: string, sql: string): Promise<void> {
  const store = await openTestStore(path)
  try {
    store.connection.exec('DROP TRIGGER audit_entries_append_only_update; DROP TRIGGER audit_entries_append_only_delete;')
    store.connection.exec(sql)
  } finally {
    store.close()
  }
}

async function verify(path: string): Promise<ReturnType<RecordStore['audit']['verify']>> {
  const store = await openTestStore(path, { readOnly: true })
  try {
    return store.audit.verify()
  } finally {
    store.close()
  }
}

beforeAll(async () => {
  folder = await temporaryFolder('audit')
})

afterAll(async () => {
  await folder?.remove()
})

describe('the audit log', () => {
  it('refuses UPDATE and DELETE', async () => {
    const store = await openTestStore(await auditedDatabase())
    try {
      expect(() => store.connection.exec("UPDATE audit_entries SET actor = 'someone' WHERE seq = 3")).toThrow('AUDIT_APPEND_ONLY')
      expect(() => store.connection.exec('DELETE FROM audit_entries WHERE seq = 3')).toThrow('AUDIT_APPEND_ONLY')
      const entries = store.audit.list({ limit: 200 }).items
      expect(entries[0]?.seq).toBeGreaterThan(40)
      // Each entry's hash covers the previous entry's hash.
      for (let i = 0; i + 1 < entries.length; i++) expect(entries[i]?.previousHash).toBe(entries[i + 1]?.hash)
      // People by clinician id (the demo's doctors sign); "demo" and "system" where no person acted.
      for (const entry of entries) expect(entry.actor).toMatch(/^(system|demo|demo-dr-\w+)$/)
      expect(entries.some((e) => e.actor === 'demo' && e.action === 'consultation.import')).toBe(true)
    } finally {
      store.close()
    }
  })

  it.each([
    ['an edited actor', "UPDATE audit_entries SET actor = 'dr.nobody' WHERE seq = 17", 17, 'hash-mismatch', 16],
    ['an edited time', 'UPDATE audit_entries SET at = at - 86400000 WHERE seq = 9', 9, 'hash-mismatch', 8],
    ['a removed entry', 'DELETE FROM audit_entries WHERE seq = 21', 22, 'sequence-gap', 20],
    ['an entry re-hashed to hide an edit', "UPDATE audit_entries SET action = 'x', hash = '0000' WHERE seq = 30", 30, 'hash-mismatch', 29],
    ['a spliced chain', 'UPDATE audit_entries SET previous_hash = (SELECT hash FROM audit_entries WHERE seq = 3) WHERE seq = 12', 12, 'previous-hash-mismatch', 11],
  ] as const)('finds %s and names the first broken entry', async (_, sql, seq, reason, intactBefore) => {
    const path = await auditedDatabase()
    expect((await verify(path)).ok).toBe(true)
    await tamper(path, sql)
    expect(await verify(path)).toEqual({ ok: false, entriesChecked: intactBefore, firstBroken: { seq, reason } })
  })

  it('hashes through a replaceable ChainHasher (a keyed HMAC later), recorded per entry', async () => {
    const keyed = (key: string): ChainHasher => ({
      scheme: 'hmac-sha256:k1',
      hash: (previous, entry) => createHmac('sha256', key).update(previous).update('\n').update(entry).digest('hex'),
    })
    const path = `${folder.path}/keyed.db`
    const store = await openTestStore(path, { chainHasher: keyed('secret outside the database') })
    const patient = store.patients.register({ name: '密钥测试' }, 'dr.li')
    store.consultations.create({ patientId: patient.id }, 'dr.li')
    expect(store.audit.list().items.every((e) => e.hashScheme === 'hmac-sha256:k1')).toBe(true)
    expect(store.audit.verify().ok).toBe(true)
    store.close()
    const plain = await openTestStore(path, { readOnly: true })
    expect(plain.audit.verify()).toEqual({ ok: false, entriesChecked: 0, firstBroken: { seq: 1, reason: 'unknown-scheme' } })
    expect(plain.audit.verify([keyed('a guessed key')]).firstBroken).toEqual({ seq: 1, reason: 'hash-mismatch' })
    expect(plain.audit.verify([keyed('secret outside the database')]).ok).toBe(true)
    plain.close()
  })

  it('huatuo audit verify reports an intact chain, and the first broken entry with a stable code', async () => {
    const path = await auditedDatabase()
    const intact = await runHuatuo(['audit', 'verify', '--db', path])
    expect(intact.stderr).toBe('')
    expect(intact.status).toBe(0)
    // This database was written without a key (as before accounts existed), and none is beside it.
    expect(intact.stdout).toMatch(
      /^audit log intact: \d+ entries \(not keyed: no audit key at .*keys\/audit-chain\.key, only unkeyed hashes checked\)\nchain head anchor not checked: no audit key\nsigned records intact: \d+ signed or amended versions re-hashed\n$/,
    )
    await tamper(path, "UPDATE audit_entries SET entity_id = 'other' WHERE seq = 5")
    const broken = await runHuatuo(['audit', 'verify', '--db', path])
    expect(broken.status).toBe(1)
    expect(broken.stderr).toContain('AUDIT_CHAIN_BROKEN')
    expect(broken.stderr).toContain('entry 5: hash-mismatch')
    const json = await runHuatuo(['audit', 'verify', '--db', path, '--json'])
    expect(json.status).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      entriesChecked: 4,
      firstBroken: { seq: 5, reason: 'hash-mismatch' },
      keys: [],
      anchor: { state: 'unchecked' },
      signedVersions: { checked: Number(/signed records intact: (\d+)/.exec(intact.stdout)?.[1]), tampered: [] },
    })
    expect((await runHuatuo(['audit', 'check', '--db', path])).status).toBe(2)
  })
})
