import { type KeyboardEvent, memo, useCallback, useId, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { BoardTemplate, Theme } from '../../model/template.js'
import { setTheme } from '../../model/themes.js'
import { themeTint } from '../../model/views/contrast.js'
import {
  type MatrixRow,
  type MatrixSortKey,
  matrixOf,
  matrixSvg,
  themeField,
} from '../../model/views/index.js'
import { useAnnounce } from '../board/announcements/announcer.js'
import { LOCAL } from '../board/session/session.js'
import { useI18n } from '../i18n.js'
import { Downloads, LaneFilter } from './Downloads.js'
import { dateLabel, fileName } from './download.js'
import { type Sort, SortHeader } from './SortHeader.js'
import { useCards } from './useCards.js'
import './views.css'

/** How much of the theme colour a ticked cell shows (over white). */
const MARK_TINT = 0.22

export interface MatrixViewProps {
  doc: Y.Doc
  template: BoardTemplate
  /** The board's title, for the downloads. */
  title: string
  /** May change a card's themes now (role and phase: `card.content`). */
  canEdit: boolean
  onOpen: (cardId: string) => void
}

/**
 * The theme matrix: cards × the template's themes, a ✓ where a card has the theme. A real table,
 * sortable by any column, filterable by lane. Where editing is allowed each cell is a button that
 * switches the theme (`setTheme`, a model operation like any edit); the cells are one Tab stop, the
 * arrow keys move between them.
 */
export function MatrixView({ doc, template, title, canEdit, onOpen }: MatrixViewProps) {
  const { t, language } = useI18n()
  const announce = useAnnounce()
  const field = themeField(template)
  const cards = useCards(doc, field ? [field.id, 'actie'] : ['actie'])
  const [lane, setLane] = useState('')
  const [sort, setSort] = useState<Sort<MatrixSortKey>>({ key: 'number', descending: false })
  const matrix = useMemo(
    () => matrixOf(template, cards, { lane: lane || undefined, sort: sort.key, descending: sort.descending }),
    [template, cards, lane, sort],
  )
  const captionId = useId()
  const helpId = useId()
  const editable = canEdit && field !== undefined
  // The one cell of the table that takes Tab (a roving tab stop): by card and theme.
  const [active, setActive] = useState<{ row: string; col: number } | null>(null)
  const activeRow = active && matrix.rows.some((r) => r.id === active.row) ? active : null
  const tabRow = activeRow?.row ?? matrix.rows[0]?.id
  const tabCol = activeRow?.col ?? 0
  const laneLabels = useMemo(() => new Map(template.lanes.map((l) => [l.id, l.label])), [template])

  const toggle = useCallback(
    (row: MatrixRow, col: number) => {
      const theme = template.themes[col]
      if (!theme) return
      const on = !row.marks[col]
      setTheme(doc, row.id, theme.id, on, { origin: LOCAL })
      announce(t.themeChanged(theme.label, row.number, on))
    },
    [doc, template, announce, t],
  )
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableSectionElement>) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-col]')
      if (!cell) return
      const rowIndex = matrix.rows.findIndex((r) => r.id === cell.dataset.row)
      const col = Number(cell.dataset.col)
      const last = matrix.themes.length - 1
      const moves: Record<string, [number, number]> = {
        ArrowRight: [rowIndex, Math.min(last, col + 1)],
        ArrowLeft: [rowIndex, Math.max(0, col - 1)],
        ArrowDown: [Math.min(matrix.rows.length - 1, rowIndex + 1), col],
        ArrowUp: [Math.max(0, rowIndex - 1), col],
        Home: event.ctrlKey ? [0, col] : [rowIndex, 0],
        End: event.ctrlKey ? [matrix.rows.length - 1, col] : [rowIndex, last],
        PageDown: [Math.min(matrix.rows.length - 1, rowIndex + 10), col],
        PageUp: [Math.max(0, rowIndex - 10), col],
      }
      const target = moves[event.key]
      if (!target) return
      event.preventDefault()
      const row = matrix.rows[target[0]]
      if (!row) return
      setActive({ row: row.id, col: target[1] })
      event.currentTarget
        .querySelector<HTMLElement>(`[data-row="${CSS.escape(row.id)}"][data-col="${target[1]}"]`)
        ?.focus()
    },
    [matrix],
  )
  const svg = useCallback(() => {
    const date = dateLabel(language)
    return {
      svg: matrixSvg(
        matrix,
        template,
        { title, subtitle: t.pictureOf(t.views.matrix, date) },
        {
          number: t.columnNumber,
          title: t.columnTitle,
          lane: t.columnLane,
          noTitle: t.noTitle,
          empty: t.noCards,
        },
      ),
      name: fileName(title, t.views.matrix),
    }
  }, [matrix, template, title, t, language])

  if (template.themes.length === 0) return <p className="hint view-empty">{t.noThemes}</p>
  return (
    <div className="view view-matrix">
      <div className="view-tools">
        <LaneFilter lanes={template.lanes} value={lane} onChange={setLane} />
        <Downloads what={t.views.matrix} make={svg} />
      </div>
      {editable && (
        <p id={helpId} className="hint view-help">
          {t.matrixKeys}
        </p>
      )}
      <section
        className="view-scroll"
        aria-labelledby={captionId}
        // A region that scrolls sideways on a phone must take focus, so the keyboard can scroll it.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
        tabIndex={0}
      >
        <table className="view-table matrix" aria-describedby={editable ? helpId : undefined}>
          <caption id={captionId}>{t.matrixCaption(matrix.rows.length)}</caption>
          <thead>
            <tr>
              <SortHeader
                label={t.columnNumber}
                sortKey="number"
                sort={sort}
                onSort={setSort}
                className="col-number"
              />
              <SortHeader
                label={t.columnTitle}
                sortKey="title"
                sort={sort}
                onSort={setSort}
                className="col-title"
              />
              <SortHeader
                label={t.columnLane}
                sortKey="lane"
                sort={sort}
                onSort={setSort}
                className="col-lane"
              />
              {matrix.themes.map((theme) => (
                <SortHeader
                  key={theme.id}
                  label={theme.label}
                  sortKey={{ theme: theme.id }}
                  sort={sort}
                  onSort={setSort}
                  className="col-theme"
                  color={theme.color}
                />
              ))}
            </tr>
          </thead>
          <tbody onKeyDown={editable ? onKeyDown : undefined}>
            {matrix.rows.map((row) => (
              <Row
                key={row.id}
                row={row}
                themes={matrix.themes}
                laneLabel={laneLabels.get(row.lane) ?? row.lane}
                editable={editable}
                tabCol={row.id === tabRow ? tabCol : -1}
                onToggle={toggle}
                onFocusCell={setActive}
                onOpen={onOpen}
              />
            ))}
          </tbody>
        </table>
        {matrix.rows.length === 0 && <p className="hint view-empty">{t.noCards}</p>}
      </section>
    </div>
  )
}

interface RowProps {
  row: MatrixRow
  themes: readonly Theme[]
  laneLabel: string
  editable: boolean
  /** The column whose button takes Tab (-1: none in this row). */
  tabCol: number
  onToggle: (row: MatrixRow, col: number) => void
  onFocusCell: (cell: { row: string; col: number }) => void
  onOpen: (cardId: string) => void
}

const Row = memo(function Row(props: RowProps) {
  const { row, themes, laneLabel, editable, tabCol, onToggle, onFocusCell, onOpen } = props
  const { t } = useI18n()
  const first = themes.find((_, i) => row.marks[i])
  return (
    <tr data-card-id={row.id} data-lane={row.lane}>
      <td className="col-number">
        <span
          className="card-number"
          style={first ? { boxShadow: `inset 4px 0 0 ${first.color}` } : undefined}
        >
          {row.number}
        </span>
      </td>
      <th scope="row" className="col-title">
        <button type="button" className="view-open" data-action="open" onClick={() => onOpen(row.id)}>
          <span className="visually-hidden">{t.card(row.number, '')}: </span>
          {row.title || t.noTitle}
        </button>
      </th>
      <td className="col-lane">{laneLabel}</td>
      {themes.map((theme, col) => {
        const on = row.marks[col] === true
        // The tick's colour comes from the theme colour, not the page's tokens (model/views/contrast.ts).
        const style = { '--theme': theme.color, ...themeTint(theme.color, MARK_TINT) } as React.CSSProperties
        return (
          <td key={theme.id} className={on ? 'col-theme mark-on' : 'col-theme'} style={style}>
            {editable ? (
              <button
                type="button"
                className="mark"
                data-row={row.id}
                data-col={col}
                data-theme={theme.id}
                data-on={on}
                tabIndex={col === tabCol ? 0 : -1}
                aria-label={t.themeCell(theme.label, row.number, on)}
                onFocus={() => onFocusCell({ row: row.id, col })}
                onClick={() => onToggle(row, col)}
              >
                <span aria-hidden="true">{on ? '✓' : ''}</span>
              </button>
            ) : (
              <span className="mark" data-theme={theme.id} data-on={on}>
                <span aria-hidden="true">{on ? '✓' : ''}</span>
                <span className="visually-hidden">{on ? t.markOn : t.markOff}</span>
              </span>
            )}
          </td>
        )
      })}
    </tr>
  )
}, sameRow)

function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.row.id === b.row.id &&
    a.row.number === b.row.number &&
    a.row.title === b.row.title &&
    a.row.lane === b.row.lane &&
    a.row.marks.join() === b.row.marks.join() &&
    a.themes === b.themes &&
    a.laneLabel === b.laneLabel &&
    a.editable === b.editable &&
    a.tabCol === b.tabCol &&
    a.onToggle === b.onToggle &&
    a.onFocusCell === b.onFocusCell &&
    a.onOpen === b.onOpen
  )
}
