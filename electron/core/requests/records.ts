import type { RecordHistory } from '../../contract/record-evidence.ts'
import { checkRecord } from '../clinical/outpatient-record/record-check.ts'
import { draftConsultationRecord } from '../clinical/outpatient-record/record-drafting.ts'
import { recordWorkspace } from '../clinical/outpatient-record/record-workspace.ts'
import { recordDocumentId, storedRecordFile } from '../clinical/outpatient-record/stored-record-file.ts'
import { exportFileName } from '../export/export-file-name.ts'
import { printableRecordHtml } from '../export/printable-html.ts'
import { requestEntries, type RequestContext } from './request-module.ts'

// The outpatient record: drafted by the model, edited and signed (PIN) by the doctor.

function clinicianName({ services }: RequestContext, staffId: string): string {
  return services.clinicians.accounts.find(staffId)?.name ?? staffId
}

export const recordQueries = requestEntries({
  'record.get': { access: 'consultation.read', handle: async ({ consultationId }, { services, actor }) => recordWorkspace(services.store, consultationId, actor) },
  'record.history': {
    access: 'consultation.read',
    handle: async ({ recordId }, context) => {
      const { store, clinicians } = context.services
      // Every version is read, so every signed one is checked against its signature.
      const versions = store.records.versions(recordId, context.actor)
      const history: RecordHistory = {
        recordId,
        versions: versions.map((version) => ({
          ...version,
          authorName: clinicianName(context, version.author),
          signerName: version.signedBy === null ? null : (clinicians.signing.signatureOf(version.id)?.name ?? clinicianName(context, version.signedBy)),
        })),
        exports: versions.flatMap((version) =>
          store.exports.list(version.id).map((logged) => ({ ...logged, version: version.version, exportedByName: clinicianName(context, logged.exportedBy) })),
        ),
      }
      store.audit.noteRead({ actor: context.actor, action: 'access.record-history', entityType: 'record', entityId: recordId, details: { versions: versions.length } })
      return history
    },
  },
  'record.check': { access: 'record.edit', handle: async ({ recordId }, { services, actor }) => checkRecord(services.store, recordId, actor) },
  'record.printable': {
    access: 'record.export',
    handle: async ({ recordVersionId, paper }, { services, actor }) => {
      const { store, clinicians } = services
      const version = store.records.signedVersion({ recordVersionId }, actor)
      const file = storedRecordFile(store, version.id, {
        clinicName: services.settings.clinicName(),
        signatureOf: (versionId) => clinicians.signing.signatureOf(versionId),
        clinicianName: (id) => clinicians.accounts.find(id)?.name ?? null,
      })
      store.audit.noteRead({ actor, action: 'access.record', entityType: 'record', entityId: version.recordId, details: { recordVersionId, version: version.version, print: true } })
      return { html: printableRecordHtml(file, { paper, documentId: recordDocumentId(version) }), fileName: exportFileName(file, 'pdf') }
    },
  },
})

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
        model: {
          name: model.name,
          quantization: model.quantization ?? 'unknown',
          // A model on the hospital inference server has no file to hash: the server's address names it instead.
          sha256: model.engine === 'remote' ? null : (model.sha256 ?? 'unknown'),
          promptFormat: model.promptFormat,
          engine: model.engine,
          server: model.server,
        },
        author: actor,
        onProgress: (progress) => services.emit({ type: 'record.draft-progress', progress }),
      }).finally(() => services.audience.releaseDraft(actor))
      return { version: drafted.version, sectionAuthors: drafted.sectionAuthors, evidence: drafted.evidence }
    },
  },
  'record.save': { access: 'record.edit', handle: async ({ consultationId, sections }, { services, actor }) => services.store.records.saveDraft(consultationId, sections, actor) },
  'record.removeSource': {
    access: 'record.edit',
    handle: async ({ linkId }, { services, actor }) => {
      const { store } = services
      const link = store.evidence.remove(linkId, actor)
      return recordWorkspace(store, store.records.version(link.recordVersionId, actor).consultationId, actor)
    },
  },
  // PIN-confirmed inside the signing itself.
  'record.sign': { access: 'record.sign', handle: ({ recordId, pin }, { services }) => services.clinicians.signing.sign(recordId, pin) },
  'record.amend': { access: 'record.amend', handle: async ({ recordId, sections, reason, pin }, { services }) => services.clinicians.signing.amend(recordId, sections, reason, pin) },
})
