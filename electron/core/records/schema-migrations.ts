import type { RecordDatabase } from './record-database.ts'
import { recordSearchText, SearchIndex } from './search/search-index.ts'
import type { OutpatientRecordSections } from '../../contract/record-versions.ts'

/*
 * The schema's history. A migration is never edited once released: a change is a new migration.
 * PRAGMA user_version holds the version of a file; the store opens files up to `currentSchemaVersion`
 * and refuses newer ones (DB_TOO_NEW) without writing to them. All pending migrations run in one
 * transaction, after an online backup of the file (see record-store.ts).
 */

export interface SchemaMigration {
  version: number
  summary: string
  /** Runs inside the migration transaction. */
  up(store: RecordDatabase): void
}

/** 'HTWS': marks a SQLite file as a workstation record database. */
export const workstationApplicationId = 0x48545753

// Nothing clinical is physically deleted, and finished text is final: the schema says so itself,
// so a bug (or a hand-run SQL statement) cannot quietly do otherwise.
const v1 = `
CREATE TABLE workstation_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE patients (
  id TEXT PRIMARY KEY,
  clinic_number TEXT UNIQUE,
  name TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female', 'other', 'unknown')),
  birth_date TEXT,
  age_years INTEGER CHECK (age_years IS NULL OR age_years BETWEEN 0 AND 150),
  created_at INTEGER NOT NULL
);
CREATE INDEX patients_by_created ON patients (created_at, id);
CREATE TRIGGER patients_are_kept BEFORE DELETE ON patients BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;

CREATE TABLE consultations (
  id TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL REFERENCES patients (id),
  department TEXT NOT NULL DEFAULT '',
  model_name TEXT,
  prompt_format TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'signed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  trashed_at INTEGER,
  trashed_by TEXT
);
CREATE INDEX consultations_by_created ON consultations (created_at, id);
CREATE INDEX consultations_by_patient ON consultations (patient_id, created_at, id);
CREATE TRIGGER consultations_are_kept BEFORE DELETE ON consultations BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations (id),
  seq INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('patient', 'model')),
  text TEXT NOT NULL,
  thinking TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'stopped', 'interrupted', 'error')),
  error_code TEXT,
  prompt_tokens INTEGER,
  evaluated_prompt_tokens INTEGER,
  generated_tokens INTEGER,
  time_to_first_token_ms REAL,
  tokens_per_second REAL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  replaces_message_id INTEGER REFERENCES messages (id),
  superseded_at INTEGER,
  UNIQUE (consultation_id, seq)
);
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
CREATE TRIGGER messages_are_kept BEFORE DELETE ON messages BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;
CREATE TRIGGER messages_finished_are_final
  BEFORE UPDATE OF consultation_id, seq, role, text, thinking, status, error_code, prompt_tokens, evaluated_prompt_tokens,
    generated_tokens, time_to_first_token_ms, tokens_per_second, created_at, updated_at, finished_at, replaces_message_id ON messages
  WHEN OLD.status <> 'streaming'
  BEGIN SELECT RAISE(ABORT, 'MESSAGE_FINAL'); END;

CREATE TABLE clinician_notes (
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations (id),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  current_version INTEGER NOT NULL
);
CREATE INDEX clinician_notes_by_consultation ON clinician_notes (consultation_id, created_at);
CREATE TRIGGER clinician_notes_are_kept BEFORE DELETE ON clinician_notes BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;
CREATE TABLE clinician_note_versions (
  note_id INTEGER NOT NULL REFERENCES clinician_notes (id),
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  edited_by TEXT NOT NULL,
  edited_at INTEGER NOT NULL,
  PRIMARY KEY (note_id, version)
) WITHOUT ROWID;
CREATE TRIGGER clinician_note_versions_are_final BEFORE UPDATE ON clinician_note_versions BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;
CREATE TRIGGER clinician_note_versions_are_kept BEFORE DELETE ON clinician_note_versions BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;

CREATE TABLE audit_entries (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  details TEXT NOT NULL,
  hash_scheme TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entries_by_entity ON audit_entries (entity_type, entity_id, seq);
CREATE TRIGGER audit_entries_append_only_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY'); END;
CREATE TRIGGER audit_entries_append_only_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, 'AUDIT_APPEND_ONLY'); END;
`

const v2 = `
CREATE TABLE red_flags (
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations (id),
  message_id INTEGER NOT NULL REFERENCES messages (id),
  rule_id TEXT,
  category TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('emergency', 'urgent')),
  matched_words TEXT NOT NULL,
  rule_version TEXT NOT NULL,
  raised_at INTEGER NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at INTEGER
);
CREATE INDEX red_flags_by_consultation ON red_flags (consultation_id, raised_at);
CREATE TRIGGER red_flags_are_kept BEFORE DELETE ON red_flags BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;

CREATE TABLE outpatient_records (
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL UNIQUE REFERENCES consultations (id),
  created_at INTEGER NOT NULL
);
CREATE TRIGGER outpatient_records_are_kept BEFORE DELETE ON outpatient_records BEGIN SELECT RAISE(ABORT, 'RECORD_SIGNED'); END;
CREATE TABLE outpatient_record_versions (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES outpatient_records (id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'amended')),
  sections TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  signed_by TEXT,
  signed_at INTEGER,
  content_hash TEXT,
  amends_version_id INTEGER REFERENCES outpatient_record_versions (id),
  amendment_reason TEXT,
  UNIQUE (record_id, version),
  CHECK ((status = 'draft') = (signed_at IS NULL)),
  CHECK ((status = 'amended') = (amendment_reason IS NOT NULL))
);
CREATE TRIGGER outpatient_record_versions_signed_are_final BEFORE UPDATE ON outpatient_record_versions
  WHEN OLD.status <> 'draft' BEGIN SELECT RAISE(ABORT, 'RECORD_SIGNED'); END;
CREATE TRIGGER outpatient_record_versions_are_kept BEFORE DELETE ON outpatient_record_versions BEGIN SELECT RAISE(ABORT, 'RECORD_SIGNED'); END;

CREATE TABLE record_exports (
  id INTEGER PRIMARY KEY,
  record_version_id INTEGER NOT NULL REFERENCES outpatient_record_versions (id),
  format TEXT NOT NULL,
  destination TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  exported_by TEXT NOT NULL,
  exported_at INTEGER NOT NULL
);
CREATE INDEX record_exports_by_version ON record_exports (record_version_id, exported_at);
CREATE TRIGGER record_exports_are_kept BEFORE DELETE ON record_exports BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;
`

// Search: see search/grams.ts for the tokens and search/search-index.ts for the time-ordered ids.
// detail=none: candidates are confirmed by a substring test, so FTS5 needs no positions.
const v3 = `
CREATE TABLE search_documents (
  id INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('message', 'note', 'record')),
  source_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  UNIQUE (source, source_id)
);
CREATE INDEX search_documents_by_consultation ON search_documents (consultation_id, id);
CREATE VIRTUAL TABLE search_index USING fts5 (
  grams, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 0'
);
`

// What the model wrote when it drafted a record, and which model it was: the provenance of a
// record's AI-drafted text, and how a section still in the model's words is told from the doctor's.
const v4 = `
CREATE TABLE record_drafts (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES outpatient_records (id),
  model_name TEXT NOT NULL,
  model_quantization TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  prompt_format TEXT NOT NULL,
  sections TEXT NOT NULL,
  drafted_by TEXT NOT NULL,
  drafted_at INTEGER NOT NULL
);
CREATE INDEX record_drafts_by_record ON record_drafts (record_id, id);
CREATE TRIGGER record_drafts_are_final BEFORE UPDATE ON record_drafts BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;
CREATE TRIGGER record_drafts_are_kept BEFORE DELETE ON record_drafts BEGIN SELECT RAISE(ABORT, 'CLINICAL_ROW_KEPT'); END;
`

// Clinician accounts and signatures (issue 6). An account is never deleted (records and the audit
// log keep naming it) and its staff id never changes; only a salted scrypt hash of the PIN is kept.
// A signature keeps the signer's name and role as they were when signing, and what kind it is.
const v5 = `
CREATE TABLE clinicians (
  staff_id TEXT PRIMARY KEY COLLATE NOCASE,
  name TEXT NOT NULL,
  roles TEXT NOT NULL CHECK (roles IN ('doctor', 'nurse', 'admin', 'doctor+admin', 'nurse+admin')),
  department TEXT NOT NULL DEFAULT '',
  pin_hash TEXT NOT NULL,
  pin_set_at INTEGER NOT NULL,
  pin_change_required INTEGER NOT NULL DEFAULT 0 CHECK (pin_change_required IN (0, 1)),
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  last_failed_at INTEGER,
  locked_at INTEGER,
  disabled_at INTEGER,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  last_sign_in_at INTEGER
) WITHOUT ROWID;
CREATE TRIGGER clinicians_are_kept BEFORE DELETE ON clinicians BEGIN SELECT RAISE(ABORT, 'CLINICIAN_KEPT'); END;
CREATE TRIGGER clinicians_staff_id_is_permanent BEFORE UPDATE OF staff_id ON clinicians BEGIN SELECT RAISE(ABORT, 'CLINICIAN_KEPT'); END;

CREATE TABLE record_signatures (
  record_version_id INTEGER PRIMARY KEY REFERENCES outpatient_record_versions (id),
  staff_id TEXT NOT NULL REFERENCES clinicians (staff_id),
  name TEXT NOT NULL,
  department TEXT NOT NULL,
  roles TEXT NOT NULL,
  signed_at INTEGER NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('pin')),
  certified INTEGER NOT NULL CHECK (certified IN (0, 1)),
  statement TEXT NOT NULL,
  content_hash TEXT NOT NULL
);
CREATE INDEX record_signatures_by_signer ON record_signatures (staff_id, signed_at);
CREATE TRIGGER record_signatures_are_final BEFORE UPDATE ON record_signatures BEGIN SELECT RAISE(ABORT, 'RECORD_SIGNED'); END;
CREATE TRIGGER record_signatures_are_kept BEFORE DELETE ON record_signatures BEGIN SELECT RAISE(ABORT, 'RECORD_SIGNED'); END;
`

/**
 * Which patient messages and clinician notes each drafted section cites. The model draft keeps what
 * it cited (sources, by message and note id); the version keeps its live links, which the doctor may
 * remove while it is a draft; a signed version's links are as final as its text. Older drafts cite
 * nothing (sources NULL).
 */
const v7 = `
ALTER TABLE record_drafts ADD COLUMN sources TEXT;

CREATE TABLE record_evidence (
  id INTEGER PRIMARY KEY,
  record_version_id INTEGER NOT NULL REFERENCES outpatient_record_versions (id),
  section TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('patient-message', 'clinician-note')),
  source_id INTEGER NOT NULL,
  draft_id INTEGER NOT NULL REFERENCES record_drafts (id),
  removed_by TEXT,
  removed_at INTEGER
);
CREATE INDEX record_evidence_by_version ON record_evidence (record_version_id, section);
CREATE TRIGGER record_evidence_signed_are_final BEFORE UPDATE ON record_evidence
  WHEN (SELECT status FROM outpatient_record_versions WHERE id = OLD.record_version_id) <> 'draft'
  BEGIN SELECT RAISE(ABORT, 'RECORD_SIGNED'); END;
CREATE TRIGGER record_evidence_signed_are_kept BEFORE DELETE ON record_evidence
  WHEN (SELECT status FROM outpatient_record_versions WHERE id = OLD.record_version_id) <> 'draft'
  BEGIN SELECT RAISE(ABORT, 'RECORD_SIGNED'); END;
`

/**
 * Who started each consultation, as a column the history can filter by (before, only the audit log
 * said it). Backfilled from each consultation's first `consultation.create` entry; a row without one
 * keeps NULL. Indexed with the department the same way the list walks: newest first.
 */
const v8 = `
ALTER TABLE consultations ADD COLUMN started_by TEXT;
UPDATE consultations SET started_by = (
  SELECT a.actor FROM audit_entries a
  WHERE a.entity_type = 'consultation' AND a.entity_id = consultations.id AND a.action = 'consultation.create'
  ORDER BY a.seq LIMIT 1
);
CREATE INDEX consultations_by_started_by ON consultations (started_by, created_at, id);
CREATE INDEX consultations_by_department ON consultations (department, created_at, id);
`

/**
 * Who wrote each answer and each draft, now that a hospital inference server may answer beside the
 * local model (issue 22). An answer names its engine, model and (remote) server from its start; when
 * the server failed and the local model answered instead, the finishing update names the local model
 * and the server's failure (fallback_from). Answers stored before keep NULL: their author is unknown.
 * The finished-is-final trigger is recreated to cover the new columns. A draft names its engine
 * ('local' for every older draft) and, for a remote model, its server; a remote model has no file,
 * so its model_sha256 (NOT NULL since schema 4) is stored as ''.
 */
const v9 = `
ALTER TABLE messages ADD COLUMN engine TEXT CHECK (engine IN ('local', 'remote'));
ALTER TABLE messages ADD COLUMN model_name TEXT;
ALTER TABLE messages ADD COLUMN server TEXT;
ALTER TABLE messages ADD COLUMN fallback_from TEXT;
DROP TRIGGER messages_finished_are_final;
CREATE TRIGGER messages_finished_are_final
  BEFORE UPDATE OF consultation_id, seq, role, text, thinking, status, error_code, prompt_tokens, evaluated_prompt_tokens,
    generated_tokens, time_to_first_token_ms, tokens_per_second, created_at, updated_at, finished_at, replaces_message_id,
    engine, model_name, server, fallback_from ON messages
  WHEN OLD.status <> 'streaming'
  BEGIN SELECT RAISE(ABORT, 'MESSAGE_FINAL'); END;

ALTER TABLE record_drafts ADD COLUMN engine TEXT NOT NULL DEFAULT 'local' CHECK (engine IN ('local', 'remote'));
ALTER TABLE record_drafts ADD COLUMN server TEXT;
`

/** Indexes everything written before search existed, exactly as live writes index it. */
function indexExistingTexts(store: RecordDatabase): void {
  const index = new SearchIndex(store)
  for (const row of store.db.prepare("SELECT id, consultation_id, created_at, text FROM messages WHERE status <> 'streaming' AND text <> ''").iterate()) {
    index.add('message', row['id'] as number, row['consultation_id'] as string, row['created_at'] as number, row['text'] as string)
  }
  const notes = store.db.prepare(
    `SELECT n.id, n.consultation_id, v.edited_at, v.text FROM clinician_notes n
     JOIN clinician_note_versions v ON v.note_id = n.id AND v.version = n.current_version`,
  )
  for (const row of notes.iterate()) {
    index.add('note', row['id'] as number, row['consultation_id'] as string, row['edited_at'] as number, row['text'] as string)
  }
  const records = store.db.prepare(
    `SELECT r.id, r.consultation_id, v.updated_at, v.sections FROM outpatient_records r
     JOIN outpatient_record_versions v ON v.record_id = r.id AND v.version = (SELECT max(version) FROM outpatient_record_versions WHERE record_id = r.id)`,
  )
  for (const row of records.iterate()) {
    const text = recordSearchText(JSON.parse(row['sections'] as string) as OutpatientRecordSections)
    index.add('record', row['id'] as number, row['consultation_id'] as string, row['updated_at'] as number, text)
  }
}

export const schemaMigrations: readonly SchemaMigration[] = [
  {
    version: 1,
    summary: 'patients, consultations, messages, clinician notes, audit log',
    up: (store) => {
      store.db.exec(v1)
      store.db.exec(`PRAGMA application_id = ${workstationApplicationId}`)
    },
  },
  { version: 2, summary: 'red flags, outpatient records and their exports', up: (store) => store.db.exec(v2) },
  {
    version: 3,
    summary: 'full-text search over messages, notes and records',
    up: (store) => {
      store.db.exec(v3)
      indexExistingTexts(store)
    },
  },
  { version: 4, summary: 'what the model drafted for each record, and which model', up: (store) => store.db.exec(v4) },
  { version: 5, summary: 'clinician accounts and record signatures', up: (store) => store.db.exec(v5) },
  // The action triage recommended, kept with the flag so the alert can say it (older flags have none).
  { version: 6, summary: "red flags keep triage's recommended action", up: (store) => store.db.exec('ALTER TABLE red_flags ADD COLUMN action TEXT') },
  { version: 7, summary: "drafted sections' links to the conversation turns they rest on", up: (store) => store.db.exec(v7) },
  { version: 8, summary: 'who started each consultation, for the history filters', up: (store) => store.db.exec(v8) },
  { version: 9, summary: 'which engine, model and server wrote each answer and draft', up: (store) => store.db.exec(v9) },
]

export const currentSchemaVersion = schemaMigrations.at(-1)?.version ?? 0

/** Applies the migrations after version `from`, in order, and records the new version; the caller holds the transaction. */
export function applyMigrations(store: RecordDatabase, from: number, migrations: readonly SchemaMigration[] = schemaMigrations): number {
  const to = migrations.at(-1)?.version ?? 0
  for (const migration of migrations) if (migration.version > from) migration.up(store)
  store.db.exec(`PRAGMA user_version = ${to}`)
  return to
}
