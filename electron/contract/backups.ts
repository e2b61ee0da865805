// Backups of the records database, as listed and restored.

export type BackupKind = 'manual' | 'daily' | 'pre-migration' | 'pre-restore'

export interface BackupInfo {
  path: string
  kind: BackupKind
  createdAt: string
  bytes: number
}
