import { UNREGISTERED_PATIENT_NAME } from '../../../../electron/contract/patients.ts'
import type { MessageKey } from '../../i18n/messages.ts'

/** A patient's name as the history shows it: one never registered is said to be so, in the window's language. */
export function patientLabel(name: string, t: (key: MessageKey) => string): string {
  return name === UNREGISTERED_PATIENT_NAME ? t('today.unregistered') : name
}
