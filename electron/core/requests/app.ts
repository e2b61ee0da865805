import { requestEntries } from './request-module.ts'

// What the workstation is: shown before anyone signs in.
export const appQueries = requestEntries({
  'app.about': {
    access: 'anyone',
    handle: async (_input, { services }) => ({
      ...services.about,
      // As in force: the hospital configuration's where it fixes them, else the workstation's settings.
      clinicName: services.settings.clinicName(),
      departments: services.settings.departments(),
      downloads: { enabled: services.config.downloadsEnabled, baseUrl: services.config.downloadBaseUrl },
    }),
  },
})
export const appCommands = requestEntries({})
