import { type KeyboardEvent, memo } from 'react'
import type * as Y from 'yjs'
import type { Phase } from '../../model/phases.js'
import type { BoardTemplate, LaneDef } from '../../model/template.js'
import { type CardEditorMark, CardFace } from '../card/CardFace.js'
import { useI18n } from '../i18n.js'

interface Props {
  doc: Y.Doc
  id: string
  number: number
  template: BoardTemplate
  phase: Phase
  spotlit: boolean
  editors: readonly CardEditorMark[] | undefined
  /** Lanes this card can be sent to from its face (in Selecteren), or none. */
  targets: readonly LaneDef[]
  canOrder: boolean
  canLane: boolean
  onOpen: (cardId: string) => void
  onMove: (cardId: string, lane: string | null, delta: number) => void
}

/**
 * One card of the list view: the card face, "Naar Shortlist" on it while selecting, and the keyboard
 * moves (Alt+arrows). Memoised on plain props, so a remote edit of another card does not render it.
 */
export const ListCard = memo(function ListCard(props: Props) {
  const { doc, id, number, template, phase, spotlit, editors, targets, canOrder, canLane, onOpen, onMove } =
    props
  const { t } = useI18n()
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!event.altKey) return
    const lanes = template.lanes
    const here = (event.currentTarget.closest('[data-lane]') as HTMLElement | null)?.dataset.lane
    const index = lanes.findIndex((lane) => lane.id === here)
    const other = (step: number) => lanes[index + step]?.id
    if (event.key === 'ArrowUp' && canOrder) onMove(id, null, -1)
    else if (event.key === 'ArrowDown' && canOrder) onMove(id, null, 1)
    else if (event.key === 'ArrowRight' && other(1) && canLane) onMove(id, other(1) as string, 0)
    else if (event.key === 'ArrowLeft' && other(-1) && canLane) onMove(id, other(-1) as string, 0)
    else return
    event.preventDefault()
  }
  return (
    <CardFace
      doc={doc}
      cardId={id}
      number={number}
      template={template}
      phase={phase}
      spotlit={spotlit}
      editors={editors}
      onOpen={onOpen}
      onKeyDown={onKeyDown}
    >
      {targets.length > 0
        ? targets.map((lane) => (
            <button
              className="utrecht-button utrecht-button--secondary-action"
              key={lane.id}
              type="button"
              data-action="move"
              onClick={() => onMove(id, lane.id, 0)}
            >
              {t.moveTo(lane.label)}
            </button>
          ))
        : null}
    </CardFace>
  )
})
