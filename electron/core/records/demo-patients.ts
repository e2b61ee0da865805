import type { PatientSex } from '../../contract/patients.ts'
import { agesInText } from '../clinical/triage/age.ts'
import { normalizePatientText } from '../clinical/triage/normalize.ts'

/*
 * Who a demo patient can plausibly be, from the text of the public case they bring: a newborn's
 * complaint comes with a newborn, a pregnancy with a woman of childbearing age, a prostate with a
 * man, an elderly parent with an older patient, and an age or sex the text states is taken as
 * stated. Read with triage's own age parser, so the patient agrees with what triage reads.
 */

/** The kind of patient a case is about, and who writes for them. */
export interface DemoPatientProfile {
  /** Stable name of the profile (patients are drawn per profile, so repeat visits fit too). */
  key: string
  minAge: number
  maxAge: number
  /** null: either. */
  sex: 'female' | 'male' | null
  /** Who writes: the patient, a parent (a child's case) or a relative ("我老公", "老人"). */
  writer: 'self' | 'parent' | 'relative'
  /** The text itself gives the age: the opening does not repeat it. */
  ageStated: boolean
}

export interface DemoPatient {
  sex: PatientSex
  ageYears: number
  writer: DemoPatientProfile['writer']
  ageStated: boolean
}

// A current pregnancy (not the form's "怀孕情况：未怀孕", not "孕前检查", not a past "胎停").
const pregnancy = /怀孕初期|怀孕期间|\d+周多?[一二两三四五六七八九十\d]*天?nt|孕\d+周|孕[一二两三四五六七八九十]+周|怀孕\d+|怀孕[一二两三四五六七八九十]+(?:个多?月|周)|胎儿|建档|引产|产检|孕早期|孕中期|孕晚期|孕妇/
const newborn = /新生儿|刚出生|满月/
// A child patient; not "试管婴儿", "自己的孩子", "要孩子", "子女" (an adult's words about children).
const childWords = /幼年|宝宝|婴儿|孩子|小孩|儿童|男孩|女孩|患儿|小儿|小朋友|儿子|女儿|小鸡鸡|百天/g
const notAChild = /试管婴儿|自己的孩子|要孩子|生孩子|要个孩子|怀孩子/g
const youngAdult = /上大学|大学生|高中生/
const elderly = /老人|老年|年老|老伴|爷爷|奶奶|外婆|外公|姥姥|姥爷|退休|年龄原因|高龄/
const female = /怀孕情况|月经|例假|痛经|白带|阴道|宫颈|子宫|卵巢|输卵管|乳房|外阴|阴唇|备孕|胎停|流产|绝经|更年期|患者女|女，|女,|女性|本人女/
const gynaecological = /月经|例假|痛经|白带|宫颈|子宫|卵巢|输卵管|备孕|胎停|流产/
const male = /男科|前列腺|勃起|射精|精子|无精|早泄|阴囊|龟头|精索|睾丸|包皮|遗精|滑精|我老公|我丈夫|胡须|患者男|男，|男,|男性|本人男/
const olderMale = /前列腺增生|前列腺癌|前列腺.{0,3}腺癌|（前列腺）腺癌/
const childMale = /男孩|儿子|小鸡鸡|男宝|[岁月]，男[。，,]/
const childFemale = /女孩|女儿|女宝|闺女|[岁月]，女[。，,]/
const relative = /我老公|我丈夫|我妻子|我老婆|老人|我爸|我妈|父亲|母亲|患者|家人|婆婆|公公/

function ageStatedIn(text: string): number | null {
  const ages = agesInText(normalizePatientText(text)).map((age) => age.years)
  if (ages.length === 0) return null
  // "孩子18周岁……12周岁又一次": the patient's age now is the oldest one given.
  return Math.floor(Math.max(...ages))
}

function withoutAdultTalkOfChildren(text: string): string {
  return text.replace(notAChild, '')
}

/** The profile a case's text allows (deterministic; no randomness). */
export function demoPatientProfile(caseText: string, department = ''): DemoPatientProfile {
  const text = withoutAdultTalkOfChildren(caseText)
  const stated = ageStatedIn(text)
  const fixed = (age: number) => ({ minAge: age, maxAge: age, ageStated: true })
  if (pregnancy.test(text)) {
    return { key: stated === null ? 'pregnant' : `pregnant-${stated}`, ...(stated !== null && stated >= 16 && stated <= 50 ? fixed(stated) : { minAge: 21, maxAge: 40, ageStated: false }), sex: 'female', writer: 'self' }
  }
  const childSex = childMale.test(text) ? 'male' : childFemale.test(text) ? 'female' : null
  const aboutChild = (text.match(childWords)?.length ?? 0) > 0 || department === '儿科'
  if (stated !== null && (stated < 14 || aboutChild)) {
    const writer = 'parent'
    const sex = stated < 14 ? childSex : (childSex ?? (male.test(text) ? 'male' : female.test(text) ? 'female' : null))
    return { key: `age-${stated}-${sex ?? 'any'}`, ...fixed(stated), sex, writer }
  }
  if (newborn.test(text)) return { key: `newborn-${childSex ?? 'any'}`, minAge: 0, maxAge: 0, sex: childSex, writer: 'parent', ageStated: true }
  if (aboutChild) {
    if (youngAdult.test(text)) return { key: `student-${childSex ?? 'any'}`, minAge: 18, maxAge: 21, sex: childSex, writer: 'parent', ageStated: false }
    const infant = /宝宝|婴儿|百天/.test(text)
    return { key: `${infant ? 'infant' : 'child'}-${childSex ?? 'any'}`, minAge: infant ? 0 : 1, maxAge: infant ? 2 : 13, sex: childSex, writer: 'parent', ageStated: false }
  }
  const sex = male.test(text) ? 'male' : female.test(text) ? 'female' : department === '男科' ? 'male' : department === '妇科' || department === '妇产科' || department === '产科' ? 'female' : null
  const writer = relative.test(text) ? 'relative' : 'self'
  if (stated !== null) return { key: `age-${stated}-${sex ?? 'any'}`, ...fixed(stated), sex, writer }
  if (sex === 'male' && olderMale.test(text)) return { key: 'older-male', minAge: 55, maxAge: 88, sex, writer, ageStated: false }
  if (elderly.test(text)) return { key: `older-${sex ?? 'any'}`, minAge: 65, maxAge: 90, sex, writer, ageStated: false }
  if (sex === 'female' && gynaecological.test(text)) return { key: 'female-reproductive', minAge: 18, maxAge: 48, sex, writer, ageStated: false }
  if (sex === 'male' && department === '男科') return { key: 'male-adult-young', minAge: 22, maxAge: 55, sex, writer, ageStated: false }
  return { key: `adult-${sex ?? 'any'}`, minAge: 18, maxAge: 80, sex, writer, ageStated: false }
}

/** A patient drawn from the profile with the given random source: the same draws give the same patient. */
export function drawDemoPatient(profile: DemoPatientProfile, random: { next(): number }): DemoPatient {
  const ageYears = profile.minAge + Math.floor(random.next() * (profile.maxAge - profile.minAge + 1))
  const coin = random.next()
  const sex: PatientSex = profile.sex ?? (coin < 0.5 ? 'female' : 'male')
  return { sex, ageYears, writer: profile.writer, ageStated: profile.ageStated }
}

/** A patient whose age and sex are plausible for the case's text (see demoPatientProfile). */
export function plausiblePatientFor(caseText: string, random: { next(): number }, department = ''): DemoPatient {
  return drawDemoPatient(demoPatientProfile(caseText, department), random)
}

/**
 * Whether a patient may plausibly say a text (a follow-up question) whose own profile is
 * `said`: a pregnancy question only in a pregnancy, a man's or a woman's only from them, a child's
 * only about a child of that age, an older person's only from one; and a child's parent asks a
 * general question only if it is not a first-person one ("我…") or a symptom to diagnose.
 */
export function fitsPatient(
  said: DemoPatientProfile,
  question: { text: string; label?: string },
  patient: { sex: PatientSex; ageYears: number },
  profile: DemoPatientProfile,
): boolean {
  if (said.key.startsWith('pregnant')) return profile.key.startsWith('pregnant')
  if (said.sex !== null && said.sex !== patient.sex) return false
  const general = said.key.startsWith('adult-')
  if (!general && (patient.ageYears < said.minAge || patient.ageYears > said.maxAge)) return false
  if (general && profile.writer === 'parent' && patient.ageYears < 14) return !question.text.includes('我') && question.label !== '病情诊断'
  return true
}
