import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../support/cli.ts'

// DESIGN.md's "Imports run one way" is checked by dependency-cruiser (`npm run depcheck`, part of
// `npm test`). These cases prove the configuration catches a type-only cycle and each forbidden
// direction on a fixture of deliberately wrong imports, and that the workstation itself has none.

const configFile = join(repoRoot, '.dependency-cruiser.mjs')
const fixture = join(repoRoot, 'tests/fixtures/dependency-rules')
const depcruiseBin = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs')

async function cruiseFixture(overrides: Partial<ICruiseOptions> = {}): Promise<string[]> {
  const options = await extractDepcruiseOptions(configFile)
  // The fixture is cruised from its own folder, so its paths read like the repository's own.
  const { tsConfig: _tsConfig, exclude: _exclude, ...rules } = options
  const reply = await cruise(['electron', 'renderer'], { ...rules, baseDir: fixture, ...overrides })
  const result = reply.output as ICruiseResult
  return result.summary.violations
    .map((v) => {
      // A cycle is reported once, with its whole path and the kind of each arrow in it.
      const cycle = v.cycle?.map((step) => `${step.name} (${step.dependencyTypes.join(', ')})`).join(' → ')
      // A package is named from its node_modules folder, wherever that lies above the fixture.
      return `${v.rule.name}: ${v.from} → ${cycle ?? v.to.replace(/^.*\bnode_modules\//, 'node_modules/')}`
    })
    .sort()
}

describe('dependency rules', () => {
  it('npm test runs the dependency check over the whole tree', async () => {
    const { scripts } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(scripts['test']).toContain('npm run depcheck')
    expect(scripts['depcheck']).toMatch(/^depcruise --config \.dependency-cruiser\.mjs --output-type err-long /)
    expect(scripts['depcheck']?.split(' ')).toEqual(expect.arrayContaining(['electron', 'renderer/src', 'tests', 'bin']))
  })

  it('catch a type-only cycle and every forbidden direction, and allow the renderer the contract', async () => {
    const violations = await cruiseFixture()
    expect(violations).toEqual([
      'contract-is-the-bottom: electron/contract/reaches-core.ts → electron/core/reaches-shell.ts',
      'contract-not-to-electron: electron/contract/uses-electron.ts → node_modules/electron/index.js',
      'contract-not-to-node: electron/contract/uses-node.ts → path',
      'core-not-to-electron: electron/core/uses-electron.ts → node_modules/electron/index.js',
      'core-not-to-renderer: electron/core/reaches-window.ts → renderer/src/uses-contract.ts',
      'core-not-to-shells: electron/core/reaches-shell.ts → electron/main/shell.ts',
      'gguf-is-lower: electron/core/gguf/asks-models.ts → electron/core/models/library.ts',
      'host-not-to-main: electron/host/reaches-main.ts → electron/main/shell.ts',
      'inference-not-to-models: electron/core/inference/reads-library.ts → electron/core/models/library.ts',
      'no-circular: electron/contract/patient.ts → electron/contract/visit.ts (local, type-only, import) → electron/contract/patient.ts (local, type-only, import)',
      'not-to-unresolvable: electron/core/imports-nothing-there.ts → ./absent.ts',
      'renderer-not-to-node: renderer/src/reads-disk.ts → fs',
      'renderer-only-through-contract: renderer/src/reaches-core.ts → electron/core/gguf/header.ts',
    ])
    // A rule added to the configuration gets a case here too.
    const { ruleSet } = await extractDepcruiseOptions(configFile)
    const fired = new Set(violations.map((v) => v.split(':')[0]))
    expect((ruleSet?.forbidden ?? []).map((rule) => rule.name).filter((name) => !fired.has(name))).toEqual([])
  })

  it('see the type-only cycle only because type imports are counted (tsPreCompilationDeps)', async () => {
    const withoutTypes = await cruiseFixture({ tsPreCompilationDeps: false })
    expect(withoutTypes.filter((v) => v.startsWith('no-circular'))).toEqual([])
  })

  it('find no cycle and no forbidden arrow in the workstation', async () => {
    const { scripts } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    const args = (scripts['depcheck'] ?? '').split(' ').slice(1)
    const run = await promisify(execFile)(process.execPath, [depcruiseBin, ...args], { cwd: repoRoot }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout ?? ''}${error.stderr ?? ''}`, stderr: 'failed' }),
    )
    expect(run.stdout).toContain('no dependency violations found')
    expect(run.stderr).toBe('')
  }, 60_000)
})
