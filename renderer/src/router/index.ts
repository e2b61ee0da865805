import { createRouter, createWebHashHistory, type RouteLocationRaw } from 'vue-router'
import { useSessionStore } from '../stores/session.ts'
import ConsultationView from '../views/ConsultationView.vue'
import { homeFor, screens, type ScreenName } from './screens.ts'

// Hash history: the app's sender check and the browser host both serve one page, index.html, and
// the place in the window (a screen, a consultation's id, never patient text) lives after the #.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'home', component: ConsultationView },
    { path: '/consultation/:consultationId?', name: 'consultation', component: ConsultationView },
    { path: '/history', name: 'history', component: () => import('../views/HistoryView.vue') },
    { path: '/records/:consultationId?', name: 'records', component: () => import('../views/RecordsView.vue') },
    { path: '/model', name: 'model', component: () => import('../views/ModelView.vue') },
    { path: '/evaluation', name: 'evaluation', component: () => import('../views/EvaluationView.vue') },
    { path: '/review', name: 'review', component: () => import('../views/ReviewView.vue') },
    { path: '/settings', name: 'settings', component: () => import('../views/SettingsView.vue') },
    { path: '/administration', name: 'administration', component: () => import('../views/AdministrationView.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

/** Where this clinician may be: the route asked for if their role allows it, else their home screen. */
export function allowedPlace(to: { name?: unknown; fullPath: string }): RouteLocationRaw | true {
  const session = useSessionStore()
  // Before sign-in the gate covers the window: the place is kept for after it.
  if (!session.working) return true
  const permissions = session.session?.state === 'active' ? session.session.permissions : []
  const screen = screens.find((candidate) => candidate.name === to.name)
  if (to.name === 'home' || screen === undefined) return { name: homeFor(permissions) satisfies ScreenName }
  if (screen.permission !== null && !permissions.includes(screen.permission)) return { name: homeFor(permissions) }
  return true
}

router.beforeEach((to) => allowedPlace(to))
