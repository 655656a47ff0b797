import type ExcelJS from 'exceljs'
import Papa from 'papaparse'

/** A spreadsheet as text: the header row and the data rows (with their row numbers as Excel shows them). */
export interface Table {
  headers: string[]
  rows: { row: number; cells: string[] }[]
  problems: { row: number; column?: string; message: string }[]
}

/**
 * Reads CSV as Excel in the Netherlands writes it: `;` (or `,` / tab) between fields, UTF-8 with or
 * without a byte-order mark — or Windows-1252 when the bytes are not UTF-8 (Excel's plain "CSV" save) —
 * and quoted fields that may hold separators, quotes and line breaks.
 */
export function readCsv(bytes: Buffer): Table {
  const text = decode(bytes).replace(/^\ufeff/, '')
  const parsed = Papa.parse<string[]>(text, { delimiter: delimiterOf(text), skipEmptyLines: false })
  const problems = parsed.errors.map((error) => ({
    row: (error.row ?? 0) + 1,
    message: error.code === 'MissingQuotes' ? 'a quoted field is not closed' : error.message,
  }))
  return toTable(parsed.data, problems)
}

export async function readXlsx(bytes: Buffer): Promise<Table> {
  // Loaded on first use: exceljs is large and most imports are CSV or JSON.
  const { default: Excel } = await import('exceljs')
  const workbook = new Excel.Workbook()
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch {
    return { headers: [], rows: [], problems: [{ row: 0, message: 'not a readable .xlsx file' }] }
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) return { headers: [], rows: [], problems: [{ row: 0, message: 'the workbook has no sheet' }] }
  const grid: string[][] = []
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = []
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell)
    })
    grid[rowNumber - 1] = cells
  })
  return toTable(
    Array.from(grid, (cells) => Array.from(cells ?? [], (cell) => cell ?? '')),
    [],
  )
}

function toTable(grid: string[][], problems: Table['problems']): Table {
  const [header = [], ...data] = grid
  const rows = data
    .map((cells, i) => ({ row: i + 2, cells }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''))
  return { headers: header.map((cell) => cell.trim()), rows, problems }
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((run) => run.text).join('')
    if ('text' in value && typeof value.text === 'string') return value.text
    if ('result' in value)
      return value.result === undefined || value.result === null ? '' : String(value.result)
  }
  return String(value)
}

/** The separator of the header row (outside quotes): `;` as Dutch Excel writes, or `,` or a tab. */
function delimiterOf(text: string): string {
  const header = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '')
  const count = (ch: string) => header.split(ch).length - 1
  return [';', ',', '\t'].reduce((best, ch) => (count(ch) > count(best) ? ch : best), ';')
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Node decodes "windows-1252" as Latin-1, which turns 0x80–0x9F into control characters.
    return bytes
      .toString('latin1')
      .replace(/[\u0080-\u009f]/g, (ch) => WINDOWS_1252[ch.charCodeAt(0) - 0x80] ?? ch)
  }
}

/** What Windows-1252 puts at 0x80–0x9F (where Latin-1 has control characters): €, ‚, „, …, ’, “, ” and so on. */
const WINDOWS_1252 = [
  '€',
  '\u0081',
  '‚',
  'ƒ',
  '„',
  '…',
  '†',
  '‡',
  'ˆ',
  '‰',
  'Š',
  '‹',
  'Œ',
  '\u008d',
  'Ž',
  '\u008f',
  '\u0090',
  '‘',
  '’',
  '“',
  '”',
  '•',
  '–',
  '—',
  '˜',
  '™',
  'š',
  '›',
  'œ',
  '\u009d',
  'ž',
  'Ÿ',
]
