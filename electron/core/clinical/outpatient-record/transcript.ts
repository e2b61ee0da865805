import type { ConsultationMessage } from '../../../contract/consultation-messages.ts'
import type { EvidenceSource } from '../../../contract/record-evidence.ts'
import { splitThinking } from '../../inference/prompt-formats/thinking.ts'
import type { RecordStore } from '../../records/record-store.ts'

/** What was said in a consultation, as the drafting model reads it. */
export interface TranscriptTurn {
  speaker: 'patient' | 'model' | 'doctor-note'
  text: string
  /** What a record section may cite this turn as: patient messages and notes only, never the model's answers. */
  source?: EvidenceSource
}

/**
 * The consultation as it stands: patient messages and the model's answers in order (edited or
 * regenerated ones replaced), then the clinician's notes. For HuatuoGPT-o1 only the final response
 * of an answer counts: its thinking is kept apart when stored, and a stored answer that still
 * carries a `## Thinking` part (older rows, imports) is split here.
 */
export function consultationTranscript(store: Pick<RecordStore, 'messages' | 'notes'>, consultationId: string): TranscriptTurn[] {
  const turns: TranscriptTurn[] = []
  let cursor: string | undefined
  do {
    const page = store.messages.list(consultationId, cursor === undefined ? { limit: 200 } : { limit: 200, cursor })
    for (const message of page.items) {
      const turn = transcriptTurn(message)
      if (turn) turns.push(turn)
    }
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  for (const note of store.notes.list(consultationId)) {
    if (note.text.trim() !== '') turns.push({ speaker: 'doctor-note', text: note.text.trim(), source: { kind: 'clinician-note', noteId: note.id } })
  }
  return turns
}

function transcriptTurn(message: ConsultationMessage): TranscriptTurn | null {
  if (message.supersededAt !== null || message.status === 'streaming') return null
  const text = message.role === 'model' ? splitThinking(message.text).response.trim() : message.text.trim()
  if (text === '') return null
  if (message.role === 'patient') return { speaker: 'patient', text, source: { kind: 'patient-message', messageId: message.id } }
  return { speaker: 'model', text }
}
