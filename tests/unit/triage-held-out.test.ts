import { describe, expect, it } from 'vitest'
import { emergencyPrecision, emergencyRecall, reportTable, triageReport } from '../../electron/core/clinical/triage/triage-report.ts'
import { mtsBlindRound2 } from '../fixtures/triage/mts-blind-round-2.ts'
import { mtsHeldOut } from '../fixtures/triage/mts-held-out.ts'

// The rules against an independent standard: wordings generated from the level 1–2 discriminators
// of the Manchester Triage System and 《急诊预检分诊专家共识》, written without reading the rules
// (tests/fixtures/triage/mts-held-out.ts). Emergencies must all be found, at EMERGENCY; alarms on the
// as many non-urgent wordings (negation, history, hypotheticals, media, figures of speech) must stay
// under one in ten. The table is printed on every run.

describe('triage against the MTS-derived held-out set', () => {
  const report = triageReport(mtsHeldOut)

  it('is a set of the agreed size: at least 300 wordings in both languages, as many non-urgent as emergencies', () => {
    expect(mtsHeldOut.length).toBeGreaterThanOrEqual(300)
    expect(mtsHeldOut.filter((c) => c.lang === 'zh').length).toBeGreaterThanOrEqual(100)
    expect(mtsHeldOut.filter((c) => c.lang === 'en').length).toBeGreaterThanOrEqual(100)
    const emergencyWordings = mtsHeldOut.filter((c) => Object.values(c.expect).includes('emergency')).length
    expect(report.nonUrgent.wordings).toBeGreaterThanOrEqual(emergencyWordings)
  })

  it('finds every emergency at EMERGENCY (recall 1.0), with precision ≥ 0.9 against the non-urgent wordings', () => {
    console.log(reportTable(report))
    const misses = report.misses.filter((m) => m.expected === 'emergency').map((m) => `${m.category} (raised ${m.raised ?? 'nothing'}) — ${m.text}`)
    expect(misses, 'emergencies missed').toEqual([])
    expect(emergencyRecall(report)).toBe(1)
    const alarms = report.falseAlarms.filter((a) => a.raised === 'emergency').map((a) => `${a.category} — ${a.text}`)
    expect(emergencyPrecision(report), `emergency flags on wordings that needed none or another category:\n${alarms.join('\n')}`).toBeGreaterThanOrEqual(0.9)
  })
})

describe('triage against the second blind round (run once blind: recall 90.3%, precision 88.9%)', () => {
  it('now finds every emergency, with precision ≥ 0.9 against its non-urgent wordings', () => {
    const report = triageReport(mtsBlindRound2)
    console.log(reportTable(report))
    expect(report.misses.filter((m) => m.expected === 'emergency').map((m) => `${m.category} — ${m.text}`)).toEqual([])
    expect(emergencyPrecision(report)).toBeGreaterThanOrEqual(0.9)
  })
})
