import { requestEntries } from './request-module.ts'

// What the workstation is: shown before anyone signs in.
export const appQueries = requestEntries({
  'app.about': {
    access: 'anyone',
    handle: async (_input, { services }) => ({
      ...services.about,
      clinicName: services.config.clinicName,
      downloads: { enabled: services.config.downloadsEnabled, baseUrl: services.config.downloadBaseUrl },
    }),
  },
})
export const appCommands = requestEntries({})
