import type { AppAbout } from '../../contract/app-about.ts'
import type { WorkstationEvent } from '../../contract/channels.ts'
import type { HospitalConfig } from '../config/hospital-config.ts'
import type { AnswerAudience } from '../consultation/answer-audience.ts'
import type { ConsultationTurns } from '../consultation/consultation-turns.ts'
import type { ClinicianServices } from '../clinicians/clinician-services.ts'
import type { PdfRenderer } from '../export/pdf-renderer-interface.ts'
import type { EngineSupervisor } from '../inference/engine-supervisor.ts'
import type { ModelLibrary } from '../models/library/model-library.ts'
import type { ModelTransfers } from '../models/library/model-transfers.ts'
import type { RecordStore } from '../records/record-store.ts'
import type { ShellCapabilities } from '../shell-capabilities.ts'

/** What the request handlers work with: the services the composition root built, once. */
export interface WorkstationServices {
  config: HospitalConfig
  about: AppAbout
  store: RecordStore
  library: ModelLibrary
  /** The running model download, which the window may cancel. */
  transfers: ModelTransfers
  clinicians: ClinicianServices
  turns: ConsultationTurns
  engines: EngineSupervisor
  audience: AnswerAudience
  shell: ShellCapabilities
  /** A PDF renderer for one export (the shell's, else Chromium's); closed by the caller. */
  pdfRenderer(): Promise<PdfRenderer>
  /** Pushes an event to the windows, through the one gate that keeps patient text to its clinician. */
  emit(event: WorkstationEvent): void
}
