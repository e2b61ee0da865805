import type { ConsultationTurnText } from '../../../contract/inference.ts'
import { WorkstationError } from '../../errors.ts'

// A conversation written down as JSON, for `huatuo prompt` and test fixtures:
//   [{"role": "user", "text": "…"}, {"role": "assistant", "text": "…"}, …, {"role": "user", "text": "…"}]
// Roles alternate, starting and ending with the patient. Texts are kept exactly as written.

const roleOf = { user: 'patient', assistant: 'model' } as const

function invalid(detail: string): WorkstationError {
  // The detail names positions and roles only: the texts are clinical.
  return new WorkstationError('CONVERSATION_INVALID', detail)
}

export function parseConversationFile(json: string): ConsultationTurnText[] {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw invalid('not JSON')
  }
  if (!Array.isArray(value)) throw invalid('not a JSON array')
  if (value.length === 0) throw invalid('no messages')
  const turns = value.map((message: unknown, index): ConsultationTurnText => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw invalid(`message ${index + 1} is not an object`)
    const { role, text } = message as Record<string, unknown>
    const expected = index % 2 === 0 ? 'user' : 'assistant'
    if (role !== expected) {
      const found = role === 'user' || role === 'assistant' ? `"${role}"` : 'an unknown role'
      throw invalid(`message ${index + 1} has ${found}, expected "${expected}"`)
    }
    if (typeof text !== 'string') throw invalid(`message ${index + 1} has no text string`)
    return { role: roleOf[expected], text }
  })
  if (turns.length % 2 === 0) throw invalid('the last message must be the patient\'s ("user")')
  return turns
}
