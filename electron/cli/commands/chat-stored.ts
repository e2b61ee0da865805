import type { WorkstationEvent } from '../../contract/channels.ts'
import type { ConsultationMessage } from '../../contract/consultation-messages.ts'
import type { Page } from '../../contract/paging.ts'
import type { ConsultationTurnText, EngineEvent, LoadedModelStatus, ModelAnswer } from '../../contract/inference.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import { WorkstationError } from '../../core/errors.ts'
import type { ConsultationSession, InferenceEngine } from '../../core/inference/engine.ts'
import { openCliWorkstation } from '../cli-workstation.ts'
import type { CliIO } from '../output.ts'

// `huatuo chat --db FILE --actor STAFF_ID`: the terminal consultation through the workstation's own
// requests, as the window holds it — the clinician signed in with their PIN, each patient line
// stored and triaged, each answer streamed and stored with its status, so the consultation can
// later be found, noted, drafted and exported.

/** What the terminal consultation needs of an engine: the local engine, or the workstation's requests. */
export type ChatEngine = Pick<InferenceEngine, 'load' | 'openConsultation' | 'onEvent' | 'dispose'> & { restart(): Promise<unknown> }

const engineEventTypes = new Set<string>(['model.progress', 'model.gpu-fallback', 'consultation.delta', 'engine.crashed'])

function isEngineEvent(event: WorkstationEvent): event is EngineEvent {
  return engineEventTypes.has(event.type)
}

/** Only what the request schema takes: an empty sampling object is no sampling. */
function withSampling<T extends object>(request: T, sampling: SamplingSettings | undefined): T & { sampling?: SamplingSettings } {
  return sampling && Object.keys(sampling).length > 0 ? { ...request, sampling } : request
}

/** The stored messages as the engine's history: final text, alternating, superseded ones left out. */
function transcriptOf(messages: ConsultationMessage[]): ConsultationTurnText[] {
  return messages.filter((message) => message.supersededAt === null && message.text !== '').map((message) => ({ role: message.role, text: message.text }))
}

export async function startStoredChat(options: { db: string; actor: string; pin: string; threads: number; io: CliIO }): Promise<ChatEngine> {
  const cli = await openCliWorkstation(options.db, options.io, { threads: options.threads })
  try {
    await cli.signIn(options.actor, options.pin)
  } catch (error) {
    await cli.close()
    throw error
  }
  /** The terminal's consultation ids → the stored consultations they continue (after a restart too). */
  const stored = new Map<string, string>()

  const request = cli.request
  // Typing counts as activity, as in the window: the idle lock is for a terminal left alone.
  const active = () => request('session.activity', {}).then(() => undefined)

  const session = (consultationId: string): ConsultationSession => {
    const stopOn = (signal: AbortSignal | undefined) => signal?.addEventListener('abort', () => void request('consultation.stop', { consultationId }).catch(() => undefined), { once: true })
    return {
      consultationId,
      send: async ({ answerId, patientText, sampling, signal }): Promise<ModelAnswer> => {
        await active()
        stopOn(signal)
        return request('consultation.send', withSampling({ consultationId, answerId, text: patientText }, sampling))
      },
      regenerate: async ({ answerId, sampling, signal }) => {
        await active()
        stopOn(signal)
        return request('consultation.regenerate', withSampling({ consultationId, answerId }, sampling))
      },
      editPatientMessage: async ({ answerId, patientMessageIndex, patientText, sampling, signal }) => {
        await active()
        stopOn(signal)
        return request('consultation.edit', withSampling({ consultationId, answerId, patientMessageIndex, text: patientText }, sampling))
      },
      stop: () => request('consultation.stop', { consultationId }).then(() => undefined),
      history: async () => {
        const messages: ConsultationMessage[] = []
        let cursor: string | null = null
        do {
          const page: Page<ConsultationMessage> = await request('consultation.messages', { consultationId, limit: 200, ...(cursor ? { cursor } : {}) })
          messages.push(...page.items)
          cursor = page.nextCursor
        } while (cursor !== null)
        return transcriptOf(messages)
      },
      close: () => request('consultation.close', { consultationId }).then(() => undefined),
    }
  }

  return {
    onEvent: (listener) =>
      cli.workstation.onEvent((event) => {
        if (isEngineEvent(event)) listener(event)
      }),
    load: async ({ modelPath, promptFormat, contextSize }): Promise<LoadedModelStatus> => {
      const status = await cli.workstation.loadModelAtStart(modelPath, options.actor, { ...(promptFormat ? { promptFormat } : {}), ...(contextSize ? { contextSize } : {}) })
      if (!status.model || !status.local) throw new WorkstationError('MODEL_LOAD_FAILED')
      return { ...status.local, name: status.model.name, promptFormat: status.model.promptFormat, contextSize: status.model.contextSize }
    },
    openConsultation: async ({ consultationId }) => {
      // A new terminal consultation is a new stored one; after a restart the same one goes on.
      const known = stored.get(consultationId)
      const opened = await request('consultation.open', known ? { consultationId: known } : {})
      stored.set(consultationId, opened.consultationId)
      return session(opened.consultationId)
    },
    restart: () => request('model.restart', {}),
    dispose: () => cli.close(),
  }
}
