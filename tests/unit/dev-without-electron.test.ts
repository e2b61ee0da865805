import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/cli.ts'

// `npm run dev` on a machine that cannot download Electron (no internet, or a mirror that does not
// answer): one coded line saying what failed, then what to do — never a bare "fetch failed".

const installed = existsSync(join(repoRoot, 'node_modules/electron/path.txt'))

function fetchElectron(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['scripts/fetch-electron.mjs'], {
    cwd: repoRoot,
    encoding: 'utf8',
    // A mirror on a closed loopback port: the download fails at once, whatever this machine's network.
    env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', ...env },
    timeout: 60_000,
  })
}

describe('npm run dev when Electron cannot be downloaded', () => {
  it.runIf(!installed)('says what failed and what to do, in English and in Chinese', () => {
    const en = fetchElectron({ LANG: 'C' })
    expect(en.status).toBe(1)
    expect(en.stderr).toMatch(/^ELECTRON_DOWNLOAD_FAILED: the Electron binary could not be downloaded \(ELECTRON_MIRROR=http:\/\/127\.0\.0\.1:9\/\)/)
    expect(en.stderr).toContain('needs the internet once')
    expect(en.stderr).toContain('npm run --silent huatuo -- serve --db records.db')
    expect(en.stderr).not.toMatch(/^\s+at /m)
    const zh = fetchElectron({ LANG: 'zh_CN.UTF-8' })
    expect(zh.status).toBe(1)
    expect(zh.stderr).toMatch(/^ELECTRON_DOWNLOAD_FAILED: 无法下载 Electron 程序/)
    expect(zh.stderr).toContain('ELECTRON_MIRROR')
  })

  it.runIf(installed)('goes on when the binary is already there', () => {
    expect(fetchElectron({}).status).toBe(0)
  })
})
