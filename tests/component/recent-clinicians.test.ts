// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest'
import { forgetClinician, recentClinicians, rememberClinician } from '../../renderer/src/stores/recent-clinicians.ts'

// The clinicians lately signed in on this machine, so that signing in or switching user is a click on
// one's own name: the newest first, a few only, staff id and name only, and whatever else this
// browser's storage holds under the key never breaks the sign-in screen.

const KEY = 'huatuo.recentClinicians'
const ids = () => recentClinicians().map((clinician) => clinician.staffId)

beforeEach(() => localStorage.clear())

describe('recent clinicians', () => {
  it('puts the one who signed in last first, once, under the name they have now', () => {
    rememberClinician({ staffId: 'D0001', name: '李医生' })
    rememberClinician({ staffId: 'N0001', name: '王护士' })
    expect(ids()).toEqual(['N0001', 'D0001'])
    rememberClinician({ staffId: 'D0001', name: '李明' })
    expect(recentClinicians()).toEqual([
      { staffId: 'D0001', name: '李明' },
      { staffId: 'N0001', name: '王护士' },
    ])
  })

  it('keeps the six most recent', () => {
    for (let n = 1; n <= 8; n += 1) rememberClinician({ staffId: `D000${n}`, name: `医生${n}` })
    expect(ids()).toEqual(['D0008', 'D0007', 'D0006', 'D0005', 'D0004', 'D0003'])
    expect(JSON.parse(localStorage.getItem(KEY) ?? '[]')).toHaveLength(6)
  })

  it('stores the staff id and name only, whatever else the session knows of the clinician', () => {
    const clinician = { staffId: 'D0001', name: '李医生', roles: ['doctor'], department: '心内科', pin: '482915' }
    rememberClinician(clinician)
    expect(JSON.parse(localStorage.getItem(KEY) ?? '')).toEqual([{ staffId: 'D0001', name: '李医生' }])
  })

  it('reads malformed storage as no one, and keeps only well-formed entries of a list', () => {
    for (const stored of ['not json', '{"staffId":"D0001","name":"李医生"}', '"D0001"', 'null', '42']) {
      localStorage.setItem(KEY, stored)
      expect(recentClinicians(), stored).toEqual([])
    }
    localStorage.setItem(KEY, JSON.stringify([null, 'D0002', { staffId: 3, name: '三' }, { staffId: 'D0004' }, { staffId: 'D0005', name: '赵医生' }, []]))
    expect(recentClinicians()).toEqual([{ staffId: 'D0005', name: '赵医生' }])
    // Remembering over damaged storage starts a clean list rather than failing the sign-in.
    localStorage.setItem(KEY, '{broken')
    rememberClinician({ staffId: 'N0001', name: '王护士' })
    expect(recentClinicians()).toEqual([{ staffId: 'N0001', name: '王护士' }])
  })

  it('forgets one clinician on request and keeps the others in order', () => {
    for (const staffId of ['D0001', 'D0002', 'D0003']) rememberClinician({ staffId, name: staffId })
    expect(forgetClinician('D0002').map((clinician) => clinician.staffId)).toEqual(['D0003', 'D0001'])
    expect(ids()).toEqual(['D0003', 'D0001'])
  })
})
