// @vitest-environment jsdom
import { enableAutoUnmount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClinicianSession } from '../../electron/contract/clinicians.ts'
import SessionGate from '../../renderer/src/components/SessionGate.vue'
import { useSessionStore } from '../../renderer/src/stores/session.ts'
import { freshWindow, mountInWindow, sessionOf } from './window-harness.ts'

// The gate over the window until a clinician works: which form it shows follows the workstation's
// session (the first account, sign-in, unlock, switching user, the forced PIN change), and the
// clinicians lately signed in here are offered as names to click.

enableAutoUnmount(afterEach)

const DOCTOR = sessionOf('locked', 'D0001', '李医生', ['doctor'])

function gateFor(session: ClinicianSession, options: { switching?: boolean; recent?: Array<{ staffId: string; name: string }> } = {}) {
  const pinia = freshWindow()
  if (options.recent) localStorage.setItem('huatuo.recentClinicians', JSON.stringify(options.recent))
  const store = useSessionStore()
  store.session = session
  store.switching = options.switching ?? false
  return { gate: mountInWindow(SessionGate, pinia), store }
}

const mode = (gate: ReturnType<typeof gateFor>['gate']) => gate.get('[data-testid=session-gate]').attributes('data-mode')
const field = (gate: ReturnType<typeof gateFor>['gate'], testId: string) => gate.find<HTMLInputElement>(`input[data-testid=${testId}], [data-testid=${testId}] input`)
const offered = (gate: ReturnType<typeof gateFor>['gate']) => gate.findAll('[data-testid=recent-clinician]').map((button) => button.attributes('data-staff-id'))

describe('SessionGate modes', () => {
  it('asks for the first account on a workstation that has none', () => {
    const { gate } = gateFor({ state: 'signed-out', firstAdminNeeded: true })
    expect(mode(gate)).toBe('first')
    expect(gate.text()).toContain('创建第一个账户')
    expect(field(gate, 'staff-id').exists()).toBe(true)
    expect(field(gate, 'clinician-name').exists()).toBe(true)
    expect(field(gate, 'pin').exists()).toBe(true)
  })

  it('asks for a staff id and PIN when nobody is signed in', () => {
    const { gate } = gateFor({ state: 'signed-out', firstAdminNeeded: false })
    expect(mode(gate)).toBe('sign-in')
    expect(gate.text()).toContain('请登录')
    expect(field(gate, 'staff-id').exists()).toBe(true)
    expect(field(gate, 'clinician-name').exists()).toBe(false)
  })

  it('asks the locked clinician for their PIN only, by name', () => {
    const { gate } = gateFor(DOCTOR)
    expect(mode(gate)).toBe('unlock')
    expect(gate.text()).toContain('工作站已锁定')
    expect(gate.text()).toContain('李医生')
    expect(field(gate, 'staff-id').exists()).toBe(false)
    expect(field(gate, 'pin').exists()).toBe(true)
  })

  it('asks another clinician for a staff id while switching from a locked session, and goes back to unlock', async () => {
    const { gate, store } = gateFor(DOCTOR, { switching: true })
    expect(mode(gate)).toBe('switch')
    expect(gate.text()).toMatch(/李医生\s*的工作已锁定并保存/)
    expect(field(gate, 'staff-id').exists()).toBe(true)
    await gate.get('[data-testid=back-to-unlock]').trigger('click')
    expect(store.switching).toBe(false)
    expect(mode(gate)).toBe('unlock')
    await gate.get('[data-testid=switch-user]').trigger('click')
    expect(mode(gate)).toBe('switch')
  })

  it('holds a clinician whose PIN an administrator set at the PIN change', () => {
    const { gate } = gateFor(sessionOf('active', 'N0001', '王护士', ['nurse'], { pinChangeRequired: true }))
    expect(mode(gate)).toBe('change-pin')
    expect(gate.find('[data-testid=change-pin-form]').exists()).toBe(true)
    expect(field(gate, 'new-pin').exists()).toBe(true)
    expect(field(gate, 'staff-id').exists()).toBe(false)
    expect(gate.text()).toContain('王护士')
  })

  it('follows the session as it changes: sign-in, then locked, then the PIN change', async () => {
    const { gate, store } = gateFor({ state: 'signed-out', firstAdminNeeded: false })
    expect(mode(gate)).toBe('sign-in')
    store.session = DOCTOR
    await gate.vm.$nextTick()
    expect(mode(gate)).toBe('unlock')
    store.session = sessionOf('active', 'D0001', '李医生', ['doctor'], { pinChangeRequired: true })
    await gate.vm.$nextTick()
    expect(mode(gate)).toBe('change-pin')
  })
})

describe('SessionGate recent clinicians', () => {
  const recent = [
    { staffId: 'D0001', name: '李医生' },
    { staffId: 'N0001', name: '王护士' },
    { staffId: 'D0002', name: '赵医生' },
  ]

  it('offers the clinicians lately signed in here as buttons, newest first', () => {
    const { gate } = gateFor({ state: 'signed-out', firstAdminNeeded: false }, { recent })
    expect(offered(gate)).toEqual(['D0001', 'N0001', 'D0002'])
    const buttons = gate.findAll('[data-testid=recent-clinician]')
    expect(buttons.map((button) => button.element.tagName)).toEqual(['BUTTON', 'BUTTON', 'BUTTON'])
    expect(buttons.map((button) => button.attributes('type'))).toEqual(['button', 'button', 'button'])
    expect(buttons[1]!.text()).toContain('王护士')
  })

  it('fills the staff id field with the clinician clicked, and submits nothing by it', async () => {
    const { gate, store } = gateFor({ state: 'signed-out', firstAdminNeeded: false }, { recent })
    expect(field(gate, 'staff-id').element.value).toBe('')
    await gate.get('[data-testid=recent-clinician][data-staff-id=N0001]').trigger('click')
    expect(field(gate, 'staff-id').element.value).toBe('N0001')
    expect(gate.get('[data-testid=recent-clinician][data-staff-id=N0001]').element.parentElement?.classList.contains('chosen')).toBe(true)
    // A click chooses; it does not sign anyone in.
    expect(store.busy).toBe(false)
    expect(store.session?.state).toBe('signed-out')
  })

  it('does not offer the clinician whose work is locked when another one switches in', () => {
    const { gate } = gateFor(DOCTOR, { switching: true, recent })
    expect(mode(gate)).toBe('switch')
    expect(offered(gate)).toEqual(['N0001', 'D0002'])
  })

  it('offers no names where no staff id is asked: unlocking, and the first account', () => {
    expect(offered(gateFor(DOCTOR, { recent }).gate)).toEqual([])
    expect(offered(gateFor({ state: 'signed-out', firstAdminNeeded: true }, { recent }).gate)).toEqual([])
  })

  it('removes a clinician from the list on request', async () => {
    const { gate } = gateFor({ state: 'signed-out', firstAdminNeeded: false }, { recent })
    await gate.get('button[aria-label="从列表移除: 王护士"]').trigger('click')
    expect(offered(gate)).toEqual(['D0001', 'D0002'])
    expect(JSON.parse(localStorage.getItem('huatuo.recentClinicians') ?? '[]')).toEqual([recent[0], recent[2]])
  })
})
