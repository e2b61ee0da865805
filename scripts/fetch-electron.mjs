// `npm run dev` and `npm run preview` need Electron's own binary, which its package downloads on
// first use (from GitHub, or ELECTRON_MIRROR). Without internet that download fails with a bare
// "TypeError: fetch failed": this says what failed and what to do instead.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const installer = require.resolve('electron/install.js')
const result = spawnSync(process.execPath, [installer], { encoding: 'utf8', env: process.env })
if (result.status === 0) process.exit(0)

const chinese = /^zh/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '')
const detail = (result.stderr || result.stdout || '').trim().split('\n')[0] ?? ''
const mirror = process.env.ELECTRON_MIRROR ? ` (ELECTRON_MIRROR=${process.env.ELECTRON_MIRROR})` : ''
const message = chinese
  ? `ELECTRON_DOWNLOAD_FAILED: 无法下载 Electron 程序${mirror}：${detail}
首次运行 npm run dev 需要联网一次以下载 Electron；也可以把 ELECTRON_MIRROR 设为医院允许访问的镜像
（例如 ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/）后重试。
在此之前，可以在浏览器中使用同样的工作站界面：
  npm run build
  npm run --silent huatuo -- serve --db records.db
然后把它显示的地址（以 #token= 结尾）粘贴到本机浏览器的地址栏。`
  : `ELECTRON_DOWNLOAD_FAILED: the Electron binary could not be downloaded${mirror}: ${detail}
The first npm run dev needs the internet once, to download Electron; or set ELECTRON_MIRROR to a
mirror the hospital allows (e.g. ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/) and try again.
Meanwhile the same workstation window runs in a browser:
  npm run build
  npm run --silent huatuo -- serve --db records.db
then paste the address it prints (ending in #token=…) into this computer's browser.`
process.stderr.write(`${message}\n`)
process.exit(1)
