import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestOutput } from '../../electron/contract/channels.ts'
import { openInProcessWorkstation, type OpenedWorkstation } from '../support/in-process-workstation.ts'
import { runHeader, twoRuns, writeRun } from './eval-review-support.ts'

// The blind review through the real workstation's requests, as the review screen makes them: an
// administrator prepares a review of two runs named by folder, two doctors judge and skip and
// resume, nobody's reply ever holds the key, a reviewer sees the result once done, and who may do what.

const admin = { staffId: 'A0001', name: '信息科王工', roles: ['admin'], department: '信息科', pin: '483920' }
const doctors = {
  D0101: { staffId: 'D0101', name: '李医生', roles: ['doctor'], department: '全科', pin: '615204' },
  D0102: { staffId: 'D0102', name: '赵医生', roles: ['doctor'], department: '内科', pin: '730915' },
}
const newPins: Record<string, string> = { D0101: '804613', D0102: '592047', A0001: admin.pin }

let opened: OpenedWorkstation
let reviewId: string
/** Every reply, as JSON: the key must never be in any of them. */
const replies: string[] = []

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const value = await opened.call<T>(name, input)
  replies.push(JSON.stringify(value))
  return value
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'no error',
    (error: { code?: string }) => error.code,
  )
}

async function signInAs(staffId: string): Promise<void> {
  await opened.call('session.signOut')
  await opened.call('session.signIn', { staffId, pin: newPins[staffId] })
}

beforeAll(async () => {
  opened = await openInProcessWorkstation()
  await opened.call('session.firstAdmin', admin)
  for (const doctor of Object.values(doctors)) {
    await opened.call('accounts.add', doctor)
  }
  for (const doctor of Object.values(doctors)) {
    await opened.call('session.signOut')
    await opened.call('session.signIn', { staffId: doctor.staffId, pin: doctor.pin })
    await opened.call('session.changePin', { currentPin: doctor.pin, newPin: newPins[doctor.staffId] })
  }
  const runs = join(opened.dir, 'data', 'evaluations', 'runs')
  const { a, b } = twoRuns()
  await writeRun(join(runs, 'q4-cmedqa2'), runHeader({ model: 'HuatuoGPT2-7B.Q4_K_M' }), a)
  await writeRun(join(runs, 'q8-cmedqa2'), runHeader({ model: 'HuatuoGPT2-7B.Q8_0' }), b)
  await writeRun(join(runs, 'other-dataset'), runHeader({ datasetSha256: 'e'.repeat(64) }), b)
  await signInAs('A0001')
}, 60_000)

afterAll(async () => {
  await opened?.close()
})

describe('the blind review through the requests', () => {
  it('an administrator prepares a review of two runs by folder name; never a path; not over different datasets', async () => {
    expect(await call('review.list')).toEqual([])
    expect(await codeOf(opened.call('review.create', { runA: '../runs/q4-cmedqa2', runB: 'q8-cmedqa2' }))).toBe('CONTRACT_INVALID_INPUT')
    expect(await codeOf(opened.call('review.create', { runA: '/tmp/q4', runB: 'q8-cmedqa2' }))).toBe('CONTRACT_INVALID_INPUT')
    expect(await codeOf(opened.call('review.create', { runA: '..', runB: 'q8-cmedqa2' }))).toBe('CONTRACT_INVALID_INPUT')
    expect(await codeOf(opened.call('review.create', { runA: 'q4-cmedqa2', runB: 'other-dataset' }))).toBe('REVIEW_DATASETS_DIFFER')
    expect(await codeOf(opened.call('review.create', { runA: 'q4-cmedqa2', runB: 'missing' }))).toBe('REVIEW_RUN_NOT_FOUND')
    const created = await call<RequestOutput<'review.create'>>('review.create', { runA: 'q4-cmedqa2', runB: 'q8-cmedqa2' })
    reviewId = created.reviewId
    expect(created).toMatchObject({ items: 10, judgedByMe: 0, judgements: 0, reviewers: 0, createdBy: 'A0001', resultVisible: true })
    expect(created.runs?.a).toMatchObject({ run: 'q4-cmedqa2', model: { name: 'HuatuoGPT2-7B.Q4_K_M' } })
    expect(created.runs?.b).toMatchObject({ run: 'q8-cmedqa2', model: { name: 'HuatuoGPT2-7B.Q8_0' } })
    expect(await call('review.list')).toEqual([created])
    // An administrator does not judge.
    expect(await codeOf(opened.call('review.next', { reviewId }))).toBe('FORBIDDEN')
    expect(await codeOf(opened.call('review.judge', { reviewId, itemId: 'q01', choice: 'first' }))).toBe('FORBIDDEN')
  })

  it('a doctor does not prepare reviews, sees no run labels, and no result before judging every item', async () => {
    await signInAs('D0101')
    expect(await codeOf(opened.call('review.create', { runA: 'q4-cmedqa2', runB: 'q8-cmedqa2' }))).toBe('FORBIDDEN')
    const [listed] = await call<RequestOutput<'review.list'>>('review.list')
    expect(listed).toMatchObject({ reviewId, items: 10, judgedByMe: 0, runs: null, resultVisible: false })
    expect(await codeOf(opened.call('review.result', { reviewId }))).toBe('REVIEW_RESULT_HIDDEN')
    expect(await codeOf(opened.call('review.next', { reviewId: 'review-nonexistent' }))).toBe('REVIEW_NOT_FOUND')
  })

  it('two doctors judge, skip and resume; the reply shows question and two answers, nothing of the sides', async () => {
    const first = await call<RequestOutput<'review.next'>>('review.next', { reviewId })
    expect(Object.keys(first.item ?? {}).sort()).toEqual(['first', 'itemId', 'question', 'reviewId', 'second', 'skippedBefore'])
    expect(first.item).toMatchObject({ itemId: 'q01', question: '问题1：头痛1天怎么办？', skippedBefore: false })
    expect([first.item?.first, first.item?.second].sort()).toEqual(['A-answer 1', 'B-answer 1'])
    expect(await call('review.skip', { reviewId, itemId: 'q01' })).toMatchObject({ judgedByMe: 0, skippedByMe: 1 })
    let progress = await call<RequestOutput<'review.judge'>>('review.judge', { reviewId, itemId: 'q02', choice: 'first', reason: '第一个回答更全面' })
    expect(progress).toMatchObject({ judgedByMe: 1, skippedByMe: 1, judgements: 1, reviewers: 1 })
    expect(await codeOf(opened.call('review.judge', { reviewId, itemId: 'q02', choice: 'tie' }))).toBe('REVIEW_ALREADY_JUDGED')
    expect(await codeOf(opened.call('review.judge', { reviewId, itemId: 'q03', choice: 'tie' }))).toBe('REVIEW_ITEM_NOT_FOUND')
    expect((await call<RequestOutput<'review.next'>>('review.next', { reviewId })).item?.itemId).toBe('q04')

    // The other doctor starts at the beginning, and judges everything "first".
    await signInAs('D0102')
    // The same judgement sent twice at once (a double click): kept once, the other refused.
    const twice = await Promise.allSettled([1, 2].map(() => opened.call('review.judge', { reviewId, itemId: 'q01', choice: 'first' })))
    expect(twice.map((outcome) => (outcome.status === 'fulfilled' ? 'ok' : (outcome.reason as { code: string }).code)).sort()).toEqual(['REVIEW_ALREADY_JUDGED', 'ok'])
    for (;;) {
      const next = await call<RequestOutput<'review.next'>>('review.next', { reviewId })
      if (next.item === null) break
      progress = await call('review.judge', { reviewId, itemId: next.item.itemId, choice: 'first' })
    }
    expect(progress).toMatchObject({ judgedByMe: 10, skippedByMe: 0, judgements: 11, reviewers: 2 })

    // Back to the first doctor: resumes after what they judged; the skipped item comes back last.
    await signInAs('D0101')
    const seen: string[] = []
    for (;;) {
      const next = await call<RequestOutput<'review.next'>>('review.next', { reviewId })
      if (next.item === null) break
      seen.push(next.item.itemId)
      await call('review.judge', { reviewId, itemId: next.item.itemId, choice: 'second' })
    }
    expect(seen).toEqual(['q04', 'q05', 'q06', 'q07', 'q08', 'q09', 'q10', 'q11', 'q01'])
  })

  it('the result: a doctor who finished sees it; the administrator always; choices mapped through the key', async () => {
    const result = await call<RequestOutput<'review.result'>>('review.result', { reviewId })
    const key = JSON.parse(await readFile(join(opened.dir, 'data', 'evaluations', 'reviews', reviewId, 'key.json'), 'utf8')) as { first: Record<string, 'a' | 'b'> }
    const aFirst = Object.values(key.first).filter((side) => side === 'a').length
    expect(aFirst).toBe(5)
    // D0102 chose "first" everywhere: A wins where A was first. D0101 chose "first" on q02, "second" elsewhere.
    const d1A = Object.entries(key.first).filter(([id, side]) => (id === 'q02' ? side === 'a' : side === 'b')).length
    expect(result).toMatchObject({ reviewId, items: 10, itemsJudged: 10, judgements: 20, reviewers: 2 })
    expect(result.aWins.count).toBe(aFirst + d1A)
    expect(result.ties.count).toBe(0)
    expect(result.bWins.count).toBe(20 - aFirst - d1A)
    expect(result.agreement.itemsJudgedTwice).toBe(10)
    expect(result.agreement.cohenKappa?.reviewers).toEqual(['D0101', 'D0102'])
    // The doctor never learns which model was which; the administrator does.
    expect(result.runs).toBeNull()
    await signInAs('A0001')
    const managed = await call<RequestOutput<'review.result'>>('review.result', { reviewId })
    expect(managed).toEqual({ ...result, runs: expect.anything() })
    expect(managed.runs?.a.run).toBe('q4-cmedqa2')
    const [listed] = await call<RequestOutput<'review.list'>>('review.list')
    expect(listed).toMatchObject({ judgements: 20, reviewers: 2, judgedByMe: 0 })
  })

  it('audits each judgement with the reviewer’s staff id and ids only; no reply ever held the key', async () => {
    const database = new DatabaseSync(join(opened.dir, 'data', 'records.db'), { readOnly: true })
    const rows = database.prepare("SELECT actor, entity_id AS entityId, details FROM audit_entries WHERE action = 'evaluation.judge' ORDER BY seq").all() as Array<{ actor: string; entityId: string; details: string }>
    database.close()
    expect(rows).toHaveLength(20)
    expect(new Set(rows.map((row) => row.actor))).toEqual(new Set(['D0101', 'D0102']))
    for (const row of rows) {
      expect(row.entityId).toBe(reviewId)
      expect(Object.keys(JSON.parse(row.details) as object)).toEqual(['itemId'])
    }
    const text = await readFile(join(opened.dir, 'data', 'records.db')).then((bytes) => bytes.toString('utf8'))
    expect(text).not.toContain('第一个回答更全面')
    const key = await readFile(join(opened.dir, 'data', 'evaluations', 'reviews', reviewId, 'key.json'), 'utf8')
    const { seed } = JSON.parse(key) as { seed: string }
    for (const reply of replies) {
      expect(reply).not.toContain(seed)
      expect(reply).not.toMatch(/"(first|side)Is"|"key"|"seed"/)
    }
  })
})
