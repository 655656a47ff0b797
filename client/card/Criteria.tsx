import type * as Y from 'yjs'
import { setCriterion } from '../../model/cards.js'
import type { BoardTemplate } from '../../model/template.js'
import { LOCAL } from '../board/session/session.js'
import { useI18n } from '../i18n.js'

/** The template's selection criteria as a checklist the group fills in on each card. */
export function Criteria(props: {
  doc: Y.Doc
  cardId: string
  template: BoardTemplate
  met: string[]
  editable: boolean
}) {
  const { t } = useI18n()
  const { doc, cardId, template, met, editable } = props
  const criteria = template.criteria ?? []
  if (criteria.length === 0) return null
  if (!editable)
    return (
      <div className="field field-value criteria">
        <h3 className="field-label">{t.criteria}</h3>
        <ul className="criteria-values">
          {criteria.map((criterion) => {
            const ok = met.includes(criterion.id)
            return (
              <li key={criterion.id} data-criterion={criterion.id} data-met={ok}>
                <span aria-hidden="true">{ok ? '✓' : '○'}</span> {criterion.label}{' '}
                <span className="visually-hidden">({ok ? t.criterionMet : t.criterionNotMet})</span>
              </li>
            )
          })}
        </ul>
      </div>
    )
  return (
    <fieldset className="field criteria">
      <legend>{t.criteria}</legend>
      {criteria.map((criterion) => (
        <label key={criterion.id} title={criterion.help}>
          <input
            type="checkbox"
            data-criterion={criterion.id}
            checked={met.includes(criterion.id)}
            disabled={!editable}
            onChange={(e) => setCriterion(doc, cardId, criterion.id, e.target.checked, { origin: LOCAL })}
          />{' '}
          {criterion.label}
        </label>
      ))}
    </fieldset>
  )
}
