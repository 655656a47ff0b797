import { Document, HeadingLevel, Packer, Paragraph, type Table, TextRun } from 'docx'
import type { ExportDocument } from '../../model/export.js'
import { annexColumns, annexTable, landscapePage } from './annex.js'
import { byTheme, dutchDate } from './cells.js'
import { xmlSafe } from './safe-text.js'

/**
 * The programme's annex table, as the Pact 7.1 annex shows it (annex.ts): per theme a table under the
 * board's title and the export date, on landscape A4. Built with the `docx` library.
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
    sections: [{ properties: { page: landscapePage }, children }],
  })
  return Packer.toBuffer(doc)
}
