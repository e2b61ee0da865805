import { importActor } from './actor.ts'
import { importConsultation } from './consultation-import.ts'
import type { DemoConsultation } from './demo-corpus.ts'
import type { RecordStore } from './record-store.ts'

export interface DemoTotals {
  consultations: number
  messages: number
  notes: number
  redFlags: number
  signedRecords: number
}

/**
 * Stores demo consultations through the same path as an import, then raises their red flags and
 * signs their records. `setClock` moves the store's clock to each consultation's own time, so flags
 * and signatures are dated with the consultation rather than today. Many consultations share a
 * transaction (one fsync per batch, not per consultation): demo data is built, not typed.
 */
export function storeDemoConsultations(
  store: RecordStore,
  consultations: Iterable<DemoConsultation>,
  options: { setClock?: (ms: number) => void; batchSize?: number; onBatch?: (totals: DemoTotals) => void } = {},
): DemoTotals {
  const totals: DemoTotals = { consultations: 0, messages: 0, notes: 0, redFlags: 0, signedRecords: 0 }
  const batchSize = options.batchSize ?? 200
  let batch: DemoConsultation[] = []
  const flush = () => {
    if (batch.length === 0) return
    const current = batch
    batch = []
    store.transaction('demo.store', () => {
      for (const consultation of current) {
        options.setClock?.(Date.parse(consultation.createdAt))
        const stored = importConsultation(store, consultation, importActor)
        totals.consultations++
        totals.messages += stored.messages
        totals.notes += stored.notes
        if (consultation.redFlags.length > 0) {
          const messages = store.messages.list(consultation.id, { limit: 200 }).items
          for (const { messageIndex, flag } of consultation.redFlags) {
            const message = messages[messageIndex]
            if (message === undefined) continue
            store.redFlags.raise(message.id, flag)
            totals.redFlags++
          }
        }
        if (consultation.record !== null) {
          options.setClock?.(Date.parse(consultation.record.signedAt))
          const draft = store.records.saveDraft(consultation.id, consultation.record.sections, consultation.record.signer)
          store.records.sign(draft.recordId, consultation.record.signer)
          totals.signedRecords++
        }
      }
    })
    options.onBatch?.({ ...totals })
  }
  for (const consultation of consultations) {
    batch.push(consultation)
    if (batch.length >= batchSize) flush()
  }
  flush()
  return totals
}
