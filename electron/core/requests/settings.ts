import { mayDo } from '../clinicians/permissions.ts'
import { requestEntries } from './request-module.ts'
import type { RequestContext } from './request-module.ts'

// The workstation's settings: every clinician reads them (a turn samples with them, the header
// names the clinic); administrators change the workstation-wide ones. What the hospital
// configuration fixes is refused by WorkstationSettings itself, whoever asks.

function mayChange({ actor, services }: RequestContext): boolean {
  const account = services.clinicians.accounts.find(actor)
  return account !== null && mayDo(account.roles, 'settings.manage')
}

export const settingsQueries = requestEntries({
  'settings.get': { access: 'settings.read', handle: async (_input, context) => context.services.settings.view(mayChange(context)) },
})

export const settingsCommands = requestEntries({
  'settings.update': {
    access: 'settings.manage',
    handle: async (update, context) => {
      context.services.settings.update(update, context.actor)
      return context.services.settings.view(true)
    },
  },
})
