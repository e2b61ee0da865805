import { requestEntries } from './request-module.ts'

// Who works at the workstation: ClinicianSessions checks these itself (a PIN, or the signed-in
// clinician), so every one is `anyone` here.
export const sessionQueries = requestEntries({
  'session.current': { access: 'anyone', handle: async (_input, { services }) => services.clinicians.sessions.current() },
})

export const sessionCommands = requestEntries({
  'session.firstAdmin': {
    access: 'anyone',
    handle: async ({ pin, ...clinician }, { services }) => {
      await services.clinicians.accounts.createFirstAdmin(clinician, pin)
      return services.clinicians.sessions.signIn(clinician.staffId, pin)
    },
  },
  'session.signIn': { access: 'anyone', handle: ({ staffId, pin }, { services }) => services.clinicians.sessions.signIn(staffId, pin) },
  'session.switchUser': { access: 'anyone', handle: ({ staffId, pin }, { services }) => services.clinicians.sessions.switchUser(staffId, pin) },
  'session.lock': { access: 'anyone', handle: async (_input, { services }) => services.clinicians.sessions.lock() },
  'session.unlock': { access: 'anyone', handle: ({ pin }, { services }) => services.clinicians.sessions.unlock(pin) },
  'session.signOut': { access: 'anyone', handle: async (_input, { services }) => services.clinicians.sessions.signOut() },
  /** The window reports a clinician's input: it keeps the session from locking. */
  'session.activity': {
    access: 'anyone',
    handle: async (_input, { services }) => {
      services.clinicians.sessions.activity()
      return null
    },
  },
  'session.changePin': { access: 'anyone', handle: ({ currentPin, newPin }, { services }) => services.clinicians.sessions.changePin(currentPin, newPin) },
})
