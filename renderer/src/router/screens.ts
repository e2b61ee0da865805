import { ChatDotRound, Clock, Cpu, DataAnalysis, Document, Management, Setting, Stamp } from '@element-plus/icons-vue'
import type { Component } from 'vue'
import type { Permission } from '../../../electron/contract/clinicians.ts'
import type { MessageKey } from '../i18n/messages.ts'

export type ScreenName = 'consultation' | 'history' | 'records' | 'model' | 'evaluation' | 'review' | 'settings' | 'administration'

/** A screen of the navigation rail, and what a clinician must be allowed to see it. */
export interface Screen {
  name: ScreenName
  label: MessageKey
  icon: Component
  /** null: every signed-in clinician (settings, their own PIN, the language). */
  permission: Permission | null
}

// In the order a clinician's day goes: consult, look back, write the record; then the machine.
export const screens: readonly Screen[] = [
  { name: 'consultation', label: 'nav.consultation', icon: ChatDotRound, permission: 'consultation.write' },
  { name: 'history', label: 'nav.history', icon: Clock, permission: 'consultation.read' },
  { name: 'records', label: 'nav.records', icon: Document, permission: 'record.draft' },
  { name: 'model', label: 'nav.model', icon: Cpu, permission: 'model.use' },
  // Evaluating the loaded model on a benchmark before it advises anyone: those who manage models.
  { name: 'evaluation', label: 'nav.evaluation', icon: DataAnalysis, permission: 'model.manage' },
  // Doctors' blind review of two runs: every clinician lists reviews (doctors and nurses judge, administrators read results).
  { name: 'review', label: 'nav.review', icon: Stamp, permission: 'evaluation.read' },
  { name: 'settings', label: 'nav.settings', icon: Setting, permission: null },
  // Accounts, backups, the audit log: hospital IT's, never a patient's data.
  { name: 'administration', label: 'admin.nav', icon: Management, permission: 'accounts.manage' },
]

/** The screens a clinician with these permissions may open: an administrator alone sees no patient's. */
export function screensFor(permissions: readonly Permission[]): Screen[] {
  return screens.filter((screen) => screen.permission === null || permissions.includes(screen.permission))
}

/** Where a clinician starts: the consultation for doctors and nurses, the model for an administrator. */
export function homeFor(permissions: readonly Permission[]): ScreenName {
  return screensFor(permissions)[0]?.name ?? 'settings'
}
