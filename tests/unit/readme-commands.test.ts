import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../support/cli.ts'

// The README's commands, exactly as written, in the order written, as a new user runs them from
// the project folder: a README that drifts from the command fails here. Blocks are marked in the
// README by the comment that names this file; what a user would type at the prompts comes on stdin.

const MARK = '<!-- the commands below are run as written by tests/unit/readme-commands.test.ts -->'

/** Every command line of each marked shell block, comments and blank lines left out. */
async function markedCommands(): Promise<string[][]> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8')
  const blocks: string[][] = []
  for (const part of readme.split(MARK).slice(1)) {
    const block = /^\s*```sh\n([\s\S]*?)\n```/.exec(part)
    if (!block) throw new Error('a marked README block is not a sh block right after the mark')
    blocks.push(block[1]!.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#')))
  }
  return blocks
}

/** What the user types at a command's prompts (PINs, the consultation), by the command's words. */
const typed: Array<[RegExp, string]> = [
  [/users add .*--staff-id D1024/, '482915\n'],
  [/ chat .*--actor D1024/, '482915\n突然胸痛，大汗淋漓，呼吸困难\nstop\n'],
]

let data: string

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'huatuo-readme-'))
  await rm('/tmp/huatuo-try', { recursive: true, force: true })
})

afterAll(async () => {
  await rm(data, { recursive: true, force: true })
  await rm('/tmp/huatuo-try', { recursive: true, force: true })
})

function run(line: string) {
  const input = typed.find(([pattern]) => pattern.test(line))?.[1] ?? ''
  return spawnSync('bash', ['-c', line], {
    cwd: repoRoot,
    input,
    encoding: 'utf8',
    env: { ...process.env, HUATUO_DATA_DIR: data, HUATUO_HOSPITAL_CONFIG: join(data, 'no-hospital.json'), HUATUO_THREADS: '1', LANG: 'C' },
    timeout: 120_000,
  })
}

describe("the README's commands, as written", () => {
  it('are found: the examples and the first consultation in the terminal', async () => {
    const blocks = await markedCommands()
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    for (const block of blocks) for (const line of block) expect(line, line).toMatch(/^(npm run --silent huatuo -- |echo |mkdir -p )/)
  })

  it('run, each with exit status 0, and do what the README says', async () => {
    const outputs = new Map<string, string>()
    for (const block of await markedCommands()) {
      for (const line of block) {
        const result = run(line)
        expect([line, result.status, result.stderr]).toEqual([line, 0, expect.not.stringMatching(/^[A-Z_]{5,}:/m)])
        outputs.set(line, result.stdout)
      }
    }
    const of = (words: RegExp) => [...outputs].find(([line]) => words.test(line))?.[1] ?? ''
    // The emergency is flagged above the answer, the consultation is kept, listed and found.
    expect(of(/ chat /)).toMatch(/\[EMERGENCY\] Chest pain/i)
    expect(of(/records list/)).toContain('D1024')
    expect(of(/records search/)).toContain('胸痛')
    expect(of(/ inspect /)).toContain('"architecture"')
  }, 300_000)
})
