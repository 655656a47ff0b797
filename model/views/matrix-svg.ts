import type { BoardTemplate } from '../template.js'
import type { Matrix } from './matrix.js'
import {
  fitText,
  HEADER_HEIGHT,
  INK,
  line,
  MUTED,
  RULE,
  rect,
  STRIPE,
  type SvgFrame,
  safeColor,
  svgDocument,
  text,
  wrapText,
} from './svg.js'

export interface TableSvgTexts {
  /** Heading of the card-number column, e.g. "Nr.". */
  number: string
  /** Heading of the title column, e.g. "Actie". */
  title: string
  /** Heading of the lane column, e.g. "Lijst". */
  lane: string
  /** A card without a title. */
  noTitle: string
  /** Shown when there are no cards. */
  empty: string
}

const ROW = 26
const NUMBER_W = 52
const TITLE_W = 340
const LANE_W = 100
const THEME_W = 104

/**
 * The theme matrix: a row per card (number, title, lane), a column per theme; a filled circle in the
 * theme's colour with a ✓ beside it where the card carries the theme (a mark, not only a colour).
 */
export function matrixSvg(
  matrix: Matrix,
  template: BoardTemplate,
  frame: SvgFrame,
  texts: TableSvgTexts,
): string {
  const laneLabel = new Map(template.lanes.map((lane) => [lane.id, lane.label]))
  const themeHeads = matrix.themes.map((theme) => wrapText(theme.label, THEME_W - 12, 12, 3))
  const headH = 12 + Math.max(1, ...themeHeads.map((l) => l.length)) * 15 + 10
  const width = 24 + NUMBER_W + TITLE_W + LANE_W + matrix.themes.length * THEME_W + 24
  const top = HEADER_HEIGHT + 8
  const parts: string[] = []
  const x0 = 24
  const xTitle = x0 + NUMBER_W
  const xLane = xTitle + TITLE_W
  const xTheme = (i: number) => xLane + LANE_W + i * THEME_W
  const headBase = top + headH - 12
  parts.push(text(x0 + 4, headBase, texts.number, { size: 13, bold: true }))
  parts.push(text(xTitle + 4, headBase, texts.title, { size: 13, bold: true }))
  parts.push(text(xLane + 4, headBase, texts.lane, { size: 13, bold: true }))
  matrix.themes.forEach((theme, i) => {
    parts.push(rect(xTheme(i) + 4, top, THEME_W - 8, 6, safeColor(theme.color)))
    const heads = themeHeads[i] ?? []
    heads.forEach((l, n) => {
      parts.push(
        text(xTheme(i) + THEME_W / 2, headBase - (heads.length - 1 - n) * 15, l, {
          size: 12,
          bold: true,
          anchor: 'middle',
        }),
      )
    })
  })
  const bodyTop = top + headH
  parts.push(line(x0, bodyTop, width - 24, bodyTop, INK))
  matrix.rows.forEach((row, r) => {
    const y = bodyTop + r * ROW
    if (r % 2 === 1) parts.push(rect(x0, y, width - 48, ROW, STRIPE))
    const base = y + ROW / 2 + 5
    parts.push(text(x0 + 4, base, String(row.number), { size: 13, bold: true }))
    parts.push(text(xTitle + 4, base, fitText(row.title || texts.noTitle, TITLE_W - 12, 13), { size: 13 }))
    parts.push(
      text(xLane + 4, base, fitText(laneLabel.get(row.lane) ?? row.lane, LANE_W - 8, 12), {
        size: 12,
        fill: MUTED,
      }),
    )
    row.marks.forEach((on, i) => {
      if (!on) return
      const cx = xTheme(i) + THEME_W / 2 - 8
      const color = safeColor(matrix.themes[i]?.color)
      parts.push(
        `<circle cx="${cx}" cy="${y + ROW / 2}" r="7" fill="${color}" stroke="${INK}" stroke-width="0.75"/>`,
      )
      parts.push(text(cx + 12, base, '✓', { size: 14, bold: true }))
    })
  })
  const bottom = bodyTop + matrix.rows.length * ROW
  parts.push(line(x0, bottom, width - 24, bottom, RULE))
  if (matrix.rows.length === 0) parts.push(text(x0 + 4, bottom + 24, texts.empty, { size: 14, fill: MUTED }))
  const description = matrix.rows
    .map((row) => {
      const themes = matrix.themes.filter((_, i) => row.marks[i]).map((theme) => theme.label)
      return `#${row.number} ${row.title || texts.noTitle}: ${themes.join(', ') || '—'}`
    })
    .join('; ')
  return svgDocument(width, bottom + (matrix.rows.length ? 16 : 40), frame, parts.join(''), description)
}
