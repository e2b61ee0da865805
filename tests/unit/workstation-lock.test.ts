import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationOpened, Reply, WorkstationEvent } from '../../electron/contract/channels.ts'
import type { ConsultationMessage, ConsultationTurn } from '../../electron/contract/consultation-messages.ts'
import type { Page } from '../../electron/contract/paging.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { Workstation } from '../../electron/core/workstation.ts'

// Lock, sign-out and a switch of user while an answer streams: the answer may go on being written
// and stored, but no patient text reaches any window until the same clinician unlocks; another
// clinician never waits behind, nor sees, the previous one's answer.

let dir: string
let workstation: Workstation
/** Every event that left core, in order, as any window would receive it. */
const events: WorkstationEvent[] = []
const DOCTOR = { staffId: 'D0001', pin: '482915' }
const NURSE = { staffId: 'N0001', pin: '560382' }

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const reply = await workstation.invoke(name, input)
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code}: ${reply.error.detail ?? reply.error.message}`)
  return reply.value as T
}

function textEventsOf(answerId: string, from = 0): WorkstationEvent[] {
  return events.slice(from).filter((event) => 'answerId' in event && event.answerId === answerId)
}

/** Resolves at the first delta of the answer that carries text. */
function firstDelta(answerId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = workstation.onEvent((event) => {
      if (event.type === 'consultation.delta' && event.answerId === answerId && event.text.length > 0) {
        stop()
        resolve()
      }
    })
  })
}

async function storedAnswer(consultationId: string): Promise<ConsultationMessage> {
  const page = await call<Page<ConsultationMessage>>('consultation.messages', { consultationId })
  return page.items.filter((message) => message.role === 'model').at(-1)!
}

async function newConsultation(): Promise<string> {
  return (await call<ConsultationOpened>('consultation.open', {})).consultationId
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-lock-'))
  const modelPath = join(dir, 'bench.gguf')
  // ~200 tokens/s on one thread and never ending by chance: an answer lasts as long as asked.
  await writeTestModel({ out: modelPath, size: 'bench', name: 'HuatuoGPT2-7B', seed: 43, endsAnswers: false })
  const config = await readHospitalConfig(join(dir, 'no-hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  workstation = await Workstation.open({
    config,
    about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
    databasePath: join(dir, 'data', 'records.db'),
    triage: triagePatientMessage,
    threads: 1,
  })
  workstation.onEvent((event) => events.push(event))
  await call('session.firstAdmin', { staffId: DOCTOR.staffId, name: '李医生', roles: ['doctor', 'admin'], pin: DOCTOR.pin })
  await call('accounts.add', { staffId: NURSE.staffId, name: '王护士', roles: ['nurse'], pin: '739104' })
  await call('session.switchUser', { staffId: NURSE.staffId, pin: '739104' })
  await call('session.changePin', { currentPin: '739104', newPin: NURSE.pin })
  await call('session.switchUser', DOCTOR)
  await workstation.loadModelAtStart(modelPath, 'os:test')
})

afterAll(async () => {
  await workstation?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('an answer while the session is locked', () => {
  it('sends no patient text while locked; on unlock a snapshot comes first, then the deltas, and the answer ends for its clinician', async () => {
    const consultationId = await newConsultation()
    const started = firstDelta('lock-1')
    const sending = workstation.invoke('consultation.send', { consultationId, answerId: 'lock-1', text: '头痛三天，伴有低热', sampling: { maxTokens: 900, seed: 1 } })
    await started
    const beforeLock = events.length
    await call('session.lock')
    const lockedAt = events.length
    await pause(1200)
    // Only the lock itself reached the window.
    expect(events.slice(beforeLock, lockedAt).map((event) => event.type)).toEqual(['session.changed'])
    expect(events.length).toBe(lockedAt)

    await call('session.unlock', { pin: DOCTOR.pin })
    const after = events.slice(lockedAt)
    expect(after[0]).toMatchObject({ type: 'session.changed', session: { state: 'active' } })
    const snapshot = after[1]
    expect(snapshot).toMatchObject({ type: 'consultation.snapshot', consultationId, answerId: 'lock-1' })
    // Written while nobody could see it: more than the deltas the window had before the lock.
    const seenBefore = textEventsOf('lock-1')
      .filter((event) => event.type === 'consultation.delta' && events.indexOf(event) < beforeLock)
      .map((event) => (event.type === 'consultation.delta' ? event.text : ''))
      .join('')
    expect(snapshot!.type === 'consultation.snapshot' && snapshot.text.startsWith(seenBefore)).toBe(true)
    expect(snapshot!.type === 'consultation.snapshot' ? snapshot.text.length : 0).toBeGreaterThan(seenBefore.length)

    const reply = (await sending) as Reply<ConsultationTurn>
    expect(reply.ok).toBe(true)
    const turn = (reply as { ok: true; value: ConsultationTurn }).value
    // Snapshot + the deltas after it add up to the final answer; the end is announced.
    const resumed = textEventsOf('lock-1', events.indexOf(snapshot!) + 1)
    const rebuilt =
      (snapshot!.type === 'consultation.snapshot' ? snapshot.text : '') +
      resumed.map((event) => (event.type === 'consultation.delta' ? event.text : '')).join('')
    expect(rebuilt).toBe(turn.text)
    expect(resumed.at(-1)).toMatchObject({ type: 'consultation.answer-finished', answerId: 'lock-1', status: 'complete', text: turn.text })
  })

  it('answers a send that finishes while locked with SESSION_LOCKED, and stores the answer whole', async () => {
    const consultationId = await newConsultation()
    const started = firstDelta('lock-2')
    const sending = workstation.invoke('consultation.send', { consultationId, answerId: 'lock-2', text: '咳嗽一周', sampling: { maxTokens: 120, seed: 2 } })
    await started
    await call('session.lock')
    const lockedAt = events.length
    const reply = await sending
    expect(reply).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } })
    expect(textEventsOf('lock-2', lockedAt)).toEqual([])
    await call('session.unlock', { pin: DOCTOR.pin })
    // Nothing was in progress any more: no snapshot, and the record holds the whole answer.
    expect(textEventsOf('lock-2', lockedAt)).toEqual([])
    const stored = await storedAnswer(consultationId)
    expect(stored).toMatchObject({ status: 'complete' })
    expect(stored.role === 'model' ? stored.timing?.generatedTokens : 0).toBe(120)
  })
})

describe('an answer when its clinician signs out or another signs in', () => {
  it('sign-out stops the answer (kept as stopped) and sends nothing more of it', async () => {
    const consultationId = await newConsultation()
    const started = firstDelta('out-1')
    const sending = workstation.invoke('consultation.send', { consultationId, answerId: 'out-1', text: '胃痛两天', sampling: { maxTokens: 3000, seed: 3 } })
    await started
    await call('session.signOut')
    const signedOutAt = events.length
    const reply = await sending
    expect(reply.ok).toBe(false)
    expect(textEventsOf('out-1', signedOutAt)).toEqual([])
    await call('session.signIn', DOCTOR)
    const stored = await storedAnswer(consultationId)
    expect(stored.status).toBe('stopped')
    expect(stored.role === 'model' ? stored.timing?.generatedTokens : 3000).toBeLessThan(3000)
  })

  it('a switch of user stops the previous clinician\'s answer; the next clinician sees none of it and does not wait', async () => {
    const consultationId = await newConsultation()
    const started = firstDelta('switch-1')
    const sending = workstation.invoke('consultation.send', { consultationId, answerId: 'switch-1', text: '发热两天', sampling: { maxTokens: 3000, seed: 4 } })
    await started
    await call('session.switchUser', NURSE)
    const switchedAt = events.length
    expect((await sending).ok).toBe(false)
    expect(textEventsOf('switch-1', switchedAt)).toEqual([])
    // The nurse's own consultation answers at once, and only the nurse's text reaches the window.
    const own = await newConsultation()
    const turn = await call<ConsultationTurn>('consultation.send', { consultationId: own, answerId: 'nurse-1', text: '测血压', sampling: { maxTokens: 10, seed: 5 } })
    expect(turn.status).toBe('complete')
    expect(textEventsOf('switch-1', switchedAt)).toEqual([])
    await call('session.switchUser', DOCTOR)
    expect((await storedAnswer(consultationId)).status).toBe('stopped')
  })
})
