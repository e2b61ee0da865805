// A heart rate of 150 or more, or 40 or less, at rest; with dizziness, fainting, chest pain or
// breathlessness it is an emergency. During exercise, or a few seconds of palpitations, can wait.
// The rate may be said away from its word (心跳突然特别快，数了一下每分钟180多下; racing at 190),
// and "nearly passing out" or "差点晕倒" is the symptom itself, not a denial of it.
import { N, rx } from '../patterns.ts'
import { parsePatientNumber } from '../chinese-numbers.ts'
import { heartRateExtreme } from '../readings.ts'
import type { Sign, TriageRule } from '../types.ts'
import { breathlessness, severeBreathlessness } from './breathing-difficulty.ts'
import { chestPain } from './chest-pain.ts'
import { dizziness, exercise } from './shared-signs.ts'
import { fainted, unresponsive } from './unconsciousness.ts'

const extremeRate = (rate: number | null) => rate !== null && ((rate >= 150 && rate <= 300) || (rate >= 20 && rate <= 40))

/** A rate in beats per minute said without 心率 next to it: 每分钟180多下, racing at 190, 35 bpm. */
export const heartRateInWords: Sign = {
  name: 'heart rate ≥ 150 or ≤ 40 (in words)',
  patterns: [
    new RegExp(`(?:心跳|心率|脉搏|脉|心脏)[^。;!?\\n]{0,16}?(?:每分钟|一分钟|每分)(?:才|只有|有|就)?(${N})多?(?:下|次)`, 'u'),
    new RegExp(`(?:每分钟|一分钟)(?:才|只有|就)?(${N})多?下`, 'u'),
    /\b(?:heart|pulse|heartbeat|heart rate)\b(?: \w+){0,4} (?:at|of|to|around|about|over) (\d{2,3})\b(?! ?(?:mg|kg|lbs?|years?|%))/u,
    /\b(\d{2,3}) ?(?:bpm|beats (?:a|per|each) min(?:ute)?)\b/u,
  ],
  accept: (groups) => extremeRate(parsePatientNumber(groups[1] ?? '')),
}

/** Nearly fainting, said with the word that other signs read as a denial (差点, nearly). */
export const feelingFaint: Sign = {
  name: 'nearly fainting',
  patterns: [
    rx`(?:差点|差一点|险些|几乎|快要?|要)(?:晕倒|晕过去|昏倒|昏过去|晕厥)|眼前发黑|眼前一黑|站不稳|\b(?:nearly|almost) (?:passing|passed|pass) out\b|\b(?:nearly|almost) faint(?:ed|ing)?\b|\bfeels? (?:very |really )?faint\b|\bfeeling (?:very |really )?faint\b|\bgoing to (?:faint|pass out)\b|\blight-?headed\b`,
  ],
}

/** Exercise words the shared list lacks: a run, a match, a class (a fast pulse then is expected). */
const exerciseMore: Sign = {
  name: 'during exercise (more words)',
  standing: true,
  patterns: [rx`跑完|跑了|爬楼|\b(?:run|runs|ran|jog|jogged|cycling|bike ride|swim|swimming|spin class|hiit|workout|work-out)\b`],
}

export const abnormalHeartRateRules: TriageRule[] = [
  {
    id: 'abnormal-heart-rate.with-symptoms',
    category: 'abnormal-heart-rate',
    level: 'emergency',
    needs: [[heartRateExtreme, heartRateInWords], [dizziness, feelingFaint, fainted, unresponsive, chestPain, severeBreathlessness, breathlessness]],
    unless: [exercise, exerciseMore],
    action: {
      'zh-CN': '心律失常伴症状：立即做心电图并心电监护，测血压；血流动力学不稳定者按急救流程处理（必要时电复律/起搏）。',
      en: 'Symptomatic arrhythmia: ECG and cardiac monitoring now, blood pressure; if unstable, follow the resuscitation protocol (cardioversion or pacing as needed).',
    },
  },
  {
    id: 'abnormal-heart-rate.reading',
    category: 'abnormal-heart-rate',
    level: 'urgent',
    needs: [[heartRateExtreme, heartRateInWords]],
    unless: [exercise, exerciseMore],
    action: {
      'zh-CN': '今日内做心电图确认心率和心律；出现头晕、胸痛、气促或晕厥立即急诊。',
      en: 'ECG today to confirm rate and rhythm; dizziness, chest pain, breathlessness or fainting mean emergency department.',
    },
  },
]
