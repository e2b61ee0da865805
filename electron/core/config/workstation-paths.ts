import { homedir } from 'node:os'
import { join } from 'node:path'

const APP_FOLDER = 'Huatuo Workstation'

/**
 * Where the workstation keeps its data when nothing else is configured: the same folder Electron
 * uses as userData, so the app, the CLI and the browser host share one models folder and one
 * record store. HUATUO_DATA_DIR overrides it (tests, portable installs).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['HUATUO_DATA_DIR']) return env['HUATUO_DATA_DIR']
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER)
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), APP_FOLDER)
}

/** Machine-wide hospital configuration, written by IT (deployment tools, group policy). */
export function systemConfigPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['HUATUO_HOSPITAL_CONFIG']) return env['HUATUO_HOSPITAL_CONFIG']
  if (platform === 'win32') return join(env['ProgramData'] ?? 'C:\\ProgramData', APP_FOLDER, 'hospital.json')
  if (platform === 'darwin') return join('/Library/Application Support', APP_FOLDER, 'hospital.json')
  return '/etc/huatuo-workstation/hospital.json'
}
