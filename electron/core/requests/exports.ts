import { basename } from 'node:path'
import { downloadStoredRecord, exportStoredRecord, suggestedExportFileName } from '../export/stored-record-export.ts'
import { requestEntries } from './request-module.ts'

// A signed record to the clinic's systems: a file where the clinician chooses (the app's save
// dialog), or the file's bytes back to the browser host's page, which saves them as a download.
export const exportQueries = requestEntries({})

export const exportCommands = requestEntries({
  'export.run': {
    access: 'record.export',
    handle: async (request, { services, actor }) => {
      const signing = services.clinicians.signing
      const names = {
        clinicName: services.config.clinicName,
        identifierSystems: services.config.identifierSystems,
        signatureOf: (versionId: number) => signing.signatureOf(versionId),
      }
      let destination: string | null = null
      if (services.shell.chooseExportFile) {
        const fileName = suggestedExportFileName(services.store, { ...request, actor }, names)
        destination = await services.shell.chooseExportFile({ fileName, format: request.format })
        if (destination === null) return { outcome: 'cancelled' }
      }
      const renderer = request.format === 'pdf' ? await services.pdfRenderer() : undefined
      const context = { ...names, ...(renderer ? { pdfRenderer: renderer } : {}) }
      try {
        if (destination === null) return await downloadStoredRecord(services.store, { ...request, actor }, context)
        const saved = await exportStoredRecord(services.store, { ...request, destination, actor }, context)
        return { outcome: 'saved', fileName: basename(saved.path), ...saved }
      } finally {
        await renderer?.close()
      }
    },
  },
})
