import ExcelJS from 'exceljs'
import type { ExportDocument } from '../../model/export.js'
import { columns } from './cells.js'
import { fitCell, looksLikeFormula, xmlSafe } from './safe-text.js'
import { fittedWidth, longestWord, wrappedLines } from './text-fit.js'

/** Column widths, in Excel's characters: text wraps beyond `TEXT_MAX`. */
const NUMBER_MIN = 5
const TEXT_MIN = 8
const TEXT_MAX = 30
/** A header wraps over at most this many lines: its column is at least its length divided by this. */
const HEADER_LINES = 4
const DATE_WIDTH = 17
/**
 * Points per wrapped line of 11 pt Calibri: Excel needs 15, LibreOffice (with Carlito) about 13; and
 * characters of text per unit of column width (a unit is the width of a digit; text is narrower).
 * Excel's highest row is 409 points.
 */
const LINE_POINTS = 14.5
const CHARS_PER_UNIT = 1.1
const MAX_ROW_POINTS = 409

/**
 * An Excel workbook that reads well when opened: one sheet, one row per card, real dates; a bold,
 * frozen header row with an autofilter; every column as wide as its content (long texts wrap at
 * `TEXT_MAX` characters) and every row as tall as its wrapped text (Excel and LibreOffice keep the stored
 * height on opening, so it is computed here); printed landscape on A4, fitted to the page width, the
 * header row repeated on every page. Texts are stored as texts (never formulas); one that Excel would
 * run as a formula once someone edits the cell (starting with =, +, -, @, tab, CR) gets the Text number
 * format, so it stays text. Characters XML forbids are left out; a cell longer than Excel's 32,767
 * characters is cut, ending in "(ingekort)".
 */
export async function toXlsx(exported: ExportDocument): Promise<Buffer> {
  const document = xmlSafe(exported)
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Werkbord'
  workbook.created = new Date(document.board.exportedAt)
  const sheet = workbook.addWorksheet(sheetName(document.board.title), {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0, // as many pages down as needed
      printTitlesRow: '1:1',
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddFooter: `&L${footerText(document.board.title)}&RPagina &P van &N`,
    },
  })
  const cols = columns(document, { timestamps: false })
  const texts = document.cards.map((card) => cols.map((col) => fitCell(col.cell(card))))
  const headers = cols.map((col) => fitCell(col.header))
  const widths = [
    ...headers.map(
      (header, i) =>
        fittedWidth(
          header,
          texts.map((row) => row[i] ?? ''),
          // Bold header words need a little more room than their letters.
          Math.max(
            header === 'Nr' ? NUMBER_MIN : TEXT_MIN,
            Math.ceil(header.length / HEADER_LINES),
            longestWord(header) + 2,
          ),
          TEXT_MAX,
        ) + 1, // a cell's padding
    ),
    DATE_WIDTH,
    DATE_WIDTH,
  ]
  sheet.columns = [
    ...headers.map((header, i) => ({ header, width: widths[i] })),
    { header: 'Aangemaakt', width: DATE_WIDTH, style: { numFmt: 'dd-mm-yyyy hh:mm' } },
    { header: 'Gewijzigd', width: DATE_WIDTH, style: { numFmt: 'dd-mm-yyyy hh:mm' } },
  ]
  const header = sheet.getRow(1)
  header.font = { name: 'Calibri', size: 11, bold: true }
  header.alignment = { wrapText: true, vertical: 'top' }
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E2F3' } }
  header.height = rowHeight([...headers, 'Aangemaakt', 'Gewijzigd'], widths, CHARS_PER_UNIT)
  document.cards.forEach((card, index) => {
    const cells = texts[index] ?? []
    const row = sheet.addRow([
      ...cols.map((col, i) => (col.header === 'Nr' ? card.number : (cells[i] ?? ''))),
      localDate(card.createdAt),
      localDate(card.updatedAt),
    ])
    row.alignment = { wrapText: true, vertical: 'top' }
    row.height = rowHeight(cells, widths, CHARS_PER_UNIT)
    row.eachCell((cell) => {
      if (typeof cell.value === 'string' && looksLikeFormula(cell.value)) cell.numFmt = '@'
    })
  })
  sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: 1 + document.cards.length, column: headers.length + 2 },
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** The height (points) a row needs to show every cell's text wrapped in its column. */
function rowHeight(cells: readonly string[], widths: readonly number[], charsPerUnit: number): number {
  let lines = 1
  cells.forEach((text, i) => {
    // A column of width w holds about w characters of text, less a little padding on each side.
    const room = (widths[i] ?? TEXT_MAX) * charsPerUnit - 1
    lines = Math.max(lines, wrappedLines(text, room))
  })
  return Math.min(MAX_ROW_POINTS, Math.ceil(lines * LINE_POINTS + 3))
}

/** A text for Excel's page footer, where `&` starts a code: doubled, and kept short. */
function footerText(title: string): string {
  return title
    .replace(/[\r\n]+/g, ' ')
    .slice(0, 80)
    .replaceAll('&', '&&')
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
