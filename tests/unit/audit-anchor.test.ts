import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { keyFileVault, type AuditKeyVault } from '../../electron/core/clinicians/audit-key-vault.ts'
import { openKeyedRecordStore, restoreKeyedRecordStore } from '../../electron/core/clinicians/keyed-record-store.ts'
import { openRecordStore } from '../../electron/core/records/record-store.ts'
import { runHuatuo } from '../support/cli.ts'
import { codeOf, draftRecord, errorOf, openClinic, people, signIn } from './clinicians-support.ts'

// The audit chain's head is anchored beside the key (issue 12, item 5a): removing the newest
// entries from the database — which leaves a shorter chain that still verifies — is found on
// open (the workstation refuses, changing nothing) and by `huatuo audit verify`. An anchor behind
// the database is fine; restoring a backup re-anchors and says which entries it superseded.

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A keyed clinic database with a signed record, closed: the anchor is written on close. */
async function anchoredDatabase(label: string) {
  const clinic = await openClinic(label)
  cleanups.push(clinic.remove)
  await signIn(clinic, 'doctor')
  const recordId = draftRecord(clinic.store)
  await clinic.signing.sign(recordId, people.doctor.pin)
  const entries = clinic.store.audit.head()?.seq as number
  clinic.close()
  return { path: `${clinic.folder}/records.db`, folder: clinic.folder, keyPath: clinic.keyPath, entries, recordId }
}

function rawCount(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n
  } finally {
    db.close()
  }
}

/** What someone with the file and an SQLite shell can do: drop the guard, delete the newest entries. */
function deleteNewest(path: string, count: number): void {
  const db = new DatabaseSync(path)
  db.exec('DROP TRIGGER audit_entries_append_only_delete')
  db.prepare('DELETE FROM audit_entries WHERE seq > (SELECT max(seq) FROM audit_entries) - ?').run(count)
  db.close()
}

const open = (path: string, keyPath: string, extra: { readOnly?: boolean; truncation?: 'refuse' | 'report' } = {}) =>
  openKeyedRecordStore({ path, keyVault: keyFileVault(keyPath), scheduledBackups: false, ...extra })

describe('the anchored chain head', () => {
  it('is written beside the key on close, mode 0600, MACed with the key', async () => {
    const db = await anchoredDatabase('anchor-file')
    const files = (await readdir(`${db.folder}/keys`)).filter((name) => name.endsWith('.anchor'))
    expect(files).toEqual([expect.stringMatching(/^audit-chain\.key\.[0-9a-f]{16}\.anchor$/)])
    const anchorPath = `${db.folder}/keys/${files[0]}`
    expect((await stat(anchorPath)).mode & 0o777).toBe(0o600)
    const [header, body] = (await readFile(anchorPath, 'utf8')).split('\n')
    expect(header).toBe('huatuo-audit-anchor v1')
    expect(JSON.parse(body as string)).toMatchObject({ seq: db.entries, hash: expect.stringMatching(/^[0-9a-f]{64}$/), mac: expect.stringMatching(/^[0-9a-f]{64}$/) })
    const reopened = await open(db.path, db.keyPath)
    expect(reopened.anchor).toMatchObject({ state: 'anchored', anchored: { seq: db.entries } })
    reopened.store.close()

    // An anchor edited without the key (moved back to hide entries) does not verify.
    const edited = JSON.parse(body as string) as { seq: number }
    await writeFile(anchorPath, `${header}\n${JSON.stringify({ ...edited, seq: edited.seq + 50 })}\n`, { mode: 0o600 })
    expect(await codeOf(() => open(db.path, db.keyPath))).toBe('AUDIT_ANCHOR_INVALID')
  })

  it('finds the newest entries deleted: the store refuses to open (AUDIT_TRUNCATED) and changes nothing; audit verify fails', async () => {
    const db = await anchoredDatabase('truncated')
    // Before: intact.
    const intact = await runHuatuo(['audit', 'verify', '--db', db.path])
    expect(intact.status).toBe(0)
    expect(intact.stdout).toContain(`chain head anchored at entry ${db.entries}\n`)

    deleteNewest(db.path, 6)
    const left = rawCount(db.path)
    expect(left).toBe(db.entries - 6)
    // The shorter chain still verifies as a chain: only the anchor shows the loss.
    const plain = await openRecordStore({ path: db.path, readOnly: true })
    expect(plain.audit.verify().firstBroken?.reason).not.toBe('sequence-gap')
    plain.close()

    const refused = await errorOf(() => open(db.path, db.keyPath))
    expect(refused.code).toBe('AUDIT_TRUNCATED')
    expect(refused.detail).toBe(`anchored head is entry ${db.entries}, the database ends at entry ${left}: entries ${left + 1}–${db.entries} are missing`)
    expect(refused.data).toEqual({ anchoredSeq: db.entries, headSeq: left, found: 'missing' })
    // Nothing was written: no recovery, no key marker, no new entry.
    expect(rawCount(db.path)).toBe(left)

    const verify = await runHuatuo(['audit', 'verify', '--db', db.path])
    expect(verify.status).toBe(1)
    expect(verify.stdout).toMatch(new RegExp(`^audit log intact: ${left} entries .*\\nchain head anchor: TRUNCATED \\(`))
    expect(verify.stderr).toMatch(/^AUDIT_TRUNCATED: .*entries \d+–\d+ are missing\)\n$/)
    const json = await runHuatuo(['audit', 'verify', '--db', db.path, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, anchor: { state: 'truncated', anchoredSeq: db.entries, headSeq: left } })
    // A command line that writes refuses too.
    const backup = await runHuatuo(['records', 'backup', '--db', db.path])
    expect(backup.stderr).toMatch(/^AUDIT_TRUNCATED:/)
    expect(rawCount(db.path)).toBe(left)
  })

  it('finds the newest entries deleted and new ones written in their place (the chain was cut and rewritten)', async () => {
    const db = await anchoredDatabase('rewritten')
    deleteNewest(db.path, 3)
    // Appended again with the key (as a forger with the key file could not avoid: the hashes differ).
    const unanchored = await openRecordStore({ path: db.path, scheduledBackups: false, chainHasher: (await open(db.path, db.keyPath, { readOnly: true })).auditHasher! })
    for (let i = 0; i < 3; i++) unanchored.patients.register({ name: '替换' }, 'D1024')
    unanchored.close()
    expect(rawCount(db.path)).toBe(db.entries)
    const refused = await errorOf(() => open(db.path, db.keyPath))
    expect([refused.code, refused.data?.['found']]).toEqual(['AUDIT_TRUNCATED', 'different'])
  })

  it('behind the database is fine when the entries after it follow from it (a crash before the anchor was written)', async () => {
    const db = await anchoredDatabase('behind')
    const keyed = await open(db.path, db.keyPath, { readOnly: true })
    const hasher = keyed.auditHasher!
    keyed.store.close()
    // Written without anchoring, as if the process died before the anchor caught up.
    const store = await openRecordStore({ path: db.path, scheduledBackups: false, chainHasher: hasher })
    store.patients.register({ name: '后来' }, 'D1024')
    store.close()
    const reopened = await open(db.path, db.keyPath)
    expect(reopened.anchor).toMatchObject({ state: 'anchored', anchored: { seq: db.entries }, head: { seq: db.entries + 1 } })
    reopened.store.close()
    // And now anchored at the new head.
    expect((await open(db.path, db.keyPath, { readOnly: true })).anchor).toMatchObject({ state: 'anchored', anchored: { seq: db.entries + 1 } })
  })

  it('is rewritten at most once a second under a burst of appends, and once more on close', async () => {
    const db = await anchoredDatabase('burst')
    const inner = keyFileVault(db.keyPath)
    const writes: string[] = []
    const counting: AuditKeyVault = {
      ...inner,
      writeAnchor: async (chain, bytes, stillWanted) => {
        writes.push('async')
        return inner.writeAnchor(chain, bytes, stillWanted)
      },
      writeAnchorSync: (chain, bytes) => {
        writes.push('sync')
        inner.writeAnchorSync(chain, bytes)
      },
    }
    const { store } = await openKeyedRecordStore({ path: db.path, keyVault: counting, scheduledBackups: false })
    writes.length = 0
    const started = performance.now()
    while (performance.now() - started < 1500) {
      store.patients.register({ name: '批量' }, 'D1024')
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(writes.filter((w) => w === 'async').length).toBeLessThanOrEqual(2)
    const head = store.audit.head()?.seq
    store.close()
    expect(writes.at(-1)).toBe('sync')
    expect((await open(db.path, db.keyPath, { readOnly: true })).anchor).toMatchObject({ state: 'anchored', anchored: { seq: head } })
  })

  it('restoring a backup re-anchors and logs which entries it superseded; the workstation opens again', async () => {
    const db = await anchoredDatabase('restore')
    const { store } = await open(db.path, db.keyPath)
    const backup = await store.backups.create('A001')
    const backupEnd = store.audit.head()!.seq - 1 // the backup's own entry is written after the copy
    for (let i = 0; i < 4; i++) store.patients.register({ name: `之后${i}` }, 'D1024')
    const anchoredEnd = store.audit.head()!.seq
    store.close()

    const restored = await restoreKeyedRecordStore({ path: db.path, from: backup.path, actor: 'A001', scheduledBackups: false, keyVault: keyFileVault(db.keyPath) })
    expect(restored.superseded).toEqual({ from: backupEnd + 1, to: anchoredEnd })
    const entry = restored.store.audit.list({ limit: 1 }).items[0]
    expect(entry).toMatchObject({
      actor: 'A001',
      action: 'audit.reanchor',
      details: { reason: 'restore', keptThrough: backupEnd, supersededFrom: backupEnd + 1, supersededTo: anchoredEnd, previousAnchor: 'truncated' },
    })
    restored.store.close()
    const again = await open(db.path, db.keyPath)
    expect(again.anchor.state).toBe('anchored')
    again.store.close()
    expect((await runHuatuo(['audit', 'verify', '--db', db.path])).status).toBe(0)
  })

  it('an administrator can record the gap when no backup holds it (PIN on standard input); then it opens', async () => {
    const db = await anchoredDatabase('acknowledge')
    deleteNewest(db.path, 2)
    const args = ['audit', 'acknowledge-truncation', '--db', db.path, '--admin', people.admin.staffId]
    const wrong = await runHuatuo(args, { input: '999999\n' })
    expect(wrong.stderr).toMatch(/^PIN_WRONG:/)
    expect(await codeOf(() => open(db.path, db.keyPath))).toBe('AUDIT_TRUNCATED')
    const nurse = await runHuatuo([...args.slice(0, -1), people.nurse.staffId], { input: `${people.nurse.pin}\n` })
    expect(nurse.stderr).toMatch(/^FORBIDDEN:/)
    const done = await runHuatuo(args, { input: `${people.admin.pin}\n` })
    expect(done.stderr).toBe('')
    expect(done.stdout).toMatch(/^recorded in the audit log by A001: chain head anchor: TRUNCATED/)
    const opened = await open(db.path, db.keyPath)
    const gap = opened.store.audit.list({ limit: 20 }).items.find((e) => e.action === 'audit.truncation')
    // The wrong PIN's own entry came after the cut: the log ended there when the gap was recorded.
    expect(gap).toMatchObject({ actor: 'A001', details: { anchoredSeq: db.entries, foundHeadSeq: db.entries - 1, found: 'missing' } })
    opened.store.close()
    expect((await runHuatuo(['audit', 'verify', '--db', db.path])).status).toBe(0)
  })
})
