import Papa from 'papaparse'
import type { ExportDocument } from '../../model/export.js'
import { columns } from './cells.js'
import { FORMULA_START, fitCell, looksLikeFormula } from './safe-text.js'

export { FORMULA_START }

/**
 * CSV as Dutch Excel opens it by double-click: `;` between fields, UTF-8 with a byte-order mark,
 * CRLF line ends, every field quoted (line breaks inside a cell stay in the cell). A cell that Excel
 * would run as a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
 * apostrophe; our CSV import removes it again. A cell longer than Excel's 32,767 characters is cut,
 * ending in "(ingekort)".
 */
export function toCsv(document: ExportDocument): string {
  const cols = columns(document)
  const cell = (text: string) => fitCell(text, looksLikeFormula(text) ? 1 : 0)
  const csv = Papa.unparse(
    {
      fields: cols.map((col) => cell(col.header)),
      data: document.cards.map((card) => cols.map((col) => cell(col.cell(card)))),
    },
    { delimiter: ';', newline: '\r\n', quotes: true, escapeFormulae: FORMULA_START },
  )
  return `\ufeff${csv}\r\n`
}
