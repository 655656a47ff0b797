import Papa from 'papaparse'
import type { ExportDocument } from '../../model/export.js'
import { columns } from './cells.js'

/**
 * CSV as Dutch Excel opens it by double-click: `;` between fields, UTF-8 with a byte-order mark,
 * CRLF line ends, every field quoted (line breaks inside a cell stay in the cell). A cell that Excel
 * would run as a formula (starting with =, + or @) gets a leading apostrophe; our CSV import removes it
 * again. Text starting with "-" (bullet lists) is left alone.
 */
export const FORMULA_START = /^[=+@\t\r]/

export function toCsv(document: ExportDocument): string {
  const cols = columns(document)
  const csv = Papa.unparse(
    {
      fields: cols.map((col) => col.header),
      data: document.cards.map((card) => cols.map((col) => col.cell(card))),
    },
    { delimiter: ';', newline: '\r\n', quotes: true, escapeFormulae: FORMULA_START },
  )
  return `\ufeff${csv}\r\n`
}
