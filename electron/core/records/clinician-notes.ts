import type { ClinicianNote, ClinicianNoteVersion } from '../../contract/clinician-notes.ts'
import { WorkstationError } from '../errors.ts'
import type { AuditLog } from './audit-log.ts'
import type { ConsultationRows } from './consultation-rows.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime, parseIsoTime } from './record-time.ts'
import type { SearchIndex } from './search/search-index.ts'

interface NoteRow {
  id: number
  consultation_id: string
  author: string
  created_at: number
  current_version: number
  text: string
  edited_by: string
  edited_at: number
}

const currentNoteSql = `SELECT n.id, n.consultation_id, n.author, n.created_at, n.current_version, v.text, v.edited_by, v.edited_at
  FROM clinician_notes n JOIN clinician_note_versions v ON v.note_id = n.id AND v.version = n.current_version`

function toNote(row: NoteRow): ClinicianNote {
  return {
    id: row.id,
    consultationId: row.consultation_id,
    author: row.author,
    text: row.text,
    version: row.current_version,
    createdAt: isoTime(row.created_at),
    editedAt: isoTime(row.edited_at),
    editedBy: row.edited_by,
  }
}

function checkText(text: string): string {
  if (typeof text !== 'string' || text.trim() === '') throw new WorkstationError('USAGE', 'a note needs text')
  return text
}

/** A clinician's notes on a consultation. Editing adds a version; earlier versions are kept (triggers forbid changing them). */
export class ClinicianNotes {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog
  private readonly consultations: ConsultationRows
  private readonly index: SearchIndex

  constructor(store: RecordDatabase, audit: AuditLog, consultations: ConsultationRows, index: SearchIndex) {
    this.store = store
    this.audit = audit
    this.consultations = consultations
    this.index = index
  }

  add(consultationId: string, text: string, author: string, options: { createdAt?: string } = {}): ClinicianNote {
    checkText(text)
    const at = options.createdAt === undefined ? this.store.now() : parseIsoTime(options.createdAt)
    if (at === null) throw new WorkstationError('USAGE', 'createdAt must be an ISO 8601 time')
    return this.store.transaction('note.add', () => {
      this.consultations.row(consultationId, true)
      const { id } = this.store
        .statement('INSERT INTO clinician_notes (consultation_id, author, created_at, current_version) VALUES (?, ?, ?, 1) RETURNING id')
        .get(consultationId, author, at) as { id: number }
      this.store.statement('INSERT INTO clinician_note_versions (note_id, version, text, edited_by, edited_at) VALUES (?, 1, ?, ?, ?)').run(id, text, author, at)
      this.index.add('note', id, consultationId, at, text)
      this.consultations.touch(consultationId, at)
      this.audit.append({ actor: author, action: 'note.add', entityType: 'note', entityId: id, details: { consultationId } })
      return this.get(id)
    })
  }

  edit(noteId: number, text: string, editor: string): ClinicianNote {
    checkText(text)
    return this.store.transaction('note.edit', () => {
      const note = this.get(noteId)
      this.consultations.row(note.consultationId, true)
      const version = note.version + 1
      const at = this.store.now()
      this.store.statement('INSERT INTO clinician_note_versions (note_id, version, text, edited_by, edited_at) VALUES (?, ?, ?, ?, ?)').run(noteId, version, text, editor, at)
      this.store.statement('UPDATE clinician_notes SET current_version = ? WHERE id = ?').run(version, noteId)
      this.index.replace('note', noteId, note.consultationId, at, text)
      this.consultations.touch(note.consultationId, at)
      this.audit.append({ actor: editor, action: 'note.edit', entityType: 'note', entityId: noteId, details: { version } })
      return this.get(noteId)
    })
  }

  get(noteId: number): ClinicianNote {
    const row = this.store.read('note.get', () => this.store.statement(`${currentNoteSql} WHERE n.id = ?`).get(noteId)) as NoteRow | undefined
    if (row === undefined) throw new WorkstationError('NOTE_NOT_FOUND')
    return toNote(row)
  }

  /** A consultation's notes in the order they were written (a consultation has few). */
  list(consultationId: string): ClinicianNote[] {
    const rows = this.store.read('note.list', () =>
      this.store.statement(`${currentNoteSql} WHERE n.consultation_id = ? ORDER BY n.created_at, n.id LIMIT 200`).all(consultationId),
    ) as unknown as NoteRow[]
    return rows.map(toNote)
  }

  history(noteId: number): ClinicianNoteVersion[] {
    this.get(noteId)
    const rows = this.store.read('note.history', () =>
      this.store.statement('SELECT * FROM clinician_note_versions WHERE note_id = ? ORDER BY version').all(noteId),
    ) as unknown as Array<{ note_id: number; version: number; text: string; edited_by: string; edited_at: number }>
    return rows.map((row) => ({ noteId: row.note_id, version: row.version, text: row.text, editedBy: row.edited_by, editedAt: isoTime(row.edited_at) }))
  }
}
