import type { ErrorCode } from '../../contract/errors.ts'
import type { ActiveModel, AnswerStatus, AnswerTiming } from '../../contract/inference.ts'
import type { AnswerAuthor, AnswerOutcome, ConsultationMessage, MessageStatus } from '../../contract/consultation-messages.ts'
import type { EngineKind } from '../../contract/remote-engine.ts'
import type { Page, PageRequest } from '../../contract/paging.ts'
import { WorkstationError } from '../errors.ts'
import { systemActor } from './actor.ts'
import type { AuditLog } from './audit-log.ts'
import type { ConsultationRows } from './consultation-rows.ts'
import { decodeCursor, encodeCursor, pageLimit } from './keyset-cursor.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime, isoTimeOrNull, parseIsoTime } from './record-time.ts'
import type { SearchIndex } from './search/search-index.ts'

interface MessageRow {
  id: number
  consultation_id: string
  seq: number
  role: 'patient' | 'model'
  text: string
  thinking: string
  status: MessageStatus
  error_code: string | null
  prompt_tokens: number | null
  evaluated_prompt_tokens: number | null
  generated_tokens: number | null
  time_to_first_token_ms: number | null
  tokens_per_second: number | null
  created_at: number
  updated_at: number
  finished_at: number | null
  replaces_message_id: number | null
  superseded_at: number | null
  /** Who wrote an answer (schema 9); NULL for patient messages and for answers stored before. */
  engine: EngineKind | null
  model_name: string | null
  server: string | null
  fallback_from: string | null
}

const finalStatuses: readonly AnswerStatus[] = ['complete', 'stopped', 'interrupted', 'error']

function toMessage(row: MessageRow): ConsultationMessage {
  const base = {
    id: row.id,
    consultationId: row.consultation_id,
    seq: row.seq,
    text: row.text,
    status: row.status,
    createdAt: isoTime(row.created_at),
    supersededAt: isoTimeOrNull(row.superseded_at),
    replacesMessageId: row.replaces_message_id,
  }
  if (row.role === 'patient') return { ...base, role: 'patient' }
  const timing: AnswerTiming | null =
    row.generated_tokens === null
      ? null
      : {
          promptTokens: row.prompt_tokens ?? 0,
          evaluatedPromptTokens: row.evaluated_prompt_tokens ?? 0,
          generatedTokens: row.generated_tokens,
          timeToFirstTokenMs: row.time_to_first_token_ms,
          tokensPerSecond: row.tokens_per_second,
        }
  return {
    ...base,
    role: 'model',
    thinking: row.thinking,
    timing,
    errorCode: row.error_code as ErrorCode | null,
    updatedAt: isoTime(row.updated_at),
    finishedAt: isoTimeOrNull(row.finished_at),
    author: authorOf(row),
  }
}

function authorOf(row: MessageRow): AnswerAuthor | null {
  if (row.engine === null) return null
  return { engine: row.engine, model: row.model_name ?? '', server: row.server, fallbackFrom: row.fallback_from as ErrorCode | null }
}

export interface NewMessageOptions {
  /** Kept when given (imports); now otherwise. */
  createdAt?: string
  /** The message this one takes the place of (an edited question, a regenerated answer); that one is kept, marked superseded. */
  replaces?: number
}

export interface AnswerStart extends NewMessageOptions {
  modelName?: string
  promptFormat?: string
  /** The engine that answers (with `modelName`, the answer's author); without it the author is unknown. */
  engine?: EngineKind
  /** The hospital inference server's address, for a remote engine. */
  server?: string | null
}

/** The local model that answered when the server could not, and the server's failure (ModelAnswer.fallback). */
export interface AnswerFallback {
  model: Pick<ActiveModel, 'engine' | 'name' | 'server'>
  reason: ErrorCode
}

/** The author columns of an answer as it starts: none when the caller does not name its engine. */
function startingAuthor(options: AnswerStart): { engine: EngineKind; model: string; server: string | null } | null {
  if (options.engine === undefined) return null
  return { engine: options.engine, model: options.modelName ?? '', server: options.server ?? null }
}

/**
 * One row per message, never a blob per conversation: adding a message writes one row, however
 * long the consultation. A model answer is stored as it streams (`streaming`, checkpointed) and
 * ends as complete, stopped, interrupted or error. Finished messages are final (a trigger enforces it).
 */
export class ConsultationMessages {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog
  private readonly consultations: ConsultationRows
  private readonly index: SearchIndex

  constructor(store: RecordDatabase, audit: AuditLog, consultations: ConsultationRows, index: SearchIndex) {
    this.store = store
    this.audit = audit
    this.consultations = consultations
    this.index = index
  }

  appendPatientMessage(consultationId: string, text: string, options: NewMessageOptions = {}): ConsultationMessage {
    return this.store.transaction('message.patient', () => {
      const row = this.insert(consultationId, 'patient', text, 'complete', options)
      this.index.add('message', row.id, consultationId, row.created_at, text)
      return toMessage(row)
    })
  }

  /** An answer that is already finished (imports, tests): stored and indexed in one step. */
  appendAnswer(consultationId: string, outcome: AnswerOutcome, options: AnswerStart = {}): ConsultationMessage {
    return this.store.transaction('message.answer', () => {
      const row = this.insert(consultationId, 'model', '', 'streaming', options, startingAuthor(options))
      // An imported answer ended when it was written; a live one ends now.
      return this.finishRow(row.id, outcome, options.createdAt === undefined ? undefined : row.created_at)
    })
  }

  /**
   * The answer row exists from the first token on, so a crash keeps whatever was checkpointed. It
   * names its author (engine, model, server) from the start when `options.engine` is given.
   */
  startAnswer(consultationId: string, options: AnswerStart = {}): ConsultationMessage {
    return this.store.transaction('message.start', () => {
      const row = this.insert(consultationId, 'model', '', 'streaming', options, startingAuthor(options))
      this.consultations.touch(consultationId, row.created_at, { modelName: options.modelName, promptFormat: options.promptFormat })
      return toMessage(row)
    })
  }

  /** Stores the text so far of a streaming answer (the caller decides how often: see AnswerCheckpointer). */
  checkpointAnswer(messageId: number, text: string, thinking = ''): void {
    this.store.transaction('message.checkpoint', () => {
      const result = this.store
        .statement("UPDATE messages SET text = ?, thinking = ?, updated_at = ? WHERE id = ? AND status = 'streaming'")
        .run(text, thinking, this.store.now(), messageId)
      if (result.changes === 0) throw new WorkstationError('ANSWER_NOT_IN_PROGRESS', `message ${messageId}`)
    })
  }

  /**
   * Ends a streaming answer. With `fallback` (the server failed and the local model answered), the
   * same update that finishes it names the local model as its author and the server's failure.
   */
  finishAnswer(messageId: number, outcome: AnswerOutcome, fallback?: AnswerFallback): ConsultationMessage {
    return this.store.transaction('message.finish', () => this.finishRow(messageId, outcome, undefined, fallback))
  }

  get(messageId: number): ConsultationMessage {
    const row = this.store.read('message.get', () => this.store.statement('SELECT * FROM messages WHERE id = ?').get(messageId)) as MessageRow | undefined
    if (row === undefined) throw new WorkstationError('MESSAGE_NOT_FOUND', `message ${messageId}`)
    return toMessage(row)
  }

  /** In conversation order; superseded messages only when asked for. With `reader`, the read is in the access log. */
  list(consultationId: string, request: PageRequest & { includeSuperseded?: boolean; reader?: string } = {}): Page<ConsultationMessage> {
    const limit = pageLimit(request.limit, 200)
    const after = request.cursor === undefined ? 0 : (decodeCursor('messages', request.cursor, ['number'])[0] as number)
    const superseded = request.includeSuperseded === true ? '' : 'AND superseded_at IS NULL'
    const rows = this.store.read('message.list', () =>
      this.store
        .statement(`SELECT * FROM messages WHERE consultation_id = ? AND seq > ? ${superseded} ORDER BY seq LIMIT ?`)
        .all(consultationId, after, limit + 1),
    ) as unknown as MessageRow[]
    const items = rows.slice(0, limit).map(toMessage)
    const last = rows[limit - 1]
    if (request.reader !== undefined) {
      this.audit.noteRead({
        actor: request.reader,
        action: 'access.messages',
        entityType: 'consultation',
        entityId: consultationId,
        details: { messages: items.length, firstMessageId: items[0]?.id ?? null, lastMessageId: items.at(-1)?.id ?? null },
      })
    }
    return { items, nextCursor: rows.length > limit && last ? encodeCursor('messages', [last.seq]) : null }
  }

  /**
   * After a crash: answers still `streaming` were cut off. They become `interrupted`, keeping the
   * text of their last checkpoint, and become searchable. Run once on open, before anything else writes.
   */
  interruptUnfinished(): number {
    return this.store.transaction('message.recover', () => {
      const rows = this.store.statement("SELECT * FROM messages WHERE status = 'streaming'").all() as unknown as MessageRow[]
      for (const row of rows) {
        this.store.statement("UPDATE messages SET status = 'interrupted', finished_at = updated_at WHERE id = ?").run(row.id)
        if (row.text !== '') this.index.add('message', row.id, row.consultation_id, row.created_at, row.text)
        this.audit.append({ actor: systemActor, action: 'answer.interrupted', entityType: 'message', entityId: row.id, details: { consultationId: row.consultation_id } })
      }
      return rows.length
    })
  }

  private insert(
    consultationId: string,
    role: 'patient' | 'model',
    text: string,
    status: MessageStatus,
    options: NewMessageOptions,
    author: { engine: EngineKind; model: string; server: string | null } | null = null,
  ): MessageRow {
    if (typeof text !== 'string') throw new WorkstationError('USAGE', 'message text must be a string')
    if (role === 'patient' && text.trim() === '') throw new WorkstationError('USAGE', 'a patient message needs text')
    const at = options.createdAt === undefined ? this.store.now() : parseIsoTime(options.createdAt)
    if (at === null) throw new WorkstationError('USAGE', 'createdAt must be an ISO 8601 time')
    this.consultations.row(consultationId, true)
    if (options.replaces !== undefined) this.supersede(consultationId, role, options.replaces, at)
    const next = this.store.statement('SELECT coalesce(max(seq), 0) + 1 AS seq FROM messages WHERE consultation_id = ?').get(consultationId) as { seq: number }
    const inserted = this.store
      .statement(
        `INSERT INTO messages (consultation_id, seq, role, text, status, created_at, updated_at, replaces_message_id, engine, model_name, server)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        consultationId,
        next.seq,
        role,
        text,
        status,
        at,
        at,
        options.replaces ?? null,
        author?.engine ?? null,
        author?.model ?? null,
        author?.server ?? null,
      ) as unknown as MessageRow
    this.consultations.touch(consultationId, at)
    return inserted
  }

  private supersede(consultationId: string, role: 'patient' | 'model', messageId: number, at: number): void {
    const old = this.store.statement('SELECT consultation_id, role, status FROM messages WHERE id = ?').get(messageId) as
      | Pick<MessageRow, 'consultation_id' | 'role' | 'status'>
      | undefined
    if (old === undefined || old.consultation_id !== consultationId || old.role !== role) {
      throw new WorkstationError('MESSAGE_NOT_FOUND', `message ${messageId} is not a ${role} message of this consultation`)
    }
    if (old.status === 'streaming') throw new WorkstationError('USAGE', 'finish or stop an answer before replacing it')
    this.store.statement('UPDATE messages SET superseded_at = ? WHERE id = ? AND superseded_at IS NULL').run(at, messageId)
    // An edited patient message makes everything said after it obsolete: the consultation goes on
    // from the edit. Those messages stay readable, marked superseded.
    if (role === 'patient') {
      this.store
        .statement('UPDATE messages SET superseded_at = ? WHERE consultation_id = ? AND seq > (SELECT seq FROM messages WHERE id = ?) AND superseded_at IS NULL')
        .run(at, consultationId, messageId)
    }
  }

  private finishRow(messageId: number, outcome: AnswerOutcome, finishedAt?: number, fallback?: AnswerFallback): ConsultationMessage {
    if (!finalStatuses.includes(outcome.status)) throw new WorkstationError('USAGE', `an answer ends as ${finalStatuses.join(', ')}`)
    const current = this.store.statement('SELECT * FROM messages WHERE id = ?').get(messageId) as MessageRow | undefined
    if (current === undefined) throw new WorkstationError('MESSAGE_NOT_FOUND', `message ${messageId}`)
    if (current.status !== 'streaming' || current.role !== 'model') throw new WorkstationError('ANSWER_NOT_IN_PROGRESS', `message ${messageId}`)
    const now = finishedAt ?? Math.max(this.store.now(), current.created_at)
    const timing = outcome.timing
    const row = this.store
      .statement(
        `UPDATE messages SET text = :text, thinking = :thinking, status = :status, error_code = :error_code,
           prompt_tokens = :prompt_tokens, evaluated_prompt_tokens = :evaluated_prompt_tokens, generated_tokens = :generated_tokens,
           time_to_first_token_ms = :ttft, tokens_per_second = :tps, updated_at = :now, finished_at = :now,
           engine = CASE WHEN :fallback_from IS NULL THEN engine ELSE :engine END,
           model_name = CASE WHEN :fallback_from IS NULL THEN model_name ELSE :model_name END,
           server = CASE WHEN :fallback_from IS NULL THEN server ELSE :server END,
           fallback_from = :fallback_from
         WHERE id = :id RETURNING *`,
      )
      .get({
        id: messageId,
        text: outcome.text,
        thinking: outcome.thinking ?? '',
        status: outcome.status,
        error_code: outcome.errorCode ?? null,
        prompt_tokens: timing?.promptTokens ?? null,
        evaluated_prompt_tokens: timing?.evaluatedPromptTokens ?? null,
        generated_tokens: timing?.generatedTokens ?? null,
        ttft: timing?.timeToFirstTokenMs ?? null,
        tps: timing?.tokensPerSecond ?? null,
        now,
        // A fallback answer's author is the local model that wrote it, named as the row becomes final.
        engine: fallback?.model.engine ?? null,
        model_name: fallback?.model.name ?? null,
        server: fallback?.model.server ?? null,
        fallback_from: fallback?.reason ?? null,
      }) as unknown as MessageRow
    if (outcome.text !== '') this.index.add('message', messageId, row.consultation_id, row.created_at, outcome.text)
    this.consultations.touch(row.consultation_id, now)
    return toMessage(row)
  }
}
