import type { ChatWrapper, LlamaText } from 'node-llama-cpp'

/** A wrapper's stop triggers, read from the wrapper itself so they cannot disagree with generation. */
export function probeStopTriggers(wrapper: ChatWrapper): LlamaText[] {
  const state = wrapper.generateContextState({
    chatHistory: [
      { type: 'user', text: '?' },
      { type: 'model', response: [] },
    ],
  })
  return [...(state.stopGenerationTriggers ?? [])]
}
