import { requestEntries } from './request-module.ts'

// Evaluating the loaded model before it advises anyone: administrators (who manage models) start a
// run over a dataset of the hospital's evaluation folder, follow it, cancel it and read its report.
// The window names a dataset of the folder's listing and a run by its id; never a path.

export const evaluationRunQueries = requestEntries({
  'evaluation.datasets': { access: 'model.manage', handle: (_input, { services }) => services.evaluations.datasets() },
  'evaluation.runs': { access: 'model.manage', handle: (_input, { services }) => services.evaluations.runs() },
})

export const evaluationRunCommands = requestEntries({
  'evaluation.start': {
    access: 'model.manage',
    handle: ({ dataset, datasetFormat, limit }, { services, actor }) => services.evaluations.start({ dataset, datasetFormat, limit }, actor),
  },
  'evaluation.cancel': { access: 'model.manage', handle: (_input, { services, actor }) => services.evaluations.cancel(actor) },
  /** Writes report.json and report.html again from the run's predictions: a command, though it changes no record. */
  'evaluation.report': { access: 'model.manage', handle: ({ runId }, { services }) => services.evaluations.report(runId) },
})
