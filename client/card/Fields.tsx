import { useState } from 'react'
import type * as Y from 'yjs'
import { addListItem, fieldText, removeListItem, setChoice, toggleOption } from '../../model/cards.js'
import { type BoardTemplate, type FieldDef, optionsOf } from '../../model/template.js'
import { LOCAL } from '../board/session/session.js'
import { TextField } from '../board/TextField.js'
import { BUTTON, BUTTON_SUBTLE, SELECT, TEXTBOX } from '../controls.js'
import { useI18n } from '../i18n.js'
import { FieldValue } from './FieldValue.js'

/** The editors of one card field, by kind: used by the list view and by the canvas card alike. */
interface FieldProps {
  doc: Y.Doc
  cardId: string
  field: FieldDef
  template: BoardTemplate
  value: unknown
  readOnly: boolean
  onEdit: () => void
}

export function Field({ doc, cardId, field, template, value, readOnly, onEdit }: FieldProps) {
  const { t } = useI18n()
  const inputId = `${cardId}-${field.id}`
  // What this role or phase may not edit is shown as text: no input boxes, no prompts.
  if (readOnly) return <FieldValue field={field} template={template} value={value} />
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
            className={SELECT}
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
                className={`${BUTTON_SUBTLE} link`}
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
            className={TEXTBOX}
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
          <button className={BUTTON} type="button" onClick={add}>
            {t.add}
          </button>
        </div>
      )}
    </fieldset>
  )
}
