import { WorkstationError } from '../errors.ts'
import { requestEntries } from './request-module.ts'

// Doctors' blind pairwise review of two evaluation runs. The contract is settled
// (electron/contract/evaluation-review.ts); the handlers follow.

const notYet = (): never => {
  throw new WorkstationError('INTERNAL', 'blind review: not implemented yet')
}

export const evaluationReviewQueries = requestEntries({
  'review.list': { access: 'evaluation.read', handle: async () => notYet() },
  'review.next': { access: 'evaluation.review', handle: async () => notYet() },
  'review.result': { access: 'evaluation.read', handle: async () => notYet() },
})

export const evaluationReviewCommands = requestEntries({
  'review.create': { access: 'evaluation.manage', handle: async () => notYet() },
  'review.judge': { access: 'evaluation.review', handle: async () => notYet() },
  'review.skip': { access: 'evaluation.review', handle: async () => notYet() },
})
