// The hospital inference server as the window and core speak of it. Where it is, its API style,
// its model, its CA and its key come only from the hospital configuration: the window never sends
// an address, a key or a path, it only asks to test the configured server or to use it. (The
// server's view in an engine status is RemoteEngineView in inference.ts.)

/** vLLM, OpenAI's own API (or another compatible server), llama.cpp's llama-server, Ollama's native API. */
export const remoteApiStyles = ['vllm', 'openai', 'llama-server', 'ollama'] as const
export type RemoteApiStyle = (typeof remoteApiStyles)[number]

/** Which engine consultations (and drafts, triage-free answers, evaluation runs) use. */
export const engineKinds = ['local', 'remote'] as const
export type EngineKind = (typeof engineKinds)[number]

/** The reply of `model.testServer`: what a successful round trip to the configured server showed. */
export interface RemoteConnectionTest {
  url: string
  api: RemoteApiStyle
  /** The model the configuration names, and whether the server lists it. */
  model: string
  modelServed: boolean
  /** The models the server lists (its /v1/models or Ollama's /api/tags), at most 100. */
  models: string[]
  /** The server's version where it says it (vLLM /version, Ollama /api/version, llama-server /props build). */
  version: string | null
  /** The context the server runs the model with, where it says it. */
  contextSize: number | null
  /** Milliseconds for the model listing's round trip. */
  roundTripMs: number
  testedAt: string
}
