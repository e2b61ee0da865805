// Code systems and identifier systems the FHIR export uses (HL7 terminology URIs, R4).

export const loincSystem = 'http://loinc.org'
export const icd10System = 'http://hl7.org/fhir/sid/icd-10'
export const actCodeSystem = 'http://terminology.hl7.org/CodeSystem/v3-ActCode'
export const identifierTypeSystem = 'http://terminology.hl7.org/CodeSystem/v2-0203'
export const participantTypeSystem = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type'
export const dataOperationSystem = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation'
export const emptyReasonSystem = 'http://terminology.hl7.org/CodeSystem/list-empty-reason'
export const conditionClinicalSystem = 'http://terminology.hl7.org/CodeSystem/condition-clinical'
export const conditionVerificationSystem = 'http://terminology.hl7.org/CodeSystem/condition-ver-status'
export const conditionCategorySystem = 'http://terminology.hl7.org/CodeSystem/condition-category'
export const encounterParticipantSystem = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType'

/** Where the hospital configuration names none: this workstation's own URNs, not any registry's. */
export const clinicianIdSystem = 'urn:huatuo-workstation:clinician-id'
export const modelSha256System = 'urn:huatuo-workstation:model-sha256'
/** What a drafted section cites: "<consultation id>/<message or note id>" on the workstation that kept it. */
export const recordSourceSystems = {
  'patient-message': 'urn:huatuo-workstation:patient-message',
  'clinician-note': 'urn:huatuo-workstation:clinician-note',
} as const

/** FHIR R4 core extension: the element of the target a Provenance is about (here, a Composition section's id). */
export const targetElementExtension = 'http://hl7.org/fhir/StructureDefinition/targetElement'

/** The identifier systems of the hospital configuration (HospitalConfig.identifierSystems). */
export interface IdentifierSystems {
  patient: string
  encounter: string
  record: string
}
