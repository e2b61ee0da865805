// The workstation's own settings as they cross a process boundary: what a turn samples with per
// prompt format, how the next model load sizes its context and threads, the clinic's name and
// departments, and the idle lock. Kept in the record store; values hospital IT fixed in the hospital
// configuration are shown with where they come from, and core refuses to change them.
import { z } from 'zod'
import { promptFormatIds, type PromptFormatId } from './inference.ts'
import { samplingSchema } from './sampling.ts'

/** The sampling a clinic may tune per prompt format (min-p and the seed stay the format's own). */
export const samplingPreferenceFields = ['temperature', 'topP', 'topK', 'repeatPenalty', 'maxTokens'] as const
export type SamplingPreferenceField = (typeof samplingPreferenceFields)[number]

/** Every field bounded as a turn's own sampling is; a field left out keeps the format's recommendation. */
export const samplingPreferencesSchema = samplingSchema.pick({ temperature: true, topP: true, topK: true, repeatPenalty: true, maxTokens: true }).strict()
export type SamplingPreferences = z.infer<typeof samplingPreferencesSchema>

export const contextSizeSettingSchema = z.number().int().min(256).max(1_048_576)
export const threadsSettingSchema = z.number().int().min(1).max(256)
/** 'auto': as many layers as fit; 0: the CPU only. */
export const gpuLayersSettingSchema = z.union([z.literal('auto'), z.number().int().min(0).max(1000)])
export const clinicNameSettingSchema = z.string().trim().min(1).max(200)
export const departmentsSettingSchema = z.array(z.string().trim().min(1).max(100)).max(500)
export const idleLockMinutesSettingSchema = z.number().int().min(1).max(240)

/** The settings hospital IT may fix in the hospital configuration (clinicName, departments, idleLockMinutes). */
export const hospitalFixableSettings = ['clinicName', 'departments', 'idleLockMinutes'] as const
export type HospitalFixableSetting = (typeof hospitalFixableSettings)[number]

/**
 * One change, several fields at once. `sampling.values: null` resets that format to its
 * recommendation; `contextSize`, `threads` or `gpuLayers` null return to the workstation's default.
 */
export const settingsUpdateSchema = z
  .object({
    sampling: z.object({ promptFormat: z.enum(promptFormatIds), values: samplingPreferencesSchema.nullable() }).strict().optional(),
    contextSize: contextSizeSettingSchema.nullable().optional(),
    threads: threadsSettingSchema.nullable().optional(),
    gpuLayers: gpuLayersSettingSchema.nullable().optional(),
    clinicName: clinicNameSettingSchema.nullable().optional(),
    departments: departmentsSettingSchema.optional(),
    idleLockMinutes: idleLockMinutesSettingSchema.optional(),
  })
  .strict()
  .refine((update) => Object.keys(update).length > 0, 'name at least one setting to change')
export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>
export type SettingName = keyof SettingsUpdate

/** One prompt format's sampling: what turns use now, and the format's own recommendation. */
export interface FormatSampling {
  promptFormat: PromptFormatId
  /** Every field decided: the recommendation with the clinic's changes on top. */
  values: Required<SamplingPreferences>
  recommended: Required<SamplingPreferences>
  /** Where the recommendation comes from (the model's published demo or generation config). */
  recommendationSource: string
  /** The fields the clinic changed from the recommendation. */
  changed: SamplingPreferenceField[]
}

/** The reply of `settings.get` and `settings.update`. */
export interface WorkstationSettingsView {
  sampling: FormatSampling[]
  /** Used at the next model load (a loaded model keeps what it was loaded with). */
  engine: {
    /** null: the model's trained context, as far as memory allows. */
    contextSize: number | null
    /** null: the workstation's default for this machine (`defaultThreads`). */
    threads: number | null
    gpuLayers: 'auto' | number
    defaultThreads: number
  }
  clinicName: string | null
  departments: string[]
  idleLockMinutes: number
  /** Settings the hospital configuration fixes, with the configuration file that does. */
  fixedBy: Partial<Record<HospitalFixableSetting, string>>
  /** Whether this clinician may change the workstation-wide settings (administrators). */
  mayChange: boolean
  /** The last change: when and by whom (a staff id). */
  updated: { at: string; by: string } | null
}
