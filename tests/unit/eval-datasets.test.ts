import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isWorkstationError } from '../../electron/core/errors.ts'
import { parseCsv } from '../../electron/core/evaluation/datasets/csv.ts'
import { readDataset } from '../../electron/core/evaluation/datasets/index.ts'
import { datasetSha256, sha256OfFile } from '../../electron/core/evaluation/dataset-hash.ts'
import { repoRoot } from '../support/cli.ts'

// Each dataset format read from a hand-written fixture in its exact shape (tests/fixtures/eval/SOURCE.md):
// the items, their references (several, one, or none), and every malformed row skipped with its line.

const fixture = (name: string) => join(repoRoot, 'tests/fixtures/eval', name)

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  return isWorkstationError(error) ? error.code : error
}

describe('cMedQA2', () => {
  it('reads the test split from the folder: label-1 answers are the references, several kept', async () => {
    const dataset = await readDataset('cmedqa2', fixture('cmedqa2'))
    expect(dataset.items.map((item) => item.id)).toEqual(['101', '102', '103'])
    expect(dataset.items[0]).toEqual({
      id: '101',
      question: '头痛三天，晚上加重，需要做什么检查？',
      prompt: '头痛三天，晚上加重，需要做什么检查？',
      reference: ['建议先测血压，必要时做头颅CT检查。', '头痛持续三天，建议神经内科就诊,排除器质性病变。'],
    })
    // Quoted fields keep their commas and line breaks.
    expect(dataset.items[1]!.question).toBe('孩子发烧38度5,咳嗽有痰,要不要去医院?')
    expect(dataset.items[1]!.reference).toBe('38度5属于中度发热，可先物理降温，精神差或持续高热请就医。')
    expect(dataset.items[2]!.question).toBe('胃疼饭后加重，\n有时反酸，是胃炎吗？')
    expect(dataset.skipped).toEqual([
      { file: 'test_candidates.txt', line: 7, reason: 'has 3 fields, expected 4' },
      { file: 'test_candidates.txt', line: 10, reason: 'question 106 is not in question.csv or is empty' },
      { file: 'test_candidates.txt', line: 11, reason: 'question 105 has no label-1 answer found in answer.csv' },
    ])
    expect(dataset.files.map((file) => file.split('/').pop())).toEqual(['test_candidates.txt', 'question.csv', 'answer.csv'])
  })

  it('takes a candidates file as --data too, and hashes the three files together', async () => {
    const dataset = await readDataset('cmedqa2', fixture('cmedqa2/test_candidates.txt'))
    expect(dataset.items).toHaveLength(3)
    const combined = await datasetSha256(dataset.files)
    expect(combined).toMatch(/^[0-9a-f]{64}$/)
    expect(combined).not.toBe(await sha256OfFile(dataset.files[0]!))
  })

  it('refuses a folder without the CSVs, and a CSV without its header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huatuo-cmedqa2-'))
    try {
      await writeFile(join(dir, 'test_candidates.txt'), 'question_id,ans_id,cnt,label\n1,2,0,1\n')
      expect(await codeOf(readDataset('cmedqa2', dir))).toBe('DATASET_UNREADABLE')
      await writeFile(join(dir, 'question.csv'), '1,问题\n')
      await writeFile(join(dir, 'answer.csv'), 'ans_id,question_id,content\n2,1,答案\n')
      expect(await codeOf(readDataset('cmedqa2', dir))).toBe('DATASET_INVALID')
      expect(await codeOf(readDataset('cmedqa2', join(dir, 'missing')))).toBe('DATASET_UNREADABLE')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('webMedQA', () => {
  it('groups the five candidate lines of a question; the positive is the reference', async () => {
    const dataset = await readDataset('webmedqa', fixture('webmedqa/medQA.test.txt'))
    expect(dataset.items).toEqual([
      {
        id: '1',
        question: '我最近总是头晕，站起来的时候眼前发黑，是怎么回事？',
        prompt: '我最近总是头晕，站起来的时候眼前发黑，是怎么回事？',
        reference: '可能是体位性低血压，建议测量卧立位血压。',
      },
      {
        id: '2',
        question: '宝宝两岁，拉肚子两天，一天五六次，怎么办？',
        prompt: '宝宝两岁，拉肚子两天，一天五六次，怎么办？',
        reference: '注意补液，防止脱水，可口服补液盐，如有血便或精神差及时就医。',
      },
      { id: '4', question: '膝盖扭伤后肿了，要冰敷还是热敷？', prompt: '膝盖扭伤后肿了，要冰敷还是热敷？', reference: '48小时内冰敷，之后可热敷，若不能负重请拍片。' },
    ])
    expect(dataset.skipped).toEqual([
      { file: 'medQA.test.txt', line: 10, reason: 'has 4 tab-separated fields, expected 5' },
      { file: 'medQA.test.txt', line: 11, reason: 'question 3 has no positive (label 1) answer' },
    ])
  })

  it('takes the category first and the ID third as well (public loaders read it so)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huatuo-webmedqa-'))
    try {
      const path = join(dir, 'medQA.test.txt')
      await writeFile(path, '内科\t1\t77\t头晕怎么办\t测血压\n内科\t0\t77\t头晕怎么办\t喝水\n')
      const dataset = await readDataset('webmedqa', path)
      expect(dataset.items).toEqual([{ id: '77', question: '头晕怎么办', prompt: '头晕怎么办', reference: '测血压' }])
      await writeFile(path, 'question,answer\n问题,答案\n')
      expect(await codeOf(readDataset('webmedqa', path))).toBe('DATASET_INVALID')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('Huatuo-26M test', () => {
  it('reads string and array questions and answers; ids are line numbers', async () => {
    const dataset = await readDataset('huatuo26m', fixture('huatuo26m-test.jsonl'))
    expect(dataset.items.map((item) => item.id)).toEqual(['1', '2', '4', '7'])
    expect(dataset.items[0]!.reference).toBe('血糖控制平稳时可以适量吃低糖水果，如苹果、柚子，放在两餐之间。')
    // Several phrasings of one question: the first is asked.
    expect(dataset.items[2]).toMatchObject({ question: '感冒了可以喝酒吗？', reference: '感冒期间不建议饮酒，尤其服用头孢类药物时禁止饮酒。' })
    expect(dataset.items[3]!.reference).toEqual(['多吃红肉、动物肝脏。', '在医生指导下口服铁剂。'])
    expect(dataset.skipped).toEqual([
      { file: 'huatuo26m-test.jsonl', line: 3, reason: 'is not valid JSON' },
      { file: 'huatuo26m-test.jsonl', line: 5, reason: '`answers` must be a non-empty string or array of strings' },
    ])
  })
})

describe("HuatuoGPT's evaluation files", () => {
  it('KUAKE-QIC: the query is answered, with no reference (unscored)', async () => {
    const dataset = await readDataset('kuake-qic', fixture('kuake-qic.json'))
    expect(dataset.items).toEqual([
      { id: 's53', question: '干桑葚泡水喝的功效有哪些？', prompt: '干桑葚泡水喝的功效有哪些？' },
      { id: 's141', question: '同仁养生堂维生素E软胶囊有哪些功效呀??', prompt: '同仁养生堂维生素E软胶囊有哪些功效呀??' },
      { id: 's427', question: '对呼吸道有安抚作用的药有哪些？', prompt: '对呼吸道有安抚作用的药有哪些？' },
    ])
    expect(dataset.items.every((item) => !('reference' in item))).toBe(true)
    expect(dataset.skipped).toEqual([{ file: 'kuake-qic.json', item: 4, reason: '`query` must be a non-empty string' }])
  })

  it("Med-dialog: the case goes in, the doctor's summary is the reference", async () => {
    const dataset = await readDataset('med-dialog', fixture('med-dialog.json'))
    expect(dataset.items.map((item) => item.id)).toEqual(['62963', '33413'])
    expect(dataset.items[0]!.question).toMatch(/^疾病：\n指甲营养不良\n病情描述：/)
    expect(dataset.items[0]!.reference).toBe('病情摘要及初步印象：\n甲营养不良\n总结建议：\n适量用药，注意观察，注意随访')
    expect(dataset.skipped).toEqual([{ file: 'med-dialog.json', item: 3, reason: '`doctor_diagnosis` must be a non-empty string' }])
  })

  it('reads the whole published files: 100 items each, KUAKE-QIC unscored', async () => {
    const shared = '/work/shared/data/huatuogpt-eval'
    const kuake = await readDataset('kuake-qic', join(shared, 'KUAKE-QIC_100.json')).catch(() => undefined)
    if (kuake === undefined) return // the shared data folder is not on every machine
    expect(kuake.items).toHaveLength(100)
    expect(kuake.items.some((item) => item.reference !== undefined)).toBe(false)
    const dialog = await readDataset('med-dialog', join(shared, 'Med-dialog_100.json'))
    expect(dialog.items).toHaveLength(100)
    expect(dialog.skipped).toEqual([])
  })
})

describe('generic JSON lines and exams', () => {
  it('generic: {question, answer}; an item without an answer is unscored; its own id is kept', async () => {
    const dataset = await readDataset('jsonl', fixture('generic.jsonl'))
    expect(dataset.items).toEqual([
      { id: '1', question: '布洛芬和对乙酰氨基酚能一起吃吗？', prompt: '布洛芬和对乙酰氨基酚能一起吃吗？', reference: '一般不建议同时服用，可交替使用，注意间隔时间。' },
      { id: 'g-2', question: '体检发现尿酸高怎么办？', prompt: '体检发现尿酸高怎么办？', reference: ['少吃高嘌呤食物，多饮水。', '复查尿酸，必要时就医。'] },
      { id: '3', question: '打完疫苗可以洗澡吗？', prompt: '打完疫苗可以洗澡吗？' },
    ])
    expect(dataset.skipped).toEqual([
      { file: 'generic.jsonl', line: 4, reason: 'is not a JSON object' },
      { file: 'generic.jsonl', line: 5, reason: '`question` must be a non-empty string' },
    ])
  })

  it("exam: HuatuoGPT-II's prompt with the options, the letter as reference, options kept", async () => {
    const dataset = await readDataset('exam', fixture('exam.jsonl'))
    expect(dataset.items).toHaveLength(2)
    expect(dataset.items[0]).toEqual({
      id: '1',
      question: '成人正常空腹血糖的范围是',
      prompt: '请回答下面选择题。\n成人正常空腹血糖的范围是\nA. 2.8～3.9 mmol/L\nB. 3.9～6.1 mmol/L\nC. 6.1～7.0 mmol/L\nD. 7.0～11.1 mmol/L',
      reference: 'B',
      options: { A: '2.8～3.9 mmol/L', B: '3.9～6.1 mmol/L', C: '6.1～7.0 mmol/L', D: '7.0～11.1 mmol/L' },
    })
    expect(dataset.items[1]!.prompt.split('\n').at(-1)).toBe('E. AST')
    expect(dataset.skipped).toEqual([
      { file: 'exam.jsonl', line: 3, reason: '`answer` must be the letter of one of the options' },
      { file: 'exam.jsonl', line: 4, reason: '`option` must be an object of letters to texts' },
    ])
  })

  it('a file in another format is refused as a whole, with its code', async () => {
    expect(await codeOf(readDataset('exam', fixture('generic.jsonl')))).toBe('DATASET_INVALID')
    expect(await codeOf(readDataset('kuake-qic', fixture('generic.jsonl')))).toBe('DATASET_INVALID')
    expect(await codeOf(readDataset('jsonl', fixture('no-such-file.jsonl')))).toBe('DATASET_UNREADABLE')
  })
})

describe('reading files', () => {
  let dir: string
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'huatuo-dataset-text-'))))
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('parses RFC 4180 CSV: doubled quotes, CRLF, line numbers of multi-line records, an unclosed quote', () => {
    expect(parseCsv('a,b\r\n"x ""y""",2\r\n"multi\nline",3\n\n4,5\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x "y"', '2'] },
      { line: 3, fields: ['multi\nline', '3'] },
      { line: 6, fields: ['4', '5'] },
    ])
    expect(parseCsv('a,b\n"open,1\n2,3\n')).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, error: 'a quoted field is never closed' }])
  })

  it('reads a GB18030 file and a UTF-8 file with a byte-order mark', async () => {
    const gbk = join(dir, 'gbk.jsonl')
    // {"question": "头痛", "answer": "休息"} in GB18030.
    const json = Buffer.concat([Buffer.from('{"question": "'), Buffer.from([0xcd, 0xb7, 0xcd, 0xb4]), Buffer.from('", "answer": "'), Buffer.from([0xd0, 0xdd, 0xcf, 0xa2]), Buffer.from('"}\n')])
    await writeFile(gbk, json)
    expect((await readDataset('jsonl', gbk)).items[0]).toMatchObject({ question: '头痛', reference: '休息' })
    const bom = join(dir, 'bom.jsonl')
    await writeFile(bom, '\ufeff{"question": "头痛", "answer": "休息"}\n')
    expect((await readDataset('jsonl', bom)).items[0]).toMatchObject({ question: '头痛', reference: '休息' })
  })
})
