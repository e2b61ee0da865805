import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReportBlindReview } from '../../electron/core/evaluation/report/evaluation-report.ts'
import { BlindReview } from '../../electron/core/evaluation/review/blind-review.ts'
import { runHuatuo } from '../support/cli.ts'
import { runHeader, twoRuns, writeRun } from './eval-review-support.ts'

// `huatuo eval compare` on two run folders, judgements appended as the review screen appends them,
// then `huatuo eval report --review` from each run's side: the page gains the doctors' verdict,
// self-contained and escaped.

let dir: string
let reviewDir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-review-cli-'))
  const { a, b } = twoRuns()
  // A model name with markup in it: the page must show it as text.
  await writeRun(join(dir, 'run-a'), runHeader({ model: 'HuatuoGPT2-7B.Q4_K_M' }), a)
  await writeRun(join(dir, 'run-b'), runHeader({ model: 'Huatuo<script>alert(1)</script>' }), b)
  await writeRun(join(dir, 'run-other-dataset'), runHeader({ datasetSha256: 'e'.repeat(64) }), b.map((item) => ({ ...item, prediction: `${item.prediction}。` })))
  reviewDir = join(dir, 'review')
}, 30_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('huatuo eval compare and report --review', () => {
  it('prepares a review of the questions both runs answered alike', async () => {
    const result = await runHuatuo(['eval', 'compare', '--a', join(dir, 'run-a'), '--b', join(dir, 'run-b'), '--out', reviewDir, '--json'])
    expect(result.status, result.stderr).toBe(0)
    const printed = JSON.parse(result.stdout) as { review: string; id: string; items: number; runs: { a: { run: string; model: string }; b: { run: string } } }
    expect(printed).toMatchObject({ review: reviewDir, items: 10, runs: { a: { run: 'run-a', model: 'HuatuoGPT2-7B.Q4_K_M' }, b: { run: 'run-b' } } })
    expect(printed.id).toMatch(/^review-\d{8}T\d{6}Z-[0-9a-f]{6}$/)
    const text = await runHuatuo(['eval', 'compare', '--a', join(dir, 'run-a'), '--b', join(dir, 'run-b'), '--out', join(dir, 'review-2')])
    expect(text.stdout).toContain('10 items both runs answered alike')
    expect(text.stdout).toContain('keep it from the reviewers')
  })

  it('refuses runs over different datasets with a stable code, and a folder that holds a review', async () => {
    const different = await runHuatuo(['eval', 'compare', '--a', join(dir, 'run-a'), '--b', join(dir, 'run-other-dataset'), '--out', join(dir, 'r3'), '--json'])
    expect(different.status).toBe(1)
    expect(JSON.parse(different.stdout)).toMatchObject({ error: { code: 'REVIEW_DATASETS_DIFFER' } })
    const again = await runHuatuo(['eval', 'compare', '--a', join(dir, 'run-a'), '--b', join(dir, 'run-b'), '--out', reviewDir, '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'OUTPUT_UNWRITABLE' } })
    const usage = await runHuatuo(['eval', 'compare', '--a', join(dir, 'run-a')])
    expect(usage.status).toBe(2)
  })

  it('adds the doctors’ blind review to each run’s report, from that run’s side', async () => {
    const review = await BlindReview.open(reviewDir)
    const key = JSON.parse(await readFile(join(reviewDir, 'key.json'), 'utf8')) as { first: Record<string, 'a' | 'b'> }
    // Two doctors: D001 always prefers run A's answer, D002 prefers A on the first four items and calls the rest ties.
    const items = review.document.items.map((item) => item.itemId)
    for (const itemId of items) await review.judge({ itemId, reviewer: 'D001', choice: key.first[itemId] === 'a' ? 'first' : 'second' })
    for (const [index, itemId] of items.entries()) await review.judge({ itemId, reviewer: 'D002', choice: index < 4 ? (key.first[itemId] === 'a' ? 'first' : 'second') : 'tie' })

    const reportA = await runHuatuo(['eval', 'report', '--predictions', join(dir, 'run-a', 'predictions.jsonl'), '--review', reviewDir, '--json'])
    expect(reportA.status, reportA.stderr).toBe(0)
    expect(JSON.parse(reportA.stdout)).toMatchObject({ review: { thisRun: 'a', judgements: 20, wins: 14, ties: 6, losses: 0 } })
    const jsonA = JSON.parse(await readFile(join(dir, 'run-a', 'report.json'), 'utf8')) as { blindReview: ReportBlindReview }
    expect(jsonA.blindReview).toMatchObject({ thisRun: 'a', items: 10, itemsJudged: 10, reviewers: 2, wins: { count: 14, rate: 0.7 }, losses: { count: 0, rate: 0 } })
    // Agreement on 10 items judged twice: 4 alike, 6 not.
    expect(jsonA.blindReview.agreement).toMatchObject({ itemsJudgedTwice: 10, percentAgreement: 0.4, cohenKappa: { reviewers: ['D001', 'D002'], items: 10 } })
    expect(jsonA.blindReview.wins.low).toBeCloseTo(0.48102, 4)

    const reportB = await runHuatuo(['eval', 'report', '--predictions', join(dir, 'run-b', 'predictions.jsonl'), '--review', reviewDir, '--json'])
    expect(JSON.parse(reportB.stdout)).toMatchObject({ review: { thisRun: 'b', wins: 0, ties: 6, losses: 14 } })
    const html = await readFile(join(dir, 'run-b', 'report.html'), 'utf8')
    expect(html).toContain('医生盲评')
    expect(html).toContain("Doctors&#39; blind review")
    expect(html).toContain('Huatuo&#60;script&#62;')
    expect(html).not.toContain('<script')
    expect(html).toContain('HuatuoGPT2-7B.Q4_K_M')
    expect(html).toContain('70.0%')
    expect(html).not.toMatch(/\b(src|href)=["']?https?:/)

    // A run the review does not compare is refused.
    const other = await runHuatuo(['eval', 'report', '--predictions', join(dir, 'run-other-dataset', 'predictions.jsonl'), '--review', reviewDir, '--json'])
    expect(JSON.parse(other.stdout)).toMatchObject({ error: { code: 'REVIEW_RUN_NOT_IN_REVIEW' } })
  })
})
