import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import type { ExportDocument, ExportedCard } from '../../model/export.js'
import {
  byTheme,
  dutchDate,
  dutchDateTime,
  fieldText,
  LIST_SEPARATOR,
  linksText,
  periodText,
} from './cells.js'
import { xmlSafe } from './safe-text.js'

interface DocxColumn {
  header: string
  width: number
  cell: (card: ExportedCard) => Paragraph[]
}

/**
 * The programme's annex table, as the Pact 7.1 annex shows it: per theme a table with
 * Nr · Omschrijving actie · Beoogd resultaat · Aansluiting op ambities · Planning (a column per period)
 * · Stakeholders, under the board's title and the export date. Everything else a card carries — fields
 * without a column of their own (schaalniveau, trekker, …), votes, the criteria it meets, its links and
 * who shortlisted it — is listed, labelled, under its description, so the document is complete.
 * Built with the `docx` library.
 */
export async function toDocx(exported: ExportDocument): Promise<Buffer> {
  // Characters XML forbids (a participant's \x01, U+FFFE, …) would make Word refuse the whole file.
  const document = xmlSafe(exported)
  const columns = annexColumns(document)
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(document.board.title)] }),
    new Paragraph({
      children: [
        new TextRun({ text: `Geëxporteerd op ${dutchDate(document.board.exportedAt)}`, italics: true }),
      ],
    }),
  ]
  for (const group of byTheme(document)) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_2,
        spacing: { before: 300 },
        children: [new TextRun(group.label)],
      }),
    )
    children.push(annexTable(columns, group.cards))
  }
  if (document.cards.length === 0) children.push(new Paragraph('Geen kaarten.'))
  const doc = new Document({
    creator: 'Werkbord',
    title: document.board.title,
    styles: { default: { document: { run: { font: 'Calibri', size: 18 } } } },
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children }],
  })
  return Packer.toBuffer(doc)
}

function annexColumns(document: ExportDocument): DocxColumn[] {
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
  const columns: DocxColumn[] = [
    { header: 'Nr', width: 5, cell: (card) => [new Paragraph(String(card.number))] },
    {
      header: 'Omschrijving actie',
      width: 24,
      cell: (card) => [
        new Paragraph({ children: [new TextRun({ text: fieldText(document, card, 'actie'), bold: true })] }),
        ...(has('omschrijving') && fieldText(document, card, 'omschrijving')
          ? lines(fieldText(document, card, 'omschrijving'))
          : []),
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
    { header: 'Beoogd resultaat', width: 20, cell: (card) => lines(fieldText(document, card, 'doel')) },
    {
      header: 'Aansluiting op ambities',
      width: 15,
      cell: (card) =>
        lines(has('ambities') ? fieldText(document, card, 'ambities') : fieldText(document, card, 'thema')),
    },
  ]
  for (const period of planning?.periods ?? []) {
    columns.push({
      header: `${planning?.label ?? 'Planning'} ${period.label.charAt(0).toLowerCase()}${period.label.slice(1)}`,
      width: 11,
      cell: (card) => lines(periodText(card, planning?.id ?? 'planning', period.id)),
    })
  }
  columns.push({
    header: 'Stakeholders',
    width: 14,
    cell: (card) => {
      const parties = card.fields.partijen
      return (Array.isArray(parties) ? parties : []).map((party) => new Paragraph(party))
    },
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

function annexTable(columns: DocxColumn[], cards: ExportedCard[]): Table {
  const header = new TableRow({
    tableHeader: true,
    children: columns.map(
      (column) =>
        new TableCell({
          width: { size: column.width, type: WidthType.PERCENTAGE },
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
        children: columns.map((column) => {
          const paragraphs = column.cell(card)
          return new TableCell({
            width: { size: column.width, type: WidthType.PERCENTAGE },
            children: paragraphs.length > 0 ? paragraphs : [new Paragraph('')],
          })
        }),
      }),
  )
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] })
}
