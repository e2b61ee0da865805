import { describe, expect, it } from 'vitest'
import { requestNames } from '../../electron/contract/request-names.ts'
import { accountCommands, accountQueries } from '../../electron/core/requests/accounts.ts'
import { administrationCommands, administrationQueries } from '../../electron/core/requests/administration.ts'
import { appCommands, appQueries } from '../../electron/core/requests/app.ts'
import { consultationCommands, consultationQueries } from '../../electron/core/requests/consultations.ts'
import { evaluationReviewCommands, evaluationReviewQueries } from '../../electron/core/requests/evaluation-reviews.ts'
import { evaluationRunCommands, evaluationRunQueries } from '../../electron/core/requests/evaluation-runs.ts'
import { exportCommands, exportQueries } from '../../electron/core/requests/exports.ts'
import { modelCommands, modelQueries } from '../../electron/core/requests/models.ts'
import { recordCommands, recordQueries } from '../../electron/core/requests/records.ts'
import { commands, isQuery, queries, requestTable } from '../../electron/core/requests/request-table.ts'
import { sessionCommands, sessionQueries } from '../../electron/core/requests/sessions.ts'
import { settingsCommands, settingsQueries } from '../../electron/core/requests/settings.ts'

// The request table is joined from per-concern modules by spreading them: a name given by two
// modules would silently keep only one. Each name must come from exactly one module, once.

const modules = [
  appQueries,
  appCommands,
  sessionQueries,
  sessionCommands,
  accountQueries,
  accountCommands,
  settingsQueries,
  settingsCommands,
  administrationQueries,
  administrationCommands,
  modelQueries,
  modelCommands,
  consultationQueries,
  consultationCommands,
  recordQueries,
  recordCommands,
  exportQueries,
  exportCommands,
  evaluationRunQueries,
  evaluationRunCommands,
  evaluationReviewQueries,
  evaluationReviewCommands,
]

describe('the request table', () => {
  it('has every request of the contract exactly once, from one module', () => {
    const declared = modules.flatMap((module) => Object.keys(module))
    expect(declared.length).toBe(new Set(declared).size)
    expect([...declared].sort()).toEqual([...requestNames].sort())
    expect(Object.keys(requestTable).sort()).toEqual([...requestNames].sort())
  })

  it('keeps queries (which only read) apart from commands', () => {
    expect(Object.keys(queries).filter((name) => Object.hasOwn(commands, name))).toEqual([])
    for (const name of ['consultation.messages', 'consultation.list', 'records.search', 'model.status', 'session.current'] as const) expect(isQuery(name), name).toBe(true)
    for (const name of ['consultation.send', 'record.sign', 'export.run', 'model.load', 'session.signIn', 'note.add'] as const) expect(isQuery(name), name).toBe(false)
  })
})
