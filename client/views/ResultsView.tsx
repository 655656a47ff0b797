import type * as Y from 'yjs'
import type { BoardTemplate } from '../../model/template.js'
import { Ranking } from '../results/Ranking.js'
import { ResultsChart } from './ResultsChart.js'

/** The view "Uitslag": the ranking with a shortlist button per card, and the chart to download. */
export function ResultsView(props: {
  doc: Y.Doc
  template: BoardTemplate
  title: string
  canMove: boolean
  onOpen: (id: string) => void
}) {
  return (
    <>
      <Ranking doc={props.doc} template={props.template} canMove={props.canMove} onOpen={props.onOpen} />
      <ResultsChart doc={props.doc} template={props.template} title={props.title} />
    </>
  )
}
