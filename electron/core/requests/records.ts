import { draftConsultationRecord } from '../clinical/outpatient-record/record-drafting.ts'
import { requestEntries } from './request-module.ts'

// The outpatient record: drafted by the model, edited and signed (PIN) by the doctor.
export const recordQueries = requestEntries({})

export const recordCommands = requestEntries({
  'record.draft': {
    access: 'record.draft',
    handle: async ({ consultationId }, { services, actor }) => {
      // The model's identity comes from the engine supervisor: what the record names as its tool.
      const { engine, model } = services.engines.active()
      services.audience.claimDraft(actor)
      const drafted = await draftConsultationRecord({
        store: services.store,
        engine,
        consultationId,
        model: { name: model.name, quantization: model.quantization ?? 'unknown', sha256: model.sha256 ?? 'unknown', promptFormat: model.promptFormat },
        author: actor,
        onProgress: (progress) => services.emit({ type: 'record.draft-progress', progress }),
      }).finally(() => services.audience.releaseDraft(actor))
      return { version: drafted.version, sectionAuthors: drafted.sectionAuthors }
    },
  },
  'record.save': { access: 'record.edit', handle: async ({ consultationId, sections }, { services, actor }) => services.store.records.saveDraft(consultationId, sections, actor) },
  // PIN-confirmed inside the signing itself.
  'record.sign': { access: 'record.sign', handle: ({ recordId, pin }, { services }) => services.clinicians.signing.sign(recordId, pin) },
  'record.amend': { access: 'record.amend', handle: ({ recordId, sections, reason, pin }, { services }) => services.clinicians.signing.amend(recordId, sections, reason, pin) },
})
