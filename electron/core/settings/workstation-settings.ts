import { z } from 'zod'
import { promptFormatIds, type PromptFormatId } from '../../contract/inference.ts'
import { engineKinds, type EngineKind } from '../../contract/remote-engine.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import {
  clinicNameSettingSchema,
  contextSizeSettingSchema,
  departmentsSettingSchema,
  gpuLayersSettingSchema,
  idleLockMinutesSettingSchema,
  samplingPreferenceFields,
  samplingPreferencesSchema,
  threadsSettingSchema,
  type FormatSampling,
  type HospitalFixableSetting,
  type SamplingPreferences,
  type SettingsUpdate,
  type WorkstationSettingsView,
} from '../../contract/workstation-settings.ts'
import type { HospitalConfig } from '../config/hospital-config.ts'
import { WorkstationError } from '../errors.ts'
import { promptFormats } from '../inference/prompt-formats/index.ts'
import { configuredInferenceThreads } from '../inference/threads.ts'
import type { RecordStore } from '../records/record-store.ts'
import { isoTime } from '../records/record-time.ts'

// The workstation's own settings, kept as one JSON value in the record store's workstation_meta
// table (no schema change: it travels with the database into backups and restores). What the
// hospital configuration sets wins and cannot be changed here; everything else starts from the
// configuration's defaults and the prompt formats' own recommendations.

const settingsKey = 'workstation_settings'

/** What is stored: only what the clinic changed. Each field is read on its own, so one bad field never loses the rest. */
const storedFields = {
  sampling: z.partialRecord(z.enum(promptFormatIds), samplingPreferencesSchema),
  contextSize: contextSizeSettingSchema.nullable(),
  threads: threadsSettingSchema.nullable(),
  gpuLayers: gpuLayersSettingSchema.nullable(),
  clinicName: clinicNameSettingSchema.nullable(),
  departments: departmentsSettingSchema,
  idleLockMinutes: idleLockMinutesSettingSchema,
  updatedAt: z.number().int(),
  updatedBy: z.string().max(64),
  inferenceEngine: z.enum(engineKinds),
}
type StoredSettings = { -readonly [K in keyof typeof storedFields]?: z.infer<(typeof storedFields)[K]> }

export type SettingsStore = Pick<RecordStore, 'connection' | 'transaction' | 'audit'>

export class WorkstationSettings {
  readonly #store: () => SettingsStore
  readonly #config: HospitalConfig
  readonly #now: () => number
  readonly #listeners = new Set<(changed: readonly string[]) => void>()

  /** `store` is asked each time: a restore replaces the open store, and the settings are the restored file's. */
  constructor(store: () => SettingsStore, config: HospitalConfig, now: () => number = Date.now) {
    this.#store = store
    this.#config = config
    this.#now = now
  }

  /** Called after every change with the names of the settings changed. */
  onChange(listener: (changed: readonly string[]) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #fixed(name: HospitalFixableSetting): boolean {
    return this.#config.fixedSettings.includes(name)
  }

  #stored(): StoredSettings {
    const row = this.#store().connection.prepare('SELECT value FROM workstation_meta WHERE key = ?').get(settingsKey) as { value: string } | undefined
    if (row === undefined) return {}
    let raw: unknown
    try {
      raw = JSON.parse(row.value)
    } catch {
      return {}
    }
    if (typeof raw !== 'object' || raw === null) return {}
    const stored: Record<string, unknown> = {}
    for (const [name, schema] of Object.entries(storedFields)) {
      const parsed = schema.safeParse((raw as Record<string, unknown>)[name])
      if (parsed.success && parsed.data !== undefined) stored[name] = parsed.data
    }
    return stored as StoredSettings
  }

  clinicName(): string | null {
    if (this.#fixed('clinicName')) return this.#config.clinicName
    const stored = this.#stored().clinicName
    return stored === undefined ? this.#config.clinicName : stored
  }

  departments(): string[] {
    if (this.#fixed('departments')) return [...this.#config.departments]
    return this.#stored().departments ?? [...this.#config.departments]
  }

  idleLockMs(): number {
    if (this.#fixed('idleLockMinutes')) return this.#config.idleLockMs
    const minutes = this.#stored().idleLockMinutes
    return minutes === undefined ? this.#config.idleLockMs : minutes * 60_000
  }

  /**
   * The engine consultations use: the administrator's choice, else the hospital inference server
   * when the configuration names one (IT set it up to be used), else the local model.
   */
  inferenceEngine(): EngineKind {
    if (this.#config.remoteEngine === null) return 'local'
    return this.#stored().inferenceEngine ?? 'remote'
  }

  /** Keeps an administrator's engine choice (audited); REMOTE_NOT_CONFIGURED for a server the configuration does not name. */
  chooseInferenceEngine(engine: EngineKind, actor: string): void {
    if (engine === 'remote' && this.#config.remoteEngine === null) throw new WorkstationError('REMOTE_NOT_CONFIGURED')
    const store = this.#store()
    store.transaction('settings.engine', () => {
      const next = { ...this.#stored(), inferenceEngine: engine }
      store.connection
        .prepare('INSERT INTO workstation_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(settingsKey, JSON.stringify(next))
      store.audit.append({ actor, action: 'engine.choose', entityType: 'settings', entityId: 'workstation', details: { engine } })
    })
  }

  /** What a turn samples with when the window names nothing: the clinic's changes; the engine fills in the format's recommendation. */
  samplingFor(promptFormat: PromptFormatId): SamplingSettings {
    return { ...this.#stored().sampling?.[promptFormat] }
  }

  /** How the next model load sizes its context, threads and GPU layers, where the request says nothing. */
  engineDefaults(): { contextSize?: number; threads?: number; gpuLayers?: 'auto' | number } {
    const { contextSize, threads, gpuLayers } = this.#stored()
    return { ...(contextSize ? { contextSize } : {}), ...(threads ? { threads } : {}), ...(gpuLayers != null ? { gpuLayers } : {}) }
  }

  view(mayChange: boolean): WorkstationSettingsView {
    const stored = this.#stored()
    const fixedBy: WorkstationSettingsView['fixedBy'] = {}
    for (const name of this.#config.fixedSettings) fixedBy[name] = this.#config.source ?? 'hospital.json'
    return {
      sampling: promptFormatIds.map((id) => formatSampling(id, stored.sampling?.[id] ?? {})),
      engine: { contextSize: stored.contextSize ?? null, threads: stored.threads ?? null, gpuLayers: stored.gpuLayers ?? 'auto', defaultThreads: configuredInferenceThreads() },
      clinicName: this.clinicName(),
      departments: this.departments(),
      idleLockMinutes: Math.round(this.idleLockMs() / 60_000),
      fixedBy,
      mayChange,
      updated: stored.updatedAt !== undefined && stored.updatedBy !== undefined ? { at: isoTime(stored.updatedAt), by: stored.updatedBy } : null,
    }
  }

  /**
   * Changes settings as `actor` (an administrator): a setting the hospital configuration fixes is
   * refused (SETTING_FIXED_BY_HOSPITAL) and nothing of the request is kept. Stored with an audit
   * entry naming the settings changed (never their values: a clinic name is not needed in the chain).
   */
  update(update: SettingsUpdate, actor: string): readonly string[] {
    const names = Object.keys(update) as (keyof SettingsUpdate)[]
    const fixed = names.filter((name): name is HospitalFixableSetting => (this.#config.fixedSettings as readonly string[]).includes(name))
    if (fixed.length > 0) {
      throw new WorkstationError('SETTING_FIXED_BY_HOSPITAL', `${fixed.join(', ')} set by ${this.#config.source ?? 'the hospital configuration'}`, {
        data: { settings: fixed.join(','), source: this.#config.source },
      })
    }
    const store = this.#store()
    store.transaction('settings.update', () => {
      const next: StoredSettings = { ...this.#stored() }
      if (update.sampling !== undefined) {
        const { promptFormat, values } = update.sampling
        const sampling = { ...next.sampling }
        const changed = values === null ? {} : changedFromRecommended(promptFormat, values)
        if (Object.keys(changed).length === 0) delete sampling[promptFormat]
        else sampling[promptFormat] = changed
        next.sampling = sampling
      }
      if (update.contextSize !== undefined) next.contextSize = update.contextSize
      if (update.threads !== undefined) next.threads = update.threads
      if (update.gpuLayers !== undefined) next.gpuLayers = update.gpuLayers
      if (update.clinicName !== undefined) next.clinicName = update.clinicName
      // Each department once, in the order given.
      if (update.departments !== undefined) next.departments = [...new Set(update.departments)]
      if (update.idleLockMinutes !== undefined) next.idleLockMinutes = update.idleLockMinutes
      next.updatedAt = this.#now()
      next.updatedBy = actor
      store.connection
        .prepare('INSERT INTO workstation_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(settingsKey, JSON.stringify(next))
      store.audit.append({
        actor,
        action: 'settings.update',
        entityType: 'settings',
        entityId: 'workstation',
        details: { settings: names.join(','), ...(update.sampling ? { promptFormat: update.sampling.promptFormat, reset: update.sampling.values === null } : {}) },
      })
    })
    for (const listener of this.#listeners) listener(names)
    return names
  }
}

/** Only what differs from the format's recommendation is kept, so a recommendation that improves reaches the clinic. */
function changedFromRecommended(promptFormat: PromptFormatId, values: SamplingPreferences): SamplingPreferences {
  const recommended = promptFormats[promptFormat].sampling
  const changed: Record<string, number> = {}
  for (const field of samplingPreferenceFields) {
    const value = values[field]
    if (value !== undefined && value !== recommended[field]) changed[field] = value
  }
  return changed as SamplingPreferences
}

function formatSampling(promptFormat: PromptFormatId, stored: SamplingPreferences): FormatSampling {
  const { source, temperature, topP, topK, repeatPenalty, maxTokens } = promptFormats[promptFormat].sampling
  const recommended = { temperature, topP, topK, repeatPenalty, maxTokens }
  return {
    promptFormat,
    values: { ...recommended, ...stored },
    recommended,
    recommendationSource: source,
    changed: samplingPreferenceFields.filter((field) => stored[field] !== undefined && stored[field] !== recommended[field]),
  }
}
