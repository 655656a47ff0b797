import { type ImportCard, importProblems } from '../../model/import.js'
import type { BoardTemplate, Theme } from '../../model/template.js'
import { parseJson } from '../http/http.js'
import { mapTable } from './columns.js'
import { readJsonImport } from './json.js'
import { readCsv, readXlsx } from './table.js'
import { checkUnpackedSize } from './zip-guard.js'

/** What an XLSX import may unpack to when the caller sets nothing (MAX_UNPACKED_BYTES). */
const DEFAULT_MAX_UNPACKED = 64 * 1024 * 1024

export type ImportKind = 'json' | 'csv' | 'xlsx'

/** A problem of an import: a JSON path, or a spreadsheet row and column. */
export interface ImportProblem {
  path?: string
  row?: number
  column?: string
  message: string
}

export interface PreparedImport {
  cards: ImportCard[]
  themes: Theme[]
  /** How spreadsheet columns were mapped to fields (CSV/XLSX). */
  columns?: { header: string; target: string }[]
  problems: ImportProblem[]
}

export function importKind(contentType: string | undefined, format: string | null): ImportKind | null {
  if (format === 'json' || format === 'csv' || format === 'xlsx') return format
  const type = (contentType ?? '').toLowerCase()
  if (type.startsWith('application/json')) return 'json'
  if (type.startsWith('text/csv') || type.startsWith('application/csv')) return 'csv'
  if (type.startsWith('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')) return 'xlsx'
  return null
}

/**
 * Reads an import (JSON export, CSV or XLSX) against a board's template into cards and every problem
 * found. Nothing is changed here: the caller shows the preview or imports all cards at once.
 */
export async function prepareImport(
  kind: ImportKind,
  body: Buffer,
  template: BoardTemplate,
  options: { maxUnpackedBytes?: number } = {},
): Promise<PreparedImport> {
  if (kind === 'json') {
    const parsed = readJsonImport(parseJson(body))
    const problems: ImportProblem[] = [
      ...parsed.problems,
      ...importProblems(template, parsed.cards).map((p) => ({ ...p, path: `${parsed.cardsPath}${p.path}` })),
    ]
    return { cards: parsed.cards, themes: parsed.themes, problems }
  }
  if (kind === 'xlsx') checkUnpackedSize(body, options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED)
  const table = kind === 'csv' ? readCsv(body) : await readXlsx(body)
  const mapped = mapTable(template, table)
  return {
    cards: mapped.cards.map(({ row: _row, ...card }) => card),
    themes: [],
    columns: mapped.columns,
    problems: mapped.problems,
  }
}
