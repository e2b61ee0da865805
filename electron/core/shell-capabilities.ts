import type { ExportFormat } from '../contract/outpatient-record.ts'
import type { AuditKeyVault } from './clinicians/audit-key-vault.ts'
import type { HospitalConfig } from './config/hospital-config.ts'
import type { PdfRendererFactory } from './export/pdf-renderer-interface.ts'
import type { EngineProcessLauncher } from './inference/local/process-launcher.ts'
import type { SecretKeeper } from './inference/remote/remote-server-config.ts'

/**
 * What only the shell around core can do, handed to the workstation (and the CLI) as one object:
 * never module-level state. Each is optional; without it core uses what works under plain Node
 * (a forked engine process, Chromium for PDFs, an owner-only key file, no dialogs).
 */
export interface ShellCapabilities {
  /** How the engine process starts: Electron's utilityProcess in the app, child_process elsewhere. */
  engineLauncher?: EngineProcessLauncher
  /** PDFs through Electron's printToPDF in the app; Chromium's page.pdf elsewhere. */
  pdfRenderer?: PdfRendererFactory
  /** Where the audit chain's key (and its anchored head) is kept: the OS key store in the app. */
  auditKeyVault?: (config: HospitalConfig, databasePath: string) => AuditKeyVault
  /**
   * The app's open dialog for a model file: the clinician picks it, so no path ever comes from the
   * window. Null when cancelled. Absent in the browser host (it offers the import folder's files).
   */
  chooseModelFile?: () => Promise<string | null>
  /**
   * The app's save dialog for an export, suggesting a file name. Null when cancelled. Absent in the
   * browser host, where the file's bytes go back to the page to be saved as a download.
   */
  chooseExportFile?: (suggestion: { fileName: string; format: ExportFormat }) => Promise<string | null>
  /**
   * How the hospital inference server's API key is kept in memory: sealed by the operating system
   * (Electron's safeStorage) in the app, as read elsewhere.
   */
  secretKeeper?: SecretKeeper
  /** Where an export's bytes go when there is no file to choose: the browser host's page (default), or the CLI's standard output. */
  exportBytesTo?: 'download' | 'stdout'
}
