import { type KeyboardEvent, useState } from 'react'
import type * as Y from 'yjs'
import {
  addListItem,
  deleteCard,
  duplicateCard,
  fieldText,
  markEdited,
  moveCard,
  removeListItem,
  reorderCard,
  setChoice,
  toggleOption,
} from '../../model/cards.js'
import { type BoardTemplate, type FieldDef, optionsOf } from '../../model/template.js'
import { useCard } from '../board/hooks.js'
import type { Peer } from '../board/presence.js'
import { LOCAL } from '../board/session.js'
import { TextField } from '../board/TextField.js'
import { useI18n } from '../i18n.js'

export interface CardActions {
  /** Moves focus to a card's control after a move, and tells screen readers where it went. */
  afterMove: (cardId: string, control: string) => void
  announce: (message: string) => void
  onEditing: (cardId: string | null) => void
}

interface Props {
  doc: Y.Doc
  id: string
  number: number
  template: BoardTemplate
  readOnly: boolean
  editors: Peer[]
  actions: CardActions
}

/** One action card in the list view: every field editable, and keyboard operations on the card. */
export function CardEditor({ doc, id, number, template, readOnly, editors, actions }: Props) {
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
    if (readOnly || !event.altKey) return
    const other = (step: number) => lanes[laneIndex + step]?.id
    if (event.key === 'ArrowUp') reorder(-1, 'up')
    else if (event.key === 'ArrowDown') reorder(1, 'down')
    else if (event.key === 'ArrowRight' && other(1)) move(other(1) as string, undefined, 'move')
    else if (event.key === 'ArrowLeft' && other(-1)) move(other(-1) as string, undefined, 'move')
    else return
    event.preventDefault()
  }
  const touch = () => markEdited(doc, id)

  return (
    <article
      className="card"
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
            {t.editing(editors.map((peer) => peer.user.name).join(', '))}
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
      {!readOnly && (
        <div className="card-actions">
          {lanes
            .filter((lane) => lane.id !== card.lane)
            .map((lane) => (
              <button key={lane.id} type="button" data-action="move" onClick={() => move(lane.id)}>
                {t.moveTo(lane.label)}
              </button>
            ))}
          <button type="button" data-action="up" onClick={() => reorder(-1, 'up')}>
            {t.moveUp}
          </button>
          <button type="button" data-action="down" onClick={() => reorder(1, 'down')}>
            {t.moveDown}
          </button>
          <button
            type="button"
            data-action="duplicate"
            onClick={() => actions.afterMove(duplicateCard(doc, id, { origin: LOCAL }), 'duplicate')}
          >
            {t.duplicate}
          </button>
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
        </div>
      )}
    </article>
  )
}

interface FieldProps {
  doc: Y.Doc
  cardId: string
  field: FieldDef
  template: BoardTemplate
  value: unknown
  readOnly: boolean
  onEdit: () => void
}

function Field({ doc, cardId, field, template, value, readOnly, onEdit }: FieldProps) {
  const { t } = useI18n()
  const inputId = `${cardId}-${field.id}`
  switch (field.kind) {
    case 'text':
      return (
        <div className="field">
          <label htmlFor={inputId}>{field.label}</label>
          <TextField
            id={inputId}
            text={fieldText(doc, cardId, field.id)}
            label={field.label}
            placeholder={field.help}
            readOnly={readOnly}
            rows={field.id === 'actie' ? 2 : 3}
            onLocalEdit={onEdit}
          />
        </div>
      )
    case 'periods':
      return (
        <fieldset className="field periods">
          <legend>{field.label}</legend>
          {(field.periods ?? []).map((period) => (
            <div key={period.id}>
              <label htmlFor={`${inputId}-${period.id}`}>{period.label}</label>
              <TextField
                id={`${inputId}-${period.id}`}
                text={fieldText(doc, cardId, field.id, period.id)}
                label={`${field.label}: ${period.label}`}
                placeholder={field.help}
                readOnly={readOnly}
                onLocalEdit={onEdit}
              />
            </div>
          ))}
        </fieldset>
      )
    case 'choice':
      return (
        <div className="field">
          <label htmlFor={inputId}>{field.label}</label>
          <select
            id={inputId}
            value={typeof value === 'string' ? value : ''}
            disabled={readOnly}
            onChange={(e) => setChoice(doc, cardId, field.id, e.target.value || null, { origin: LOCAL })}
          >
            <option value="">{t.choose}</option>
            {optionsOf(template, field).map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      )
    case 'multi-choice': {
      const chosen = new Set(Array.isArray(value) ? (value as string[]) : [])
      const options = optionsOf(template, field)
      return (
        <fieldset className="field chips">
          <legend>{field.label}</legend>
          {options.map((option) => (
            <label key={option.id} className="chip">
              <input
                type="checkbox"
                checked={chosen.has(option.id)}
                disabled={readOnly}
                onChange={(e) =>
                  toggleOption(doc, cardId, field.id, option.id, e.target.checked, { origin: LOCAL })
                }
              />
              {option.label}
            </label>
          ))}
          {[...chosen]
            .filter((id) => !options.some((option) => option.id === id))
            .map((id) => (
              <span key={id} className="chip">
                {id}
              </span>
            ))}
        </fieldset>
      )
    }
    case 'list':
      return (
        <ListField
          doc={doc}
          cardId={cardId}
          field={field}
          items={Array.isArray(value) ? (value as string[]) : []}
          readOnly={readOnly}
        />
      )
  }
}

function ListField({
  doc,
  cardId,
  field,
  items,
  readOnly,
}: {
  doc: Y.Doc
  cardId: string
  field: FieldDef
  items: string[]
  readOnly: boolean
}) {
  const { t } = useI18n()
  const [draft, setDraft] = useState('')
  const add = () => {
    const item = draft.trim()
    if (!item) return
    addListItem(doc, cardId, field.id, item, { origin: LOCAL })
    setDraft('')
  }
  return (
    <fieldset className="field list">
      <legend>{field.label}</legend>
      <ul>
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same party may be listed twice
          <li key={`${i}-${item}`}>
            {item}
            {!readOnly && (
              <button
                type="button"
                className="link"
                aria-label={t.removeParty(item)}
                onClick={() => removeListItem(doc, cardId, field.id, i, { origin: LOCAL })}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <div className="add-item">
          <input
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                add()
              }
            }}
            aria-label={`${field.label}: ${t.addParty}`}
            placeholder={field.help ?? t.addParty}
          />
          <button type="button" onClick={add}>
            {t.add}
          </button>
        </div>
      )}
    </fieldset>
  )
}
