import { userInfo } from 'node:os'
import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import packageJson from '../../../package.json' with { type: 'json' }
import type { AppAbout } from '../../contract/app-about.ts'
import { triagePatientMessage } from '../../core/clinical/triage/triage.ts'
import { locateHospitalConfig, readHospitalConfig } from '../../core/config/hospital-config.ts'
import { isWorkstationError, WorkstationError } from '../../core/errors.ts'
import { dataFolderWarning } from '../../core/config/private-storage.ts'
import { forkEngineProcess, type EngineProcessLauncher } from '../../core/inference/local/process-launcher.ts'
import { configuredInferenceThreads } from '../../core/inference/threads.ts'
import { Workstation, type WorkstationOptions } from '../../core/workstation.ts'
import { startBrowserHost } from '../../host/browser-host.ts'
import { loopbackListenAddress } from '../../host/loopback-address.ts'
import { builtRendererDir } from '../../host/renderer-files.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo serve --db FILE [--model FILE] [--port N] [--host ADDR] [--data-dir DIR] [--renderer DIR]

Serves the workstation's window to a browser on this machine: the built window files over HTTP and
the workstation's requests over a WebSocket, on a loopback address only. Prints one line,
"Listening on http://127.0.0.1:PORT/#token=…": open that address in a browser on this machine (paste
it into the address bar; never pass it on a command line, which other users can read). The token is
new at every start and stays in that browser tab only. Ctrl-C stops it.
  --db FILE        the consultation record database
  --model FILE     a GGUF model: added to the model library and loaded before the page opens
  --port N         port to listen on (default: one the system chooses)
  --host ADDR      127.0.0.1 (default), another 127.x.x.x address, ::1 or localhost; nothing else
  --data-dir DIR   the workstation's data folder (default: HUATUO_DATA_DIR, else the app's own)
  --renderer DIR   the built window files (default: out/renderer, made by npm run build)
`

/** The test engine lives in the source tree only: an installed app has no tests/ folder to start it from. */
async function scriptedEngineLauncher(script: string): Promise<EngineProcessLauncher> {
  const entry = fileURLToPath(new URL('../../../tests/support/scripted-engine.ts', import.meta.url))
  if (!(await access(entry).then(() => true, () => false))) throw new WorkstationError('USAGE', '--scripted-engine is for the tests of the source tree')
  const fork = forkEngineProcess(entry)
  return ({ env }) => fork({ env: { ...env, HUATUO_SCRIPTED_ENGINE: script } })
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65_535) throw new WorkstationError('USAGE', '--port must be an integer from 0 to 65535')
  return Number(value)
}

/** Resolves on the first Ctrl-C or termination signal. */
function untilStopped(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      done()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let workstation: Workstation | undefined
  try {
    const { values } = parseCommandArgs(args, {
      db: { type: 'string' },
      model: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      renderer: { type: 'string' },
      // Tests only (undocumented): an engine that replays a script, from the source tree's tests/.
      'scripted-engine': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    })
    if (values.help) {
      io.out(usage)
      return 0
    }
    if (values.db === undefined) throw new WorkstationError('USAGE', '--db FILE is required')
    const port = parsePort(values.port)
    // Refused before anything is read or bound.
    const address = loopbackListenAddress(values.host ?? '127.0.0.1')
    const rendererDir = await builtRendererDir(values.renderer)

    const env = values['data-dir'] ? { ...process.env, HUATUO_DATA_DIR: resolve(values['data-dir']) } : process.env
    const about: AppAbout = { name: 'Huatuo Workstation', version: packageJson.version, electron: '', node: process.versions.node }
    const options: WorkstationOptions = {
      config: await readHospitalConfig(await locateHospitalConfig(null, env), env),
      about,
      threads: configuredInferenceThreads(),
      databasePath: resolve(values.db),
      triage: triagePatientMessage,
      ...(values['scripted-engine'] ? { shell: { engineLauncher: await scriptedEngineLauncher(resolve(values['scripted-engine'])) } } : {}),
    }
    const live = await Workstation.open(options)
    workstation = live
    // A data folder other users can read is said at once (IT sets its permissions; see README "Security").
    // A --db elsewhere is the user's own choice of folder: its files are 0600, its folder is left as it is.
    const exposed = await dataFolderWarning(options.config.dataDir)
    if (exposed) io.err(`${exposed.code}: ${exposed.localized(io.locale)} (${exposed.detail ?? ''})\n`)

    if (values.model === undefined) {
      // Without --model, the hospital's preselected model (if any) is loaded, as the app does.
      const preselected = await live.loadPreselectedModel()
      if (preselected?.model) io.err(`${preselected.model.name}\n`)
    }
    if (values.model !== undefined) {
      // Into the library (hashed, approval checked), then loaded, for the operator who started the host.
      const loaded = await live.loadModelAtStart(resolve(values.model), `os:${userInfo().username}`)
      io.err(`${loaded.model?.name ?? ''}\n`)
    }

    const host = await startBrowserHost({ workstation: live, rendererDir, address, port })
    io.out(`Listening on ${host.url}\n`)
    await untilStopped()
    await host.close()
    return 0
  } catch (error) {
    if (isWorkstationError(error, 'USAGE')) io.err(usage)
    return reportFailure(io, error, false)
  } finally {
    await workstation?.dispose()
  }
}
