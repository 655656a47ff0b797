import type { BoardTemplate } from '../template.js'
import type { TableSvgTexts } from './matrix-svg.js'
import type { Planning } from './planning.js'
import {
  fitText,
  HEADER_HEIGHT,
  INK,
  line,
  lines,
  MUTED,
  RULE,
  rect,
  type SvgFrame,
  safeColor,
  svgDocument,
  text,
  wrapText,
} from './svg.js'

const NUMBER_W = 52
const TITLE_W = 300
const LINE = 16
const MAX_LINES = 5

/**
 * The planning as a roadmap grid: a row per card, a column per period (or step), the text of each
 * cell wrapped in it; a filled cell is tinted in the card's first theme colour, with a bar of that
 * colour at its left edge.
 */
export function planningSvg(
  planning: Planning,
  template: BoardTemplate,
  frame: SvgFrame,
  texts: Omit<TableSvgTexts, 'lane'>,
): string {
  const colorOf = new Map(template.themes.map((theme) => [theme.id, safeColor(theme.color)]))
  const columns = planning.columns.length
  const cellW = columns <= 1 ? 560 : columns <= 3 ? 300 : 170
  const width = 24 + NUMBER_W + TITLE_W + columns * cellW + 24
  const top = HEADER_HEIGHT + 8
  const x0 = 24
  const xTitle = x0 + NUMBER_W
  const xCell = (i: number) => xTitle + TITLE_W + i * cellW
  const heads = planning.columns.map((column) => wrapText(column.label, cellW - 12, 13, 2))
  const headH = 14 + Math.max(1, ...heads.map((l) => l.length)) * LINE
  const parts: string[] = []
  const headBase = top + headH - 10
  parts.push(text(x0 + 4, headBase, texts.number, { size: 13, bold: true }))
  parts.push(text(xTitle + 4, headBase, texts.title, { size: 13, bold: true }))
  heads.forEach((head, i) => {
    head.forEach((l, n) => {
      parts.push(text(xCell(i) + 6, headBase - (head.length - 1 - n) * LINE, l, { size: 13, bold: true }))
    })
  })
  let y = top + headH
  parts.push(line(x0, y, width - 24, y, INK))
  for (const row of planning.rows) {
    const cells = row.cells.map((cell) => (cell ? wrapText(cell, cellW - 18, 12, MAX_LINES) : []))
    const titleLines = wrapText(row.title || texts.noTitle, TITLE_W - 12, 13, 3)
    const h = 12 + Math.max(1, titleLines.length, ...cells.map((c) => c.length)) * LINE
    const color = colorOf.get(row.themes[0] ?? '')
    parts.push(text(x0 + 4, y + 6 + 13, String(row.number), { size: 13, bold: true }))
    parts.push(lines(xTitle + 4, y + 6 + 13, titleLines, 13, LINE))
    cells.forEach((cell, i) => {
      if (cell.length === 0) return
      parts.push(
        rect(xCell(i) + 2, y + 3, cellW - 4, h - 6, color ?? '#e8eaee', color ? 'fill-opacity="0.16"' : ''),
      )
      parts.push(rect(xCell(i) + 2, y + 3, 4, h - 6, color ?? MUTED))
      parts.push(lines(xCell(i) + 12, y + 6 + 12, cell, 12, LINE))
    })
    y += h
    parts.push(line(x0, y, width - 24, y, RULE))
  }
  if (planning.rows.length === 0) parts.push(text(x0 + 4, y + 24, texts.empty, { size: 14, fill: MUTED }))
  const description = planning.rows
    .map(
      (row) =>
        `#${row.number} ${row.title || texts.noTitle}: ` +
        planning.columns.map((c, i) => `${c.label}: ${row.cells[i] || '—'}`).join(', '),
    )
    .join('; ')
  return svgDocument(
    width,
    y + (planning.rows.length ? 16 : 40),
    frame,
    parts.join(''),
    fitText(description, 1e6, 12),
  )
}
