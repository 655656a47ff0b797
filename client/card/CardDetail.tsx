import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { deleteCard, duplicateCard, markEdited, moveCard, reorderCard } from '../../model/cards.js'
import type { BoardTemplate } from '../../model/template.js'
import { useAnnounce } from '../board/announcements/announcer.js'
import { useCard, useLaneLayout } from '../board/hooks.js'
import type { Can } from '../board/session/permissions.js'
import { LOCAL, LOCAL_NEW_CARD } from '../board/session/session.js'
import { SpotlightButton } from '../board/spotlight.js'
import { useI18n } from '../i18n.js'
import { CardNumberAction } from './CardNumberInput.js'
import { Criteria } from './Criteria.js'
import { Field } from './Fields.js'
import { CardLinks } from './Links.js'
import { cardTitle } from './title.js'
import './detail.css'
import { BUTTON, BUTTON_DANGER } from '../controls.js'

export interface CardDetailProps {
  doc: Y.Doc
  cardId: string
  template: BoardTemplate
  can: Can
  /** The mover's name, recorded with a move to another lane. */
  /** The facilitator merges a duplicate (this card) into another card; only given to the facilitator. */
  merge?: (targetId: string, sourceId: string) => void
  /** Tells the others which card this browser edits (presence), or null. */
  onEditing: (cardId: string | null) => void
  /** Show another card (after duplicating: the copy). */
  onOpen: (cardId: string) => void
  onClose: () => void
  /** A field to put the caret in on opening (a new card: `actie`); else the dialog's first control. */
  focusField?: string
}

/**
 * Every field of one card, bound to the model as the card face is (Y.Text per text field, the caret
 * kept under remote edits), opened from a card face. Fields the role or phase may not edit are shown
 * as text. A modal dialog: a side panel on a laptop, a full-screen sheet on a phone (detail.css); Esc
 * or "Sluiten" closes it and the caller gives focus back to the card.
 */
export function CardDetail(props: CardDetailProps) {
  const { doc, cardId, template, can, merge, onEditing, onOpen, onClose, focusField } = props
  const { t } = useI18n()
  const announce = useAnnounce()
  const layout = useLaneLayout(doc)
  const number = layout.numbers.get(cardId) ?? 0
  const card = useCard(doc, cardId, number)
  const dialog = useRef<HTMLDialogElement>(null)
  const [confirming, setConfirming] = useState(false)
  const editable = can('card.content')

  // Modal before the browser paints, so focus moves into the dialog at once.
  useLayoutEffect(() => {
    const el = dialog.current
    if (!el) return
    if (!el.open) el.showModal()
    if (focusField) document.getElementById(`${cardId}-${focusField}`)?.focus()
    return () => el.close()
  }, [cardId, focusField])
  useEffect(() => {
    if (!editable) return
    onEditing(cardId)
    return () => onEditing(null)
  }, [cardId, editable, onEditing])
  // The card was deleted (here or by someone else) or merged away: nothing left to show.
  const gone = !card || card.deletedAt !== null
  useEffect(() => {
    if (gone) onClose()
  }, [gone, onClose])
  if (!card || gone) return null

  const title = cardTitle(card, 80)
  const name = t.card(card.number, title)
  const isFacilitator = can('meta')
  const touch = () => markEdited(doc, cardId)
  const otherLanes = template.lanes.filter((lane) => lane.id !== card.lane)
  const move = (lane: string) => {
    moveCard(doc, cardId, lane, undefined, { origin: LOCAL })
    const label = template.lanes.find((l) => l.id === lane)?.label ?? lane
    const position = (layout.lanes.get(lane)?.length ?? 0) + 1
    announce(t.moved(name, label, position))
  }
  const reorder = (delta: number) => {
    reorderCard(doc, cardId, delta, { origin: LOCAL })
  }
  const extraKeys = Object.keys(card.fields).filter(
    (key) => !template.fields.some((field) => field.id === key) && typeof card.fields[key] === 'string',
  )

  return (
    <dialog
      ref={dialog}
      className="card-detail"
      aria-labelledby={`detail-${cardId}`}
      data-card-id={cardId}
      data-detail=""
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <header className="card-detail-head">
        <span className="card-number" aria-hidden="true">
          {card.number}
        </span>
        <h2 id={`detail-${cardId}`}>{name}</h2>
        <button type="button" className={`${BUTTON} close`} data-action="close" onClick={onClose}>
          {t.close}
        </button>
      </header>
      <div className="card-detail-body">
        {template.fields.map((field) => (
          <Field
            key={field.id}
            doc={doc}
            cardId={cardId}
            field={field}
            template={template}
            value={card.fields[field.id]}
            readOnly={!editable}
            onEdit={touch}
          />
        ))}
        {extraKeys.map((key) => (
          <Field
            key={key}
            doc={doc}
            cardId={cardId}
            field={{ id: key, kind: 'text', label: key }}
            template={template}
            value={card.fields[key]}
            readOnly={!editable}
            onEdit={touch}
          />
        ))}
        <Criteria
          doc={doc}
          cardId={cardId}
          template={template}
          met={card.criteria}
          editable={can('card.criteria')}
        />
        <CardLinks doc={doc} cardId={cardId} numbers={layout.numbers} editable={isFacilitator} />
        {isFacilitator && merge && (
          <div className="merge">
            <CardNumberAction
              label={t.mergeInto}
              numbers={layout.numbers}
              exclude={cardId}
              action="merge"
              buttonLabel={t.merge}
              onPick={(target) => {
                if (window.confirm(t.confirmMerge(card.number, layout.numbers.get(target) ?? 0)))
                  merge(target, cardId)
              }}
            />
          </div>
        )}
      </div>
      <footer className="card-detail-tools">
        {isFacilitator && <SpotlightButton doc={doc} cardId={cardId} />}
        {can('card.lane') &&
          otherLanes.map((lane) => (
            <button
              className={BUTTON}
              key={lane.id}
              type="button"
              data-action="move"
              onClick={() => move(lane.id)}
            >
              {t.moveTo(lane.label)}
            </button>
          ))}
        {can('card.order') && (
          <>
            <button className={BUTTON} type="button" data-action="up" onClick={() => reorder(-1)}>
              {t.moveUp}
            </button>
            <button className={BUTTON} type="button" data-action="down" onClick={() => reorder(1)}>
              {t.moveDown}
            </button>
          </>
        )}
        {can('card.create') && (
          <button
            className={BUTTON}
            type="button"
            data-action="duplicate"
            onClick={() => onOpen(duplicateCard(doc, cardId, { origin: LOCAL_NEW_CARD }))}
          >
            {t.duplicate}
          </button>
        )}
        {can('card.delete') &&
          (confirming ? (
            <fieldset className="confirm">
              <legend>{t.removeAsk(name)}</legend>
              <button
                type="button"
                className={`${BUTTON_DANGER} danger`}
                data-action="remove-confirm"
                // biome-ignore lint/a11y/noAutofocus: the question just appeared in place of the button
                autoFocus
                onClick={() => {
                  deleteCard(doc, cardId, { origin: LOCAL })
                  announce(t.removed(name))
                }}
              >
                {t.removeYes}
              </button>
              <button
                className={BUTTON}
                type="button"
                data-action="remove-cancel"
                onClick={() => setConfirming(false)}
              >
                {t.cancel}
              </button>
            </fieldset>
          ) : (
            <button className={BUTTON} type="button" data-action="remove" onClick={() => setConfirming(true)}>
              {t.remove}
            </button>
          ))}
      </footer>
    </dialog>
  )
}
