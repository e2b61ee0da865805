import type { OutpatientRecordFile } from '../../electron/contract/outpatient-record.ts'

// Records for the export tests: an ordinary signed one, an amendment, and one made of everything an
// exporter must survive (markup, entities, quotes, emoji, control characters, very long and empty sections).

export const identifierSystems = {
  patient: 'urn:oid:2.16.840.1.113883.2.4.6.3.1',
  encounter: 'urn:huatuo-workstation:consultation-id',
  record: 'urn:huatuo-workstation:record-id',
}

export const clinicTimeZone = 'Asia/Shanghai'

export const modelSha256 = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(16) + 'd'.repeat(16)

export function signedRecord(overrides: Partial<OutpatientRecordFile> = {}): OutpatientRecordFile {
  return {
    id: 'consultation-7f3a-v1',
    clinic: { name: '华佗社区卫生服务中心' },
    department: '全科门诊',
    patient: { id: 'MZ20240301-0042', name: '张伟', sex: 'male', age: 52 },
    visit: { id: 'consultation-7f3a', start: '2024-03-01T09:30:00+08:00' },
    doctor: { id: 'dr-li', name: '李明' },
    sections: {
      chiefComplaint: '头痛3天，加重伴发热1天。',
      presentIllness:
        '患者3天前无明显诱因出现头痛，以双侧颞部胀痛为主，夜间加重。1天前出现发热，最高体温38.5℃，伴咽痛、鼻塞，无恶心呕吐，无颈项强直。自服布洛芬后体温可降至正常，头痛稍缓解。',
      pastHistory: '高血压病史5年，规律口服氨氯地平5mg每日一次，血压控制可。否认糖尿病、冠心病史。',
      allergies: '青霉素过敏（皮疹）。',
      physicalExam: 'T 38.2℃，P 92次/分，R 18次/分，BP 138/86mmHg。咽部充血，双侧扁桃体I度肿大，颈软，双肺呼吸音清。',
      investigations: '血常规：WBC 11.2×10^9/L，N 78%。',
      diagnosis: '急性上呼吸道感染',
      diagnosisCode: 'J06.9',
      plan: '多饮水、注意休息；对症退热；如出现高热不退、剧烈头痛、呕吐或颈部僵硬，及时复诊或急诊就医。',
      orders: '1. 布洛芬缓释胶囊 0.3g 口服 必要时\n2. 复方氨酚烷胺片 1片 口服 每日两次 ×3天',
    },
    sectionAuthors: {
      chiefComplaint: 'model',
      presentIllness: 'model',
      pastHistory: 'doctor',
      allergies: 'model',
      physicalExam: 'doctor',
      investigations: 'doctor',
      diagnosis: 'doctor',
      plan: 'model',
      orders: 'doctor',
    },
    model: { name: 'HuatuoGPT-o1-7B', quantization: 'Q4_K_M', sha256: modelSha256, promptFormat: 'gguf-template' },
    status: 'signed',
    signedAt: '2024-03-01T10:05:12+08:00',
    redFlags: [{ category: 'thunderclap-headache', level: 'urgent', matched: ['头痛得像要炸开'] }],
    ...overrides,
  }
}

export function amendedRecord(): OutpatientRecordFile {
  const base = signedRecord()
  return {
    ...base,
    id: 'consultation-7f3a-v2',
    status: 'amended',
    signedAt: '2024-03-01T11:20:00+08:00',
    amendmentReason: '补充辅助检查结果：CRP 升高。',
    amends: { id: 'consultation-7f3a-v1', signedAt: '2024-03-01T10:05:12+08:00' },
    sections: { ...base.sections, investigations: '血常规：WBC 11.2×10^9/L，N 78%。CRP 24mg/L。' },
  }
}

export const nastyText = {
  script: '<script>alert("x")</script>',
  ampersand: 'AT&T & 布洛芬 &amp; &lt;',
  quotes: `"双引号" '单引号' “中文引号” ‘’`,
  emoji: '头痛😖，发热🤒，家族👨‍👩‍👧',
  control: 'a\u0000b\u0007c\u001Fd',
}

/** Every section hostile at once, one very long, some empty or missing; an infant's age in months. */
export function nastyRecord(): OutpatientRecordFile {
  const long = '反复咳嗽咳痰，夜间加重。'.repeat(700)
  return signedRecord({
    id: 'nasty-<id>&"1"',
    clinic: { name: '</style><script>x</script>医院 & "诊所"' },
    department: '儿科 <急诊>',
    patient: { id: 'MZ-<0001>', name: '王小明 "</title>"', sex: 'unknown', age: 0.25 },
    doctor: { id: 'dr-o\'brien', name: 'Dr. O\'Brien & 王' },
    sections: {
      chiefComplaint: `${nastyText.script} 发热2天 ${nastyText.emoji}`,
      presentIllness: long,
      pastHistory: nastyText.ampersand,
      allergies: '无',
      physicalExam: '',
      diagnosis: `${nastyText.quotes} ${nastyText.control}`,
      plan: '- 列表？\n# 标题？\n1. 编号？\n> 引用？\n[链接](javascript:alert(1)) *强调* `代码` |表格|',
      orders: '',
    },
    sectionAuthors: { chiefComplaint: 'model', presentIllness: 'model', pastHistory: 'doctor', allergies: 'model', diagnosis: 'doctor', plan: 'doctor' },
    redFlags: [{ category: 'unknown-old-category', level: 'emergency', matched: ['<b>胸痛</b>', '喘不上气 & 出汗'] }],
  })
}
