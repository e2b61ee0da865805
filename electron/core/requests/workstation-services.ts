import type { AuditCheckReport, RestoreReport } from '../../contract/administration.ts'
import type { AppAbout } from '../../contract/app-about.ts'
import type { WorkstationEvent } from '../../contract/channels.ts'
import type { HospitalConfig } from '../config/hospital-config.ts'
import type { AnswerAudience } from '../consultation/answer-audience.ts'
import type { ConsultationTurns } from '../consultation/consultation-turns.ts'
import type { ClinicianServices } from '../clinicians/clinician-services.ts'
import type { WorkstationRuns } from '../evaluation/workstation-runs.ts'
import type { PdfRenderer } from '../export/pdf-renderer-interface.ts'
import type { EngineSupervisor } from '../inference/engine-supervisor.ts'
import type { ModelLibrary } from '../models/library/model-library.ts'
import type { ModelTransfers } from '../models/library/model-transfers.ts'
import type { RecordStore } from '../records/record-store.ts'
import type { WorkstationSettings } from '../settings/workstation-settings.ts'
import type { ShellCapabilities } from '../shell-capabilities.ts'

/** What the request handlers work with: the services the composition root built, once. */
export interface WorkstationServices {
  config: HospitalConfig
  about: AppAbout
  /** The open record store; a restore replaces it (and the services built on it), so read it at each use. */
  store: RecordStore
  settings: WorkstationSettings
  library: ModelLibrary
  /** The running model download, which the window may cancel. */
  transfers: ModelTransfers
  clinicians: ClinicianServices
  turns: ConsultationTurns
  engines: EngineSupervisor
  audience: AnswerAudience
  /** Evaluation runs of the loaded model (one at a time, in the background). */
  evaluations: WorkstationRuns
  shell: ShellCapabilities
  /** A PDF renderer for one export (the shell's, else Chromium's); closed by the caller. */
  pdfRenderer(): Promise<PdfRenderer>
  /** What only the composition root can do: it owns the open store and the audit key. */
  administration: {
    /** Replaces the open database with a backup of the list, by its file name; everyone signs in again. */
    restoreBackup(fileName: string, actor: string): Promise<RestoreReport>
    /** The audit chain, its anchored head and the signed records checked; the check is audited as `actor`. */
    checkAudit(actor: string): Promise<AuditCheckReport>
  }
  /** Pushes an event to the windows, through the one gate that keeps patient text to its clinician. */
  emit(event: WorkstationEvent): void
}
