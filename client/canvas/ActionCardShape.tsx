import { type SyntheticEvent, useCallback } from 'react'
import { HTMLContainer, type RecordProps, Rectangle2d, ShapeUtil, T, type TLShape } from 'tldraw'
import { deleteCard, duplicateCard, markEdited, moveCard } from '../../model/cards.js'
import { useCard } from '../board/hooks.js'
import { LOCAL, LOCAL_NEW_CARD } from '../board/session.js'
import { SpotlightButton } from '../board/spotlight.js'
import { VoteControls } from '../board/voting.js'
import { Criteria } from '../card/Criteria.js'
import { Field } from '../card/Fields.js'
import { useI18n } from '../i18n.js'
import { useCanvasBoard } from './context.js'

export const ACTION_CARD = 'action-card' as const

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [ACTION_CARD]: { cardId: string; w: number; h: number }
  }
}

export type ActionCardShape = TLShape<typeof ACTION_CARD>

/**
 * An action card on the canvas. The shape record holds only which card it shows and its size; the
 * content is read from the model (the Y.Doc) and edited through model operations, never copied into
 * the tldraw store. Position and lane are derived from the model by the binding.
 */
export class ActionCardShapeUtil extends ShapeUtil<ActionCardShape> {
  static override type = ACTION_CARD
  static override props: RecordProps<ActionCardShape> = {
    cardId: T.string,
    w: T.positiveNumber,
    h: T.positiveNumber,
  }

  getDefaultProps(): ActionCardShape['props'] {
    return { cardId: '', w: 300, h: 400 }
  }

  getGeometry(shape: ActionCardShape) {
    return new Rectangle2d({ width: shape.props.w, height: shape.props.h, isFilled: true })
  }

  getIndicatorPath(shape: ActionCardShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }

  override canResize() {
    return false
  }
  override hideResizeHandles() {
    return true
  }
  override hideRotateHandle() {
    return true
  }
  override canEdit() {
    return false
  }

  component(shape: ActionCardShape) {
    return <CanvasCard shape={shape} />
  }
}

/** Keeps pointer, touch and wheel events inside the card's controls away from the canvas. */
const stop = (event: SyntheticEvent) => event.stopPropagation()

function CanvasCard({ shape }: { shape: ActionCardShape }) {
  const { t } = useI18n()
  const board = useCanvasBoard()
  const { doc, template, readOnly } = board
  const { cardId, w, h } = shape.props
  const card = useCard(doc, cardId, board.numbers.get(cardId) ?? 0)
  const keepWheel = useCallback((el: HTMLElement | null) => {
    if (!el) return
    const onWheel = (event: WheelEvent) => event.stopPropagation()
    el.addEventListener('wheel', onWheel, { passive: true })
    return () => el.removeEventListener('wheel', onWheel)
  }, [])
  if (!card) return null
  const themes = template.themes.filter((theme) =>
    (card.fields.thema as string[] | undefined)?.includes(theme.id),
  )
  const title = String(card.fields.actie ?? '').split('\n')[0] ?? ''
  const editors = board.peers.filter((peer) => !peer.self && peer.editing === cardId)
  const otherLanes = template.lanes.filter((lane) => lane.id !== card.lane)

  return (
    <HTMLContainer
      className={board.spotlight === cardId ? 'canvas-card spotlit' : 'canvas-card'}
      data-card-id={cardId}
      aria-label={t.card(card.number, title)}
      style={{ width: w, height: h, pointerEvents: 'all', borderTopColor: themes[0]?.color ?? undefined }}
    >
      <div className="canvas-card-head" title={t.card(card.number, title)}>
        <span className="card-number">{card.number}</span>
        <span className="canvas-card-themes">{themes.map((theme) => theme.label).join(' · ')}</span>
        {editors.map((peer) => (
          <span
            key={peer.clientId}
            className="dot"
            style={{ background: peer.user.color }}
            title={peer.user.name}
          />
        ))}
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: only keeps its controls' events from the canvas */}
      <div
        className="canvas-card-body"
        ref={keepWheel}
        onPointerDown={stop}
        onTouchStart={stop}
        onTouchEnd={stop}
        onFocus={() => board.onEditing(cardId)}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) board.onEditing(null)
        }}
      >
        {template.fields.map((field) => (
          <Field
            key={field.id}
            doc={doc}
            cardId={cardId}
            field={field}
            template={template}
            value={card.fields[field.id]}
            readOnly={readOnly}
            onEdit={() => markEdited(doc, cardId)}
          />
        ))}
        <Criteria
          doc={doc}
          cardId={cardId}
          template={template}
          met={card.criteria}
          editable={board.can('card.criteria')}
        />
        <VoteControls cardId={cardId} />
        {!board.can('canvas') ? null : (
          <div className="card-actions">
            {board.can('meta') && <SpotlightButton doc={doc} cardId={cardId} />}
            {(board.can('card.lane') ? otherLanes : []).map((lane) => (
              <button
                key={lane.id}
                type="button"
                onClick={() => moveCard(doc, cardId, lane.id, undefined, { origin: LOCAL })}
              >
                {t.moveTo(lane.label)}
              </button>
            ))}
            {board.can('card.create') && (
              <button type="button" onClick={() => duplicateCard(doc, cardId, { origin: LOCAL_NEW_CARD })}>
                {t.duplicate}
              </button>
            )}
            {board.can('card.delete') && (
              <button type="button" onClick={() => deleteCard(doc, cardId, { origin: LOCAL })}>
                {t.remove}
              </button>
            )}
          </div>
        )}
      </div>
    </HTMLContainer>
  )
}
