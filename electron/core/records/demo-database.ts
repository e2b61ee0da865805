import type { RecordStore } from './record-store.ts'

// A demo database (`huatuo records demo`) says so in the database itself, so that what is made
// from it — an exported record — names the demo clinic, never the clinic the workstation serves.

const demoClinicKey = 'demo_clinic_name'

/** Marks the database as a demo's, with the clinic its records name. */
export function markDemoDatabase(store: Pick<RecordStore, 'connection' | 'transaction'>, clinicName: string): void {
  store.transaction('demo.mark', () => {
    store.connection.prepare('INSERT INTO workstation_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(demoClinicKey, clinicName)
  })
}

/** The demo clinic's name when the database is a demo's, else null. */
export function demoClinicNameOf(store: Pick<RecordStore, 'connection'>): string | null {
  const row = store.connection.prepare('SELECT value FROM workstation_meta WHERE key = ?').get(demoClinicKey) as { value: string } | undefined
  return row?.value ?? null
}
