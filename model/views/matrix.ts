import type * as Y from 'yjs'
import { templateOf } from '../layout.js'
import { type CardView, listCards } from '../read.js'
import type { BoardTemplate, Theme } from '../template.js'
import { cardThemeIds, cardTitle } from './title.js'

/** One row of the theme matrix: a card and, per template theme (in template order), whether it has it. */
export interface MatrixRow {
  id: string
  number: number
  title: string
  lane: string
  /** `marks[i]` is true when the card carries `themes[i]`. */
  marks: boolean[]
}

export interface Matrix {
  /** The columns: the template's themes. */
  themes: Theme[]
  /** The field that holds the themes (null when the template has none: no cell can be toggled). */
  fieldId: string | null
  rows: MatrixRow[]
}

/** Which column orders the rows: the card number, the title, the lane, or one theme (cards with it first). */
export type MatrixSortKey = 'number' | 'title' | 'lane' | { theme: string }

export interface MatrixOptions {
  /** Only cards of this lane. */
  lane?: string
  sort?: MatrixSortKey
  descending?: boolean
}

/** The theme matrix of a list of cards (as `listCards` gives them), in board order unless sorted. */
export function matrixOf(
  template: BoardTemplate,
  cards: readonly CardView[],
  options: MatrixOptions = {},
): Matrix {
  const field = template.fields.find((def) => def.optionsFrom === 'themes')
  const rows = cards
    .filter((card) => card.deletedAt === null && (options.lane === undefined || card.lane === options.lane))
    .map((card) => {
      const ids = cardThemeIds(card, template)
      return {
        id: card.id,
        number: card.number,
        title: cardTitle(card),
        lane: card.lane,
        marks: template.themes.map((theme) => ids.includes(theme.id)),
      }
    })
  return {
    themes: template.themes,
    fieldId: field?.id ?? null,
    rows: options.sort ? sortMatrixRows(template, rows, options.sort, options.descending) : rows,
  }
}

/** The theme matrix of a board's live cards. */
export function boardMatrix(doc: Y.Doc, options: MatrixOptions = {}): Matrix {
  return matrixOf(templateOf(doc), listCards(doc), options)
}

/**
 * Rows sorted by a column; ties keep the card-number order. A theme column puts the cards with that
 * theme first (last when descending); the lane column follows the template's lane order.
 */
export function sortMatrixRows(
  template: BoardTemplate,
  rows: readonly MatrixRow[],
  key: MatrixSortKey,
  descending = false,
): MatrixRow[] {
  const laneRank = new Map(template.lanes.map((lane, i) => [lane.id, i]))
  const themeIndex = typeof key === 'object' ? template.themes.findIndex((t) => t.id === key.theme) : -1
  const compare = (a: MatrixRow, b: MatrixRow): number => {
    if (key === 'title') return a.title.localeCompare(b.title, 'nl', { sensitivity: 'base' })
    if (key === 'lane') return (laneRank.get(a.lane) ?? 0) - (laneRank.get(b.lane) ?? 0)
    if (typeof key === 'object') return Number(b.marks[themeIndex] ?? 0) - Number(a.marks[themeIndex] ?? 0)
    return 0
  }
  const sign = descending ? -1 : 1
  return [...rows].sort((a, b) => sign * compare(a, b) || sign * (a.number - b.number))
}
