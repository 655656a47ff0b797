import {
  AlignmentType,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { ExportDocument, ExportedCard } from '../../model/export.js'
import { dutchDateTime, fieldText, LIST_SEPARATOR, linksText, periodText } from './cells.js'
import { fittedWidth, longestWord } from './text-fit.js'

/**
 * The programme's annex table, as the Pact 7.1 annex shows it: Nr · Omschrijving actie · Beoogd
 * resultaat · Aansluiting op ambities · Planning (a column per period) · Stakeholders. Everything else a
 * card carries — fields without a column of their own (schaalniveau, trekker, …), votes, the criteria it
 * meets, its links and who shortlisted it — is listed, labelled, under its description, so the table is
 * complete. Columns are as wide as their content asks (a narrow Nr, a wide Omschrijving), fixed in the
 * file so Word and LibreOffice lay it out alike. Used by the DOCX export and the session report.
 */
export interface AnnexColumn {
  header: string
  /** The cell as plain text (what sizes the column; also the HTML report's cell). */
  text: (card: ExportedCard) => string
  cell: (card: ExportedCard) => Paragraph[]
  /** Characters: the column is never narrower than `min` nor, for sizing, wider than `max`. */
  min: number
  max: number
}

/** A4 landscape, 2 cm margins left and right, in twentieths of a point. */
export const A4_LANDSCAPE = { width: 16838, height: 11906, margin: 1134 }
export const LANDSCAPE_TEXT_WIDTH = A4_LANDSCAPE.width - 2 * A4_LANDSCAPE.margin
/** A4 landscape (the docx library swaps width and height for the orientation). */
export const landscapePage = {
  size: { width: A4_LANDSCAPE.height, height: A4_LANDSCAPE.width, orientation: PageOrientation.LANDSCAPE },
  margin: { left: A4_LANDSCAPE.margin, right: A4_LANDSCAPE.margin, top: 1000, bottom: 1000 },
}

/** About one character of 9 pt Calibri, and a cell's left and right padding, in twips. */
const CHAR_TWIPS = 95
const CELL_PADDING_TWIPS = 230

export function annexColumns(document: ExportDocument): AnnexColumn[] {
  const has = (id: string) => document.fields.some((field) => field.id === id)
  const lines = (text: string) => text.split('\n').map((line) => new Paragraph(line))
  const planning = document.fields.find((field) => field.kind === 'periods')
  const inColumns = new Set([
    'actie',
    'omschrijving',
    'doel',
    has('ambities') ? 'ambities' : 'thema',
    'partijen',
  ])
  if (planning) inColumns.add(planning.id)
  const description = (card: ExportedCard) =>
    has('omschrijving') ? fieldText(document, card, 'omschrijving') : ''
  const ambitions = (card: ExportedCard) =>
    has('ambities') ? fieldText(document, card, 'ambities') : fieldText(document, card, 'thema')
  const parties = (card: ExportedCard) => {
    const value = card.fields.partijen
    return Array.isArray(value) ? value : []
  }
  const columns: AnnexColumn[] = [
    {
      header: 'Nr',
      min: 2,
      max: 4,
      text: (card) => String(card.number),
      cell: (card) => [new Paragraph(String(card.number))],
    },
    {
      header: 'Omschrijving actie',
      min: 20,
      max: 60,
      text: (card) =>
        [
          fieldText(document, card, 'actie'),
          description(card),
          ...details(document, card, inColumns).map(([label, text]) => `${label}: ${text}`),
        ]
          .filter((text) => text !== '')
          .join('\n'),
      cell: (card) => [
        new Paragraph({ children: [new TextRun({ text: fieldText(document, card, 'actie'), bold: true })] }),
        ...(description(card) ? lines(description(card)) : []),
        ...details(document, card, inColumns).map(
          ([label, text]) =>
            new Paragraph({
              children: [
                new TextRun({ text: `${label}: `, italics: true }),
                new TextRun(text.replaceAll('\n', '; ')),
              ],
            }),
        ),
      ],
    },
    {
      header: 'Beoogd resultaat',
      min: 14,
      max: 40,
      text: (card) => fieldText(document, card, 'doel'),
      cell: (card) => lines(fieldText(document, card, 'doel')),
    },
    {
      header: 'Aansluiting op ambities',
      min: 12,
      max: 30,
      text: ambitions,
      cell: (card) => lines(ambitions(card)),
    },
  ]
  for (const period of planning?.periods ?? []) {
    columns.push({
      header: `${planning?.label ?? 'Planning'} ${period.label.charAt(0).toLowerCase()}${period.label.slice(1)}`,
      min: 10,
      max: 26,
      text: (card) => periodText(card, planning?.id ?? 'planning', period.id),
      cell: (card) => lines(periodText(card, planning?.id ?? 'planning', period.id)),
    })
  }
  columns.push({
    header: 'Stakeholders',
    min: 12,
    max: 28,
    text: (card) => parties(card).join('\n'),
    cell: (card) => parties(card).map((party) => new Paragraph(party)),
  })
  return columns
}

/** What a card carries beyond the annex columns, as [label, text] pairs, empty ones left out. */
function details(document: ExportDocument, card: ExportedCard, inColumns: Set<string>): [string, string][] {
  const result: [string, string][] = []
  const known = new Set(document.fields.map((field) => field.id))
  for (const field of document.fields) {
    if (!inColumns.has(field.id)) result.push([field.label, fieldText(document, card, field.id)])
  }
  for (const id of Object.keys(card.fields).sort()) {
    if (!known.has(id) && !inColumns.has(id)) result.push([id, fieldText(document, card, id)])
  }
  if (card.votes !== undefined) result.push(['Stemmen', String(card.votes)])
  const met = (document.criteria ?? []).filter((criterion) => card.criteria?.[criterion.id])
  result.push(['Voldoet aan', met.map((criterion) => criterion.label).join(LIST_SEPARATOR)])
  result.push(['Koppelingen', linksText(document, card.number)])
  if (card.selection) {
    const by = card.selection.by ? ` door ${card.selection.by}` : ''
    result.push(['Geselecteerd', `${dutchDateTime(card.selection.at)}${by}`])
  }
  return result.filter(([, text]) => text !== '')
}

/**
 * Column widths (twips) that fill `total`: each column as wide as its content asks (see text-fit.ts),
 * scaled to the page; when that is too wide, no column gets narrower than its longest word (up to 18
 * characters) and the wide ones give way.
 */
export function annexWidths(
  columns: readonly AnnexColumn[],
  cards: readonly ExportedCard[],
  total = LANDSCAPE_TEXT_WIDTH,
): number[] {
  const texts = columns.map((column) => cards.map((card) => column.text(card)))
  const natural = columns.map(
    (column, i) => fittedWidth(column.header, texts[i] ?? [], column.min, column.max) * CHAR_TWIPS,
  )
  const floor = columns.map((column, i) => {
    const word = Math.max(longestWord(column.header), ...(texts[i] ?? []).map(longestWord))
    return Math.min(Math.max(word, column.min), 18) * CHAR_TWIPS + CELL_PADDING_TWIPS
  })
  const widths = natural.map((width) => width + CELL_PADDING_TWIPS)
  const fixed = new Set<number>()
  for (;;) {
    const fixedSum = [...fixed].reduce((sum, i) => sum + (floor[i] ?? 0), 0)
    const freeSum = widths.reduce((sum, width, i) => (fixed.has(i) ? sum : sum + width), 0)
    const scale = freeSum > 0 ? Math.max(0, total - fixedSum) / freeSum : 0
    const tooNarrow = widths.findIndex((width, i) => !fixed.has(i) && width * scale < (floor[i] ?? 0))
    if (tooNarrow >= 0) {
      fixed.add(tooNarrow)
      continue
    }
    return widths.map((width, i) => (fixed.has(i) ? (floor[i] ?? 0) : Math.floor(width * scale)))
  }
}

export function annexTable(columns: AnnexColumn[], cards: ExportedCard[]): Table {
  const widths = annexWidths(columns, cards)
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map(
      (column, i) =>
        new TableCell({
          width: { size: widths[i] ?? 0, type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, fill: 'D9E2F3', color: 'auto' },
          children: [
            new Paragraph({
              alignment: AlignmentType.LEFT,
              children: [new TextRun({ text: column.header, bold: true })],
            }),
          ],
        }),
    ),
  })
  const rows = cards.map(
    (card) =>
      new TableRow({
        cantSplit: true,
        children: columns.map((column, i) => {
          const paragraphs = column.cell(card)
          return new TableCell({
            width: { size: widths[i] ?? 0, type: WidthType.DXA },
            children: paragraphs.length > 0 ? paragraphs : [new Paragraph('')],
          })
        }),
      }),
  )
  return new Table({
    width: { size: widths.reduce((sum, width) => sum + width, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: [header, ...rows],
  })
}
