import type { ChatHistoryItem } from 'node-llama-cpp'
import type { ConsultationTurnText } from '../../../contract/inference.ts'
import type { ModelFamily } from './detect.ts'
import { splitThinking } from './thinking.ts'

/**
 * Turns a consultation's stored messages into the history sent to the model. For HuatuoGPT-o1 only
 * the final response of each earlier answer goes back, never its thinking; a stored answer that
 * still carries the `## Thinking` part (older rows, imports) is split here. Texts are otherwise used
 * exactly as stored.
 */
export function chatHistoryForModel(turns: readonly ConsultationTurnText[], family: ModelFamily): ChatHistoryItem[] {
  return turns.map((turn): ChatHistoryItem => {
    if (turn.role === 'patient') return { type: 'user', text: turn.text }
    const text = family === 'o1' ? splitThinking(turn.text).response : turn.text
    return { type: 'model', response: [text] }
  })
}
