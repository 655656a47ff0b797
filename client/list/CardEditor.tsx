import type { KeyboardEvent } from 'react'
import type * as Y from 'yjs'
import { deleteCard, duplicateCard, markEdited, moveCard, reorderCard } from '../../model/cards.js'
import type { BoardTemplate } from '../../model/template.js'
import { useCard } from '../board/hooks.js'
import type { Can } from '../board/permissions.js'
import type { Peer } from '../board/presence.js'
import { LOCAL, LOCAL_NEW_CARD } from '../board/session.js'
import { SpotlightButton } from '../board/spotlight.js'
import { VoteControls } from '../board/voting.js'
import { CardNumberAction } from '../card/CardNumberInput.js'
import { Criteria } from '../card/Criteria.js'
import { Field } from '../card/Fields.js'
import { CardLinks } from '../card/Links.js'
import { useI18n } from '../i18n.js'

export interface CardActions {
  /** Moves focus to a card's control after a move, and tells screen readers where it went. */
  afterMove: (cardId: string, control: string) => void
  announce: (message: string) => void
  onEditing: (cardId: string | null) => void
  /** The mover's name, recorded with a move to another lane. */
  userName: string
  /** The facilitator merges a duplicate (this card) into another card. */
  merge?: (targetId: string, sourceId: string) => void
}

interface Props {
  numbers: Map<string, number>
  spotlit: boolean
  isFacilitator: boolean
  doc: Y.Doc
  id: string
  number: number
  template: BoardTemplate
  readOnly: boolean
  can: Can
  editors: Peer[]
  actions: CardActions
}

/** One action card in the list view: every field editable, and keyboard operations on the card. */
export function CardEditor({
  doc,
  id,
  number,
  template,
  readOnly,
  can,
  editors,
  actions,
  spotlit,
  isFacilitator,
  numbers,
}: Props) {
  const { t } = useI18n()
  const card = useCard(doc, id, number)
  if (!card) return null
  const title =
    String(card.fields.actie ?? '')
      .split('\n')[0]
      ?.slice(0, 80) ?? ''
  const name = t.card(card.number, title)
  const lanes = template.lanes
  const laneIndex = lanes.findIndex((lane) => lane.id === card.lane)
  const themeColor = template.themes.find((theme) =>
    (card.fields.thema as string[] | undefined)?.includes(theme.id),
  )?.color

  const move = (lane: string, index?: number, control = 'move') => {
    moveCard(doc, id, lane, index, { origin: LOCAL })
    actions.afterMove(id, control)
  }
  const reorder = (delta: number, control: string) => {
    reorderCard(doc, id, delta, { origin: LOCAL })
    actions.afterMove(id, control)
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.altKey) return
    const other = (step: number) => lanes[laneIndex + step]?.id
    if (event.key === 'ArrowUp' && can('card.order')) reorder(-1, 'up')
    else if (event.key === 'ArrowDown' && can('card.order')) reorder(1, 'down')
    else if (event.key === 'ArrowRight' && other(1) && can('card.lane'))
      move(other(1) as string, undefined, 'move')
    else if (event.key === 'ArrowLeft' && other(-1) && can('card.lane'))
      move(other(-1) as string, undefined, 'move')
    else return
    event.preventDefault()
  }
  const touch = () => markEdited(doc, id)

  return (
    <article
      className={spotlit ? 'card spotlit' : 'card'}
      data-card-id={id}
      aria-label={name}
      onKeyDown={onKeyDown}
      style={themeColor ? { borderTopColor: themeColor } : undefined}
      onFocus={() => actions.onEditing(id)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) actions.onEditing(null)
      }}
    >
      <header className="card-head">
        <span className="card-number" aria-hidden="true">
          {card.number}
        </span>
        {editors.length > 0 && (
          <span className="editors">
            {editors.map((peer) => (
              <span
                key={peer.clientId}
                className="dot"
                style={{ background: peer.user.color }}
                aria-hidden="true"
              />
            ))}
            {t.editing(
              editors
                .map((peer) => (peer.role ? `${peer.user.name} (${t.role[peer.role]})` : peer.user.name))
                .join(', '),
            )}
          </span>
        )}
      </header>
      {template.fields.map((field) => (
        <Field
          key={field.id}
          doc={doc}
          cardId={id}
          field={field}
          template={template}
          value={card.fields[field.id]}
          readOnly={readOnly}
          onEdit={touch}
        />
      ))}
      {Object.keys(card.fields)
        .filter(
          (key) => !template.fields.some((field) => field.id === key) && typeof card.fields[key] === 'string',
        )
        .map((key) => (
          <Field
            key={key}
            doc={doc}
            cardId={id}
            field={{ id: key, kind: 'text', label: key }}
            template={template}
            value={card.fields[key]}
            readOnly={readOnly}
            onEdit={touch}
          />
        ))}
      <Criteria
        doc={doc}
        cardId={id}
        template={template}
        met={card.criteria}
        editable={can('card.criteria')}
      />
      <CardLinks doc={doc} cardId={id} numbers={numbers} editable={isFacilitator} />
      {isFacilitator && actions.merge && <MergeControl cardId={id} numbers={numbers} merge={actions.merge} />}
      <VoteControls cardId={id} />
      <div className="card-actions">
        {isFacilitator && <SpotlightButton doc={doc} cardId={id} />}
        {can('card.lane') &&
          lanes
            .filter((lane) => lane.id !== card.lane)
            .map((lane) => (
              <button key={lane.id} type="button" data-action="move" onClick={() => move(lane.id)}>
                {t.moveTo(lane.label)}
              </button>
            ))}
        {can('card.order') && (
          <>
            <button type="button" data-action="up" onClick={() => reorder(-1, 'up')}>
              {t.moveUp}
            </button>
            <button type="button" data-action="down" onClick={() => reorder(1, 'down')}>
              {t.moveDown}
            </button>
          </>
        )}
        {can('card.create') && (
          <button
            type="button"
            data-action="duplicate"
            onClick={() => actions.afterMove(duplicateCard(doc, id, { origin: LOCAL_NEW_CARD }), 'duplicate')}
          >
            {t.duplicate}
          </button>
        )}
        {can('card.delete') && (
          <button
            type="button"
            data-action="remove"
            onClick={() => {
              deleteCard(doc, id, { origin: LOCAL })
              actions.announce(t.removed(name))
            }}
          >
            {t.remove}
          </button>
        )}
      </div>
    </article>
  )
}

function MergeControl(props: {
  cardId: string
  numbers: Map<string, number>
  merge: (targetId: string, sourceId: string) => void
}) {
  const { t } = useI18n()
  const { cardId, numbers, merge } = props
  return (
    <div className="merge">
      <CardNumberAction
        label={t.mergeInto}
        numbers={numbers}
        exclude={cardId}
        action="merge"
        buttonLabel={t.merge}
        onPick={(target) => {
          if (window.confirm(t.confirmMerge(numbers.get(cardId) ?? 0, numbers.get(target) ?? 0)))
            merge(target, cardId)
        }}
      />
    </div>
  )
}
