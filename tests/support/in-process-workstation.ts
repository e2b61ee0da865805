// The real workstation core, opened in this process for the window's component tests: requests go to
// its `invoke` through tests/support/in-process-transport.ts, as they would from the app's window.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Reply } from '../../electron/contract/channels.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { forkEngineProcess } from '../../electron/core/inference/local/process-launcher.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { Workstation } from '../../electron/core/workstation.ts'
import type { EngineScript } from './scripted-engine.ts'

/** The workstation core on a fresh temporary data folder, as the app's main process would open it. */
export interface OpenedWorkstation {
  workstation: Workstation
  dir: string
  /** A request as any window would make it; throws with the error's code when refused. */
  call<T>(name: string, input?: unknown): Promise<T>
  close(): Promise<void>
}

export interface InProcessOptions {
  /**
   * Answers come from the scripted engine process (the real engine protocol, a script instead of a
   * model; tests/support/scripted-engine.ts), loaded from a tiny generated GGUF: patient messages
   * then go through the real turn, so triage raises red flags as in the app.
   */
  script?: EngineScript
}

export async function openInProcessWorkstation(options: InProcessOptions = {}): Promise<OpenedWorkstation> {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-component-'))
  const config = await readHospitalConfig(join(dir, 'no-hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  let engineLauncher
  if (options.script) {
    const scriptPath = join(dir, 'script.json')
    await writeFile(scriptPath, JSON.stringify(options.script))
    const fork = forkEngineProcess(fileURLToPath(new URL('./scripted-engine.ts', import.meta.url)))
    engineLauncher = ({ env }: { env: Record<string, string> }) => fork({ env: { ...env, HUATUO_SCRIPTED_ENGINE: scriptPath } })
  }
  const workstation = await Workstation.open({
    config,
    about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
    databasePath: join(dir, 'data', 'records.db'),
    triage: triagePatientMessage,
    threads: 1,
    maintenance: false,
    ...(engineLauncher ? { shell: { engineLauncher } } : {}),
  })
  if (options.script) {
    const modelPath = join(dir, 'tiny.gguf')
    await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 7 })
    await workstation.loadModelAtStart(modelPath, 'os:test')
  }
  return {
    workstation,
    dir,
    async call<T>(name: string, input: unknown = {}): Promise<T> {
      const reply: Reply<unknown> = await workstation.invoke(name, input)
      if (!reply.ok) throw Object.assign(new Error(`${name}: ${reply.error.code}: ${reply.error.detail ?? reply.error.message}`), { code: reply.error.code })
      return reply.value as T
    },
    async close() {
      await workstation.dispose()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
