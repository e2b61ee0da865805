import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Component, Plugin } from 'vue'
import type { ClinicianRole, ClinicianSession } from '../../electron/contract/clinicians.ts'
import { permissionsOf } from '../../electron/core/clinicians/permissions.ts'
import { replaceWorkstationClient } from '../../renderer/src/api/connect.ts'
import { WorkstationClient } from '../../renderer/src/api/workstation-client.ts'
import { i18n } from '../../renderer/src/i18n/index.ts'
import { followWorkstationEvents } from '../../renderer/src/stores/workstation-events.ts'
import { inProcessTransport, type InProcessWorkstation } from '../support/in-process-transport.ts'

// What the window's main.ts sets up (Pinia, vue-i18n, the workstation's events; the router where a
// test needs it), for one test at a time: every test starts with empty stores, in Chinese.

/**
 * A window as after a reload: empty stores, in Chinese; this browser's storage emptied too unless
 * kept (the same browser reopening the window keeps its recent clinicians).
 */
export function freshWindow(options: { keepStorage?: boolean } = {}): Pinia {
  if (!options.keepStorage) {
    globalThis.localStorage.clear()
    globalThis.sessionStorage.clear()
  }
  i18n.global.locale.value = 'zh-CN'
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}

/** The renderer's one client, over the real workstation core running in this process. */
export function connectTo(workstation: InProcessWorkstation): () => void {
  replaceWorkstationClient(new WorkstationClient(inProcessTransport(workstation)))
  return followWorkstationEvents()
}

/** Mounted as the window has it: Pinia and vue-i18n installed (and the router, when given). */
export function mountInWindow(component: Component, pinia: Pinia, options: { props?: Record<string, unknown>; plugins?: Plugin[] } = {}) {
  return mount(component, {
    ...(options.props ? { props: options.props } : {}),
    attachTo: document.body,
    global: { plugins: [pinia, i18n, ...(options.plugins ?? [])] },
  })
}

/** Until the transport's replies and events (each a task later) and what they set off have landed. */
export async function settled(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await flushPromises()
  }
}

/** A signed-in session as core describes it, with the permissions core gives these roles. */
export function sessionOf(state: 'active' | 'locked', staffId: string, name: string, roles: ClinicianRole[], extra: { pinChangeRequired?: boolean } = {}): ClinicianSession {
  return {
    state,
    clinician: { staffId, name, roles, department: '' },
    permissions: permissionsOf(roles),
    signedInAt: new Date().toISOString(),
    method: 'pin',
    pinChangeRequired: extra.pinChangeRequired ?? false,
    idleLockAt: null,
    lockedAt: state === 'locked' ? new Date().toISOString() : null,
    lockReason: state === 'locked' ? 'requested' : null,
  }
}
