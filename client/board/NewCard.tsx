import { type FormEvent, useState } from 'react'
import type * as Y from 'yjs'
import { createCard } from '../../model/cards.js'
import type { BoardTemplate } from '../../model/template.js'
import { useI18n } from '../i18n.js'
import { LOCAL_NEW_CARD } from './session/session.js'
import './controls.css'
import { BUTTON } from '../controls.js'

/** "Nieuwe actie": pick the theme first, then the card lands at the end of the first lane. */
export function NewCard({
  doc,
  template,
  onCreated,
}: {
  doc: Y.Doc
  template: BoardTemplate
  onCreated: (id: string) => void
}) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const [theme, setTheme] = useState('')
  const themeField = template.fields.find((field) => field.optionsFrom === 'themes')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const fields = themeField && theme ? { [themeField.id]: [theme] } : {}
    const id = createCard(doc, { fields }, { origin: LOCAL_NEW_CARD })
    setOpen(false)
    setTheme('')
    onCreated(id)
  }
  if (!open || template.themes.length === 0) {
    return (
      <button
        type="button"
        data-tool="new-card"
        className="utrecht-button utrecht-button--primary-action primary"
        onClick={() =>
          template.themes.length === 0
            ? onCreated(createCard(doc, {}, { origin: LOCAL_NEW_CARD }))
            : setOpen(true)
        }
      >
        {t.newCard}
      </button>
    )
  }
  return (
    <form className="new-card" data-tool="new-card" onSubmit={submit}>
      <label>
        {t.pickTheme}{' '}
        <select
          className="utrecht-select utrecht-select--html-select"
          value={theme}
          onChange={(e) => setTheme(e.target.value)}
          required
        >
          <option value="">{t.choose}</option>
          {template.themes.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit" className="utrecht-button utrecht-button--primary-action primary">
        {t.add}
      </button>{' '}
      <button className={BUTTON} type="button" onClick={() => setOpen(false)}>
        {t.cancel}
      </button>
    </form>
  )
}
