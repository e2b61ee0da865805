// A heart rate of 150 or more, or 40 or less, at rest; with dizziness, fainting, chest pain or
// breathlessness it is an emergency. During exercise, or a few seconds of palpitations, can wait.
import { heartRateExtreme } from '../readings.ts'
import type { TriageRule } from '../types.ts'
import { breathlessness, severeBreathlessness } from './breathing-difficulty.ts'
import { chestPain } from './chest-pain.ts'
import { dizziness, exercise } from './shared-signs.ts'
import { fainted, unresponsive } from './unconsciousness.ts'

export const abnormalHeartRateRules: TriageRule[] = [
  {
    id: 'abnormal-heart-rate.with-symptoms',
    category: 'abnormal-heart-rate',
    level: 'emergency',
    needs: [heartRateExtreme, [dizziness, fainted, unresponsive, chestPain, severeBreathlessness, breathlessness]],
    unless: [exercise],
    action: {
      'zh-CN': '心律失常伴症状：立即做心电图并心电监护，测血压；血流动力学不稳定者按急救流程处理（必要时电复律/起搏）。',
      en: 'Symptomatic arrhythmia: ECG and cardiac monitoring now, blood pressure; if unstable, follow the resuscitation protocol (cardioversion or pacing as needed).',
    },
  },
  {
    id: 'abnormal-heart-rate.reading',
    category: 'abnormal-heart-rate',
    level: 'urgent',
    needs: [heartRateExtreme],
    unless: [exercise],
    action: {
      'zh-CN': '今日内做心电图确认心率和心律；出现头晕、胸痛、气促或晕厥立即急诊。',
      en: 'ECG today to confirm rate and rhythm; dizziness, chest pain, breathlessness or fainting mean emergency department.',
    },
  },
]
