import { lazy } from 'react'

// What a board page shows only to some, or only on request, comes in chunks of its own, so that a
// participant's phone loads just the list view (issue 9): the facilitator's panels, the other views
// (Uitslag with its chart, Matrix, Planning) and the beamer's presentation. The canvas is lazy too
// (BoardApp.tsx). test/project/chunks.test.ts keeps these modules out of the list view's chunks.

const facilitatorTools = () => import('./panels/facilitatorTools.js')
export const PeoplePanel = lazy(() => facilitatorTools().then((m) => ({ default: m.PeoplePanel })))
export const InvitationsPanel = lazy(() => facilitatorTools().then((m) => ({ default: m.InvitationsPanel })))
export const ExchangePanel = lazy(() => facilitatorTools().then((m) => ({ default: m.ExchangePanel })))
export const VotingSettingsPanel = lazy(() =>
  facilitatorTools().then((m) => ({ default: m.VotingSettingsPanel })),
)

export const ResultsView = lazy(() =>
  import('../views/ResultsView.js').then((m) => ({ default: m.ResultsView })),
)
export const MatrixView = lazy(() =>
  import('../views/MatrixView.js').then((m) => ({ default: m.MatrixView })),
)
export const PlanningView = lazy(() =>
  import('../views/PlanningView.js').then((m) => ({ default: m.PlanningView })),
)

export const Presentation = lazy(() =>
  import('../present/Presentation.js').then((m) => ({ default: m.Presentation })),
)
