// @vitest-environment jsdom
import { enableAutoUnmount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Reply } from '../../electron/contract/channels.ts'
import type { ClinicianRole } from '../../electron/contract/clinicians.ts'
import type { ConsultationTurn } from '../../electron/contract/consultation-messages.ts'
import { errorMessages } from '../../electron/contract/errors.ts'
import type { ActiveModel, EngineStatus, LocalEngineDetails } from '../../electron/contract/inference.ts'
import type { RemoteConnectionTest } from '../../electron/contract/remote-engine.ts'
import { replaceWorkstationClient } from '../../renderer/src/api/connect.ts'
import { WorkstationClient } from '../../renderer/src/api/workstation-client.ts'
import AppHeader from '../../renderer/src/components/AppHeader.vue'
import ConsultationMessageView from '../../renderer/src/components/ConsultationMessageView.vue'
import RemoteEngineCard from '../../renderer/src/components/model/RemoteEngineCard.vue'
import { i18n } from '../../renderer/src/i18n/index.ts'
import { router } from '../../renderer/src/router/index.ts'
import { useConsultationStore } from '../../renderer/src/stores/consultation.ts'
import { useModelStore } from '../../renderer/src/stores/model.ts'
import { useSessionStore } from '../../renderer/src/stores/session.ts'
import { freshWindow, mountInWindow, sessionOf, settled } from './window-harness.ts'

// The hospital inference server in the window: the model screen's card (what the hospital
// configuration names, the administrator's connection test and choice of engine), the header's
// badge, and an answer the local model gave when the server could not. The workstation here is a
// stand-in answering as core's model.testServer / model.useEngine do; core's own handlers are
// tested against a loopback server elsewhere.

enableAutoUnmount(afterEach)

const SERVER = 'https://llm.hospital.example:8443'
const remoteModel: ActiveModel = { name: 'HuatuoGPT2-7B', promptFormat: 'huatuo-ii', contextSize: 8192, libraryId: null, sha256: null, quantization: null, engine: 'remote', server: SERVER }
const localModel: ActiveModel = { name: 'HuatuoGPT2-7B-Q4_K_M', promptFormat: 'huatuo-ii', contextSize: 4096, libraryId: 'm-1', sha256: 'a'.repeat(64), quantization: 'Q4_K_M', engine: 'local', server: null }
const remoteView = { url: SERVER, api: 'vllm' as const, model: 'HuatuoGPT2-7B', promptFormat: 'huatuo-ii' as const, contextSize: 8192, fallbackToLocal: true }

const localDetails: LocalEngineDetails = { modelPath: '/models/huatuo.gguf', loadSeconds: 2, sequences: 1, backend: 'cpu', deviceNames: [], gpuLayers: 0, totalLayers: 32, threads: 4, freeRamBytes: 8e9, freeVramBytes: 0 }

/** The engine on this workstation: the local model in use, the server configured beside it. */
const localInUse: EngineStatus = { state: 'ready', engine: 'local', model: localModel, local: null, remote: remoteView, fallbackModel: null }
const remoteInUse: EngineStatus = { state: 'ready', engine: 'remote', model: remoteModel, local: null, remote: remoteView, fallbackModel: localModel }

const connectionTest: RemoteConnectionTest = {
  url: SERVER,
  api: 'vllm',
  model: 'HuatuoGPT2-7B',
  modelServed: true,
  models: ['Qwen2.5-7B-Instruct', 'HuatuoGPT2-7B'],
  version: '0.6.3',
  contextSize: 8192,
  roundTripMs: 42.4,
  testedAt: '2026-03-01T09:30:05+08:00',
}

/** A stand-in workstation: each request answered as given (a value, or a refusal with a code). */
function workstationAnswering(replies: Partial<Record<string, Reply<unknown>>>) {
  const asked: Array<{ name: string; input: unknown }> = []
  replaceWorkstationClient(
    new WorkstationClient({
      async invoke(name, input) {
        asked.push({ name, input })
        return replies[name] ?? { ok: false, error: { code: 'INTERNAL', message: 'not in this test' } }
      },
      onEvent: () => () => undefined,
    }),
  )
  return asked
}

function windowOf(roles: ClinicianRole[], status: EngineStatus) {
  const pinia = freshWindow()
  useSessionStore().session = sessionOf('active', 'S0001', '测试', roles)
  useModelStore().status = status
  return pinia
}

function mountCard(roles: ClinicianRole[], status: EngineStatus) {
  const pinia = windowOf(roles, status)
  const mayManage = useSessionStore().permissions.includes('model.manage')
  return mountInWindow(RemoteEngineCard, pinia, { props: { mayManage } })
}

beforeEach(() => {
  freshWindow()
})

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

describe('the hospital inference server card', () => {
  it('shows what the hospital configuration names: address, API style, model, context and the fallback', () => {
    workstationAnswering({})
    const card = mountCard(['admin'], localInUse)
    expect(card.get('[data-testid=remote-url]').text()).toBe(SERVER)
    expect(card.get('[data-testid=remote-api]').text()).toBe('vLLM')
    expect(card.get('[data-testid=remote-model]').text()).toBe('HuatuoGPT2-7B')
    expect(card.text()).toContain('8,192 词元')
    expect(card.get('[data-testid=remote-fallback]').attributes('data-fallback')).toBe('on')
    expect(card.get('[data-testid=remote-in-use]').text()).toBe('未使用')
    expect(card.get('[data-testid=remote-fallback]').text()).toContain('本机尚未加载模型')
  })

  it('names the local model that would stand in: the one in use now, or the one beside the server', async () => {
    workstationAnswering({})
    const card = mountCard(['admin'], { ...localInUse, local: localDetails })
    expect(card.get('[data-testid=remote-fallback]').text()).toContain('本机备用模型：HuatuoGPT2-7B-Q4_K_M')
    useModelStore().status = { ...remoteInUse, local: localDetails }
    await settled()
    expect(card.get('[data-testid=remote-fallback]').text()).toContain('本机备用模型：HuatuoGPT2-7B-Q4_K_M')
    expect(card.get('[data-testid=remote-in-use]').text()).toBe('问诊正在使用')
  })

  it('tests the connection: the models the server lists (the configured one marked), its version, the round trip and when', async () => {
    const asked = workstationAnswering({ 'model.testServer': { ok: true, value: connectionTest } })
    const card = mountCard(['admin'], localInUse)
    await card.get('[data-testid=test-server]').trigger('click')
    await vi.waitFor(() => expect(card.find('[data-testid=test-result]').exists()).toBe(true))
    expect(asked).toEqual([{ name: 'model.testServer', input: {} }])
    const models = card.findAll('[data-testid=test-models] li')
    expect(models.map((item) => item.text())).toEqual(['Qwen2.5-7B-Instruct', 'HuatuoGPT2-7B已配置'])
    expect(models.map((item) => item.attributes('data-configured'))).toEqual([undefined, 'true'])
    expect(card.get('[data-testid=test-version]').text()).toBe('版本 0.6.3')
    expect(card.get('[data-testid=test-rtt]').text()).toBe('往返 42 毫秒')
    expect(card.get('[data-testid=test-result]').text()).toContain(`测试于 ${new Date(connectionTest.testedAt).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit' })}`)
    expect(card.get('[data-testid=test-model-served]').text()).toBe('配置的模型 HuatuoGPT2-7B 在列表中。')
    i18n.global.locale.value = 'en'
    await settled()
    expect(card.get('[data-testid=test-rtt]').text()).toBe('round trip 42 ms')
    expect(card.get('[data-testid=test-model-served]').text()).toBe('The configured model HuatuoGPT2-7B is among them.')
  })

  it('says so when the server does not list the configured model', async () => {
    workstationAnswering({ 'model.testServer': { ok: true, value: { ...connectionTest, modelServed: false, models: ['Qwen2.5-7B-Instruct'], version: null } } })
    const card = mountCard(['admin'], localInUse)
    await card.get('[data-testid=test-server]').trigger('click')
    await vi.waitFor(() => expect(card.find('[data-testid=test-result]').exists()).toBe(true))
    expect(card.get('[data-testid=test-result]').attributes('data-model-served')).toBe('false')
    expect(card.find('[data-testid=test-version]').exists()).toBe(false)
    expect(card.get('[data-testid=test-model-served]').text()).toContain('服务器没有列出配置的模型 HuatuoGPT2-7B')
  })

  it('shows a failed test as the code’s sentence with its code', async () => {
    workstationAnswering({ 'model.testServer': { ok: false, error: { code: 'REMOTE_UNREACHABLE', message: errorMessages.REMOTE_UNREACHABLE.en, detail: 'connect ECONNREFUSED 10.0.0.5:8443' } } })
    const card = mountCard(['admin'], localInUse)
    await card.get('[data-testid=test-server]').trigger('click')
    await vi.waitFor(() => expect(card.find('[data-testid=failure]').exists()).toBe(true))
    const failure = card.get('[data-testid=failure]')
    expect(failure.attributes('data-code')).toBe('REMOTE_UNREACHABLE')
    expect(failure.text()).toContain(errorMessages.REMOTE_UNREACHABLE['zh-CN'])
    expect(failure.text()).toContain('REMOTE_UNREACHABLE')
    expect(card.find('[data-testid=test-result]').exists()).toBe(false)
    i18n.global.locale.value = 'en'
    await settled()
    expect(card.get('[data-testid=failure]').text()).toContain(errorMessages.REMOTE_UNREACHABLE.en)
  })

  it('lets an administrator switch consultations to the server after saying where their text will go', async () => {
    const asked = workstationAnswering({ 'model.useEngine': { ok: true, value: remoteInUse } })
    const card = mountCard(['admin'], localInUse)
    await card.get('[data-testid=engine-choice] [data-engine=remote] input').setValue(true)
    const confirm = card.get('[data-testid=engine-confirm]')
    expect(confirm.text()).toContain('问诊内容（患者的话、对话和病历草稿）将发送到 llm.hospital.example:8443')
    expect(asked).toEqual([])
    await card.get('[data-testid=engine-confirm-yes]').trigger('click')
    await settled()
    expect(asked).toEqual([{ name: 'model.useEngine', input: { engine: 'remote' } }])
    expect(useModelStore().status.engine).toBe('remote')
    expect(card.find('[data-testid=engine-confirm]').exists()).toBe(false)
    expect(card.get('[data-testid=remote-in-use]').text()).toBe('问诊正在使用')
  })

  it('changes nothing when the administrator cancels, and shows a refusal with its code', async () => {
    const asked = workstationAnswering({ 'model.useEngine': { ok: false, error: { code: 'REMOTE_NOT_CONFIGURED', message: errorMessages.REMOTE_NOT_CONFIGURED.en } } })
    const card = mountCard(['admin'], remoteInUse)
    await card.get('[data-testid=engine-choice] [data-engine=local] input').setValue(true)
    expect(card.get('[data-testid=engine-confirm]').text()).toContain('问诊内容不再发送到 llm.hospital.example:8443')
    await card.get('[data-testid=engine-confirm-no]').trigger('click')
    expect(card.find('[data-testid=engine-confirm]').exists()).toBe(false)
    expect(asked).toEqual([])
    await card.get('[data-testid=engine-choice] [data-engine=local] input').setValue(true)
    await card.get('[data-testid=engine-confirm-yes]').trigger('click')
    await vi.waitFor(() => expect(card.find('[data-testid=failure]').exists()).toBe(true))
    expect(card.get('[data-testid=failure]').text()).toContain(errorMessages.REMOTE_NOT_CONFIGURED['zh-CN'])
    expect(useModelStore().status.engine).toBe('remote')
  })

  it('shows a doctor which engine consultations use, without the choice or the test', () => {
    workstationAnswering({})
    const card = mountCard(['doctor'], remoteInUse)
    expect(card.find('[data-testid=engine-choice]').exists()).toBe(false)
    expect(card.find('[data-testid=test-server]').exists()).toBe(false)
    expect(card.get('[data-testid=engine-in-use]').text()).toContain('医院推理服务器 · llm.hospital.example:8443')
    expect(card.get('[data-testid=engine-in-use]').text()).toContain('由管理员选择。')
  })

  it('is absent without a configured server: a one-line note for administrators, nothing for others', () => {
    workstationAnswering({})
    const noServer: EngineStatus = { ...localInUse, remote: null }
    const forAdmin = mountCard(['admin'], noServer)
    expect(forAdmin.find('[data-testid=remote-engine]').exists()).toBe(false)
    expect(forAdmin.get('[data-testid=remote-not-configured]').text()).toContain('remoteEngine')
    forAdmin.unmount()
    const forDoctor = mountCard(['doctor'], noServer)
    expect(forDoctor.html()).not.toContain('remote')
  })
})

describe('the header’s engine badge', () => {
  it('names the hospital server and its model (the host on hover) instead of CPU or GPU, and no longer says offline', async () => {
    workstationAnswering({})
    const pinia = windowOf(['doctor'], remoteInUse)
    const header = mountInWindow(AppHeader, pinia, { plugins: [router] })
    await settled()
    const badge = header.get('[data-testid=engine-state]')
    expect(badge.attributes('data-engine')).toBe('remote')
    expect(badge.text()).toContain('HuatuoGPT2-7B')
    expect(badge.text()).toContain('医院服务器')
    expect(badge.text()).not.toContain('CPU')
    expect(badge.attributes('title')).toContain('llm.hospital.example:8443')
    expect(header.text()).not.toContain('不联网')
    expect(header.get('[data-testid=network-note]').attributes('title')).toContain('llm.hospital.example:8443')
  })
})

describe('who wrote an answer', () => {
  const timing = { promptTokens: 30, evaluatedPromptTokens: 30, generatedTokens: 12, timeToFirstTokenMs: 300, tokensPerSecond: 8 }
  const turn = (extra: Partial<ConsultationTurn>): ConsultationTurn => ({ answerId: 'a', text: '请详细描述头痛的部位。', thinking: '', status: 'complete', endReason: 'end-token', timing, patientMessageId: 1, answerMessageId: 2, redFlags: [], ...extra })

  async function answered(status: EngineStatus, result: ConsultationTurn) {
    workstationAnswering({})
    const pinia = windowOf(['doctor'], status)
    const consultation = useConsultationStore()
    consultation.consultationId = 'c-1'
    await consultation.answer(async (answerId) => ({ ...result, answerId }))
    return mountInWindow(ConsultationMessageView, pinia, { props: { message: consultation.messages.at(-1)! } })
  }

  it('shows calmly that the local model answered because the server was unavailable, and why', async () => {
    const view = await answered(remoteInUse, turn({ fallback: { reason: { code: 'REMOTE_UNREACHABLE', message: errorMessages.REMOTE_UNREACHABLE.en }, model: localModel } }))
    const notice = view.get('[data-testid=fallback-notice]')
    expect(notice.attributes('data-code')).toBe('REMOTE_UNREACHABLE')
    expect(notice.text()).toContain('医院推理服务器不可用，本次由本机模型 HuatuoGPT2-7B-Q4_K_M 回答。')
    // A few words of why, not the sentence written for a failed answer (which would say "use the local model").
    expect(notice.text()).toContain('原因：无法连接服务器。如反复出现，请通知信息科。')
    expect(notice.text()).not.toContain(errorMessages.REMOTE_UNREACHABLE['zh-CN'])
    expect(view.get('[data-testid=answer-author]').text()).toBe('· 本机模型 · HuatuoGPT2-7B-Q4_K_M')
    // Written on this machine: no server named on hover, as the stored answer will have none.
    expect(view.get('[data-testid=answer-author]').attributes('title')).toBeUndefined()
    expect(view.find('[role=alert]').exists()).toBe(false)
    i18n.global.locale.value = 'en'
    await settled()
    expect(view.get('[data-testid=fallback-notice]').text()).toContain('The hospital inference server was unavailable; the local model HuatuoGPT2-7B-Q4_K_M answered.')
    expect(view.get('[data-testid=fallback-notice]').text()).toContain('Reason: the server could not be reached. If this keeps happening, tell IT.')
  })

  it('names the hospital server as the author of its answers (host on hover), with no notice', async () => {
    const view = await answered(remoteInUse, turn({}))
    const author = view.get('[data-testid=answer-author]')
    expect(author.text()).toBe('· 医院服务器 · HuatuoGPT2-7B')
    expect(author.attributes('title')).toBe('llm.hospital.example:8443')
    expect(view.find('[data-testid=fallback-notice]').exists()).toBe(false)
  })

  it('names nobody for the local model answering as usual', async () => {
    const view = await answered(localInUse, turn({}))
    expect(view.find('[data-testid=answer-author]').exists()).toBe(false)
    expect(view.find('[data-testid=fallback-notice]').exists()).toBe(false)
  })

  it('reads a stored answer’s author: a fallback stays marked when the consultation is opened again', async () => {
    const pinia = freshWindow()
    workstationAnswering({})
    const message = {
      id: 'stored-2',
      role: 'model' as const,
      text: '请详细描述。',
      thinking: '',
      status: 'complete' as const,
      timing,
      storedId: 2,
      author: { engine: 'local' as const, model: 'HuatuoGPT2-7B-Q4_K_M', server: SERVER, fallbackFrom: 'REMOTE_CONNECT_TIMEOUT' as const },
    }
    const view = mountInWindow(ConsultationMessageView, pinia, { props: { message } })
    expect(view.get('[data-testid=fallback-notice]').text()).toContain('原因：连接服务器超时')
  })
})
