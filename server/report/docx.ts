import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import { annexColumns, annexTable, LANDSCAPE_TEXT_WIDTH, landscapePage } from '../export/annex.js'
import { byTheme } from '../export/cells.js'
import { CHART_WIDTH, rankingChart, svgToPng } from './chart.js'
import type { ReportData } from './gather.js'
import { reportSections, type SimpleTable } from './sections.js'

/** Pixels (96 dpi) of the text width of the page, and of the height left under a heading. */
const CHART_PX = Math.floor((LANDSCAPE_TEXT_WIDTH / 20) * (96 / 72))
const CHART_MAX_HEIGHT_PX = 520

/**
 * The session report as a Word document (A4 landscape): the same sections as the HTML report
 * (sections.ts), the shortlist as the DOCX export's annex table, the vote chart as a PNG picture
 * (with the ranking also as a table, so nothing depends on the picture).
 */
export async function reportDocx(data: ReportData): Promise<Buffer> {
  const sections = reportSections(data)
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(data.title)] }),
    ...sections.intro.map(
      (line) => new Paragraph({ children: [new TextRun({ text: line, italics: true })] }),
    ),
  ]
  for (const section of sections.parts) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        spacing: { before: 360 },
        pageBreakBefore: section.newPage === true,
        children: [new TextRun(section.heading)],
      }),
    )
    for (const line of section.lines ?? []) children.push(new Paragraph(line))
    if (section.id === 'shortlist') {
      const columns = annexColumns(data.shortlist)
      for (const group of byTheme(data.shortlist)) {
        children.push(
          new Paragraph({
            heading: HeadingLevel.HEADING_2,
            spacing: { before: 240 },
            keepNext: true,
            children: [new TextRun(group.label)],
          }),
        )
        children.push(annexTable(columns, group.cards))
      }
    }
    if (section.id === 'ranking' && data.ranking.cards.some((card) => card.votes > 0)) {
      const svg = rankingChart(data)
      const png = await svgToPng(svg)
      const size = /width="(\d+)" height="(\d+)"/.exec(svg)
      const ratio = size ? Number(size[2]) / Number(size[1]) : 0.6
      // As wide as the text, unless that makes it taller than what is left of the page under the heading.
      const width = Math.min(CHART_PX, CHART_WIDTH, Math.floor(CHART_MAX_HEIGHT_PX / ratio))
      children.push(
        new Paragraph({
          children: [
            new ImageRun({
              type: 'png',
              data: png,
              transformation: { width, height: Math.round(width * ratio) },
              altText: {
                name: 'Uitslag van de stemming',
                title: 'Uitslag van de stemming',
                description: section.lines?.join(' ') ?? '',
              },
            }),
          ],
        }),
      )
    }
    if (section.table) children.push(simpleTable(section.table))
  }
  const doc = new Document({
    creator: 'Werkbord',
    title: data.title,
    styles: { default: { document: { run: { font: 'Calibri', size: 18 } } } },
    sections: [{ properties: { page: landscapePage }, children }],
  })
  return Packer.toBuffer(doc)
}

/** A table with a repeated, shaded header row; rows never split over pages; columns by weight. */
function simpleTable(table: SimpleTable): Table {
  const total = table.columns.reduce((sum, column) => sum + column.weight, 0)
  const widths = table.columns.map((column) => Math.floor((LANDSCAPE_TEXT_WIDTH * column.weight) / total))
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: table.columns.map(
      (column, i) =>
        new TableCell({
          width: { size: widths[i] ?? 0, type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, fill: 'D9E2F3', color: 'auto' },
          children: [
            new Paragraph({
              alignment: column.center ? AlignmentType.CENTER : AlignmentType.LEFT,
              children: [new TextRun({ text: column.header, bold: true })],
            }),
          ],
        }),
    ),
  })
  const rows = table.rows.map(
    (row) =>
      new TableRow({
        cantSplit: true,
        children: table.columns.map((column, i) => {
          const text = row[i] ?? ''
          return new TableCell({
            width: { size: widths[i] ?? 0, type: WidthType.DXA },
            children: text.split('\n').map(
              (line) =>
                new Paragraph({
                  alignment: column.center ? AlignmentType.CENTER : AlignmentType.LEFT,
                  children: [new TextRun({ text: line, bold: column.center === true && line !== '' })],
                }),
            ),
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
