// node scripts/eval/make-scorer-cases.ts
//
// Writes tests/fixtures/eval/scorer-cases.json: the scorer's exactness cases, each a small corpus of
// {id, prediction, references}. Hand-written edge cases first, then corpora generated from the real
// Chinese texts of the HuatuoGPT evaluation files (../shared/data/huatuogpt-eval) with a seeded
// generator, so the file comes out byte for byte the same each time. scripts/eval/nltk-expected.py
// then computes NLTK's numbers for every case (tests/fixtures/eval/nltk-expected.json).
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

interface CaseItem {
  id: string
  prediction: string
  references: string[]
}
interface ScorerCase {
  name: string
  items: CaseItem[]
}

const root = fileURLToPath(new URL('../../', import.meta.url))
const dataDir = process.argv[2] ?? `${root}../shared/data/huatuogpt-eval/`

const edgeCases: ScorerCase[] = [
  {
    name: 'empty prediction beside an ordinary one',
    items: [
      { id: 'empty', prediction: '', references: ['头痛三天'] },
      { id: 'ordinary', prediction: '建议多喝水，注意休息', references: ['注意休息，多喝温水'] },
    ],
  },
  { name: 'every prediction empty or whitespace', items: [{ id: 'e1', prediction: '', references: ['发热'] }, { id: 'e2', prediction: ' \u3000\n\t', references: ['咳嗽两周'] }] },
  {
    name: 'prediction longer than every reference',
    items: [{ id: 'long', prediction: '您好，根据您描述的情况，考虑是普通感冒，建议多喝水、注意休息，如果持续发热请及时就医。', references: ['考虑感冒，多喝水', '普通感冒'] }],
  },
  {
    name: 'repeated n-grams',
    items: [
      { id: 'r1', prediction: '的的的的的的的', references: ['的的'] },
      { id: 'r2', prediction: '头痛头痛头痛头痛', references: ['头痛发热头痛'] },
      { id: 'r3', prediction: '注意休息注意休息', references: ['注意休息，注意饮食，注意休息'] },
    ],
  },
  {
    name: 'single characters',
    items: [
      { id: 's1', prediction: '痛', references: ['痛'] },
      { id: 's2', prediction: '痛', references: ['头痛'] },
      { id: 's3', prediction: '头痛', references: ['痛'] },
      { id: 's4', prediction: 'A', references: ['B'] },
    ],
  },
  {
    name: 'characters outside the Basic Multilingual Plane',
    items: [
      { id: 'b1', prediction: '𠀀𠀁𠀂𠀀', references: ['𠀀𠀁𠀃'] },
      { id: 'b2', prediction: '😀👍🏻好的', references: ['好的👍🏻'] },
      { id: 'b3', prediction: '👨‍👩‍👧一家', references: ['👨‍👩‍👧'] },
      { id: 'b4', prediction: '𝐀𝐁𝐂 ok', references: ['𝐀𝐁 ok'] },
    ],
  },
  {
    name: 'full-width and other Unicode spaces',
    items: [
      { id: 'w1', prediction: '头痛　三天，\u00a0伴发热', references: ['头痛三天\u2003伴\u0085发热'] },
      { id: 'w2', prediction: '\u3000\u3000建议\u2028复查\u205f血常规', references: ['建议 复查 血常规'] },
      // Not White_Space, so tokens: U+FEFF (which a JavaScript \s would remove), U+200B, U+180E.
      { id: 'w3', prediction: '\ufeff咳嗽\u200b两周\u180e', references: ['咳嗽两周'] },
    ],
  },
  {
    name: 'mixed Chinese and Latin',
    items: [
      { id: 'm1', prediction: 'CT检查显示pneumonia，建议口服Amoxicillin 500mg tid', references: ['胸部CT提示肺炎（pneumonia），予阿莫西林500 mg tid口服'] },
      { id: 'm2', prediction: 'HbA1c 7.8%，血糖控制欠佳', references: ['HbA1c为7.8%，提示血糖控制不佳'] },
    ],
  },
  {
    name: 'several references per item',
    items: [
      // Hypothesis of 5 tokens, references of 4 and 6: NLTK takes the shorter on the tie.
      { id: 'tie', prediction: '多喝热水吧', references: ['多喝热水', '请多喝热水吧'] },
      { id: 'three', prediction: '注意休息，清淡饮食', references: ['注意休息', '清淡饮食，注意休息', '休息好，饮食清淡些'] },
      // Equal GLEU ratios: the first reference is kept.
      { id: 'equal', prediction: '甲乙', references: ['甲丙', '丁乙'] },
    ],
  },
  {
    name: 'a higher-order precision of zero over the corpus',
    items: [
      { id: 'z1', prediction: '头痛发热', references: ['发热头痛'] },
      { id: 'z2', prediction: '咳嗽咽痛', references: ['咽痛咳嗽'] },
    ],
  },
  { name: 'no unigram matches at all', items: [{ id: 'n1', prediction: '甲乙丙', references: ['丁戊己'] }] },
  {
    name: 'unscored items beside scored ones',
    items: [
      { id: 'u1', prediction: '干桑葚泡水可以补血', references: [] },
      { id: 'u2', prediction: '注意休息', references: ['注意休息'] },
      { id: 'u3', prediction: '多喝水', references: [' \u3000'] },
    ],
  },
]

/** mulberry32: a small seeded generator, the same numbers on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface MedDialogCase {
  medical_case: string
  doctor_diagnosis: string
}
interface KuakeQuery {
  query: string
}

async function texts(): Promise<string[]> {
  const dialog = JSON.parse(await readFile(`${dataDir}Med-dialog_100.json`, 'utf8')) as MedDialogCase[]
  const queries = JSON.parse(await readFile(`${dataDir}KUAKE-QIC_100.json`, 'utf8')) as KuakeQuery[]
  return [...dialog.flatMap((c) => [c.medical_case, c.doctor_diagnosis]), ...queries.map((q) => q.query)]
}

/** A real text cut to at most `max` code points at a random start (whitespace kept: the scorer removes it). */
function excerpt(next: () => number, pool: readonly string[], max: number): string {
  const points = [...(pool[Math.floor(next() * pool.length)] as string)]
  const length = Math.min(points.length, 1 + Math.floor(next() * max))
  const start = Math.floor(next() * (points.length - length + 1))
  return points.slice(start, start + length).join('')
}

/** A model-like rewording: characters dropped, changed, doubled, spans moved, spaces and Latin let in. */
function mutate(next: () => number, text: string, alphabet: readonly string[]): string {
  const points = [...text]
  const out: string[] = []
  for (let i = 0; i < points.length; i++) {
    const roll = next()
    const point = points[i] as string
    if (roll < 0.08) continue
    if (roll < 0.16) out.push(alphabet[Math.floor(next() * alphabet.length)] as string)
    else if (roll < 0.2) out.push(point, point)
    else if (roll < 0.23) out.push(point, ['\u3000', ' ', '\n', 'CT', 'mg', '😀'][Math.floor(next() * 6)] as string)
    else out.push(point)
  }
  if (next() < 0.3 && out.length > 6) {
    const cut = 1 + Math.floor(next() * (out.length - 1))
    return [...out.slice(cut), ...out.slice(0, cut)].join('')
  }
  return out.join('')
}

async function generatedCases(): Promise<ScorerCase[]> {
  const pool = await texts()
  const alphabet = [...new Set([...pool.join('')].filter((c) => !/\s/u.test(c)))].sort()
  const next = random(20240520)
  const corpus = (name: string, size: number, make: (index: number) => Omit<CaseItem, 'id'>): ScorerCase => ({
    name,
    items: Array.from({ length: size }, (_, index) => ({ id: `${name.split(' ')[0]}-${index + 1}`, ...make(index) })),
  })
  const small = [...'头痛发热咳嗽的了']
  return [
    corpus('reworded references', 60, () => {
      const reference = excerpt(next, pool, 160)
      return { prediction: mutate(next, reference, alphabet), references: [reference] }
    }),
    corpus('unrelated answers', 40, () => ({ prediction: excerpt(next, pool, 120), references: [excerpt(next, pool, 120)] })),
    corpus('several references', 50, () => {
      const reference = excerpt(next, pool, 100)
      const others = Array.from({ length: 1 + Math.floor(next() * 3) }, () => (next() < 0.5 ? mutate(next, reference, alphabet) : excerpt(next, pool, 100)))
      return { prediction: mutate(next, reference, alphabet), references: [reference, ...others] }
    }),
    corpus('long predictions', 40, () => {
      const reference = excerpt(next, pool, 40)
      return { prediction: `${mutate(next, reference, alphabet)}${excerpt(next, pool, 200)}`, references: [reference] }
    }),
    corpus('short predictions', 60, () => {
      const word = (max: number) => Array.from({ length: Math.floor(next() * max) }, () => small[Math.floor(next() * small.length)]).join('')
      return { prediction: word(6), references: Array.from({ length: 1 + Math.floor(next() * 2) }, () => word(7) || '痛') }
    }),
    corpus('answers to questions', 60, () => {
      const reference = excerpt(next, pool, 300)
      return { prediction: next() < 0.5 ? mutate(next, mutate(next, reference, alphabet), alphabet) : excerpt(next, pool, 300), references: [reference] }
    }),
  ]
}

const cases = [...edgeCases, ...(await generatedCases())]
const fixture = {
  about: 'Cases for the exact scorer (electron/core/evaluation/metrics): each is one corpus. Made by scripts/eval/make-scorer-cases.ts; NLTK\'s numbers for them are in nltk-expected.json (scripts/eval/nltk-expected.py).',
  source:
    'Generated corpora quote Med-dialog_100.json and KUAKE-QIC_100.json from the eval/ folder of FreedomIntelligence/HuatuoGPT (commit 1412a5d250f411b5739576fda6e3683ba99ebcd1), Apache-2.0.',
  cases,
}
await writeFile(`${root}tests/fixtures/eval/scorer-cases.json`, `${JSON.stringify(fixture, null, 1)}\n`)
process.stdout.write(`${cases.length} cases, ${cases.reduce((sum, c) => sum + c.items.length, 0)} items\n`)
