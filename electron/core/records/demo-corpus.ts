import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PatientSex } from '../../contract/patients.ts'
import type { OutpatientRecordSections } from '../../contract/record-versions.ts'
import { WorkstationError } from '../errors.ts'
import { SeededRandom } from '../models/seeded-random.ts'
import type { ImportedConsultation } from './consultation-import.ts'
import { demoPatientProfile, drawDemoPatient, fitsPatient, type DemoPatientProfile } from './demo-patients.ts'

/*
 * Realistic demo consultations, built from the HuatuoGPT authors' public evaluation cases
 * (FreedomIntelligence/HuatuoGPT eval/, Apache-2.0): real patient case descriptions and doctors'
 * summaries from 20 departments, and real short patient questions. They are varied (greetings,
 * synonyms, full-width characters, measurements, Latin abbreviations, English sentences, repeat
 * visits, dates over three years) so that demos, tests and the benchmark see text like a clinic's.
 * Patients' names are invented.
 */

export interface DemoSources {
  cases: Array<{ id: number; medical_case: string; doctor_diagnosis: string; Department: string }>
  questions: Array<{ id: string; label: string; query: string }>
}

/** The cases shipped with the workstation (resources/demo-cases), bundled so an installed app has them too. */
export async function bundledDemoSources(): Promise<DemoSources> {
  const [cases, questions] = await Promise.all([
    import('../../../resources/demo-cases/Med-dialog_100.json', { with: { type: 'json' } }),
    import('../../../resources/demo-cases/KUAKE-QIC_100.json', { with: { type: 'json' } }),
  ])
  return { cases: cases.default as DemoSources['cases'], questions: questions.default as DemoSources['questions'] }
}

export async function loadDemoSources(folder: string): Promise<DemoSources> {
  try {
    const [cases, questions] = await Promise.all([
      readFile(join(folder, 'Med-dialog_100.json'), 'utf8'),
      readFile(join(folder, 'KUAKE-QIC_100.json'), 'utf8'),
    ])
    return { cases: JSON.parse(cases) as DemoSources['cases'], questions: JSON.parse(questions) as DemoSources['questions'] }
  } catch (error) {
    throw new WorkstationError('INPUT_UNREADABLE', `demo data folder: ${(error as NodeJS.ErrnoException).code ?? 'malformed'}`, { cause: error })
  }
}

/** A demo clinician: an account the demo creates (disabled, PIN unknown) to sign its records. */
export interface DemoClinician {
  staffId: string
  name: string
  department: string
}

/** The demo's doctors. "（演示）" in every name: nobody mistakes one for a real colleague. */
export const demoClinicians: readonly DemoClinician[] = [
  { staffId: 'demo-dr-li', name: '李文（演示）', department: '全科' },
  { staffId: 'demo-dr-wang', name: '王静（演示）', department: '内科' },
  { staffId: 'demo-dr-zhang', name: '张海（演示）', department: '外科' },
  { staffId: 'demo-dr-chen', name: '陈敏（演示）', department: '儿科' },
]

/** The clinic a demo database's records name, in both languages, so no export of one names a real clinic. */
export const demoClinicName = '华佗演示诊所（演示数据，非真实患者） Huatuo Demo Clinic (demo data, not real patients)'

export interface DemoConsultation extends ImportedConsultation {
  /** A signed outpatient record, for some consultations. */
  record: { sections: OutpatientRecordSections; signer: DemoClinician; signedAt: string } | null
}

interface ParsedCase {
  disease: string
  description: string
  help: string
  duration: string
  allergies: string
  history: string
  dialogue: Array<{ role: 'patient' | 'model'; text: string }>
  impression: string
  advice: string
  department: string
  /** Who can bring this case (age range, sex), from the whole case text. */
  profile: DemoPatientProfile
}

/** "标题：\n内容\n标题：\n…" into fields; a "Dialogue" part into alternating turns. */
function parseCase(source: DemoSources['cases'][number]): ParsedCase {
  const fields = new Map<string, string>()
  const dialogue: ParsedCase['dialogue'] = []
  let heading = ''
  let inDialogue = false
  for (const rawLine of `${source.medical_case}\n${source.doctor_diagnosis}`.split('\n')) {
    const line = rawLine.trim()
    if (line === '') continue
    if (line === 'Dialogue') {
      inDialogue = true
      continue
    }
    const head = /^(.{1,12})：$/.exec(line)
    if (head) {
      heading = head[1] as string
      continue
    }
    if (inDialogue && (heading === '病人' || heading === '医生')) {
      const role = heading === '病人' ? 'patient' : 'model'
      const last = dialogue.at(-1)
      if (last && last.role === role) last.text += `，${line}`
      else dialogue.push({ role, text: line })
      continue
    }
    fields.set(heading, fields.has(heading) ? `${fields.get(heading)}${line}` : line)
  }
  const clean = (value: string | undefined) => (value ?? '').replace(/（\d{4}-\d{2}-\d{2}填写）/g, '').trim()
  return {
    disease: clean(fields.get('疾病') ?? fields.get('疾病诊断')),
    description: clean(fields.get('病情描述')),
    help: clean(fields.get('希望获得的帮助')),
    duration: clean(fields.get('患病多久')),
    allergies: clean(fields.get('过敏史')),
    history: clean(fields.get('既往病史')),
    dialogue,
    impression: clean(fields.get('病情摘要及初步印象') ?? fields.get('疾病诊断')),
    advice: clean(fields.get('总结建议') ?? fields.get('药品')),
    department: source.Department,
    profile: demoPatientProfile(source.medical_case, source.Department),
  }
}

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const givenNames = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强玉兰海燕欣怡梓涵子轩浩然一诺雨桐思远晓东立新红梅春燕丹丹'
const greetings = ['', '', '医生您好，', '大夫您好，', '您好，', '医生，', '你好医生，', '麻烦问一下，']
const synonymPairs: Array<[string, string]> = [
  ['头痛', '头疼'],
  ['发烧', '发热'],
  ['拉肚子', '腹泻'],
  ['肚子疼', '腹痛'],
  ['恶心', '想吐'],
  ['失眠', '睡不着'],
  ['B超', 'b超'],
  ['CT', 'ct'],
]
const adviceSentences = [
  '建议您尽快到医院{department}门诊面诊，完善相关检查。',
  '可以先做一个血常规和尿常规，必要时做B超或CT检查。',
  '平时注意休息，清淡饮食，避免辛辣刺激的食物。',
  '如果症状加重，出现高热不退、胸痛或呼吸困难，请立即到急诊就诊。',
  '用药请遵医嘱，不要自行加量或停药。',
  '注意观察病情变化，一到两周后复诊。',
  '建议监测血压和血糖，记录下来复诊时带给医生看。',
  '多喝水，保证充足睡眠，适当运动。',
  '目前的情况不用太担心，但需要排除其他原因。',
  '如有药物过敏史，就诊时请主动告诉医生。',
  '孩子的用药剂量要按体重计算，请在儿科医生指导下用药。',
  '可以做个MRI看看有没有器质性的问题。',
  '必要时查HPV和TCT，排除宫颈病变。',
  '建议复查肝功能、肾功能和血脂。',
]
const answerOpenings = ['您好，根据您描述的情况，', '您好，', '根据您提供的信息，', '理解您的担心，', '从您的描述来看，']
const followUpAnswers: Record<string, string[]> = {
  功效作用: ['这类药物或食物主要起辅助作用，不能代替正规治疗。', '一般来说有一定的调理作用，但因人而异，建议咨询药师。'],
  医疗费用: ['费用因医院和检查项目不同差别较大，可以先到当地医院咨询。', '医保可以报销一部分，具体比例请咨询当地医保部门。'],
  后果表述: ['如果不及时治疗，可能会反复发作或加重，建议尽早就医。', '大多数情况下预后良好，但需要规范治疗和定期复查。'],
  就医建议: ['建议到正规医院的专科门诊就诊。', '可以先挂全科或内科，医生会根据情况转诊。'],
  指标解读: ['这个指标略高于正常范围，需要结合症状和其他检查综合判断。', '单次结果不能说明问题，建议一到两周后复查。'],
  治疗方案: ['治疗方案需要面诊后根据具体情况制定。', '一般先保守治疗，效果不好再考虑进一步处理。'],
  注意事项: ['注意休息，避免劳累，饮食清淡。', '按时服药，定期复查，有不适及时就诊。'],
  疾病表述: ['这种情况比较常见，不必过于紧张。', '需要进一步检查才能明确诊断。'],
  病因分析: ['原因可能有多种，常见的有感染、过敏或作息不规律。', '可能与饮食、情绪和睡眠都有关系。'],
  病情诊断: ['仅凭描述无法确诊，需要面诊和相关检查。', '建议做相关检查明确诊断后再对症治疗。'],
}
const englishSentences = [
  'I have had a headache for three days.',
  'My blood pressure was 150/95 mmHg this morning.',
  'Is it safe to take ibuprofen with my current medication?',
  'The CT scan report says everything is normal.',
  'Fever 38.5 °C since yesterday, no cough.',
]
/** What some patients add that needs care today; triage flags them when the demo is stored, as it would in a turn. */
const emergencyPhrases = ['突然胸痛，喘不上气', '呼吸困难，嘴唇发紫', '一侧手脚发麻，说话不清楚', '高烧40℃不退，还抽搐了一次', '呕血，黑便']
/** The ones a child's parent could write. */
const childEmergencyPhrases = ['呼吸困难，嘴唇发紫', '高烧40℃不退，还抽搐了一次']

const demoWindowStart = Date.UTC(2023, 0, 1)
const demoWindowEnd = Date.UTC(2025, 11, 31)
/** The demo's consultations fall in these three years. */
export const demoPeriod = { start: demoWindowStart, end: demoWindowEnd }

function toFullWidth(text: string): string {
  return text.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
}

class DemoWriter {
  private readonly random: SeededRandom

  constructor(seed: number) {
    this.random = new SeededRandom(seed)
  }

  unit(): number {
    return this.random.next()
  }

  chance(p: number): boolean {
    return this.random.next() < p
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random.next() * (max - min + 1))
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random.next() * items.length)] as T
  }

  /** The same meaning in different words and forms. */
  vary(text: string): string {
    let out = text
    for (const [a, b] of synonymPairs) {
      if (out.includes(a) && this.chance(0.5)) out = out.replaceAll(a, b)
      else if (out.includes(b) && this.chance(0.3)) out = out.replaceAll(b, a)
    }
    if (this.chance(0.08)) out = toFullWidth(out)
    if (this.chance(0.1)) out = out.replace(/。/g, '. ')
    if (this.chance(0.05)) out = out.replace(/，/g, ',')
    return out
  }

  measurement(): string {
    switch (this.int(0, 3)) {
      case 0:
        return `血压${this.int(100, 185)}/${this.int(60, 115)}mmHg`
      case 1:
        return `体温${(36 + this.random.next() * 4).toFixed(1)}℃`
      case 2:
        return `空腹血糖${(4 + this.random.next() * 8).toFixed(1)}mmol/L`
      default:
        return `心率${this.int(55, 130)}次/分`
    }
  }
}

export interface DemoOptions {
  count: number
  seed?: number
  /** Consultations per patient on average (repeat visits). */
  visitsPerPatient?: number
  /** Patient-model turns per consultation on average; each turn is two messages. */
  turns?: number
}

/** How the patient's age is said in the opening, by whoever writes it. */
function agePhrase(age: number, writer: DemoPatientProfile['writer']): string {
  if (writer === 'parent') return age < 1 ? '宝宝还不到1岁，' : `孩子今年${age}岁，`
  if (writer === 'relative') return `患者今年${age}岁，`
  return `我今年${age}岁，`
}

/** Deterministic: the same sources, options and seed give the same consultations. */
export function* demoConsultations(sources: DemoSources, options: DemoOptions): Generator<DemoConsultation> {
  const seed = options.seed ?? 1
  const writer = new DemoWriter(seed)
  const cases = sources.cases.map(parseCase).filter((c) => c.description !== '' || c.dialogue.length > 0)
  // Patients are drawn per profile (a newborn's case from the newborns, a prostate from the men …),
  // each profile with as many patients as its share of the cases, so repeat visits fit their case too.
  const profiles = [...new Set(cases.map((c) => c.profile.key))].sort()
  const patientCount = Math.max(1, Math.round(options.count / (options.visitsPerPatient ?? 3)))
  const poolSize = new Map(profiles.map((key) => [key, Math.max(1, Math.round((patientCount * cases.filter((c) => c.profile.key === key).length) / cases.length))]))
  const questions = sources.questions.map((question) => ({ question, profile: demoPatientProfile(question.query) }))
  // The follow-up questions this patient could ask (a man asks no pregnancy question, a baby's parent no adult's).
  const fitting = new Map<string, DemoSources['questions']>()
  const questionsFor = (profile: DemoPatientProfile, patient: { sex: PatientSex; ageYears: number }) => {
    const key = `${profile.key}|${patient.sex}|${patient.ageYears}`
    let list = fitting.get(key)
    if (list === undefined) {
      list = questions.filter((q) => fitsPatient(q.profile, { text: q.question.query, label: q.question.label }, patient, profile)).map((q) => q.question)
      fitting.set(key, list)
    }
    return list
  }
  const turns = options.turns ?? 5
  const span = demoWindowEnd - demoWindowStart
  for (let n = 0; n < options.count; n++) {
    const source = writer.pick(cases)
    const pool = profiles.indexOf(source.profile.key)
    const patientNumber = writer.int(1, poolSize.get(source.profile.key) ?? 1)
    // A patient's identity is a function of their profile and number, so repeat visits agree.
    const identity = new DemoWriter(seed * 7919 + pool * 1_000_003 + patientNumber)
    const { sex, ageYears: age } = drawDemoPatient(source.profile, { next: () => identity.unit() })
    const name = identity.pick([...surnames]) + identity.pick([...givenNames]) + (identity.chance(0.6) ? identity.pick([...givenNames]) : '')
    // Spread over the window; the index keeps later consultations mostly later, as in a real clinic.
    let at = demoWindowStart + Math.floor(((n + writer.unit()) / options.count) * span)
    const createdAt = new Date(at).toISOString()
    const messages: DemoConsultation['messages'] = []
    const say = (role: 'patient' | 'model', text: string) => {
      at += writer.int(20, 300) * 1000
      messages.push({ role, text, createdAt: new Date(at).toISOString() })
    }

    let opening = writer.pick(greetings) + (!source.profile.ageStated && writer.chance(0.4) ? agePhrase(age, source.profile.writer) : '') + (source.description || source.disease)
    if (writer.chance(0.3)) opening += `，${writer.measurement()}`
    if (source.help !== '' && writer.chance(0.7)) opening += `。${source.help}`
    if (writer.chance(0.03)) opening += `。今天${writer.pick(age < 14 ? childEmergencyPhrases : emergencyPhrases)}`
    if (writer.chance(0.04)) opening += ` ${writer.pick(englishSentences)}`
    say('patient', writer.vary(opening))
    const impression = source.impression || source.disease
    say(
      'model',
      writer.vary(
        `${writer.pick(answerOpenings)}${impression ? `考虑${impression}的可能。` : ''}${source.advice ? `${source.advice.replace(/。$/, '')}。` : ''}` +
          writer.pick(adviceSentences).replace('{department}', source.department),
      ),
    )
    const followUps: DemoConsultation['messages'] = []
    for (const turn of source.dialogue) followUps.push({ role: turn.role, text: turn.text, createdAt })
    const wanted = Math.max(1, turns + writer.int(-2, 2)) * 2 - 2
    const askable = questionsFor(source.profile, { sex, ageYears: age })
    for (let i = 0; followUps.length < wanted && i < 20 && askable.length > 0; i++) {
      const question = writer.pick(askable)
      const history = source.history && source.history !== '无' && writer.chance(0.3) ? `我以前有${source.history}。` : ''
      const allergy = source.allergies && writer.chance(0.2) ? `过敏史：${source.allergies}。` : ''
      followUps.push({ role: 'patient', text: `${history}${allergy}${question.query}${writer.chance(0.2) ? writer.measurement() : ''}`, createdAt })
      followUps.push({
        role: 'model',
        text: writer.pick(followUpAnswers[question.label] ?? adviceSentences) + writer.pick(adviceSentences).replace('{department}', source.department),
        createdAt,
      })
    }
    // The conversation alternates patient and model and is cut to the wanted length.
    let expected: 'patient' | 'model' = 'patient'
    for (const message of followUps.slice(0, Math.max(wanted, 2))) {
      if (message.role !== expected) continue
      say(message.role, writer.vary(message.text))
      expected = expected === 'patient' ? 'model' : 'patient'
    }
    if (messages.at(-1)?.role === 'patient') say('model', writer.vary(writer.pick(adviceSentences).replace('{department}', source.department)))

    const notes: DemoConsultation['notes'] = []
    if (writer.chance(0.3)) {
      at += 60_000
      notes.push({ text: `患者${sex === 'female' ? '女' : '男'}，${age}岁，${source.disease || impression}，${writer.pick(['嘱复诊', '已告知注意事项', '建议专科就诊', '电话随访'])}。`, createdAt: new Date(at).toISOString() })
    }
    let record: DemoConsultation['record'] = null
    if (writer.chance(0.25)) {
      at += 120_000
      record = {
        sections: {
          chiefComplaint: `${source.disease || impression}${source.duration ? `，${source.duration}` : ''}`,
          presentIllness: source.description.slice(0, 300),
          pastHistory: source.history || '不详',
          allergies: source.allergies || '不详',
          diagnosis: impression,
          plan: source.advice || '门诊随访',
        },
        signer: writer.pick(demoClinicians),
        signedAt: new Date(at).toISOString(),
      }
    }
    yield {
      id: `demo-${seed.toString(36)}-${n.toString(36).padStart(6, '0')}`,
      patient: { clinicNumber: `MZ${String(pool).padStart(2, '0')}${String(patientNumber).padStart(7, '0')}`, name, sex, ageYears: age },
      department: source.department,
      createdAt,
      messages,
      notes,
      record,
    }
  }
}
