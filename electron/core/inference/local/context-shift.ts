import type { ChatHistoryItem, ChatWrapper, Tokenizer } from 'node-llama-cpp'

/** Tokens the history takes when rendered by the consultation's own prompt format. */
export function renderedTokenCount(history: readonly ChatHistoryItem[], chatWrapper: ChatWrapper, tokenizer: Tokenizer): number {
  return chatWrapper.generateContextState({ chatHistory: [...history] }).contextText.tokenize(tokenizer).length
}

/** Tokens kept free when the history is shifted: room for the answer to go on growing. */
export function contextShiftReserve(contextSize: number): number {
  return Math.max(1, Math.floor(contextSize / 10))
}

/** The system messages a history starts with: HuatuoGPT v1's preamble, a template's system prompt. */
export function preambleOf(history: readonly ChatHistoryItem[]): ChatHistoryItem[] {
  const end = history.findIndex((item) => item.type !== 'system')
  return history.slice(0, end < 0 ? history.length : end)
}

/**
 * The consultation's history reduced to fit: the preamble (system messages at the start) and the
 * turn being answered are kept; the oldest whole patient+model pairs go first. The library's own
 * strategy cuts inside a turn, which would hand the model half a patient message.
 */
export function dropOldestTurns(
  history: readonly ChatHistoryItem[],
  maxTokens: number,
  chatWrapper: ChatWrapper,
  tokenizer: Tokenizer,
): ChatHistoryItem[] {
  const preamble = preambleOf(history)
  const turns = history.slice(preamble.length)
  // Never drop the turn being answered: the last patient message and what follows it.
  const keepFrom = Math.max(0, turns.findLastIndex((item) => item.type === 'user'))
  let start = 0
  while (start < keepFrom && renderedTokenCount([...preamble, ...turns.slice(start)], chatWrapper, tokenizer) > maxTokens) {
    // Drop one pair: a patient message and the model's answer(s) to it.
    start++
    while (start < keepFrom && turns[start]?.type !== 'user') start++
  }
  return [...preamble, ...turns.slice(start)]
}

/** node-llama-cpp's `contextShift.strategy` built on dropOldestTurns. */
export function keepPreambleAndWholeTurns() {
  return ({
    chatHistory,
    maxTokensCount,
    tokenizer,
    chatWrapper,
  }: {
    chatHistory: readonly ChatHistoryItem[]
    maxTokensCount: number
    tokenizer: Tokenizer
    chatWrapper: ChatWrapper
  }) => ({ chatHistory: dropOldestTurns(chatHistory, maxTokensCount, chatWrapper, tokenizer), metadata: null })
}
