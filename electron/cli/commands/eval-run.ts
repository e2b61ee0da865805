import { WorkstationError } from '../../core/errors.ts'
import { reportFailure, type CliIO } from '../output.ts'

// huatuo eval run: being built (issue 20).
export async function run(args: string[], io: CliIO): Promise<number> {
  return reportFailure(io, new WorkstationError('USAGE', 'huatuo eval run is not built yet'), args.includes('--json'))
}
