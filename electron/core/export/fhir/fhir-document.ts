import type {
  Bundle,
  BundleEntry,
  Composition,
  CompositionSection,
  Condition,
  Device,
  Encounter,
  Organization,
  Patient,
  Practitioner,
  Provenance,
  ProvenanceAgent,
  Reference,
  Resource,
} from '@medplum/fhirtypes'
import { outpatientNoteLoinc, type OutpatientRecordFile } from '../../../contract/outpatient-record.ts'
import { signedRecordFile } from '../../clinical/outpatient-record/record-file.ts'
import { clinicTime, inferenceServerHost, patientAgeText, presentedSections, sexLabel, type PresentationOptions, type PresentedSection } from '../record-presentation.ts'
import { documentIdOf, resourceUrn } from './fhir-ids.ts'
import { escapeXhtml, fhirText, generatedNarrative, narrativeDiv, xhtmlLines } from './fhir-narrative.ts'
import {
  actCodeSystem,
  clinicianIdSystem,
  conditionCategorySystem,
  conditionClinicalSystem,
  conditionVerificationSystem,
  dataOperationSystem,
  emptyReasonSystem,
  encounterParticipantSystem,
  icd10System,
  identifierTypeSystem,
  loincSystem,
  modelSha256System,
  participantTypeSystem,
  recordSourceSystems,
  targetElementExtension,
  type IdentifierSystems,
} from './fhir-systems.ts'

export interface FhirExportOptions extends PresentationOptions {
  identifierSystems: IdentifierSystems
}

type EntryName = 'Composition' | 'Patient' | 'Encounter' | 'Practitioner' | 'Organization' | 'Condition' | 'Device' | 'Provenance'

/** An R4 instant: UTC with seconds, whatever precision and offset the record was written with. */
function instant(iso: string): string {
  return new Date(iso).toISOString()
}

/** A reference to another entry of the bundle; its resource type comes from where it is used. */
function reference<T extends Resource>(urls: Record<EntryName, string>, type: EntryName & T['resourceType'], display?: string): Reference<T> {
  return display === undefined ? { reference: urls[type], type } : { reference: urls[type], type, display: fhirText(display) }
}

function sectionEntry(section: PresentedSection, urls: Record<EntryName, string>, hasDevice: boolean, hasCondition: boolean): CompositionSection {
  const { definition } = section
  const base: CompositionSection = {
    // The element id a section's Provenance names in its targetElement extension.
    id: definition.key,
    title: definition.title['zh-CN'],
    code: { coding: [{ system: loincSystem, code: definition.loinc.code, display: definition.loinc.display }], text: definition.title['zh-CN'] },
  }
  if (section.text === '') {
    // Nothing recorded: said so, rather than left out (cmp-1 still wants a narrative).
    return {
      ...base,
      text: { status: 'empty', div: narrativeDiv([escapeXhtml('未记录 / not recorded')]) },
      emptyReason: { coding: [{ system: emptyReasonSystem, code: 'notasked', display: 'Not Asked' }] },
    }
  }
  // The section's authors: the drafting model while its text is still the model's, and always the doctor, who answers for it.
  const authors: NonNullable<CompositionSection['author']> = [reference(urls, 'Practitioner')]
  if (section.author === 'model' && hasDevice) authors.unshift(reference(urls, 'Device'))
  return {
    ...base,
    author: authors,
    text: generatedNarrative([xhtmlLines(section.text)]),
    ...(definition.key === 'diagnosis' && hasCondition ? { entry: [reference(urls, 'Condition')] } : {}),
  }
}

/**
 * The signed record as a FHIR R4 document (REFERENCE.md §4): a `document` Bundle whose first entry
 * is the Composition (LOINC 34108-1, sections with LOINC codes and escaped narrative, legal
 * attester; `amended` with relatesTo `replaces` for a correction), then Patient, Encounter,
 * Practitioner, the clinic's Organization, the diagnosis as a Condition when coded, the drafting
 * model as a Device, and a Provenance saying the model drafted and the doctor verified. Every fullUrl
 * is a urn:uuid derived from the document id, and every reference resolves inside the bundle.
 */
export function outpatientRecordBundle(file: OutpatientRecordFile, options: FhirExportOptions): Bundle {
  const record = signedRecordFile(file)
  const documentId = documentIdOf(record)
  const systems = options.identifierSystems
  const names: EntryName[] = ['Composition', 'Patient', 'Encounter', 'Practitioner', 'Organization', 'Condition', 'Device', 'Provenance']
  const urls = Object.fromEntries(names.map((name) => [name, resourceUrn(documentId, name)])) as Record<EntryName, string>
  const signedAt = instant(record.signedAt)
  const amended = record.status === 'amended'
  const sections = presentedSections(record)
  const diagnosis = (record.sections.diagnosis ?? '').trim()
  const code = record.sections.diagnosisCode
  const hasCondition = diagnosis !== '' && code !== undefined
  const model = record.model
  const { patient, doctor } = record

  const patientResource: Patient = {
    resourceType: 'Patient',
    // The age is said here, in words: an age is never turned into a birth date.
    text: generatedNarrative([escapeXhtml(`${patient.name}，${sexLabel(patient.sex)}，${patientAgeText(patient)}`), escapeXhtml(`门诊号：${patient.id}`)]),
    identifier: [
      {
        type: { coding: [{ system: identifierTypeSystem, code: 'MR', display: 'Medical record number' }], text: '门诊号' },
        system: systems.patient,
        value: fhirText(patient.id),
      },
    ],
    name: [{ text: fhirText(patient.name) }],
    gender: patient.sex,
    ...(patient.birthDate === undefined ? {} : { birthDate: patient.birthDate }),
  }

  const encounter: Encounter = {
    resourceType: 'Encounter',
    ...(record.visit.id === undefined ? {} : { identifier: [{ system: systems.encounter, value: fhirText(record.visit.id) }] }),
    status: 'finished',
    class: { system: actCodeSystem, code: 'AMB', display: 'ambulatory' },
    serviceType: { text: fhirText(record.department) },
    subject: reference(urls, 'Patient', patient.name),
    participant: [
      {
        type: [{ coding: [{ system: encounterParticipantSystem, code: 'ATND', display: 'attender' }] }],
        individual: reference(urls, 'Practitioner', doctor.name),
      },
    ],
    period: { start: instant(record.visit.start) },
    serviceProvider: reference(urls, 'Organization', record.clinic.name),
  }

  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    identifier: [{ system: clinicianIdSystem, value: fhirText(doctor.id) }],
    name: [{ text: fhirText(doctor.name) }],
  }

  const organization: Organization = { resourceType: 'Organization', active: true, name: fhirText(record.clinic.name) }

  const condition: Condition | null = hasCondition
    ? {
        resourceType: 'Condition',
        clinicalStatus: { coding: [{ system: conditionClinicalSystem, code: 'active' }] },
        // 初步诊断: provisional until confirmed.
        verificationStatus: { coding: [{ system: conditionVerificationSystem, code: 'provisional' }] },
        category: [{ coding: [{ system: conditionCategorySystem, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
        code: { coding: [{ system: icd10System, code }], text: fhirText(diagnosis) },
        subject: reference(urls, 'Patient'),
        encounter: reference(urls, 'Encounter'),
        recordedDate: signedAt,
        recorder: reference(urls, 'Practitioner'),
      }
    : null

  // A local model is named by its file's SHA-256; a model on the hospital inference server has no
  // file here, so the Device names the server instead (its address as Device.url).
  const serverHost = model ? inferenceServerHost(model) : null
  const device: Device | null = model
    ? {
        resourceType: 'Device',
        ...(model.sha256 ? { identifier: [{ type: { text: 'SHA-256' }, system: modelSha256System, value: model.sha256 }] } : {}),
        deviceName: [
          { name: fhirText(model.name), type: 'model-name' },
          ...(serverHost === null ? [] : [{ name: fhirText(`${model.name}（医院推理服务器 ${serverHost} / hospital inference server ${serverHost}）`), type: 'user-friendly-name' as const }]),
        ],
        type: {
          text:
            serverHost === null
              ? '医学大语言模型（本机运行）/ medical large language model, run on this workstation'
              : '医学大语言模型（医院推理服务器运行）/ medical large language model, run on the hospital inference server',
        },
        version: [
          { type: { text: 'quantization' }, value: fhirText(model.quantization) },
          { type: { text: 'prompt format' }, value: fhirText(model.promptFormat) },
        ],
        ...(serverHost === null || model.server == null
          ? {}
          : { url: model.server, note: [{ text: fhirText(`在医院推理服务器 ${serverHost} 上运行 / ran on the hospital inference server ${serverHost}`) }] }),
      }
    : null

  const agents: ProvenanceAgent[] = []
  if (device) {
    agents.push({
      type: { coding: [{ system: participantTypeSystem, code: 'composer', display: 'Composer' }], text: 'AI 起草 / AI-drafted' },
      who: reference(urls, 'Device', model?.name),
    })
  }
  agents.push({
    type: device
      ? { coding: [{ system: participantTypeSystem, code: 'verifier', display: 'Verifier' }], text: '医生核对 / doctor-verified' }
      : { coding: [{ system: participantTypeSystem, code: 'author', display: 'Author' }] },
    who: reference(urls, 'Practitioner', doctor.name),
    onBehalfOf: reference(urls, 'Organization'),
  })
  const provenance: Provenance = {
    resourceType: 'Provenance',
    target: [reference(urls, 'Composition')],
    recorded: signedAt,
    activity: { coding: [{ system: dataOperationSystem, code: amended ? 'UPDATE' : 'CREATE' }] },
    ...(amended && record.amendmentReason !== undefined ? { reason: [{ text: fhirText(record.amendmentReason) }] } : {}),
    agent: agents,
  }

  // One Provenance per drafted section: the model composed it, the doctor verified it, and it rests on
  // the conversation turns the model cited — referenced by identifier only, so no message text leaves.
  const sectionProvenances: Array<[string, Provenance]> = device
    ? sections.flatMap((section) => {
        const key = section.definition.key
        const sources = record.sectionSources?.[key] ?? []
        if (section.text === '' || (section.author !== 'model' && sources.length === 0)) return []
        const sectionProvenance: Provenance = {
          resourceType: 'Provenance',
          target: [{ ...reference(urls, 'Composition'), extension: [{ url: targetElementExtension, valueUri: key }] }],
          recorded: signedAt,
          activity: { coding: [{ system: dataOperationSystem, code: 'CREATE' }] },
          agent: agents,
          ...(sources.length === 0
            ? {}
            : {
                entity: sources.map((source) => ({
                  role: 'source' as const,
                  what: { identifier: { system: recordSourceSystems[source.kind], value: fhirText(`${record.visit.id ?? documentId}/${source.id}`) } },
                })),
              }),
        }
        return [[resourceUrn(documentId, `Provenance/${key}`), sectionProvenance] as [string, Provenance]]
      })
    : []

  const title = amended ? '门诊病历（修订）' : '门诊病历'
  const summary = [
    escapeXhtml(`${record.clinic.name} ${record.department} ${title}`),
    escapeXhtml(`${patient.name}（门诊号 ${patient.id}），就诊时间 ${clinicTime(record.visit.start, options)}`),
    escapeXhtml(`医师 ${doctor.name}，签名时间 ${clinicTime(record.signedAt, options)}`),
    ...(record.signatureStatement ? [escapeXhtml(record.signatureStatement)] : []),
    ...(amended ? [escapeXhtml(`修订原因：${record.amendmentReason ?? ''}`)] : []),
    ...(model
      ? [
          escapeXhtml(
            serverHost === null
              ? `AI 起草（${model.name}），医生核对 / AI-drafted, doctor-verified`
              : `AI 起草（${model.name}，医院推理服务器 ${serverHost}），医生核对 / AI-drafted (hospital inference server ${serverHost}), doctor-verified`,
          ),
        ]
      : []),
  ]
  const composition: Composition = {
    resourceType: 'Composition',
    text: generatedNarrative(summary),
    identifier: { system: systems.record, value: fhirText(documentId) },
    status: amended ? 'amended' : 'final',
    type: { coding: [{ system: loincSystem, code: outpatientNoteLoinc.code, display: outpatientNoteLoinc.display }], text: '门诊病历' },
    subject: reference(urls, 'Patient', patient.name),
    encounter: reference(urls, 'Encounter'),
    date: signedAt,
    author: [reference(urls, 'Practitioner', doctor.name)],
    title,
    attester: [{ mode: 'legal', time: signedAt, party: reference(urls, 'Practitioner', doctor.name) }],
    custodian: reference(urls, 'Organization', record.clinic.name),
    ...(amended && record.amends
      ? { relatesTo: [{ code: 'replaces', targetIdentifier: { system: systems.record, value: fhirText(record.amends.id) } }] }
      : {}),
    section: sections.map((section) => sectionEntry(section, urls, device !== null, hasCondition)),
  }

  const resources: Array<[EntryName, Resource | null]> = [
    ['Composition', composition],
    ['Patient', patientResource],
    ['Encounter', encounter],
    ['Practitioner', practitioner],
    ['Organization', organization],
    ['Condition', condition],
    ['Device', device],
    ['Provenance', provenance],
  ]
  const entry: BundleEntry[] = [
    ...resources.flatMap(([name, resource]) => (resource === null ? [] : [{ fullUrl: urls[name], resource }])),
    ...sectionProvenances.map(([fullUrl, resource]) => ({ fullUrl, resource })),
  ]
  return {
    resourceType: 'Bundle',
    identifier: { system: systems.record, value: fhirText(documentId) },
    type: 'document',
    timestamp: signedAt,
    entry,
  }
}

/** The bundle as the file holds it: pretty-printed JSON, UTF-8, newline at the end. */
export function fhirDocumentJson(record: OutpatientRecordFile, options: FhirExportOptions): string {
  return `${JSON.stringify(outpatientRecordBundle(record, options), null, 2)}\n`
}
