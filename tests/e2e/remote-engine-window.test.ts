import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'
import { HostSocket, testClinician } from '../support/host-socket.ts'

// The hospital inference server in Chromium through the browser host: the model screen's card with
// the connection test and the administrator's choice of engine, the header's badge, an answer from
// the server, and one the local model gave when the server failed. The server is a vLLM stand-in on
// loopback (its /v1/models, /version, /tokenize and streamed /v1/completions). Screenshots in out/screens.

const SERVED = 'HuatuoGPT2-7B'
const ANSWER = '您好，头痛三天伴发热 38.2 ℃，多为上呼吸道感染。请问有无咳嗽、咽痛？如出现颈部僵硬或意识改变，请立即就医。'

let window: HostWindow
let page: Page
let server: http.Server
/** While true the server answers every generation with 503 (the local model must stand in). */
let failing = false

const shot = (name: string) => window.shot(`remote-engine-${name}`)

async function shotBoth(name: string) {
  await shot(`${name}-zh`)
  await page.getByTestId('language').click()
  await shot(`${name}-en`)
  await page.getByTestId('language').click()
}

function json(response: http.ServerResponse, value: unknown, status = 200) {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(value))
}

/** vLLM's OpenAI-compatible server as the workstation speaks to it, answering with ANSWER. */
function vllmStandIn(request: http.IncomingMessage, response: http.ServerResponse, body: string) {
  const path = request.url ?? ''
  if (request.method === 'GET' && path === '/v1/models') {
    return json(response, {
      object: 'list',
      data: [
        { id: 'Qwen2.5-7B-Instruct', object: 'model', max_model_len: 32768 },
        { id: SERVED, object: 'model', max_model_len: 8192 },
      ],
    })
  }
  if (request.method === 'GET' && path === '/version') return json(response, { version: '0.6.3' })
  if (request.method === 'POST' && path === '/tokenize') {
    const parsed = JSON.parse(body || '{}') as { prompt?: string }
    const count = Math.ceil((parsed.prompt ?? body).length / 2)
    return json(response, { count, max_model_len: 8192, tokens: Array.from({ length: count }, (_, i) => i) })
  }
  if (request.method === 'POST' && (path === '/v1/completions' || path === '/v1/chat/completions')) {
    if (failing) return json(response, { object: 'error', message: 'CUDA out of memory', type: 'InternalServerError', code: 503 }, 503)
    const chat = path === '/v1/chat/completions'
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    const pieces = ANSWER.match(/.{1,6}/gu) ?? [ANSWER]
    for (const piece of pieces) {
      const choice = chat ? { index: 0, delta: { content: piece }, finish_reason: null } : { index: 0, text: piece, finish_reason: null }
      response.write(`data: ${JSON.stringify({ id: 'cmpl-1', object: chat ? 'chat.completion.chunk' : 'text_completion', model: SERVED, choices: [choice] })}\n\n`)
    }
    const last = chat ? { index: 0, delta: {}, finish_reason: 'stop' } : { index: 0, text: '', finish_reason: 'stop' }
    response.write(`data: ${JSON.stringify({ id: 'cmpl-1', model: SERVED, choices: [last] })}\n\n`)
    response.write(`data: ${JSON.stringify({ id: 'cmpl-1', model: SERVED, choices: [], usage: { prompt_tokens: 40, completion_tokens: pieces.length, total_tokens: 40 + pieces.length } })}\n\n`)
    response.end('data: [DONE]\n\n')
    return
  }
  json(response, { detail: 'Not Found' }, 404)
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => vllmStandIn(request, response, Buffer.concat(chunks).toString('utf8')))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-remote-window-'))
  await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B-Q4_K_M', seed: 3 })
  await writeFile(
    join(dir, 'hospital.json'),
    JSON.stringify({ clinicName: '华佗社区卫生服务中心', remoteEngine: { url, api: 'vllm', model: SERVED, fallbackToLocal: true } }),
  )
  window = await openHostWindow(dir, { args: ['--model', join(dir, 'tiny.gguf')] })
  page = window.page
  await page.locator('[data-testid=engine-state][data-state=ready]').waitFor({ timeout: 60_000 })
  await page.locator('[data-testid=nav][data-screen=model]').click()
}, 180_000)

afterAll(async () => {
  await window?.close()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
})

describe('the hospital inference server in the window', () => {
  it('shows the configured server on the model screen and tests the connection', async () => {
    const card = page.getByTestId('remote-engine')
    await card.waitFor()
    await expect(card.getByTestId('remote-model').textContent()).resolves.toBe(SERVED)
    await card.scrollIntoViewIfNeeded()
    await shotBoth('card')
    await card.getByTestId('test-server').click()
    await card.getByTestId('test-result').waitFor()
    await expect(card.getByTestId('test-version').textContent()).resolves.toContain('0.6.3')
    await expect(card.locator('[data-configured=true]').textContent()).resolves.toContain(SERVED)
    await card.getByTestId('test-result').scrollIntoViewIfNeeded()
    await shotBoth('tested')
  })

  it('switches consultations between the local model and the server after a confirmation that says what changes', async () => {
    const card = page.getByTestId('remote-engine')
    const confirm = card.getByTestId('engine-confirm')
    // A configured server is what consultations use at first: back to the local model, then to the server again.
    await expect(page.getByTestId('engine-state').getAttribute('data-engine')).resolves.toBe('remote')
    await card.locator('[data-testid=engine-choice] [data-engine=local]').click()
    await confirm.waitFor()
    await expect(confirm.textContent()).resolves.toContain('不再发送到 127.0.0.1')
    await confirm.scrollIntoViewIfNeeded()
    await shotBoth('confirm-local')
    await card.getByTestId('engine-confirm-yes').click()
    await page.locator('[data-testid=engine-state][data-engine=local]').waitFor()
    await expect(page.getByTestId('engine-state').textContent()).resolves.toContain('CPU')
    await card.getByTestId('remote-in-use').scrollIntoViewIfNeeded()
    await shotBoth('local-in-use')

    await card.locator('[data-testid=engine-choice] [data-engine=remote]').click()
    await confirm.waitFor()
    await expect(confirm.textContent()).resolves.toContain('将发送到 127.0.0.1')
    await confirm.scrollIntoViewIfNeeded()
    await shotBoth('confirm-remote')
    await card.getByTestId('engine-confirm-yes').click()
    await page.locator('[data-testid=engine-state][data-engine=remote]').waitFor()
    await expect(page.getByTestId('engine-state').textContent()).resolves.toContain(SERVED)
    await page.getByTestId('model-state').scrollIntoViewIfNeeded()
    await shotBoth('in-use')
  })

  it('names the server under its answer, and the local model with why when it stood in', async () => {
    await page.locator('[data-testid=nav][data-screen=consultation]').click()
    await page.getByTestId('open-consultation').click()
    await page.getByTestId('consultation-id').waitFor()
    await page.getByTestId('patient-input').fill('医生您好，我头痛三天了，还有点发烧，体温 38.2 度。')
    await page.getByTestId('send').click()
    const first = page.locator('[data-testid=message][data-role=model]').last()
    await first.and(page.locator('[data-status=complete]')).waitFor({ timeout: 60_000 })
    await expect(first.getByTestId('answer-author').textContent()).resolves.toContain(SERVED)

    failing = true
    await page.getByTestId('patient-input').fill('没有咳嗽，嗓子有点疼。')
    await page.getByTestId('send').click()
    const second = page.locator('[data-testid=message][data-role=model]').nth(1)
    await second.and(page.locator(':not([data-status=streaming])')).waitFor({ timeout: 90_000 })
    await second.getByTestId('fallback-notice').waitFor()
    await expect(second.getByTestId('fallback-notice').getAttribute('data-code')).resolves.toMatch(/^REMOTE_/)
    // The notice opens the local model's answer: the screenshot shows it, not the answer's long tail.
    await second.getByTestId('fallback-notice').scrollIntoViewIfNeeded()
    await shotBoth('answers')
  })

  it('a nurse and a doctor see the server read-only, and get a streamed answer from it', async () => {
    failing = false
    const people = [
      { staffId: 'N0101', name: '王护士', roles: ['nurse'], pin: '739104', role: 'nurse' },
      { staffId: 'D0102', name: '张医生', roles: ['doctor'], pin: '286419', role: 'doctor' },
    ]
    const socket = await HostSocket.open(window.host.port, window.host.token)
    try {
      for (const person of people) await socket.value('accounts.add', { staffId: person.staffId, name: person.name, roles: person.roles, pin: '111333' })
      for (const person of people) {
        await socket.value('session.switchUser', { staffId: person.staffId, pin: '111333' })
        await socket.value('session.changePin', { currentPin: '111333', newPin: person.pin })
        await page.reload()
        await page.locator('[data-testid=nav][data-screen=model]').click()
        const card = page.getByTestId('remote-engine')
        await card.waitFor()
        // Neither tests the connection nor chooses the engine: that is the administrator's.
        await expect(card.getByTestId('test-server').count()).resolves.toBe(0)
        await expect(page.locator('[data-testid=engine-state][data-engine=remote]').count()).resolves.toBe(1)
        await card.scrollIntoViewIfNeeded()
        await shotBoth(`card-${person.role}`)
        await page.locator('[data-testid=nav][data-screen=consultation]').click()
        await page.getByTestId('open-consultation').click()
        await page.getByTestId('consultation-id').waitFor()
        await page.getByTestId('patient-input').fill('咽痛两天，吞咽时加重。')
        await page.getByTestId('send').click()
        const answer = page.locator('[data-testid=message][data-role=model]').last()
        await answer.and(page.locator('[data-status=complete]')).waitFor({ timeout: 60_000 })
        await expect(answer.getByTestId('answer-author').textContent()).resolves.toContain(SERVED)
        await shotBoth(`answer-${person.role}`)
      }
      await socket.value('session.switchUser', { staffId: testClinician.staffId, pin: testClinician.pin })
      await page.reload()
      await page.locator('[data-testid=nav][data-screen=model]').waitFor()
    } finally {
      socket.close()
    }
  })

  it('shows a failed connection test as the code’s sentence with its code', async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await page.locator('[data-testid=nav][data-screen=model]').click()
    const card = page.getByTestId('remote-engine')
    await card.getByTestId('test-server').click()
    const failure = card.getByTestId('failure')
    await failure.waitFor({ timeout: 30_000 })
    await expect(failure.getAttribute('data-code')).resolves.toMatch(/^REMOTE_/)
    await failure.scrollIntoViewIfNeeded()
    await shotBoth('test-failed')
  })
})
