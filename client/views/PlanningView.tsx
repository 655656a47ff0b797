import { memo, useCallback, useId, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { BoardTemplate } from '../../model/template.js'
import { themeTint } from '../../model/views/contrast.js'
import {
  type PlanningRow,
  planningField,
  planningOf,
  planningSvg,
  themeField,
} from '../../model/views/index.js'
import { useI18n } from '../i18n.js'
import { Downloads, LaneFilter } from './Downloads.js'
import { dateLabel, fileName } from './download.js'
import { useCards } from './useCards.js'
import './views.css'

/** How much of the card's theme colour a filled period shows (over white). */
const CELL_TINT = 0.14

export interface PlanningViewProps {
  doc: Y.Doc
  template: BoardTemplate
  title: string
  onOpen: (cardId: string) => void
}

/**
 * The planning as a roadmap: a row per card, a column per planning period of the template (Pact:
 * korte / lange termijn; Zuid-Kennemerland: quarters; Sociaal Domein: the steps of its tijdspad),
 * the text of each cell in it, a filled cell tinted in the card's theme colour. A real table.
 */
export function PlanningView({ doc, template, title, onOpen }: PlanningViewProps) {
  const { t, language } = useI18n()
  const field = planningField(template)
  const themes = themeField(template)
  const keys = [field?.id, themes?.id, 'actie'].filter((k): k is string => Boolean(k))
  const cards = useCards(doc, keys)
  const [lane, setLane] = useState('')
  const planning = useMemo(
    () => planningOf(template, cards, { lane: lane || undefined, stepLabel: t.step }),
    [template, cards, lane, t],
  )
  const colors = useMemo(() => new Map(template.themes.map((theme) => [theme.id, theme.color])), [template])
  const laneLabels = useMemo(() => new Map(template.lanes.map((l) => [l.id, l.label])), [template])
  const captionId = useId()
  const svg = useCallback(() => {
    const date = dateLabel(language)
    return {
      svg: planningSvg(
        planning,
        template,
        {
          title,
          subtitle: t.pictureOf(
            planning.fieldLabel && planning.fieldLabel !== t.views.planning
              ? `${t.views.planning}: ${planning.fieldLabel}`
              : t.views.planning,
            date,
          ),
        },
        { number: t.columnNumber, title: t.columnTitle, noTitle: t.noTitle, empty: t.noCards },
      ),
      name: fileName(title, t.views.planning),
    }
  }, [planning, template, title, t, language])

  if (!field) return <p className="hint view-empty">{t.noPlanning}</p>
  return (
    <div className="view view-planning" data-mode={planning.mode}>
      <div className="view-tools">
        <LaneFilter lanes={template.lanes} value={lane} onChange={setLane} />
        <Downloads what={t.views.planning} make={svg} />
      </div>
      <section
        className="view-scroll"
        aria-labelledby={captionId}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
        tabIndex={0}
      >
        <table className="view-table planning" data-columns={planning.columns.length}>
          <caption id={captionId}>{t.planningCaption(planning.fieldLabel, planning.rows.length)}</caption>
          <thead>
            <tr>
              <th scope="col" className="col-number">
                {t.columnNumber}
              </th>
              <th scope="col" className="col-title">
                {t.columnTitle}
              </th>
              {planning.columns.map((column) => (
                <th key={column.id} scope="col" className="col-period">
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {planning.rows.map((row) => (
              <Row
                key={row.id}
                row={row}
                color={colors.get(row.themes[0] ?? '')}
                laneLabel={laneLabels.get(row.lane) ?? row.lane}
                onOpen={onOpen}
              />
            ))}
          </tbody>
        </table>
        {planning.rows.length === 0 && <p className="hint view-empty">{t.noCards}</p>}
      </section>
    </div>
  )
}

const Row = memo(
  function Row(props: {
    row: PlanningRow
    color: string | undefined
    laneLabel: string
    onOpen: (cardId: string) => void
  }) {
    const { row, color, laneLabel, onOpen } = props
    const { t } = useI18n()
    // The cells' text colour comes from the theme colour, not the page's tokens (model/views/contrast.ts).
    const style = color
      ? ({ '--theme': color, ...themeTint(color, CELL_TINT) } as React.CSSProperties)
      : undefined
    return (
      <tr data-card-id={row.id} data-lane={row.lane} style={style}>
        <td className="col-number">
          <span className="card-number" style={color ? { boxShadow: `inset 4px 0 0 ${color}` } : undefined}>
            {row.number}
          </span>
        </td>
        <th scope="row" className="col-title">
          <button type="button" className="view-open" data-action="open" onClick={() => onOpen(row.id)}>
            <span className="visually-hidden">{t.card(row.number, '')}: </span>
            {row.title || t.noTitle}
          </button>
          <span className="view-lane">{laneLabel}</span>
        </th>
        {row.cells.map((cell, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the columns are the template's periods, in order
          <td key={i} className={cell ? 'col-period filled' : 'col-period'}>
            {cell}
          </td>
        ))}
      </tr>
    )
  },
  (a, b) =>
    a.row.id === b.row.id &&
    a.row.number === b.row.number &&
    a.row.title === b.row.title &&
    a.row.lane === b.row.lane &&
    a.row.cells.join('\u0000') === b.row.cells.join('\u0000') &&
    a.color === b.color &&
    a.laneLabel === b.laneLabel &&
    a.onOpen === b.onOpen,
)
