import { basename } from 'node:path'
import { maxListedBackups, type AccessLogEntry } from '../../contract/administration.ts'
import { requestEntries } from './request-module.ts'

// Backups, the audit check and the access log, for administrators. Nothing here carries patient
// text: backups are named by file, the audit check reports counts and ids, and the access log
// says who read which id when (with the reader's name from the accounts).

export const administrationQueries = requestEntries({
  'backups.list': {
    access: 'database.backup',
    handle: async (_input, { services }) => {
      const { backups } = services.store
      const all = await backups.list()
      return {
        folder: backups.folder,
        secondFolder: backups.secondFolder,
        backups: all.slice(0, maxListedBackups).map(({ path, kind, createdAt, bytes }) => ({ fileName: basename(path), kind, createdAt, bytes })),
        more: Math.max(0, all.length - maxListedBackups),
      }
    },
  },
  'audit.accessLog': {
    access: 'audit.verify',
    handle: async ({ cursor, limit, staffId }, { services }) => {
      const page = services.store.audit.listAccess({ ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}), ...(staffId ? { actor: staffId } : {}) })
      const names = new Map<string, string | null>()
      const nameOf = (actor: string) => names.get(actor) ?? names.set(actor, services.clinicians.accounts.find(actor)?.name ?? null).get(actor) ?? null
      const items: AccessLogEntry[] = page.items.map((entry) => ({
        seq: entry.seq,
        at: typeof entry.details['readAt'] === 'string' ? entry.details['readAt'] : entry.at,
        actor: entry.actor,
        actorName: nameOf(entry.actor),
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        details: Object.fromEntries(Object.entries(entry.details).filter(([key]) => key !== 'readAt')),
      }))
      return { items, nextCursor: page.nextCursor }
    },
  },
})

export const administrationCommands = requestEntries({
  'backups.create': {
    access: 'database.backup',
    handle: async (_input, { services, actor }) => {
      const { path, kind, createdAt, bytes } = await services.store.backups.create(actor, 'manual')
      return { fileName: basename(path), kind, createdAt, bytes }
    },
  },
  'backups.restore': { access: 'database.backup', handle: ({ fileName }, { services, actor }) => services.administration.restoreBackup(fileName, actor) },
  /** Changes nothing but the audit log itself, which keeps that the check was made and what it found. */
  'audit.verify': { access: 'audit.verify', handle: (_input, { services, actor }) => services.administration.checkAudit(actor) },
})
