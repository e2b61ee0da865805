/** The reply of `app.about`: which workstation this is and what it runs on. */
export interface AppAbout {
  name: string
  version: string
  electron: string
  node: string
  /** The clinic or hospital the workstation serves, as IT configured it (shown in the window's header). */
  clinicName?: string | null
  /** The departments consultations are started in (hospital configuration, else the workstation's settings). */
  departments?: string[]
  /** Whether the hospital allows model downloads, and from where (a mirror IT chose, or the public hub). */
  downloads?: { enabled: boolean; baseUrl: string }
}
