import type { NewRedFlag, StoredRedFlag } from '../../contract/red-flags.ts'
import type { RedFlagAction, RedFlagLevel as StoredRedFlagLevel } from '../../contract/triage.ts'
import { WorkstationError } from '../errors.ts'
import { systemActor } from './actor.ts'
import type { AuditLog } from './audit-log.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime, isoTimeOrNull } from './record-time.ts'

interface RedFlagRow {
  id: number
  consultation_id: string
  message_id: number
  rule_id: string | null
  category: string
  level: StoredRedFlagLevel
  matched_words: string
  rule_version: string
  action: string | null
  raised_at: number
  acknowledged_by: string | null
  acknowledged_at: number | null
}

function toRedFlag(row: RedFlagRow): StoredRedFlag {
  return {
    id: row.id,
    consultationId: row.consultation_id,
    messageId: row.message_id,
    ruleId: row.rule_id,
    category: row.category,
    level: row.level,
    matchedWords: JSON.parse(row.matched_words) as string[],
    ruleVersion: row.rule_version,
    action: row.action === null ? null : (JSON.parse(row.action) as RedFlagAction),
    raisedAt: isoTime(row.raised_at),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: isoTimeOrNull(row.acknowledged_at),
  }
}

/** Red flags raised by triage on a patient message, and their acknowledgement by a clinician. */
export class RedFlags {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog

  constructor(store: RecordDatabase, audit: AuditLog) {
    this.store = store
    this.audit = audit
  }

  raise(messageId: number, flag: NewRedFlag): StoredRedFlag {
    if (flag.level !== 'emergency' && flag.level !== 'urgent') throw new WorkstationError('USAGE', 'a red flag level is emergency or urgent')
    return this.store.transaction('red-flag.raise', () => {
      const message = this.store.statement('SELECT consultation_id FROM messages WHERE id = ?').get(messageId) as { consultation_id: string } | undefined
      if (message === undefined) throw new WorkstationError('MESSAGE_NOT_FOUND', `message ${messageId}`)
      const row = this.store
        .statement(
          `INSERT INTO red_flags (consultation_id, message_id, rule_id, category, level, matched_words, rule_version, action, raised_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(message.consultation_id, messageId, flag.ruleId ?? null, flag.category, flag.level, JSON.stringify(flag.matchedWords), flag.ruleVersion, flag.action === undefined ? null : JSON.stringify(flag.action), this.store.now()) as unknown as RedFlagRow
      // Triage is rules, not a person; the category and rule version are codes, not clinical text.
      this.audit.append({
        actor: systemActor,
        action: 'red-flag.raise',
        entityType: 'red-flag',
        entityId: row.id,
        details: { messageId, level: flag.level, ruleId: flag.ruleId ?? null, ruleVersion: flag.ruleVersion },
      })
      return toRedFlag(row)
    })
  }

  acknowledge(flagId: number, clinician: string): StoredRedFlag {
    return this.store.transaction('red-flag.acknowledge', () => {
      const row = this.store.statement('SELECT * FROM red_flags WHERE id = ?').get(flagId) as RedFlagRow | undefined
      if (row === undefined) throw new WorkstationError('RED_FLAG_NOT_FOUND')
      if (row.acknowledged_at !== null) return toRedFlag(row)
      const updated = this.store
        .statement('UPDATE red_flags SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? RETURNING *')
        .get(clinician, this.store.now(), flagId) as unknown as RedFlagRow
      this.audit.append({ actor: clinician, action: 'red-flag.acknowledge', entityType: 'red-flag', entityId: flagId })
      return toRedFlag(updated)
    })
  }

  list(consultationId: string): StoredRedFlag[] {
    const rows = this.store.read('red-flag.list', () =>
      this.store.statement('SELECT * FROM red_flags WHERE consultation_id = ? ORDER BY raised_at, id LIMIT 200').all(consultationId),
    ) as unknown as RedFlagRow[]
    return rows.map(toRedFlag)
  }
}
