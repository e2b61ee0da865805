import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import packageJson from '../../package.json' with { type: 'json' }
import type { Reply, RequestName, RequestOutput } from '../contract/channels.ts'
import { triagePatientMessage } from '../core/clinical/triage/triage.ts'
import { keyFileVault } from '../core/clinicians/audit-key-vault.ts'
import { WorkstationError } from '../core/errors.ts'
import { configuredInferenceThreads } from '../core/inference/threads.ts'
import type { ShellCapabilities } from '../core/shell-capabilities.ts'
import { Workstation } from '../core/workstation.ts'
import { cliHospitalConfig } from './audit-key.ts'
import type { CliIO } from './output.ts'
import { SecretInput } from './secret-input.ts'

// The command line is a shell around the same composition root and requests as the window: what
// changes or exports clinical data acts as a clinician (`--actor STAFF_ID`, PIN on standard input,
// that clinician's permissions), and reads are kept in the access log under the operating-system
// user, whom the data folder's modes already confine.

export interface CliWorkstation {
  /** The workstation itself, for what a long-running command follows (its events, its start-up load). */
  workstation: Workstation
  /** A request as the signed-in clinician (after `signIn`). */
  request<N extends RequestName>(name: N, input: unknown): Promise<RequestOutput<N>>
  /** A read as the operating-system user running the command. */
  read<N extends RequestName>(name: N, input: unknown): Promise<RequestOutput<N>>
  /** Signs the clinician in with the PIN read from standard input (never from the command line), or the one given. */
  signIn(staffId: string, pin?: string): Promise<void>
  close(): Promise<void>
}

function value<N extends RequestName>(reply: Reply<unknown>): RequestOutput<N> {
  if (!reply.ok) throw WorkstationError.fromPayload(reply.error)
  return reply.value as RequestOutput<N>
}

/** The workstation over the database, for one command; `shell` adds to what the CLI's own shell can do. */
export async function openCliWorkstation(db: string, io: CliIO, options: { auditKey?: string; shell?: ShellCapabilities; threads?: number } = {}): Promise<CliWorkstation> {
  const auditKey = options.auditKey
  const shell: ShellCapabilities = {
    ...io.shell,
    ...options.shell,
    ...(auditKey ? { auditKeyVault: () => keyFileVault(resolve(auditKey)) } : {}),
  }
  const workstation = await Workstation.open({
    config: await cliHospitalConfig(),
    about: { name: 'Huatuo Workstation', version: packageJson.version, electron: process.versions['electron'] ?? '', node: process.versions.node },
    databasePath: resolve(db),
    triage: triagePatientMessage,
    threads: options.threads ?? configuredInferenceThreads(),
    shell,
    maintenance: false,
  })
  const operator = `os:${userInfo().username}`
  const secrets = new SecretInput(io)
  return {
    workstation,
    request: async <N extends RequestName>(name: N, input: unknown) => value<N>(await workstation.invoke(name, input)),
    read: async <N extends RequestName>(name: N, input: unknown) => value<N>(await workstation.invokeAsOperator(operator, name, input)),
    signIn: async (staffId, given) => {
      const pin = given ?? (await secrets.read(`PIN (${staffId}): `))
      value(await workstation.invoke('session.signIn', { staffId, pin }))
    },
    close: async () => {
      secrets.close()
      await workstation.dispose()
    },
  }
}
