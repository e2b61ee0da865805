import { requestEntries } from './request-module.ts'

// Clinician accounts, for administrators (who see no patient data through them).
export const accountQueries = requestEntries({
  'accounts.list': { access: 'accounts.manage', handle: async (_input, { services }) => services.clinicians.accounts.list() },
})

export const accountCommands = requestEntries({
  'accounts.add': {
    access: 'accounts.manage',
    // A new account changes the PIN IT gave it at its first sign-in.
    handle: ({ pin, ...clinician }, { services, actor }) => services.clinicians.accounts.add(clinician, pin, actor, { pinChangeRequired: true }),
  },
  'accounts.disable': { access: 'accounts.manage', handle: async ({ staffId }, { services, actor }) => services.clinicians.accounts.disable(staffId, actor) },
  'accounts.enable': { access: 'accounts.manage', handle: async ({ staffId }, { services, actor }) => services.clinicians.accounts.enable(staffId, actor) },
  'accounts.unlock': { access: 'accounts.manage', handle: async ({ staffId }, { services, actor }) => services.clinicians.accounts.unlock(staffId, actor) },
  'accounts.resetPin': { access: 'accounts.manage', handle: ({ staffId, newPin }, { services, actor }) => services.clinicians.accounts.resetPin(staffId, newPin, actor) },
})
