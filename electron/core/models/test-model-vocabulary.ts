// The SentencePiece vocabulary of generated test models. Every byte has a token (<0x00>…<0xFF>),
// so any text tokenizes through byte fallback; common Chinese characters, the HuatuoGPT role
// markers and ASCII have their own pieces, so clinical text tokenizes the way a real model's would.

/** llama.cpp token types (tokenizer.ggml.token_type). */
export const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const

/**
 * Vocabulary sizes of the base models: the one fact that tells HuatuoGPT v1 (Baichuan-7B, 64,000
 * tokens) from HuatuoGPT-II (Baichuan2, 125,696 tokens) when names are arbitrary.
 */
export const archVocabularySizes = { baichuan: 64_000, baichuan2: 125_696 } as const
export type ArchVocabulary = keyof typeof archVocabularySizes

export const UNKNOWN_TOKEN_ID = 0
export const BOS_TOKEN_ID = 1
export const EOS_TOKEN_ID = 2

/** Role markers of the HuatuoGPT prompt formats (REFERENCE.md §1), kept as ordinary pieces. */
const roleMarkers = ['<病人>', '<HuatuoGPT>', '<问>', '<答>']

const commonCharacters =
  '的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呈件病痛头胸腹咳嗽热烧血压糖尿药医生患者症状疼呕吐泻晕心肺肝肾胃肠皮肤眼耳鼻喉'

const chinesePunctuation = '：，。？！、；（）“”《》'

function uniqueCharacters(text: string): string[] {
  return [...new Set(Array.from(text))]
}

/** Every prefix of two or more characters: SentencePiece merges pairs, so each step must be a piece. */
function markerPieces(marker: string): string[] {
  const characters = Array.from(marker)
  return characters.slice(1).map((_, index) => characters.slice(0, index + 2).join(''))
}

export interface TestVocabulary {
  tokens: string[]
  scores: Float32Array
  types: Int32Array
}

/**
 * Builds the vocabulary; with `size` it is padded with filler pieces to exactly that many tokens.
 * Fillers are never produced by tokenizing text (no merge path leads to them).
 */
export function buildTestVocabulary(size?: number): TestVocabulary {
  const special: Array<[string, number]> = [
    ['<unk>', TokenType.UNKNOWN],
    ['<s>', TokenType.CONTROL],
    ['</s>', TokenType.CONTROL],
  ]
  const bytes = Array.from({ length: 256 }, (_, byte) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`)
  const ascii = Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) => String.fromCharCode(0x21 + index))
  const pieces = [
    ...new Set([
      ...roleMarkers.flatMap(markerPieces),
      '▁',
      ...uniqueCharacters(chinesePunctuation),
      ...uniqueCharacters(commonCharacters),
      ...ascii,
    ]),
  ]

  const fixedCount = special.length + bytes.length + pieces.length
  const total = size ?? fixedCount
  if (total < fixedCount) throw new RangeError(`a vocabulary needs at least ${fixedCount} tokens`)

  const tokens: string[] = []
  const scores = new Float32Array(total)
  const types = new Int32Array(total)
  for (const [text, type] of special) {
    types[tokens.length] = type
    tokens.push(text)
  }
  for (const text of bytes) {
    types[tokens.length] = TokenType.BYTE
    tokens.push(text)
  }
  // Scores play the part of SentencePiece log-probabilities: earlier pieces merge first.
  pieces.forEach((text, rank) => {
    scores[tokens.length] = -rank
    types[tokens.length] = TokenType.NORMAL
    tokens.push(text)
  })
  for (let filler = 0; tokens.length < total; filler++) {
    scores[tokens.length] = -(pieces.length + filler)
    types[tokens.length] = TokenType.NORMAL
    tokens.push(`<filler_${filler}>`)
  }
  return { tokens, scores, types }
}
