import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { WorkstationEvent } from '../../../electron/contract/channels.ts'
import type { RecordSignature } from '../../../electron/contract/clinicians.ts'
import type { ClinicianNote } from '../../../electron/contract/clinician-notes.ts'
import type { ConsultationMessage } from '../../../electron/contract/consultation-messages.ts'
import type { Consultation } from '../../../electron/contract/consultations.ts'
import type { ExportFormat, PaperSize, RecordDraftProgress } from '../../../electron/contract/outpatient-record.ts'
import type { Patient } from '../../../electron/contract/patients.ts'
import type { EvidenceLink, EvidenceSource, PrintableRecord, RecordCheck, RecordHistory, RecordWorkspace } from '../../../electron/contract/record-evidence.ts'
import { outpatientSectionKeys, type OutpatientRecordSections, type OutpatientSectionKey } from '../../../electron/contract/record-versions.ts'
import { workstationClient } from '../api/connect.ts'
import { saveAsDownload } from '../records/download.ts'
import { failureOf, type Failure } from './failure.ts'

/** Every stored section's text as the editor holds it ('' for one not written). */
export type SectionTexts = Record<OutpatientSectionKey, string>

/** Typing stops this long before the record is saved (and at once when the field is left). */
export const AUTOSAVE_DELAY_MS = 800

function emptyTexts(): SectionTexts {
  return Object.fromEntries(outpatientSectionKeys.map((key) => [key, ''])) as SectionTexts
}

function textsOf(sections: OutpatientRecordSections | undefined): SectionTexts {
  const texts = emptyTexts()
  for (const key of outpatientSectionKeys) texts[key] = sections?.[key] ?? ''
  return texts
}

/** A turn of the conversation as the editor shows it, numbered as the drafting model read it (1..N). */
export interface ConversationTurn {
  /** Its number in the transcript the model drafts from (what a section may cite); null for the model's answers. */
  number: number | null
  kind: 'patient' | 'model' | 'note'
  /** The message's or the note's own id. */
  id: number
  text: string
  thinking: string
  at: string
}

/** What a link cites, as a key of the conversation's turns. */
export function sourceKey(source: EvidenceSource): string {
  return source.kind === 'patient-message' ? `patient:${source.messageId}` : `note:${source.noteId}`
}

export function turnKey(turn: Pick<ConversationTurn, 'kind' | 'id'>): string {
  return `${turn.kind}:${turn.id}`
}

/** What the last export did, as the editor says it. */
export type ExportNotice = { outcome: 'download'; fileName: string } | { outcome: 'saved'; path: string } | { outcome: 'cancelled' }

// The outpatient record of one consultation, as its editor works on it: the conversation it comes
// from, the latest version with who wrote each section and what each drafted section cites, the
// completeness check, and the record's history and exports. What the doctor types is kept here and
// saved shortly after typing stops; a reply from the workstation never overwrites a section still
// being typed in. Emptied (patient data) on a lock; the editor reads it again when it reopens.
export const useRecordEditorStore = defineStore('record-editor', () => {
  const consultationId = ref<string | null>(null)
  const loading = ref(false)
  const failure = ref<Failure | null>(null)

  const consultation = ref<Consultation | null>(null)
  const patient = ref<Patient | null>(null)
  const messages = ref<ConsultationMessage[]>([])
  const notes = ref<ClinicianNote[]>([])

  const workspace = ref<RecordWorkspace | null>(null)
  /** What the doctor sees and types. */
  const texts = ref<SectionTexts>(emptyTexts())
  /** What the workstation holds, as last heard. A section whose text differs is the doctor's unsaved typing. */
  const saved = ref<SectionTexts>(emptyTexts())
  const saving = ref(false)
  const savedAt = ref<string | null>(null)
  const saveFailure = ref<Failure | null>(null)

  const drafting = ref(false)
  const progress = ref<RecordDraftProgress | null>(null)
  const draftFailure = ref<Failure | null>(null)

  const history = ref<RecordHistory | null>(null)
  const signature = ref<RecordSignature | null>(null)
  const signing = ref(false)
  const signFailure = ref<Failure | null>(null)
  /** The signed version's sections being corrected, before the amendment is signed. */
  const amending = ref(false)

  const exporting = ref(false)
  const exportNotice = ref<ExportNotice | null>(null)
  const exportFailure = ref<Failure | null>(null)
  const printable = ref<PrintableRecord | null>(null)
  const printableFailure = ref<Failure | null>(null)

  /** A consultation whose record the doctor asked to draft on the way here (the consultation screen's button). */
  const draftRequested = ref<string | null>(null)

  /** Bumped on every clearing and every other consultation: a late reply to an earlier one is dropped. */
  let epoch = 0
  let saveTimer: ReturnType<typeof setTimeout> | undefined
  let inFlight: Promise<void> | null = null

  const version = computed(() => workspace.value?.version ?? null)
  const recordId = computed(() => version.value?.recordId ?? null)
  const status = computed(() => version.value?.status ?? null)
  const isDraft = computed(() => version.value === null || version.value.status === 'draft')
  const check = computed<RecordCheck | null>(() => workspace.value?.check ?? null)
  const dirty = computed(() => outpatientSectionKeys.some((key) => texts.value[key] !== saved.value[key]))

  /**
   * The conversation as the drafting model's transcript has it: the messages in order, then the
   * notes; what a section may cite (the patient's messages, the notes) numbered 1..N as the model
   * saw them, the model's own answers unnumbered.
   */
  const turns = computed<ConversationTurn[]>(() => {
    let number = 0
    const shown: ConversationTurn[] = []
    for (const message of messages.value) {
      if (message.supersededAt !== null) continue
      const citable = message.role === 'patient' && message.status !== 'streaming' && message.text.trim() !== ''
      shown.push({
        number: citable ? ++number : null,
        kind: message.role === 'patient' ? 'patient' : 'model',
        id: message.id,
        text: message.text,
        thinking: message.role === 'model' ? message.thinking : '',
        at: message.createdAt,
      })
    }
    for (const note of notes.value) {
      if (note.text.trim() === '') continue
      shown.push({ number: ++number, kind: 'note', id: note.id, text: note.text, thinking: '', at: note.editedAt })
    }
    return shown
  })

  function linksOf(section: OutpatientSectionKey): EvidenceLink[] {
    return (workspace.value?.evidence ?? []).filter((link) => link.section === section)
  }

  /**
   * A version from the workstation into the editor: each section the doctor is not typing in takes
   * the version's text; one being typed in keeps the doctor's words (saved next).
   */
  function adopt(next: RecordWorkspace) {
    workspace.value = next
    const server = textsOf(next.version?.sections)
    if (amending.value) {
      saved.value = server
      return
    }
    if (next.version !== null && next.version.status !== 'draft') {
      texts.value = { ...server }
      saved.value = server
      return
    }
    const shown = { ...texts.value }
    for (const key of outpatientSectionKeys) if (shown[key] === saved.value[key]) shown[key] = server[key]
    texts.value = shown
    saved.value = server
  }

  async function open(id: string) {
    const opening = ++epoch
    clearTimeout(saveTimer)
    reset()
    consultationId.value = id
    loading.value = true
    const client = workstationClient()
    try {
      // The record first: an unknown consultation is refused here (opening one would start it).
      const record = await client.request('record.get', { consultationId: id })
      if (opening !== epoch) return
      const view = await client.request('consultation.open', { consultationId: id })
      if (opening !== epoch) return
      let all = view.messages.items
      let cursor = view.messages.nextCursor
      while (cursor !== null) {
        const page = await client.request('consultation.messages', { consultationId: id, cursor, limit: 200 })
        if (opening !== epoch) return
        all = [...all, ...page.items]
        cursor = page.nextCursor
      }
      consultation.value = view.consultation
      patient.value = view.patient
      messages.value = all
      notes.value = [...view.notes].sort((a, b) => a.id - b.id)
      adopt(record)
      if (record.version !== null) void loadHistory()
    } catch (error) {
      if (opening === epoch) failure.value = failureOf(error)
    } finally {
      if (opening === epoch) loading.value = false
    }
  }

  /** The record as the workstation now holds it (authors, links, the check). */
  async function refresh() {
    const id = consultationId.value
    if (id === null) return
    const asked = epoch
    try {
      const next = await workstationClient().request('record.get', { consultationId: id })
      if (asked === epoch && id === consultationId.value) adopt(next)
    } catch (error) {
      if (asked === epoch) failure.value = failureOf(error)
    }
  }

  async function loadHistory() {
    const id = recordId.value
    if (id === null) return
    const asked = epoch
    try {
      const next = await workstationClient().request('record.history', { recordId: id })
      if (asked === epoch && id === recordId.value) history.value = next
    } catch (error) {
      if (asked === epoch) failure.value = failureOf(error)
    }
  }

  /** A section typed in: saved once typing stops. */
  function edit(key: OutpatientSectionKey, text: string) {
    texts.value = { ...texts.value, [key]: key === 'diagnosisCode' ? text.toUpperCase() : text }
    if (amending.value) return
    clearTimeout(saveTimer)
    saveTimer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS)
  }

  /** What a save sends: every section written, and every section the record has (so a cleared one is cleared). */
  function sectionsToSave(): OutpatientRecordSections {
    const present = version.value?.sections ?? {}
    const sections: OutpatientRecordSections = {}
    for (const key of outpatientSectionKeys) if (texts.value[key] !== '' || present[key] !== undefined) sections[key] = texts.value[key]
    return sections
  }

  async function sendSave(id: string) {
    const asked = epoch
    const sent = { ...texts.value }
    saving.value = true
    try {
      const stored = await workstationClient().request('record.save', { consultationId: id, sections: sectionsToSave() })
      if (asked !== epoch) return
      saved.value = sent
      saveFailure.value = null
      savedAt.value = stored.updatedAt
      if (workspace.value) workspace.value = { ...workspace.value, version: stored }
      else workspace.value = { consultationId: id, version: stored, sectionAuthors: {}, evidence: [], draft: null, check: null }
    } catch (error) {
      if (asked === epoch) saveFailure.value = failureOf(error)
    } finally {
      if (asked === epoch) saving.value = false
    }
  }

  /**
   * Saves what was typed, one save at a time, until nothing is left unsaved (or a save is refused);
   * then reads back who wrote what and the check. Held while the model drafts: the draft comes
   * first, and the doctor's words are saved over it after.
   */
  async function save(): Promise<void> {
    clearTimeout(saveTimer)
    const id = consultationId.value
    if (id === null || amending.value || drafting.value || !isDraft.value) return
    const asked = epoch
    let sentAny = false
    for (;;) {
      if (inFlight) {
        await inFlight
        continue
      }
      if (asked !== epoch || !dirty.value) break
      inFlight = sendSave(id).finally(() => {
        inFlight = null
      })
      await inFlight
      sentAny = true
      if (saveFailure.value !== null) return
    }
    if (sentAny && asked === epoch) await refresh()
  }

  async function draft() {
    const id = consultationId.value
    if (id === null || drafting.value || !isDraft.value) return
    await save()
    const asked = epoch
    draftFailure.value = null
    progress.value = null
    drafting.value = true
    try {
      const drafted = await workstationClient().request('record.draft', { consultationId: id })
      if (asked !== epoch) return
      const base: RecordWorkspace = workspace.value ?? { consultationId: id, version: null, sectionAuthors: {}, evidence: [], draft: null, check: null }
      adopt({ ...base, version: drafted.version, sectionAuthors: drafted.sectionAuthors, evidence: drafted.evidence })
    } catch (error) {
      if (asked === epoch) draftFailure.value = failureOf(error)
    } finally {
      if (asked === epoch) {
        drafting.value = false
        progress.value = null
      }
    }
    if (asked !== epoch) return
    // What the doctor typed while the model wrote is saved over the draft; then the check and the history.
    if (dirty.value) await save()
    else await refresh()
    await loadHistory()
  }

  async function removeSource(linkId: number) {
    const asked = epoch
    try {
      const next = await workstationClient().request('record.removeSource', { linkId })
      if (asked === epoch) adopt(next)
    } catch (error) {
      if (asked === epoch) failure.value = failureOf(error)
    }
  }

  /** Everything typed saved, then the check as the workstation runs it for signing. */
  async function checkForSigning(): Promise<RecordCheck | null> {
    await save()
    const id = recordId.value
    if (id === null || saveFailure.value !== null) return null
    const asked = epoch
    try {
      const fresh = await workstationClient().request('record.check', { recordId: id })
      if (asked === epoch && workspace.value) workspace.value = { ...workspace.value, check: fresh }
      return fresh
    } catch (error) {
      if (asked === epoch) failure.value = failureOf(error)
      return null
    }
  }

  /** Signs the latest version with the doctor's PIN; true when signed (a refusal stays in signFailure). */
  async function sign(pin: string): Promise<boolean> {
    const id = recordId.value
    if (id === null || signing.value) return false
    await save()
    if (saveFailure.value !== null) return false
    return signed(() => workstationClient().request('record.sign', { recordId: id, pin }))
  }

  async function amend(reason: string, pin: string): Promise<boolean> {
    const id = recordId.value
    if (id === null || signing.value) return false
    const sections = sectionsToSave()
    return signed(() => workstationClient().request('record.amend', { recordId: id, sections, reason, pin }))
  }

  async function signed(work: () => Promise<{ signature: RecordSignature }>): Promise<boolean> {
    const asked = epoch
    signing.value = true
    signFailure.value = null
    try {
      const result = await work()
      if (asked !== epoch) return false
      signature.value = result.signature
      amending.value = false
      await refresh()
      await loadHistory()
      return true
    } catch (error) {
      if (asked === epoch) signFailure.value = failureOf(error)
      return false
    } finally {
      if (asked === epoch) signing.value = false
    }
  }

  function startAmending() {
    if (status.value === null || status.value === 'draft') return
    amending.value = true
    signFailure.value = null
  }

  function cancelAmending() {
    amending.value = false
    texts.value = { ...saved.value }
    signFailure.value = null
  }

  async function exportVersion(recordVersionId: number, format: ExportFormat, paper: PaperSize) {
    const asked = epoch
    exporting.value = true
    exportNotice.value = null
    exportFailure.value = null
    try {
      const outcome = await workstationClient().request('export.run', { recordVersionId, format, ...(format === 'pdf' ? { paper } : {}) })
      if (asked !== epoch) return
      if (outcome.outcome === 'download') {
        saveAsDownload(outcome.base64, outcome.fileName, outcome.mediaType)
        exportNotice.value = { outcome: 'download', fileName: outcome.fileName }
      } else if (outcome.outcome === 'saved') {
        exportNotice.value = { outcome: 'saved', path: outcome.path }
      } else {
        exportNotice.value = { outcome: 'cancelled' }
      }
    } catch (error) {
      if (asked === epoch) exportFailure.value = failureOf(error)
    } finally {
      if (asked === epoch) exporting.value = false
    }
    if (asked === epoch) await loadHistory()
  }

  async function loadPrintable(recordVersionId: number, paper: PaperSize) {
    const asked = epoch
    printable.value = null
    printableFailure.value = null
    try {
      const shown = await workstationClient().request('record.printable', { recordVersionId, paper })
      if (asked === epoch) printable.value = shown
    } catch (error) {
      if (asked === epoch) printableFailure.value = failureOf(error)
    }
  }

  /** Asked from the consultation screen: draft this consultation's record once its editor opens. */
  function requestDraft(id: string) {
    draftRequested.value = id
  }

  /** Whether a draft was asked for this consultation (asked once: the request is used up). */
  function takeDraftRequest(id: string): boolean {
    const asked = draftRequested.value === id
    draftRequested.value = null
    return asked
  }

  function handleEvent(event: WorkstationEvent) {
    if (event.type !== 'record.draft-progress' || !drafting.value || event.progress.consultationId !== consultationId.value) return
    progress.value = event.progress
  }

  function reset() {
    consultation.value = null
    patient.value = null
    messages.value = []
    notes.value = []
    workspace.value = null
    texts.value = emptyTexts()
    saved.value = emptyTexts()
    saving.value = false
    savedAt.value = null
    saveFailure.value = null
    drafting.value = false
    progress.value = null
    draftFailure.value = null
    history.value = null
    signature.value = null
    signing.value = false
    signFailure.value = null
    amending.value = false
    exporting.value = false
    exportNotice.value = null
    exportFailure.value = null
    printable.value = null
    printableFailure.value = null
    failure.value = null
    loading.value = false
  }

  /** Lets go of every patient's data (a lock, a sign-out, another clinician, or leaving the editor). */
  function clear() {
    epoch += 1
    clearTimeout(saveTimer)
    inFlight = null
    reset()
    consultationId.value = null
    draftRequested.value = null
  }

  return {
    consultationId,
    loading,
    failure,
    consultation,
    patient,
    messages,
    notes,
    workspace,
    texts,
    saved,
    saving,
    savedAt,
    saveFailure,
    drafting,
    progress,
    draftFailure,
    history,
    signature,
    signing,
    signFailure,
    amending,
    exporting,
    exportNotice,
    exportFailure,
    printable,
    printableFailure,
    version,
    recordId,
    status,
    isDraft,
    check,
    dirty,
    turns,
    linksOf,
    open,
    refresh,
    loadHistory,
    edit,
    save,
    draft,
    removeSource,
    checkForSigning,
    sign,
    amend,
    startAmending,
    cancelAmending,
    exportVersion,
    loadPrintable,
    requestDraft,
    takeDraftRequest,
    handleEvent,
    clear,
  }
})
