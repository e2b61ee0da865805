import { createInterface } from 'node:readline/promises'
import type { UiLocale } from '../../contract/errors.ts'
import { readHospitalConfig } from '../../core/config/hospital-config.ts'
import { WorkstationError } from '../../core/errors.ts'
import { ModelLibrary, type LibraryEntry } from '../../core/models/library/model-library.ts'
import type { PublishResult } from '../../core/models/library/publish-model.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { progressBar } from '../progress-bar.ts'
import { formatBytes } from '../format.ts'

const usage = `usage: huatuo models list [--json]
       huatuo models import PATH [--sha256 HEX] [--json]
       huatuo models download CATALOG_ID_OR_URL [--base-url URL] [--sha256 HEX] [--json]
       huatuo models remove ID [--yes] [--json]
       huatuo models catalog [--json]

  --models-dir DIR   the models folder (default: the hospital configuration's, else the workstation's own)
  --base-url URL     download server: https://huggingface.co (default), a mirror such as
                     https://hf-mirror.com, or a template with {repository} and {file}
  --sha256 HEX       the SHA-256 the file must have
  --yes              remove without asking

An interrupted download resumes when the same command runs again.
`

const text = {
  'zh-CN': {
    added: '已加入模型库',
    already: '模型库中已有此模型',
    removed: '已删除（引用此模型的问诊记录不受影响）',
    confirm: (name: string) => `确认从模型库删除 ${name}？问诊记录不受影响。输入 yes 确认：`,
    empty: '模型库为空。',
    missing: '（文件缺失）',
    cancelled: '已取消；再次运行相同命令可从中断处继续下载。',
  },
  en: {
    added: 'added to the model library',
    already: 'already in the model library',
    removed: 'removed (consultation records that name it are untouched)',
    confirm: (name: string) => `Remove ${name} from the model library? Consultation records are untouched. Type yes to confirm: `,
    empty: 'The model library is empty.',
    missing: '(files missing)',
    cancelled: 'Cancelled; run the same command again to resume the download.',
  },
} as const


function listLines(models: LibraryEntry[], locale: UiLocale): string {
  if (models.length === 0) return `${text[locale].empty}\n`
  return models
    .map((m) => {
      const from = m.source.kind === 'import' ? m.source.path : m.source.url
      return [
        `${m.id}  ${m.name}${m.missing ? ` ${text[locale].missing}` : ''}`,
        `    ${m.promptFormat} · ${m.quantization} · ${formatBytes(m.sizeBytes)} · ${m.files.length} file(s)`,
        `    sha256 ${m.sha256}`,
        `    ${m.addedAt} · ${m.addedBy} · ${from}`,
      ].join('\n')
    })
    .join('\n')
    .concat('\n')
}

function resultLine(result: PublishResult, locale: UiLocale): string {
  const m = result.model
  return `${result.alreadyPresent ? text[locale].already : text[locale].added}: ${m.id}  ${m.name}\nsha256 ${m.sha256}\n`
}

async function confirmRemoval(io: CliIO, name: string): Promise<boolean> {
  if (!io.isTTY) return false
  const prompt = createInterface({ input: io.stdin, output: process.stderr })
  try {
    return (await prompt.question(text[io.locale].confirm(name))).trim().toLowerCase() === 'yes'
  } finally {
    prompt.close()
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  const cancel = new AbortController()
  const onInterrupt = () => cancel.abort()
  process.once('SIGINT', onInterrupt)
  try {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        'models-dir': { type: 'string' },
        'base-url': { type: 'string' },
        sha256: { type: 'string' },
        yes: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    )
    json = values.json ?? false
    const [action, target, ...extra] = positionals
    if (values.help) {
      io.out(usage)
      return 0
    }
    if (extra.length > 0) throw new WorkstationError('USAGE', `unexpected ${extra.join(' ')}`)
    if (values.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(values.sha256)) throw new WorkstationError('USAGE', '--sha256 takes 64 hexadecimal characters')
    if (values['base-url'] !== undefined && !/^https?:\/\//.test(values['base-url'])) throw new WorkstationError('USAGE', '--base-url takes an http(s) address')

    const config = await readHospitalConfig()
    const library = new ModelLibrary(config, values['models-dir'] ? { modelsDir: values['models-dir'] } : {})
    const bar = progressBar(io, Boolean(process.stderr.isTTY) && !json)
    const transfer = {
      signal: cancel.signal,
      onProgress: bar.update,
      expectedSha256: values.sha256 ?? null,
    }

    switch (action) {
      case 'list': {
        const models = await library.list()
        io.out(json ? `${JSON.stringify(models)}\n` : listLines(models, io.locale))
        return 0
      }
      case 'catalog': {
        const catalog = await library.catalog()
        io.out(json ? `${JSON.stringify(catalog)}\n` : catalog.map((m) => `${m.id.padEnd(24)} ${m.name} · ${m.promptFormat} · ${formatBytes(m.sizeBytes)} · ${m.repository}`).join('\n') + '\n')
        return 0
      }
      case 'import':
      case 'download': {
        if (target === undefined) throw new WorkstationError('USAGE', `${action} needs ${action === 'import' ? 'a PATH' : 'a catalog id or URL'}`)
        try {
          const result =
            action === 'import'
              ? await library.import(target, transfer)
              : await library.download(target, { ...transfer, ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}) })
          bar.done()
          io.out(json ? `${JSON.stringify(result)}\n` : resultLine(result, io.locale))
          return 0
        } catch (error) {
          bar.done()
          if (action === 'download' && error instanceof WorkstationError && error.code === 'REQUEST_CANCELLED') io.err(`${text[io.locale].cancelled}\n`)
          throw error
        }
      }
      case 'remove': {
        if (target === undefined) throw new WorkstationError('USAGE', 'remove needs a model id')
        const entry = await library.find(target)
        const confirmed = values.yes === true || (await confirmRemoval(io, `${entry.name} (${entry.id})`))
        const removed = await library.remove(entry.id, confirmed)
        io.out(json ? `${JSON.stringify(removed)}\n` : `${text[io.locale].removed}: ${removed.id}  ${removed.name}\n`)
        return 0
      }
      default:
        throw new WorkstationError('USAGE', action === undefined ? 'give list, import, download, remove or catalog' : `unknown action ${action}`)
    }
  } catch (error) {
    if (error instanceof WorkstationError && error.code === 'USAGE') io.err(usage)
    return reportFailure(io, error, json)
  } finally {
    process.removeListener('SIGINT', onInterrupt)
  }
}
