import type { ConsultationTurn } from '../../contract/consultation-messages.ts'
import type { ActiveModel } from '../../contract/inference.ts'
import { UNREGISTERED_PATIENT_NAME, type Patient } from '../../contract/patients.ts'
import type { StoredRedFlag } from '../../contract/red-flags.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import { WorkstationError } from '../errors.ts'
import { requestEntries } from './request-module.ts'
import type { WorkstationServices } from './workstation-services.ts'

// Patients, consultations, their turns with the model, notes and red flags. Reads of patient data
// pass the clinician as the reader, so they are kept in the access log.

/** A patient registered on the spot, for a consultation started before anyone was identified. */
const UNREGISTERED_PATIENT = { name: UNREGISTERED_PATIENT_NAME, sex: 'unknown' } as const

function consultationExists(services: WorkstationServices, id: string): boolean {
  try {
    services.store.consultations.get(id)
    return true
  } catch (error) {
    if (error instanceof WorkstationError && error.code === 'CONSULTATION_NOT_FOUND') return false
    throw error
  }
}

/** An answer to a clinician's request: whose it is while it streams, and its end announced to them. */
async function answerFor(services: WorkstationServices, actor: string, consultationId: string, answerId: string, run: () => Promise<ConsultationTurn>): Promise<ConsultationTurn> {
  services.audience.claimAnswer(answerId, consultationId, actor)
  try {
    const turn = await run()
    const { status, text, thinking, timing } = turn
    services.emit({ type: 'consultation.answer-finished', consultationId, answerId, messageId: turn.answerMessageId, status, text, thinking, timing })
    return turn
  } finally {
    services.audience.releaseAnswer(answerId)
  }
}

/** Announces a patient message's stored red flags to its clinician before the answer streams. */
function triaged(services: WorkstationServices, consultationId: string, answerId: string) {
  return ({ messageId, redFlags }: { messageId: number; redFlags: StoredRedFlag[] }) =>
    services.emit({ type: 'consultation.red-flags', consultationId, answerId, messageId, redFlags })
}

/**
 * What a turn samples with: the workstation's settings for the loaded model's prompt format, with
 * what the window names (if anything) on top; the engine fills in the format's recommendation.
 */
function samplingOf(services: WorkstationServices, requested: SamplingSettings | undefined): { sampling?: SamplingSettings } {
  const sampling = { ...services.settings.samplingFor(services.engines.active().model.promptFormat), ...requested }
  return Object.keys(sampling).length > 0 ? { sampling } : {}
}

/** The model the answer comes from, as the stored answer names it (engine, name, and the server of a remote one). */
function answeringModel(services: WorkstationServices): Pick<ActiveModel, 'name' | 'promptFormat' | 'engine' | 'server'> {
  const { model } = services.engines.active()
  return { name: model.name, promptFormat: model.promptFormat, engine: model.engine, server: model.server }
}

export const consultationQueries = requestEntries({
  'consultation.list': { access: 'consultation.read', handle: async (request, { services }) => services.store.consultations.list(request) },
  'consultation.messages': {
    access: 'consultation.read',
    handle: async ({ consultationId, cursor, limit }, { services, actor }) =>
      services.store.messages.list(consultationId, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}), reader: actor }),
  },
  'records.search': {
    access: 'consultation.read',
    handle: async ({ filters, ...request }, { services, actor }) => {
      const { store } = services
      const { clinicNumber, ...rest } = filters ?? {}
      // A clinic number names the patient; a text that is none is taken as a patient id (which then matches nothing or that patient).
      const patientId = clinicNumber === undefined ? rest.patientId : (store.patients.byClinicNumber(clinicNumber)?.id ?? clinicNumber)
      const page = store.search.search({ ...request, filters: { ...rest, ...(patientId === undefined ? {} : { patientId }) } }, actor)
      // Each hit with its patient, each patient read once (the search's access entry covers the page).
      const patients = new Map<string, Patient>()
      const patientOf = (id: string) => patients.get(id) ?? patients.set(id, store.patients.get(id)).get(id)!
      return { ...page, hits: page.hits.map((hit) => ({ ...hit, patientName: patientOf(hit.patientId).name, clinicNumber: patientOf(hit.patientId).clinicNumber })) }
    },
  },
  'consultation.summaries': { access: 'consultation.read', handle: async (request, { services, actor }) => services.store.consultationSummaries.list(request, actor) },
  'consultation.filterOptions': { access: 'consultation.read', handle: async (_request, { services }) => services.store.consultationSummaries.filterOptions() },
})

export const consultationCommands = requestEntries({
  'patient.register': { access: 'consultation.write', handle: async (patient, { services, actor }) => services.store.patients.register(patient, actor) },
  /** Reopens a stored consultation, or starts one: starting is writing, and every role that reads also writes. */
  'consultation.open': {
    access: 'consultation.write',
    handle: async ({ consultationId, patientId, department }, { services, actor }) => {
      const { store } = services
      let id = consultationId
      if (id === undefined || !consultationExists(services, id)) {
        const patient = patientId ?? store.patients.register(UNREGISTERED_PATIENT, actor).id
        id = store.consultations.create({ ...(id ? { id } : {}), patientId: patient, ...(department ? { department } : {}) }, actor).id
      }
      return { consultationId: id, ...store.consultations.open(id, 200, actor) }
    },
  },
  'patient.update': {
    access: 'consultation.write',
    handle: async ({ consultationId, department, ...changes }, { services, actor }) => {
      const { store } = services
      return store.transaction('patient.update', () => {
        let consultation = store.consultations.get(consultationId)
        if (consultation.trashedAt !== null) throw new WorkstationError('CONSULTATION_IN_TRASH')
        let linkedToRegistered = false
        const holder = changes.clinicNumber == null ? null : store.patients.byClinicNumber(changes.clinicNumber)
        if (holder !== null && holder.id !== consultation.patientId) {
          // A registered patient's number: the consultation is theirs, with their registered details.
          consultation = store.consultations.linkToPatient(consultationId, holder.id, actor)
          linkedToRegistered = true
        } else {
          store.patients.update(consultation.patientId, changes, actor)
        }
        if (department !== undefined) consultation = store.consultations.setDepartment(consultationId, department, actor)
        return { patient: store.patients.get(consultation.patientId), consultation, linkedToRegistered }
      })
    },
  },
  'consultation.trash': {
    access: 'consultation.trash',
    handle: async ({ consultationId }, { services, actor }) => {
      await services.turns.close(consultationId)
      return services.store.consultations.trash(consultationId, actor)
    },
  },
  'consultation.restore': { access: 'consultation.trash', handle: async ({ consultationId }, { services, actor }) => services.store.consultations.restore(consultationId, actor) },
  'note.add': { access: 'note.write', handle: async ({ consultationId, text }, { services, actor }) => services.store.notes.add(consultationId, text, actor) },
  'note.edit': { access: 'note.write', handle: async ({ noteId, text }, { services, actor }) => services.store.notes.edit(noteId, text, actor) },
  'redflag.acknowledge': { access: 'triage.acknowledge', handle: async ({ flagId }, { services, actor }) => services.store.redFlags.acknowledge(flagId, actor) },

  // A turn with the loaded model: stored, triaged, streamed to the clinician who asked.
  'consultation.send': {
    access: 'consultation.write',
    handle: ({ consultationId, answerId, text, sampling }, { services, actor }) =>
      answerFor(services, actor, consultationId, answerId, () =>
        services.turns.send({ consultationId, answerId, text, model: answeringModel(services), onTriaged: triaged(services, consultationId, answerId), ...samplingOf(services, sampling) }),
      ),
  },
  'consultation.stop': {
    access: 'consultation.write',
    handle: async ({ consultationId }, { services }) => {
      await services.turns.stop(consultationId)
      return null
    },
  },
  'consultation.regenerate': {
    access: 'consultation.write',
    handle: ({ consultationId, answerId, sampling }, { services, actor }) =>
      answerFor(services, actor, consultationId, answerId, () =>
        services.turns.regenerate({ consultationId, answerId, model: answeringModel(services), ...samplingOf(services, sampling) }),
      ),
  },
  'consultation.edit': {
    access: 'consultation.write',
    handle: ({ consultationId, answerId, patientMessageIndex, text, sampling }, { services, actor }) =>
      answerFor(services, actor, consultationId, answerId, () =>
        services.turns.edit({
          consultationId,
          answerId,
          patientMessageIndex,
          text,
          model: answeringModel(services),
          onTriaged: triaged(services, consultationId, answerId),
          ...samplingOf(services, sampling),
        }),
      ),
  },
  'consultation.close': {
    access: 'consultation.write',
    handle: async ({ consultationId }, { services }) => {
      await services.turns.close(consultationId)
      return null
    },
  },
})
