import type { TriageContext, RedFlag } from '../../contract/triage.ts'
import { signOutpatientRecord } from '../clinical/outpatient-record/record-signing.ts'
import { triagePatientMessage } from '../clinical/triage/triage.ts'
import type { ClinicianAccounts } from '../clinicians/clinician-accounts.ts'
import { demoActor } from './actor.ts'
import { importConsultation } from './consultation-import.ts'
import { demoClinicians, type DemoClinician, type DemoConsultation } from './demo-corpus.ts'
import type { RecordStore } from './record-store.ts'

/** What a demo run stored, counted in the database. */
export interface DemoTotals {
  consultations: number
  messages: number
  notes: number
  redFlags: number
  signedRecords: number
  /** Demo clinician accounts in the database (all disabled once the demo is done). */
  demoClinicians: number
}

export interface StoreDemoOptions {
  /** Moves the store's clock: flags, notes and signatures are dated with the consultation, not today. */
  setClock?: (ms: number) => void
  batchSize?: number
  onBatch?: (progress: { consultations: number }) => void
  /** Triage of one patient message; default the workstation's own (`triagePatientMessage`). */
  triage?: (text: string, context: TriageContext) => RedFlag[]
}

/** How many distinct texts triage remembers: demo follow-ups repeat, so a bulk load triages each once. */
const triageMemoLimit = 50_000

function memoized(triage: (text: string, context: TriageContext) => RedFlag[]): (text: string, context: TriageContext) => RedFlag[] {
  const memo = new Map<string, RedFlag[]>()
  return (text, context) => {
    const key = `${context.sex ?? ''}|${context.ageYears ?? ''}|${text}`
    let flags = memo.get(key)
    if (flags === undefined) {
      flags = triage(text, context)
      if (memo.size >= triageMemoLimit) memo.clear()
      memo.set(key, flags)
    }
    return flags
  }
}

/**
 * Stores demo consultations through the same path as an import; runs triage on every patient
 * message with the patient's age and sex and raises what it finds, as a consultation turn does;
 * and signs their records through the normal signing path (content hash, audit), as the demo
 * clinician the corpus names. Many consultations share a transaction (one fsync per batch, not per
 * consultation): demo data is built, not typed. Returns what was stored, counted in the database.
 */
export function storeDemoConsultations(store: RecordStore, consultations: Iterable<DemoConsultation>, options: StoreDemoOptions = {}): DemoTotals {
  const before = countDemoData(store)
  const triage = memoized(options.triage ?? triagePatientMessage)
  const batchSize = options.batchSize ?? 200
  let stored = 0
  let batch: DemoConsultation[] = []
  const flush = () => {
    if (batch.length === 0) return
    const current = batch
    batch = []
    store.transaction('demo.store', () => {
      for (const consultation of current) storeOne(store, consultation, triage, options.setClock)
    })
    stored += current.length
    options.onBatch?.({ consultations: stored })
  }
  for (const consultation of consultations) {
    batch.push(consultation)
    if (batch.length >= batchSize) flush()
  }
  flush()
  const after = countDemoData(store)
  return {
    consultations: after.consultations - before.consultations,
    messages: after.messages - before.messages,
    notes: after.notes - before.notes,
    redFlags: after.redFlags - before.redFlags,
    signedRecords: after.signedRecords - before.signedRecords,
    demoClinicians: after.demoClinicians,
  }
}

function storeOne(store: RecordStore, consultation: DemoConsultation, triage: (text: string, context: TriageContext) => RedFlag[], setClock?: (ms: number) => void): void {
  setClock?.(Date.parse(consultation.createdAt))
  importConsultation(store, consultation, demoActor)
  const { sex, ageYears } = consultation.patient
  const context: TriageContext = { sex, ...(ageYears === null ? {} : { ageYears }) }
  const flagged = consultation.messages.map((message) => (message.role === 'patient' ? triage(message.text, context) : []))
  if (flagged.some((flags) => flags.length > 0)) {
    const messages = store.messages.list(consultation.id, { limit: 200 }).items
    flagged.forEach((flags, index) => {
      const message = messages[index]
      if (message === undefined || flags.length === 0) return
      setClock?.(Date.parse(message.createdAt))
      for (const flag of flags) {
        store.redFlags.raise(message.id, { category: flag.category, level: flag.level, matchedWords: flag.matched, ruleVersion: flag.ruleSetVersion, ruleId: flag.ruleId, action: flag.action })
      }
    })
  }
  if (consultation.record !== null) {
    const { sections, signer, signedAt } = consultation.record
    setClock?.(Date.parse(signedAt) - 60_000)
    const draft = store.records.saveDraft(consultation.id, sections, signer.staffId)
    setClock?.(Date.parse(signedAt))
    signOutpatientRecord(store, draft.recordId, { id: signer.staffId, name: signer.name })
  }
}

/** Rows in the database: what a demo run reports is the difference it made, not what it meant to make. */
export function countDemoData(store: Pick<RecordStore, 'connection'>): DemoTotals {
  const count = (sql: string) => (store.connection.prepare(sql).get() as { n: number }).n
  return {
    consultations: count('SELECT count(*) AS n FROM consultations'),
    messages: count('SELECT count(*) AS n FROM messages'),
    notes: count('SELECT count(*) AS n FROM clinician_notes'),
    redFlags: count('SELECT count(*) AS n FROM red_flags'),
    signedRecords: count("SELECT count(*) AS n FROM outpatient_record_versions WHERE status = 'signed'"),
    demoClinicians: count(`SELECT count(*) AS n FROM clinicians WHERE created_by = '${demoActor}'`),
  }
}

/**
 * The demo's clinicians as accounts in the database, made through the workstation's accounts
 * (never administrators, PIN random and unknown). Call `disableDemoClinicians` when the demo is done.
 */
export async function addDemoClinicians(accounts: ClinicianAccounts): Promise<DemoClinician[]> {
  for (const clinician of demoClinicians) await accounts.addDemoClinician({ ...clinician, roles: ['doctor'] })
  return [...demoClinicians]
}

export function disableDemoClinicians(accounts: ClinicianAccounts): void {
  for (const clinician of demoClinicians) {
    if (accounts.find(clinician.staffId) !== null) accounts.disableDemoClinician(clinician.staffId)
  }
}
