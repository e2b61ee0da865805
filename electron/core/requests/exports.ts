import { exportSignedRecord } from '../export/stored-record-export.ts'
import { requestEntries } from './request-module.ts'

// A signed record to the clinic's systems: a file where the clinician chooses (the app's save
// dialog), or the file's bytes back to the browser host's page, which saves them as a download.
export const exportQueries = requestEntries({})

export const exportCommands = requestEntries({
  'export.run': {
    access: 'record.export',
    handle: async ({ recordVersionId, recordId, version, format, paper }, { services, actor }) => {
      const { shell, config, clinicians } = services
      const exported = await exportSignedRecord(
        services.store,
        {
          // The schema lets exactly one of the two through.
          which: recordVersionId !== undefined ? { recordVersionId } : { recordId: recordId!, ...(version === undefined ? {} : { version }) },
          format,
          ...(paper ? { paper } : {}),
          actor,
          destination: async (fileName) => {
            if (!shell.chooseExportFile) return { bytes: shell.exportBytesTo ?? 'download' }
            const path = await shell.chooseExportFile({ fileName, format })
            return path === null ? null : { file: path }
          },
        },
        {
          clinicName: services.settings.clinicName(),
          identifierSystems: config.identifierSystems,
          signatureOf: (versionId) => clinicians.signing.signatureOf(versionId),
          clinicianName: (id) => clinicians.accounts.find(id)?.name ?? null,
          pdfRenderer: () => services.pdfRenderer(),
        },
      )
      if (exported.outcome !== 'bytes') return exported
      const { content, ...rest } = exported
      return { ...rest, outcome: 'download', base64: Buffer.from(content).toString('base64') }
    },
  },
})
