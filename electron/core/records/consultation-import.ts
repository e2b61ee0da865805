import type { PatientSex } from '../../contract/patients.ts'
import { WorkstationError } from '../errors.ts'
import type { RecordStore } from './record-store.ts'
import { parseIsoTime } from './record-time.ts'

/**
 * One line of a consultations.jsonl file:
 * {"id", "patient": {"id", "name", "sex", "age"}, "department", "createdAt",
 *  "messages": [{"role": "user"|"assistant", "text", "createdAt"}], "notes": ["…"]}
 */
export interface ImportedConsultation {
  id: string
  patient: { clinicNumber: string; name: string; sex: PatientSex; ageYears: number | null }
  department: string
  createdAt: string
  messages: Array<{ role: 'patient' | 'model'; text: string; createdAt: string }>
  notes: Array<{ text: string; createdAt: string }>
}

const sexes: Record<string, PatientSex> = {
  male: 'male',
  m: 'male',
  男: 'male',
  female: 'female',
  f: 'female',
  女: 'female',
  other: 'other',
  其他: 'other',
  unknown: 'unknown',
  未知: 'unknown',
}

/** A problem in a line, named by its field path; the value itself is never quoted (it may be clinical). */
function invalid(path: string, problem: string): WorkstationError {
  return new WorkstationError('IMPORT_LINE_INVALID', `${path}: ${problem}`)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown, path: string, { required = true, max = 100_000 } = {}): string {
  if (value === undefined && !required) return ''
  if (typeof value !== 'string') throw invalid(path, 'must be text')
  if (required && value.trim() === '') throw invalid(path, 'must not be empty')
  if (value.length > max) throw invalid(path, `longer than ${max} characters`)
  return value
}

function time(value: unknown, path: string): string {
  if (typeof value !== 'string' || parseIsoTime(value) === null) throw invalid(path, 'must be an ISO 8601 date-time')
  return new Date(parseIsoTime(value) as number).toISOString()
}

export function parseImportLine(line: string): ImportedConsultation {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw invalid('line', 'not valid JSON')
  }
  if (!isObject(value)) throw invalid('line', 'must be a JSON object')
  const id = typeof value['id'] === 'number' ? String(value['id']) : text(value['id'], 'id', { max: 100 })
  if (!/^[\w.:-]{1,100}$/.test(id)) throw invalid('id', 'must be 1-100 letters, digits or . _ : -')
  const createdAt = time(value['createdAt'], 'createdAt')

  const patient = value['patient']
  if (!isObject(patient)) throw invalid('patient', 'must be an object')
  const clinicNumber = typeof patient['id'] === 'number' ? String(patient['id']) : text(patient['id'], 'patient.id', { max: 100 })
  const sexText = patient['sex'] === undefined || patient['sex'] === null ? 'unknown' : String(patient['sex']).trim().toLowerCase()
  const sex = sexes[sexText]
  if (sex === undefined) throw invalid('patient.sex', 'must be male, female, other or unknown (or 男/女)')
  const age = patient['age']
  const ageYears = age === undefined || age === null ? null : typeof age === 'string' && /^\d{1,3}$/.test(age.trim()) ? Number(age) : age
  if (ageYears !== null && !(typeof ageYears === 'number' && Number.isInteger(ageYears) && ageYears >= 0 && ageYears <= 150)) {
    throw invalid('patient.age', 'must be a whole number of years from 0 to 150')
  }

  const messages = value['messages']
  if (!Array.isArray(messages)) throw invalid('messages', 'must be a list')
  const parsedMessages = messages.map((message, i) => {
    const path = `messages[${i}]`
    if (!isObject(message)) throw invalid(path, 'must be an object')
    const role = message['role']
    if (role !== 'user' && role !== 'assistant') throw invalid(`${path}.role`, 'must be "user" or "assistant"')
    return {
      role: role === 'user' ? ('patient' as const) : ('model' as const),
      text: text(message['text'], `${path}.text`, { required: role === 'user' }),
      createdAt: message['createdAt'] === undefined ? createdAt : time(message['createdAt'], `${path}.createdAt`),
    }
  })

  const notes = value['notes'] ?? []
  if (!Array.isArray(notes)) throw invalid('notes', 'must be a list')
  const parsedNotes = notes.map((note, i) =>
    typeof note === 'string'
      ? { text: text(note, `notes[${i}]`), createdAt }
      : isObject(note)
        ? { text: text(note['text'], `notes[${i}].text`), createdAt: note['createdAt'] === undefined ? createdAt : time(note['createdAt'], `notes[${i}].createdAt`) }
        : (() => {
            throw invalid(`notes[${i}]`, 'must be text')
          })(),
  )

  return {
    id,
    patient: { clinicNumber, name: text(patient['name'], 'patient.name', { max: 200 }).trim(), sex, ageYears: ageYears as number | null },
    department: value['department'] === undefined ? '' : text(value['department'], 'department', { required: false, max: 100 }).trim(),
    createdAt,
    messages: parsedMessages,
    notes: parsedNotes,
  }
}

/**
 * Stores one imported consultation in one transaction: all of it, or (on any failure) none of it.
 * The consultation keeps its id; the patient is matched by clinic number (门诊号) or registered.
 * An id already present is refused with CONSULTATION_EXISTS, so re-running an import is harmless.
 */
export function importConsultation(store: RecordStore, consultation: ImportedConsultation, actor: string): { messages: number; notes: number } {
  return store.transaction('consultation.import', () => {
    const patient =
      store.patients.byClinicNumber(consultation.patient.clinicNumber) ??
      store.patients.register(
        {
          clinicNumber: consultation.patient.clinicNumber,
          name: consultation.patient.name,
          sex: consultation.patient.sex,
          ...(consultation.patient.ageYears === null ? {} : { ageYears: consultation.patient.ageYears }),
        },
        actor,
      )
    const created = store.consultations.create(
      { id: consultation.id, patientId: patient.id, department: consultation.department, createdAt: consultation.createdAt },
      actor,
    )
    for (const message of consultation.messages) {
      if (message.role === 'patient') store.messages.appendPatientMessage(created.id, message.text, { createdAt: message.createdAt })
      else store.messages.appendAnswer(created.id, { text: message.text, status: 'complete' }, { createdAt: message.createdAt })
    }
    for (const note of consultation.notes) store.notes.add(created.id, note.text, actor, { createdAt: note.createdAt })
    // An imported consultation is a finished one.
    store.consultations.close(created.id, actor)
    store.audit.append({
      actor,
      action: 'consultation.import',
      entityType: 'consultation',
      entityId: created.id,
      details: { messages: consultation.messages.length, notes: consultation.notes.length },
    })
    return { messages: consultation.messages.length, notes: consultation.notes.length }
  })
}
