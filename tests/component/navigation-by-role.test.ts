// @vitest-environment jsdom
import { enableAutoUnmount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClinicianRole } from '../../electron/contract/clinicians.ts'
import { permissionsOf } from '../../electron/core/clinicians/permissions.ts'
import NavRail from '../../renderer/src/components/NavRail.vue'
import { allowedPlace, router } from '../../renderer/src/router/index.ts'
import { homeFor, screensFor } from '../../renderer/src/router/screens.ts'
import { useSessionStore } from '../../renderer/src/stores/session.ts'
import { freshWindow, mountInWindow, sessionOf } from './window-harness.ts'

// Which screens a clinician's role opens, and where they start: an administrator alone manages the
// machine and sees no patient's screen; a nurse holds consultations but does not write the doctor's
// record; a doctor sees everything. The permissions are those core gives each role.

enableAutoUnmount(afterEach)

const ADMIN_PERMISSIONS = ['model.use', 'model.manage', 'accounts.manage', 'audit.verify', 'database.backup', 'settings.read', 'settings.manage', 'evaluation.manage', 'evaluation.read']

const roles: Array<{ who: string; roles: ClinicianRole[]; screens: string[]; home: string; labels: string[] }> = [
  { who: 'an administrator alone', roles: ['admin'], screens: ['model', 'evaluation', 'review', 'settings', 'administration'], home: 'model', labels: ['模型', '评测', '盲评', '设置', '管理'] },
  { who: 'a nurse', roles: ['nurse'], screens: ['consultation', 'history', 'model', 'review', 'settings'], home: 'consultation', labels: ['问诊', '历史', '模型', '盲评', '设置'] },
  { who: 'a doctor', roles: ['doctor'], screens: ['consultation', 'history', 'records', 'model', 'review', 'settings'], home: 'consultation', labels: ['问诊', '历史', '病历', '模型', '盲评', '设置'] },
  {
    who: 'a doctor who is also an administrator',
    roles: ['doctor', 'admin'],
    screens: ['consultation', 'history', 'records', 'model', 'evaluation', 'review', 'settings', 'administration'],
    home: 'consultation',
    labels: ['问诊', '历史', '病历', '模型', '评测', '盲评', '设置', '管理'],
  },
]

function signedIn(clinicianRoles: ClinicianRole[]) {
  const pinia = freshWindow()
  useSessionStore().session = sessionOf('active', 'S0001', '测试', clinicianRoles)
  return pinia
}

beforeEach(async () => {
  // The address from the test before is not this one's.
  freshWindow()
  await router.replace('/settings')
})

describe('screens by role', () => {
  it('gives an administrator alone exactly the permissions of managing the machine', () => {
    expect(permissionsOf(['admin'])).toEqual(ADMIN_PERMISSIONS)
  })

  it.each(roles)('shows $who the screens $screens and starts them on $home', ({ roles: clinicianRoles, screens, home }) => {
    const permissions = permissionsOf(clinicianRoles)
    expect(screensFor(permissions).map((screen) => screen.name)).toEqual(screens)
    expect(homeFor(permissions)).toBe(home)
  })

  it('leaves a session without permissions the settings (its own PIN and language) only', () => {
    expect(screensFor([]).map((screen) => screen.name)).toEqual(['settings'])
    expect(homeFor([])).toBe('settings')
  })
})

describe('allowedPlace', () => {
  it('sends an administrator from a patient screen, or from home, to the model screen', () => {
    signedIn(['admin'])
    for (const name of ['consultation', 'history', 'records', 'home']) expect(allowedPlace({ name, fullPath: `/${name}` }), name).toEqual({ name: 'model' })
    expect(allowedPlace({ name: 'model', fullPath: '/model' })).toBe(true)
    expect(allowedPlace({ name: 'settings', fullPath: '/settings' })).toBe(true)
  })

  it('keeps a nurse out of the records and lets her consult and look back', () => {
    signedIn(['nurse'])
    expect(allowedPlace({ name: 'records', fullPath: '/records' })).toEqual({ name: 'consultation' })
    expect(allowedPlace({ name: 'home', fullPath: '/' })).toEqual({ name: 'consultation' })
    for (const name of ['consultation', 'history', 'model', 'settings']) expect(allowedPlace({ name, fullPath: `/${name}` }), name).toBe(true)
  })

  it('lets a doctor open every screen, and sends an unknown place home', () => {
    signedIn(['doctor'])
    for (const name of ['consultation', 'history', 'records', 'model', 'settings']) expect(allowedPlace({ name, fullPath: `/${name}` }), name).toBe(true)
    expect(allowedPlace({ name: undefined, fullPath: '/elsewhere' })).toEqual({ name: 'consultation' })
  })

  it('keeps the place asked for while the gate covers the window (signed out, locked, or a PIN to change)', () => {
    const pinia = freshWindow()
    const session = useSessionStore(pinia)
    for (const covered of [
      { state: 'signed-out' as const, firstAdminNeeded: false },
      sessionOf('locked', 'A0001', '管理员', ['admin']),
      sessionOf('active', 'A0001', '管理员', ['admin'], { pinChangeRequired: true }),
    ]) {
      session.session = covered
      expect(allowedPlace({ name: 'records', fullPath: '/records' }), covered.state).toBe(true)
    }
  })

  it('redirects a navigation of the router itself: an administrator asking for a consultation lands on the model screen', async () => {
    signedIn(['admin'])
    await router.push('/consultation/some-consultation')
    expect(router.currentRoute.value.name).toBe('model')
    await router.push('/records')
    expect(router.currentRoute.value.name).toBe('model')
    await router.push('/settings')
    expect(router.currentRoute.value.name).toBe('settings')
  })
})

describe('NavRail', () => {
  it.each(roles)('offers $who exactly their screens, labelled in the window’s language', async ({ roles: clinicianRoles, screens, labels }) => {
    const pinia = signedIn(clinicianRoles)
    const rail = mountInWindow(NavRail, pinia, { plugins: [router] })
    await router.isReady()
    const items = rail.findAll('[data-testid=nav]')
    expect(items.map((item) => item.attributes('data-screen'))).toEqual(screens)
    expect(items.map((item) => item.text())).toEqual(labels)
    expect(items.map((item) => item.attributes('href'))).toEqual(screens.map((screen) => `#/${screen}`))
  })

  it('marks the screen the clinician is on for screen readers, and follows a click', async () => {
    const pinia = signedIn(['nurse'])
    await router.push('/history')
    const rail = mountInWindow(NavRail, pinia, { plugins: [router] })
    const current = () => rail.findAll('[aria-current=page]').map((item) => item.attributes('data-screen'))
    expect(current()).toEqual(['history'])
    await rail.get('[data-screen=model]').trigger('click')
    await router.isReady()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(router.currentRoute.value.name).toBe('model')
    expect(current()).toEqual(['model'])
  })
})
