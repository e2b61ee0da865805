import { processIO, reportFailure, type CliIO } from './output.ts'
import { WorkstationError } from '../core/errors.ts'

/** Each command lives in its own module and is loaded only when asked for. */
const commands: Record<string, { summary: string; load: () => Promise<{ run(args: string[], io: CliIO): Promise<number> }> }> = {
  'make-test-model': {
    summary: 'write a generated GGUF model for tests and benchmarks',
    load: () => import('./commands/make-test-model.ts'),
  },
  inspect: { summary: 'check a GGUF model file and describe it', load: () => import('./commands/inspect.ts') },
  chat: { summary: 'a consultation in the terminal with a local model, answers streamed', load: () => import('./commands/chat.ts') },
  prompt: { summary: 'print the exact text a model receives for a conversation', load: () => import('./commands/prompt.ts') },
  records: { summary: 'the consultation record database: list, import, search, demo, backup, restore', load: () => import('./commands/records.ts') },
  audit: { summary: "verify the record database's keyed, hash-chained audit log", load: () => import('./commands/audit.ts') },
  users: { summary: 'clinician accounts for IT: add, list, disable, enable, unlock, reset-pin', load: () => import('./commands/users.ts') },
  export: { summary: 'export a signed outpatient record: FHIR R4, PDF, Markdown, HIS text', load: () => import('./commands/export.ts') },
  models: { summary: 'the model library: list, import, download, remove, catalog', load: () => import('./commands/models.ts') },
  eval: { summary: "evaluate a model before use: run a dataset, score (BLEU, GLEU, ROUGE, Distinct, exam accuracy), report", load: () => import('./commands/eval.ts') },
  triage: { summary: 'check patient messages for red flags (deterministic rules, no model)', load: () => import('./commands/triage.ts') },
  serve: { summary: 'serve the window to a browser on this machine (loopback only, token-protected)', load: () => import('./commands/serve.ts') },
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(18)}${c.summary}`)
  return `usage: huatuo <command> [options]\n\ncommands:\n${lines.join('\n')}\n`
}

/** The command line; a shell around it (the app's `--cli`) hands in what only it can do through `io.shell`. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage())
    return name === undefined ? 2 : 0
  }
  const command = commands[name]
  if (!command) {
    io.err(usage())
    return reportFailure(io, new WorkstationError('USAGE', `unknown command: ${name}`), false)
  }
  const module = await command.load()
  return module.run(args, io)
}
