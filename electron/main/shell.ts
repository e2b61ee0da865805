import { dirname, join } from 'node:path'
import type * as Electron from 'electron'
import type { AppAbout } from '../contract/app-about.ts'
import { EVENT_CHANNEL, requestNames, type Reply, type WorkstationEvent } from '../contract/channels.ts'
import { triagePatientMessage } from '../core/clinical/triage/triage.ts'
import { locateHospitalConfig, readHospitalConfig, type HospitalConfig } from '../core/config/hospital-config.ts'
import { dataFolderWarning } from '../core/config/private-storage.ts'
import { WorkstationError } from '../core/errors.ts'
import type { ShellCapabilities } from '../core/shell-capabilities.ts'
import { Workstation } from '../core/workstation.ts'
import { APP_PAGE_URL, registerAppScheme, serveAppScheme } from './app-scheme.ts'
import { appAuditKeyVault, appSecretKeeper } from './audit-key.ts'
import { createUtilityEngineLauncher } from './engine-launcher.ts'
import { chooseExportFile, chooseModelFile } from './file-dialogs.ts'
import { applicationMenu, menuLocale } from './menu.ts'
import { createPrintToPdfRenderer } from './print-to-pdf.ts'
import { guardWindow, isOwnFrame, secureSession, secureWebPreferences } from './security.ts'
import { readWindowState, writeWindowState } from './window-state.ts'

// The Electron shell: lifecycle, the one window, the security policy, and the binding of the
// contract to ipcMain. It receives `electron` as an argument (the seam a test uses to run the
// built main under Node with a recording stand-in). No domain logic lives here.

export type ElectronApi = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'ipcMain' | 'session' | 'Menu' | 'dialog' | 'shell' | 'utilityProcess' | 'safeStorage' | 'protocol'
>

export async function startShell(electron: ElectronApi, argv: readonly string[] = process.argv): Promise<void> {
  const { app } = electron
  // Before the app is ready, as Electron requires: the page's own privileged scheme.
  registerAppScheme(electron.protocol)
  // The built main, preload and renderer sit under out/ in the app folder (or its asar).
  const mainDir = join(app.getAppPath(), 'out', 'main')
  // What only the app can do, for the workstation and for its `--cli` alike: the engine in a
  // utilityProcess (RunAsNode is off), records printed through Electron's Chromium, the audit key
  // sealed by the operating system.
  const shell: ShellCapabilities = {
    engineLauncher: createUtilityEngineLauncher(electron.utilityProcess, join(mainDir, 'engine-process.js')),
    pdfRenderer: () => createPrintToPdfRenderer(electron.BrowserWindow, () => app.whenReady()),
    auditKeyVault: (config, databasePath) => appAuditKeyVault(electron.safeStorage, config, databasePath),
    // The hospital inference server's key: used only after the app is ready (safeStorage's rule).
    secretKeeper: { keep: (secret) => appSecretKeeper(electron.safeStorage).keep(secret) },
  }

  // `<app> --cli <command> …`: the installed app runs the huatuo commands itself (RunAsNode is off),
  // with the app's own audit key.
  const cliAt = argv.indexOf('--cli')
  if (cliAt >= 0) {
    const { main: runCli } = await import('../cli/huatuo.ts')
    const { processIO } = await import('../cli/output.ts')
    await app.whenReady()
    app.exit(await runCli(argv.slice(cliAt + 1), { ...processIO(), shell }))
    return
  }

  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }

  let config: HospitalConfig
  try {
    config = await readHospitalConfig(await locateHospitalConfig(dirname(app.getPath('exe'))))
  } catch (error) {
    // A hospital configuration that is wrong stops the start, naming the key, rather than running
    // with settings IT did not intend.
    await app.whenReady()
    const detail = error instanceof WorkstationError ? `${error.localized(menuLocale(app.getLocale()))}\n\n${error.detail ?? ''}` : String(error)
    electron.dialog.showErrorBox('Huatuo Workstation', detail)
    app.exit(1)
    return
  }

  const about: AppAbout = { name: app.getName(), version: app.getVersion(), electron: process.versions['electron'] ?? '', node: process.versions.node }
  await app.whenReady()
  const databasePath = join(config.dataDir, 'records.db')
  // The dialogs belong to the window, made below once the workstation is open.
  const opened: { window?: Electron.BrowserWindow } = {}
  const windowOf = () => (opened.window && !opened.window.isDestroyed() ? opened.window : undefined)
  const workstation = await Workstation.open({
    config,
    about,
    databasePath,
    triage: triagePatientMessage,
    shell: {
      ...shell,
      // Every path the app reads or writes for the window is one the clinician chose in the OS dialog.
      chooseModelFile: chooseModelFile(electron.dialog, windowOf),
      chooseExportFile: chooseExportFile(electron.dialog, windowOf, () => app.getPath('documents')),
    },
  })

  const defaultSession = electron.session.defaultSession
  secureSession(defaultSession)
  serveAppScheme(electron.protocol, join(mainDir, '../renderer'))
  // The development server only while developing: an installed app never loads another address.
  const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
  const appUrl = devServer ?? APP_PAGE_URL

  bindContract(electron.ipcMain, workstation, appUrl)
  // A data folder other users can read (Windows ACLs IT set, or a shared POSIX folder): said once at start.
  void dataFolderWarning(config.dataDir).then((exposed) => {
    if (exposed) void electron.dialog.showMessageBox({ type: 'warning', message: exposed.localized(menuLocale(app.getLocale())), detail: exposed.detail ?? '' })
  })
  // IT's preselected model loads in the background; a failure leaves the model panel to say so.
  void workstation.loadPreselectedModel().catch(() => undefined)
  const locale = menuLocale(app.getLocale())
  electron.Menu.setApplicationMenu(
    electron.Menu.buildFromTemplate(
      applicationMenu(locale, () => electron.dialog.showMessageBox({ message: `${about.name} ${about.version}`, detail: `Electron ${about.electron} · Node ${about.node}` })),
    ),
  )

  const userData = app.getPath('userData')
  const state = readWindowState(userData)
  const window = new electron.BrowserWindow({
    ...state,
    show: false,
    title: locale === 'zh-CN' ? '华佗工作站' : 'Huatuo Workstation',
    webPreferences: { ...secureWebPreferences, preload: join(mainDir, '../preload/index.cjs') },
  })
  if (state.maximized) window.maximize()
  guardWindow(window, electron.shell, config.externalLinkHosts)
  opened.window = window
  const shown = window
  const unsubscribe = workstation.onEvent((event: WorkstationEvent) => {
    if (!shown.isDestroyed()) shown.webContents.send(EVENT_CHANNEL, event)
  })
  shown.once('ready-to-show', () => shown.show())
  shown.on('close', () => writeWindowState(userData, { ...shown.getNormalBounds(), maximized: shown.isMaximized() }))
  shown.on('closed', () => unsubscribe())
  void shown.loadURL(appUrl)

  app.on('second-instance', () => {
    if (shown.isDestroyed()) return
    if (shown.isMinimized()) shown.restore()
    shown.focus()
  })
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => {
    void workstation.dispose()
  })
}

/** One ipcMain handler per declared request; each checks the sender before the workstation sees it. */
export function bindContract(ipcMain: Electron.IpcMain, workstation: Pick<Workstation, 'invoke'>, appUrl: string): void {
  for (const name of requestNames) {
    ipcMain.handle(name, async (event, input: unknown): Promise<Reply<unknown>> => {
      if (!isOwnFrame(event.senderFrame, appUrl)) {
        return { ok: false, error: new WorkstationError('FORBIDDEN', `${name} from a frame that is not the workstation's`).toPayload() }
      }
      return workstation.invoke(name, input)
    })
  }
}
