import ExcelJS from 'exceljs'
import type { ExportDocument } from '../../model/export.js'
import { columns } from './cells.js'
import { fitCell, looksLikeFormula, xmlSafe } from './safe-text.js'

/**
 * An Excel workbook: one sheet, one row per card, real dates, wrapped text, a frozen header row.
 * Texts are stored as texts (never formulas); one that Excel would run as a formula once someone edits
 * the cell (starting with =, +, -, @, tab, CR) gets the Text number format, so it stays text. Characters
 * XML forbids are left out; a cell longer than Excel's 32,767 characters is cut, ending in "(ingekort)".
 */
export async function toXlsx(exported: ExportDocument): Promise<Buffer> {
  const document = xmlSafe(exported)
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Werkbord'
  workbook.created = new Date(document.board.exportedAt)
  const sheet = workbook.addWorksheet(sheetName(document.board.title), {
    views: [{ state: 'frozen', ySplit: 1 }],
  })
  const cols = columns(document, { timestamps: false })
  sheet.columns = [
    ...cols.map((col) => ({ header: fitCell(col.header), width: col.header === 'Nr' ? 6 : 32 })),
    { header: 'Aangemaakt', width: 18, style: { numFmt: 'dd-mm-yyyy hh:mm' } },
    { header: 'Gewijzigd', width: 18, style: { numFmt: 'dd-mm-yyyy hh:mm' } },
  ]
  for (const card of document.cards) {
    const row = sheet.addRow([
      ...cols.map((col) => (col.header === 'Nr' ? card.number : fitCell(col.cell(card)))),
      localDate(card.createdAt),
      localDate(card.updatedAt),
    ])
    row.alignment = { wrapText: true, vertical: 'top' }
    row.eachCell((cell) => {
      if (typeof cell.value === 'string' && looksLikeFormula(cell.value)) cell.numFmt = '@'
    })
  }
  sheet.getRow(1).font = { bold: true }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** Excel has no time zones: write the Dutch wall-clock time. */
function localDate(iso: string | null): Date | null {
  if (!iso) return null
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value)
  return new Date(
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')),
  )
}

function sheetName(title: string): string {
  return (title.replace(/[\\/?*[\]:]/g, ' ').trim() || 'Werkbord').slice(0, 31)
}
