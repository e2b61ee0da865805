import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/cli.ts'

// DESIGN.md's process boundaries are enforced by ESLint; these cases prove the rules really fire
// (and stay quiet where an import is allowed), so a config change cannot silently disable them.

const eslint = new ESLint({ cwd: repoRoot })

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('process boundaries', () => {
  it.each([
    ['electron/contract/probe.ts', "import { app } from 'electron'\nexport { app }\n"],
    ['electron/contract/probe.ts', "import { readFile } from 'node:fs/promises'\nexport { readFile }\n"],
    ['electron/contract/probe.ts', "import path from 'path'\nexport { path }\n"],
    ['electron/contract/probe.ts', "import { getLlama } from 'node-llama-cpp'\nexport { getLlama }\n"],
    ['electron/core/probe.ts', "import { app } from 'electron'\nexport { app }\n"],
    ['electron/core/inference/probe.ts', "import { ipcMain } from 'electron/main'\nexport { ipcMain }\n"],
    ['electron/cli/probe.ts', "import { app } from 'electron'\nexport { app }\n"],
    ['renderer/src/probe.ts', "import { readFileSync } from 'fs'\nexport { readFileSync }\n"],
    ['renderer/src/probe.ts', "import { spawn } from 'node:child_process'\nexport { spawn }\n"],
    ['renderer/src/probe.ts', "import { ipcRenderer } from 'electron'\nexport { ipcRenderer }\n"],
  ])('%s refuses %j', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toHaveLength(1)
  })

  it.each([
    ['electron/core/probe.ts', "import { readFile } from 'node:fs/promises'\nimport { getLlama } from 'node-llama-cpp'\nexport { readFile, getLlama }\n"],
    ['electron/main/probe.ts', "import { app } from 'electron'\nexport { app }\n"],
    ['renderer/src/probe.ts', "import type { AppAbout } from '../../electron/contract/app-about.ts'\nexport type { AppAbout }\n"],
    ['electron/contract/probe.ts', "import type { ErrorCode } from './errors.ts'\nexport type { ErrorCode }\n"],
  ])('%s allows %j', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([])
  })

  it('the contract may not use DOM or Node globals', async () => {
    const [result] = await eslint.lintText('export const here = process.cwd() + document.title\n', {
      filePath: 'electron/contract/probe.ts',
    })
    expect(result?.messages.filter((m) => m.ruleId === 'no-undef').map((m) => m.message)).toEqual([
      "'process' is not defined.",
      "'document' is not defined.",
    ])
  })
})
