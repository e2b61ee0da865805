// The names of every request, without their schemas: the sandboxed preload checks names against
// this list and stays small (no zod in it). channels.ts must declare exactly these names.

export const requestNames = [
  'app.about',
  'session.current',
  'session.firstAdmin',
  'session.signIn',
  'session.switchUser',
  'session.lock',
  'session.unlock',
  'session.signOut',
  'session.activity',
  'session.changePin',
  'accounts.list',
  'accounts.add',
  'accounts.disable',
  'accounts.enable',
  'accounts.unlock',
  'accounts.resetPin',
  'model.catalog',
  'model.list',
  'model.inspect',
  'model.memoryPlan',
  'model.importCandidates',
  'model.import',
  'model.download',
  'model.cancelDownload',
  'model.remove',
  'model.load',
  'model.unload',
  'model.status',
  'model.restart',
  'patient.register',
  'patient.update',
  'consultation.list',
  'consultation.open',
  'consultation.messages',
  'consultation.trash',
  'consultation.restore',
  'records.search',
  'consultation.summaries',
  'consultation.filterOptions',
  'note.add',
  'note.edit',
  'redflag.acknowledge',
  'record.draft',
  'record.save',
  'record.sign',
  'record.amend',
  'record.get',
  'record.history',
  'record.check',
  'record.removeSource',
  'record.printable',
  'export.run',
  'consultation.send',
  'consultation.stop',
  'consultation.regenerate',
  'consultation.edit',
  'consultation.close',
] as const

export type RequestName = (typeof requestNames)[number]

export function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && (requestNames as readonly string[]).includes(value)
}

/** The IPC channel that carries events to the window. */
export const EVENT_CHANNEL = 'workstation:event'
