// Every request and event that crosses between the window and the workstation, declared once.
// Electron main binds one ipcMain handler per request, the preload exposes exactly these names,
// the browser host serves the same names over its WebSocket, and every handler validates its input
// with the schema here before doing anything.
import { z } from 'zod'
import type { AppAbout } from './app-about.ts'
import { accessLogRequestSchema, backupRestoreSchema, type AccessLogEntry, type AuditCheckReport, type BackupList, type BackupListing, type RestoreReport } from './administration.ts'
import { settingsUpdateSchema, type WorkstationSettingsView } from './workstation-settings.ts'
import type { WorkstationErrorPayload } from './errors.ts'
import { promptFormatIds, type AnswerStatus, type AnswerTiming, type EngineEvent, type EngineStatus } from './inference.ts'
import type { ModelInspection, ModelMemoryPlan } from './model-inspection.ts'
import type { LibraryModel, ModelCatalogEntry, ModelImportCandidates, ModelImportOutcome, ModelTransferProgress } from './models.ts'
import type { RequestName } from './request-names.ts'
import { engineKinds, type RemoteConnectionTest } from './remote-engine.ts'
import { samplingSchema } from './sampling.ts'
import { type ClinicianNote, noteTextSchema } from './clinician-notes.ts'
import type { ConsultationMessage, ConsultationTurn } from './consultation-messages.ts'
import {
  type Consultation,
  type ConsultationFilterOptions,
  consultationListRequestSchema,
  type ConsultationSummary,
  consultationSummaryRequestSchema,
  type ConsultationView,
} from './consultations.ts'
import { type Page, pageRequestSchema } from './paging.ts'
import { newPatientSchema, patientHeaderUpdateSchema, type Patient } from './patients.ts'
import { amendmentSchema, type OutpatientRecordVersion, outpatientSectionsSchema } from './record-versions.ts'
import type { StoredRedFlag } from './red-flags.ts'
import {
  evaluationRunIdSchema,
  evaluationStartSchema,
  type EvaluationDatasetOffers,
  type EvaluationReportPage,
  type EvaluationRunProgress,
  type EvaluationRunSummary,
} from './evaluation-runs.ts'
import { recordSearchRequestSchema, type LabelledSearchPage } from './search.ts'
import {
  reviewCreateSchema,
  reviewItemRefSchema,
  reviewJudgeSchema,
  reviewRefSchema,
  type ReviewNext,
  type ReviewProgress,
  type ReviewResult,
  type ReviewSummary,
} from './evaluation-review.ts'

export { EVENT_CHANNEL, isRequestName, requestNames, type RequestName } from './request-names.ts'
import { paperSizes, recordDraftRequestSchema, recordExportRequestSchema, type RecordDraftProgress, type RecordExportOutcome, type SectionAuthors } from './outpatient-record.ts'
import type { EvidenceLink, PrintableRecord, RecordCheck, RecordHistory, RecordWorkspace } from './record-evidence.ts'
import {
  clinicianRefSchema,
  newClinicianSchema,
  pinChangeSchema,
  pinOnlySchema,
  pinResetSchema,
  signInSchema,
  recordSignSchema,
  type Clinician,
  type ClinicianSession,
  type RecordSignature,
} from './clinicians.ts'

/** A request: its input schema, and its output type (carried as a type only). */
interface RequestChannel<Input extends z.ZodType, Output> {
  input: Input
  /** Never read at run time: it only carries the output type. */
  output?: Output
}

function request<Output>() {
  return <Input extends z.ZodType>(input: Input): RequestChannel<Input, Output> => ({ input })
}

const none = z.object({}).strict()
const id = z.string().min(1).max(200)
const text = (max: number) => z.string().max(max)
/** A file's own name in a folder the workstation lists: no separator, no control character. */
const importFileName = z
  .string()
  .min(6)
  .max(255)
  .regex(/^[^/\\]+\.gguf$/i, 'a .gguf file name from model.importCandidates')
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'no control characters')

/** A consultation opened for work: its record view, and its id at the top for convenience. */
export interface ConsultationOpened extends ConsultationView {
  consultationId: string
}

export const requestChannels = {
  'app.about': request<AppAbout>()(none),

  // Who works at the workstation: one clinician at a time, locked after idle time.
  'session.current': request<ClinicianSession>()(none),
  'session.firstAdmin': request<ClinicianSession>()(newClinicianSchema),
  'session.signIn': request<ClinicianSession>()(signInSchema),
  'session.switchUser': request<ClinicianSession>()(signInSchema),
  'session.lock': request<ClinicianSession>()(none),
  'session.unlock': request<ClinicianSession>()(pinOnlySchema),
  'session.signOut': request<ClinicianSession>()(none),
  /** The window reports a clinician's input (keys, pointer): it keeps the session from locking. */
  'session.activity': request<null>()(none),
  'session.changePin': request<ClinicianSession>()(pinChangeSchema),
  'accounts.list': request<Clinician[]>()(none),
  'accounts.add': request<Clinician>()(newClinicianSchema),
  'accounts.disable': request<Clinician>()(clinicianRefSchema),
  'accounts.enable': request<Clinician>()(clinicianRefSchema),
  'accounts.unlock': request<Clinician>()(clinicianRefSchema),
  'accounts.resetPin': request<Clinician>()(pinResetSchema),

  // The workstation's settings (every clinician reads them; administrators change them) and its administration.
  'settings.get': request<WorkstationSettingsView>()(none),
  'settings.update': request<WorkstationSettingsView>()(settingsUpdateSchema),
  'backups.list': request<BackupList>()(none),
  'backups.create': request<BackupListing>()(none),
  /** Replaces the record database with a backup of the list, named by its file name (never a path); everyone signs in again. */
  'backups.restore': request<RestoreReport>()(backupRestoreSchema),
  /** The audit chain, its anchored head and every signed record version checked, as `huatuo audit verify` does. */
  'audit.verify': request<AuditCheckReport>()(none),
  /** Who opened which patient data when (ids only), newest first. */
  'audit.accessLog': request<Page<AccessLogEntry>>()(accessLogRequestSchema),

  // The model library and the engine.
  'model.catalog': request<ModelCatalogEntry[]>()(none),
  'model.list': request<(LibraryModel & { path: string; missing: boolean; approved: boolean })[]>()(none),
  'model.inspect': request<ModelInspection>()(z.object({ modelId: id }).strict()),
  /** Before loading: the memory the model needs for a context size against what is free, and the largest context that fits. */
  'model.memoryPlan': request<ModelMemoryPlan>()(z.object({ modelId: id, contextSize: z.number().int().min(256).max(1_048_576).optional() }).strict()),
  /** The `.gguf` files in the hospital's import folder: what the browser host can import. */
  'model.importCandidates': request<ModelImportCandidates>()(none),
  /**
   * Brings a model into the library: one of the import folder's files by name, or (in the app, with
   * no name) the file the clinician picks in the operating system's open dialog. Never a path.
   */
  'model.import': request<ModelImportOutcome>()(z.object({ candidate: importFileName.optional() }).strict()),
  'model.download': request<{ model: LibraryModel; alreadyPresent: boolean }>()(
    z.object({ source: text(2048).min(1), baseUrl: z.url({ protocol: /^https?$/ }).optional() }).strict(),
  ),
  /** Stops the running download (cancelled: false when none ran); the partial file is kept for a resume. */
  'model.cancelDownload': request<{ cancelled: boolean }>()(none),
  'model.remove': request<LibraryModel>()(z.object({ modelId: id, confirmed: z.literal(true) }).strict()),
  'model.load': request<EngineStatus>()(
    z
      .object({
        modelId: id,
        promptFormat: z.enum(promptFormatIds).optional(),
        contextSize: z.number().int().min(256).max(1_048_576).optional(),
        /** Layers offloaded to the GPU: 'auto' (as many as fit, the default) or a number (0: CPU only). */
        gpuLayers: z.union([z.literal('auto'), z.number().int().min(0).max(1000)]).optional(),
      })
      .strict(),
  ),
  'model.unload': request<null>()(none),
  'model.status': request<EngineStatus>()(none),
  /** Asks the hospital inference server the configuration names for its models, version and round-trip time (administrators). */
  'model.testServer': request<RemoteConnectionTest>()(none),
  /**
   * Which engine consultations use from now on (administrators): the local model or the configured
   * hospital inference server (REMOTE_NOT_CONFIGURED when there is none). Kept across restarts.
   */
  'model.useEngine': request<EngineStatus>()(z.object({ engine: z.enum(engineKinds) }).strict()),
  'model.restart': request<EngineStatus>()(none),

  // Evaluating the loaded model on a benchmark (administrators): datasets from the hospital's evaluation folder, by name.
  /** The files and folders of the evaluation folder, with the format each seems to be in. */
  'evaluation.datasets': request<EvaluationDatasetOffers>()(none),
  /** Starts a run of the loaded model over a dataset of the folder; progress follows as `evaluation.progress`. One run at a time. */
  'evaluation.start': request<EvaluationRunSummary>()(evaluationStartSchema),
  /** Stops the running run (cancelled: false when none ran); the finished items are kept. */
  'evaluation.cancel': request<{ cancelled: boolean }>()(none),
  /** Every run, newest first, with its header and how far it went. */
  'evaluation.runs': request<EvaluationRunSummary[]>()(none),
  /** The run's report, written again from its predictions, as one self-contained HTML page. */
  'evaluation.report': request<EvaluationReportPage>()(z.object({ runId: evaluationRunIdSchema }).strict()),

  // A consultation with the loaded model.
  // Patients and consultations in the record store.
  'patient.register': request<Patient>()(newPatientSchema),
  /** The consultation's patient header corrected: the patient's details and the department. */
  'patient.update': request<{ patient: Patient; consultation: Consultation; linkedToRegistered: boolean }>()(patientHeaderUpdateSchema),
  'consultation.list': request<Page<Consultation>>()(consultationListRequestSchema),
  /** Reopens a stored consultation, or starts one (for a registered patient, or an unregistered one). */
  'consultation.open': request<ConsultationOpened>()(
    z.object({ consultationId: id.optional(), patientId: id.optional(), department: text(100).optional() }).strict(),
  ),
  'consultation.messages': request<Page<ConsultationMessage>>()(pageRequestSchema.extend({ consultationId: id }).strict()),
  'consultation.trash': request<Consultation>()(z.object({ consultationId: id }).strict()),
  'consultation.restore': request<Consultation>()(z.object({ consultationId: id }).strict()),
  'records.search': request<LabelledSearchPage>()(recordSearchRequestSchema),
  /** The consultation list a clinician picks from: patient, clinician, red flags and record status, newest first. */
  'consultation.summaries': request<Page<ConsultationSummary>>()(consultationSummaryRequestSchema),
  /** The departments and clinicians the history's filters offer (those consultations were started in and by). */
  'consultation.filterOptions': request<ConsultationFilterOptions>()(none),
  'note.add': request<ClinicianNote>()(z.object({ consultationId: id, text: noteTextSchema }).strict()),
  'note.edit': request<ClinicianNote>()(z.object({ noteId: z.number().int().positive(), text: noteTextSchema }).strict()),
  'redflag.acknowledge': request<StoredRedFlag>()(z.object({ flagId: z.number().int().positive() }).strict()),

  // The outpatient record: drafted by the model, edited and signed (PIN) by the doctor, exported.
  /** The record as its editor opens it: latest version, authors, evidence links, completeness. */
  'record.get': request<RecordWorkspace>()(z.object({ consultationId: id }).strict()),
  /** Every version (signer, time, reason) and every export of the record. */
  'record.history': request<RecordHistory>()(z.object({ recordId: z.number().int().positive() }).strict()),
  /** What the latest version lacks: the same check signing runs (a block refuses the signature). */
  'record.check': request<RecordCheck>()(z.object({ recordId: z.number().int().positive() }).strict()),
  /** The doctor removes a drafted section's link to the conversation (a draft only). */
  'record.removeSource': request<RecordWorkspace>()(z.object({ linkId: z.number().int().positive() }).strict()),
  /** A signed version as it prints, for the print preview. */
  'record.printable': request<PrintableRecord>()(z.object({ recordVersionId: z.number().int().positive(), paper: z.enum(paperSizes) }).strict()),
  'record.draft': request<{ version: OutpatientRecordVersion; sectionAuthors: SectionAuthors; evidence: EvidenceLink[] }>()(recordDraftRequestSchema),
  'record.save': request<OutpatientRecordVersion>()(z.object({ consultationId: id, sections: outpatientSectionsSchema }).strict()),
  'record.sign': request<{ version: OutpatientRecordVersion; signature: RecordSignature }>()(recordSignSchema),
  'record.amend': request<{ version: OutpatientRecordVersion; signature: RecordSignature }>()(amendmentSchema.extend({ pin: z.string().min(1).max(128) }).strict()),
  'export.run': request<RecordExportOutcome>()(recordExportRequestSchema),

  // A consultation turn with the loaded model: stored, triaged, streamed.
  'consultation.send': request<ConsultationTurn>()(
    z.object({ consultationId: id, answerId: id, text: text(20_000).min(1), sampling: samplingSchema.optional() }).strict(),
  ),
  'consultation.stop': request<null>()(z.object({ consultationId: id }).strict()),
  'consultation.regenerate': request<ConsultationTurn>()(z.object({ consultationId: id, answerId: id, sampling: samplingSchema.optional() }).strict()),
  'consultation.edit': request<ConsultationTurn>()(
    z
      .object({
        consultationId: id,
        answerId: id,
        patientMessageIndex: z.number().int().min(0).max(10_000),
        text: text(20_000).min(1),
        sampling: samplingSchema.optional(),
      })
      .strict(),
  ),
  'consultation.close': request<null>()(z.object({ consultationId: id }).strict()),

  // Doctors' blind pairwise review of two evaluation runs (electron/contract/evaluation-review.ts).
  // No reply ever says which run wrote which answer: the key stays in the review's folder.
  /** The reviews, newest first, with the signed-in clinician's progress (run labels for administrators only). */
  'review.list': request<ReviewSummary[]>()(none),
  /** Administrators: prepares a review of two runs named by their folder under <dataDir>/evaluations/runs/ (never a path). */
  'review.create': request<ReviewSummary>()(reviewCreateSchema),
  /** The next item the signed-in clinician has neither judged nor skipped (skipped ones come back last), or null when done. */
  'review.next': request<ReviewNext>()(reviewRefSchema),
  /** A judgement by position (first / tie / second), with an optional reason; once per item and clinician. */
  'review.judge': request<ReviewProgress>()(reviewJudgeSchema),
  /** Puts an item back to the end of the signed-in clinician's queue. */
  'review.skip': request<ReviewProgress>()(reviewItemRefSchema),
  /** The statistics: administrators, and a reviewer once they have judged every item. */
  'review.result': request<ReviewResult>()(reviewRefSchema),
} as const satisfies Record<RequestName, RequestChannel<z.ZodType, unknown>>

export type RequestInput<N extends RequestName> = z.input<(typeof requestChannels)[N]['input']>
export type RequestOutput<N extends RequestName> = Exclude<(typeof requestChannels)[N]['output'], undefined>


/**
 * Pushed to the window. Text deltas are coalesced by the engine (~30 ms or 16 tokens). Events that
 * carry patient text reach a window only while the clinician who asked is signed in and unlocked.
 */
export type WorkstationEvent =
  | EngineEvent
  /** A patient message stored and triaged, before its answer streams: its red flags (none is not "safe"). */
  | { type: 'consultation.red-flags'; consultationId: string; answerId: string; messageId: number; redFlags: StoredRedFlag[] }
  /** On unlock, before further deltas: what an answer still being written holds so far. */
  | { type: 'consultation.snapshot'; consultationId: string; answerId: string; messageId: number; text: string; thinking: string }
  /** An answer ended (complete, stopped, interrupted, error): its final, stored text. */
  | {
      type: 'consultation.answer-finished'
      consultationId: string
      answerId: string
      messageId: number
      status: AnswerStatus
      text: string
      thinking: string
      timing: AnswerTiming | null
    }
  | { type: 'download.progress'; progress: ModelTransferProgress }
  /** An evaluation run went on (an item answered) or ended. */
  | { type: 'evaluation.progress'; progress: EvaluationRunProgress }
  | { type: 'session.changed'; session: ClinicianSession }
  /** The engine or its model changed (loading, loaded, unloaded, crashed, restarted): the window follows, never polls. */
  | { type: 'model.changed'; status: EngineStatus }
  | { type: 'record.draft-progress'; progress: RecordDraftProgress }
  /** Workstation settings changed (names only): windows read them again. */
  | { type: 'settings.changed'; settings: string[] }
  /** The record database was replaced by a backup: every window lets go of what it held, and everyone signs in again. */
  | { type: 'database.restored'; restored: string; restoredAt: string }

export const eventTypes = [
  'model.progress',
  'model.gpu-fallback',
  'consultation.delta',
  'consultation.red-flags',
  'consultation.snapshot',
  'consultation.answer-finished',
  'structured.delta',
  'engine.crashed',
  'download.progress',
  'evaluation.progress',
  'session.changed',
  'model.changed',
  'record.draft-progress',
  'settings.changed',
  'database.restored',
] as const satisfies readonly WorkstationEvent['type'][]

/** How every answer crosses a boundary: thrown errors never do (they would lose their code). */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: WorkstationErrorPayload }
