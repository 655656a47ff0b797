import type { ReactNode } from 'react'
import type { BoardTemplate, FieldDef } from '../../model/template.js'
import { optionsOf } from '../../model/template.js'
import { useI18n } from '../i18n.js'

/**
 * A field's value as text, for a role or phase that may not edit it: what the card says, without
 * input boxes or placeholder prompts.
 */
export function FieldValue({
  field,
  template,
  value,
}: {
  field: FieldDef
  template: BoardTemplate
  value: unknown
}) {
  const { t } = useI18n()
  const empty = <span className="empty-value">{t.emptyValue}</span>
  const labelOf = (id: string) => optionsOf(template, field).find((option) => option.id === id)?.label ?? id
  let shown: ReactNode = empty
  switch (field.kind) {
    case 'text':
      if (typeof value === 'string' && value.trim()) shown = <span className="text-value">{value}</span>
      break
    case 'choice':
      if (typeof value === 'string' && value) shown = labelOf(value)
      break
    case 'multi-choice':
    case 'list': {
      const items = Array.isArray(value) ? (value as string[]) : []
      if (items.length > 0)
        shown = (
          <ul>
            {items.map((item, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same party may be listed twice
              <li key={`${i}-${item}`}>{field.kind === 'list' ? item : labelOf(item)}</li>
            ))}
          </ul>
        )
      break
    }
    case 'periods': {
      const parts = value && typeof value === 'object' ? (value as Record<string, string>) : {}
      shown = (
        <dl className="periods-value">
          {(field.periods ?? []).map((period) => (
            <div key={period.id}>
              <dt>{period.label}</dt>
              <dd>{parts[period.id]?.trim() ? parts[period.id] : empty}</dd>
            </div>
          ))}
        </dl>
      )
      break
    }
  }
  return (
    <div className="field field-value" data-field={field.id}>
      <h3 className="field-label">{field.label}</h3>
      <div className="value">{shown}</div>
    </div>
  )
}
