// @vitest-environment jsdom
import { enableAutoUnmount, type VueWrapper } from '@vue/test-utils'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { nextTick } from 'vue'
import type { ConsultationOpened } from '../../electron/contract/channels.ts'
import type { StoredRedFlag } from '../../electron/contract/red-flags.ts'
import RedFlagAlerts from '../../renderer/src/components/RedFlagAlerts.vue'
import TodayConsultations from '../../renderer/src/components/TodayConsultations.vue'
import { i18n } from '../../renderer/src/i18n/index.ts'
import { useConsultationStore } from '../../renderer/src/stores/consultation.ts'
import { useSessionStore } from '../../renderer/src/stores/session.ts'
import { useTodayStore } from '../../renderer/src/stores/today.ts'
import { openInProcessWorkstation, type OpenedWorkstation } from '../support/in-process-workstation.ts'
import type { EngineScript } from '../support/scripted-engine.ts'
import { connectTo, freshWindow, mountInWindow, settled } from './window-harness.ts'

// Red flags in the window, raised for real: the patient's words go through the workstation core in
// this process (stored, triaged by the deterministic rules, answered by the scripted engine process),
// and RedFlagAlerts shows what the consultation store received. One banner per emergency, in view
// until a clinician acknowledges it through the workstation; no flag is never shown as "safe".

enableAutoUnmount(afterEach)

const script: EngineScript = { modelName: 'HuatuoGPT2-7B (scripted)', answers: [{ chunks: ['请', '详细', '描述。'], pauseMs: 5 }] }
const DOCTOR = { staffId: 'D0001', name: '李医生', pin: '482915' }

let opened: OpenedWorkstation
let stopEvents: (() => void) | undefined
/** This test's window: its stores. */
let pinia: Pinia

/** A window as after a reload, on the workstation, with the session read from core. */
async function newWindow() {
  stopEvents?.()
  pinia = freshWindow()
  stopEvents = connectTo(opened.workstation)
  await useSessionStore().refresh()
}

beforeAll(async () => {
  opened = await openInProcessWorkstation({ script })
  await opened.call('session.firstAdmin', { staffId: DOCTOR.staffId, name: DOCTOR.name, roles: ['doctor', 'admin'], pin: DOCTOR.pin })
})

beforeEach(newWindow)

afterEach(() => {
  stopEvents?.()
  stopEvents = undefined
  i18n.global.locale.value = 'zh-CN'
})

afterAll(async () => {
  await opened?.close()
})

/** A new consultation in the store, the patient's words sent one message at a time. */
async function consultationWith(...patientMessages: string[]) {
  const consultation = useConsultationStore()
  await consultation.open()
  for (const text of patientMessages) {
    await consultation.send(text)
    expect(consultation.failure, text).toBeNull()
  }
  await settled()
  return consultation
}

const banners = (alerts: VueWrapper) => alerts.findAll('[data-testid=red-flag]')
const flagOf = (flags: StoredRedFlag[], level: StoredRedFlag['level']) => flags.find((flag) => flag.level === level)!
const shortTime = (iso: string, locale: string) => new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })

describe('RedFlagAlerts with flags raised by the workstation', () => {
  it('joins two flags of one category from two messages into one banner: the words of both once, the emergency level, its action', async () => {
    const consultation = await consultationWith('胸痛两天', '胸痛，出冷汗')
    const flags = consultation.redFlags
    expect(flags.map((flag) => [flag.category, flag.level])).toEqual([
      ['chest-pain', 'emergency'],
      ['chest-pain', 'urgent'],
    ])
    expect(new Set(flags.map((flag) => flag.messageId)).size).toBe(2)
    const emergency = flagOf(flags, 'emergency')
    const urgent = flagOf(flags, 'urgent')
    expect(emergency.action).not.toEqual(urgent.action)

    const alerts = mountInWindow(RedFlagAlerts, pinia)
    expect(banners(alerts)).toHaveLength(1)
    const banner = banners(alerts)[0]!
    expect(banner.attributes()).toMatchObject({ 'data-category': 'chest-pain', 'data-level': 'emergency', role: 'alert' })
    expect(banner.get('.title').text()).toBe('危急 · 胸痛（警惕心梗）')
    expect(banner.get('.words').text()).toBe('“胸痛”、“出冷汗”')
    expect(banner.get('[data-testid=red-flag-action]').text()).toBe(`建议处置：${emergency.action!['zh-CN']}`)
    expect(banner.text()).not.toContain(urgent.action!['zh-CN'])
    expect(banner.find('[data-testid=acknowledge]').exists()).toBe(true)

    i18n.global.locale.value = 'en'
    await nextTick()
    expect(banner.get('.title').text()).toBe('EMERGENCY · Chest pain (possible heart attack)')
    expect(banner.get('[data-testid=red-flag-action]').text()).toBe(`Recommended: ${emergency.action!.en}`)
    expect(banner.get('[data-testid=acknowledge]').text()).toBe('Acknowledge')
  })

  it('shows one banner per category, emergencies first, each alerting', async () => {
    await consultationWith('前天被狗咬了一口', '胸痛，出冷汗')
    const alerts = mountInWindow(RedFlagAlerts, pinia)
    expect(banners(alerts).map((banner) => [banner.attributes('data-category'), banner.attributes('data-level'), banner.attributes('role')])).toEqual([
      ['chest-pain', 'emergency', 'alert'],
      ['animal-bite', 'urgent', 'alert'],
    ])
  })

  it('is acknowledged through the workstation: who and when shown, no longer an alert, and so it stays in the record', async () => {
    const consultation = await consultationWith('胸痛两天', '胸痛，出冷汗')
    const consultationId = consultation.consultationId!
    const alerts = mountInWindow(RedFlagAlerts, pinia)
    await alerts.get('[data-testid=acknowledge]').trigger('click')
    await vi.waitFor(() => expect(banners(alerts)[0]!.attributes('data-acknowledged')).toBe('true'))

    const banner = banners(alerts)[0]!
    expect(banner.attributes('role')).toBeUndefined()
    expect(banner.find('[data-testid=acknowledge]').exists()).toBe(false)
    expect(banner.find('[data-testid=red-flag-action]').exists()).toBe(false)
    const acknowledgedAt = consultation.redFlags[0]!.acknowledgedAt!
    expect(Math.abs(Date.parse(acknowledgedAt) - Date.now())).toBeLessThan(60_000)
    expect(banner.get('[data-testid=red-flag-acknowledged]').text()).toBe(`李医生 (D0001) 于 ${shortTime(acknowledgedAt, 'zh-CN')} 确认`)
    i18n.global.locale.value = 'en'
    await nextTick()
    expect(banner.get('[data-testid=red-flag-acknowledged]').text()).toBe(`Acknowledged by 李医生 (D0001) at ${shortTime(acknowledgedAt, 'en')}`)

    // Both flags of the banner, acknowledged in the record under the clinician's staff id.
    const stored = await opened.call<ConsultationOpened>('consultation.open', { consultationId })
    expect(stored.redFlags.map((flag) => flag.acknowledgedBy)).toEqual(['D0001', 'D0001'])

    // Another window reading the consultation back shows it acknowledged.
    await newWindow()
    const reopened = useConsultationStore()
    await reopened.open(consultationId)
    const again = mountInWindow(RedFlagAlerts, pinia)
    expect(banners(again).map((shown) => [shown.attributes('data-acknowledged'), shown.attributes('role')])).toEqual([['true', undefined]])
  })

  it('alerts again when the patient says it again after it was acknowledged', async () => {
    const consultation = await consultationWith('胸痛两天')
    const alerts = mountInWindow(RedFlagAlerts, pinia)
    await alerts.get('[data-testid=acknowledge]').trigger('click')
    await vi.waitFor(() => expect(banners(alerts)[0]!.attributes('data-acknowledged')).toBe('true'))
    await consultation.send('现在胸口剧痛，大汗淋漓')
    await settled()
    const banner = banners(alerts)[0]!
    expect(banners(alerts)).toHaveLength(1)
    expect(banner.attributes()).toMatchObject({ 'data-level': 'emergency', role: 'alert' })
    expect(banner.attributes('data-acknowledged')).toBeUndefined()
    expect(banner.get('.words').text()).toBe('“胸痛”、“胸口剧痛”、“大汗”')
    expect(banner.find('[data-testid=acknowledge]').exists()).toBe(true)
  })

  it('renders nothing at all when triage raised no flag: never a "safe" message', async () => {
    const consultation = await consultationWith('头痛两天，有点咳嗽')
    expect(consultation.redFlags).toEqual([])
    for (const locale of ['zh-CN', 'en'] as const) {
      i18n.global.locale.value = locale
      const alerts = mountInWindow(RedFlagAlerts, pinia)
      expect(alerts.text()).toBe('')
      expect(alerts.find('section').exists()).toBe(false)
      expect(alerts.find('[role=alert]').exists()).toBe(false)
      alerts.unmount()
    }
  })
})

describe('RedFlagAlerts with flags as the record keeps them', () => {
  const kept: StoredRedFlag = {
    id: 7,
    consultationId: 'c-1',
    messageId: 3,
    ruleId: null,
    category: 'retired-category',
    level: 'urgent',
    matchedWords: ['旧规则的词'],
    ruleVersion: '2024.1',
    action: null,
    raisedAt: '2025-03-01T02:00:00.000Z',
    acknowledgedBy: null,
    acknowledgedAt: null,
  }

  it('names a category of an older rule set as recorded, and has no action line for a flag kept without one', () => {
    useConsultationStore().redFlags = [kept]
    const alerts = mountInWindow(RedFlagAlerts, pinia)
    const banner = banners(alerts)[0]!
    expect(banner.get('.title').text()).toBe('紧急 · retired-category')
    expect(banner.find('[data-testid=red-flag-action]').exists()).toBe(false)
    expect(banner.attributes('role')).toBe('alert')
  })

  it('shows another clinician’s acknowledgement by their staff id', () => {
    useConsultationStore().redFlags = [{ ...kept, acknowledgedBy: 'N0009', acknowledgedAt: '2025-03-01T02:05:00.000Z' }]
    const alerts = mountInWindow(RedFlagAlerts, pinia)
    expect(alerts.get('[data-testid=red-flag-acknowledged]').text()).toBe(`N0009 于 ${shortTime('2025-03-01T02:05:00.000Z', 'zh-CN')} 确认`)
  })
})

describe('today’s consultations with their red flags', () => {
  it('counts the flags not yet acknowledged beside the patient, from the workstation’s own event, and drops them once acknowledged', async () => {
    const today = useTodayStore()
    const consultation = await consultationWith()
    await consultation.updatePatient({ name: '陈强' })
    await today.refresh()
    const list = mountInWindow(TodayConsultations, pinia, { props: { canStart: true } })
    const item = () => list.get(`[data-testid=today-consultation][data-consultation-id="${consultation.consultationId}"]`)
    expect(item().text()).toContain('陈强')
    expect(item().find('[data-testid=today-red-flag]').exists()).toBe(false)

    // No refresh asked for: the red flags' event makes the list read itself again.
    await consultation.send('胸痛，出冷汗，还被猫抓伤了')
    await vi.waitFor(() => expect(today.items.find((entry) => entry.consultationId === consultation.consultationId)?.redFlags.unacknowledged).toBe(2))
    expect(today.items.find((entry) => entry.consultationId === consultation.consultationId)?.redFlags).toEqual({ count: 2, highest: 'emergency', unacknowledged: 2 })
    await nextTick()
    const badge = item().get('[data-testid=today-red-flag]')
    expect(badge.text()).toBe('⚠ 2')
    expect(badge.attributes('aria-label')).toBe('2 个警示未确认')
    expect(badge.classes()).toContain('emergency')

    for (const flag of [...consultation.redFlags]) await consultation.acknowledge(flag.id)
    await today.refresh()
    await nextTick()
    expect(today.items.find((entry) => entry.consultationId === consultation.consultationId)?.redFlags).toEqual({ count: 2, highest: 'emergency', unacknowledged: 0 })
    expect(item().find('[data-testid=today-red-flag]').exists()).toBe(false)
  })
})
