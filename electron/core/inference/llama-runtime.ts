import { setTimeout as delay } from 'node:timers/promises'
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp'
import { configuredInferenceThreads } from './threads.ts'

export type GpuPreference = 'auto' | false

export interface LlamaRuntimeOptions {
  gpu?: GpuPreference
  threads?: number
}

/**
 * The one place that calls getLlama. Prebuilt binaries only: the workstation never compiles or
 * downloads llama.cpp at run time (hospital machines are offline). Threads are always explicit.
 */
export async function loadLlamaRuntime(options: LlamaRuntimeOptions = {}): Promise<Llama> {
  return getLlama({
    gpu: options.gpu ?? 'auto',
    build: 'never',
    skipDownload: true,
    usePrebuiltBinaries: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
    // llama.cpp's own messages may echo prompt text: keep them out of the workstation's logs.
    logger: () => {},
    maxThreads: options.threads ?? configuredInferenceThreads(),
  })
}

/**
 * Disposes a runtime without risking a hang. node-llama-cpp 3.21.1 leaks a dispose guard when
 * loadModel fails (an unsupported architecture, a damaged file) and the half-made model is then
 * garbage-collected: Llama.dispose() never resolves. The wait is bounded; disposal carries on in
 * the background, and the timer does not keep the process alive.
 */
export async function disposeLlamaRuntime(llama: Llama, waitMs = 1000): Promise<void> {
  await Promise.race([llama.dispose(), delay(waitMs, undefined, { ref: false })])
}
