import type { ImportCard } from '../../model/import.js'
import { isReservedKey } from '../../model/layout.js'
import { type BoardTemplate, type FieldDef, type FieldValues, optionsOf } from '../../model/template.js'
import { FORMULA_START } from '../export/csv.js'
import type { Table } from './table.js'

/** Where a spreadsheet column goes. */
export type Target =
  | { kind: 'field'; field: FieldDef; part?: string }
  | { kind: 'extra'; id: string }
  | { kind: 'number' }
  | { kind: 'ignored' }

export interface RowProblem {
  row: number
  column?: string
  message: string
}

export interface MappedImport {
  columns: { header: string; target: string }[]
  cards: (ImportCard & { row: number })[]
  problems: RowProblem[]
}

/** The same limits as a JSON import (docs/import.schema.json). */
const MAX_ROWS = 5000
const MAX_CELL = 20000

/** Columns of our own exports that carry no card content. */
const IGNORED = [
  'lijst',
  'lane',
  'id',
  'aangemaakt',
  'gewijzigd',
  'createdat',
  'updatedat',
  'positie',
  'position',
  'stemmen',
  'verplaatst door',
  'verplaatst op',
  'koppelingen',
]

/**
 * Maps a spreadsheet's columns to the board's fields by header — the Dutch label or the field id
 * (a period: "Planning – Korte termijn", "planning.kort" or the period's label) — and turns each row
 * into a card. Every problem is reported with its row and column; the caller imports all or nothing.
 */
export function mapTable(template: BoardTemplate, table: Table): MappedImport {
  const problems: RowProblem[] = [...table.problems]
  const targets = table.headers.map((header) => targetOf(template, header))
  const seen = new Map<string, string>()
  targets.forEach((target, i) => {
    const key = targetKey(target)
    const header = table.headers[i] ?? ''
    if (target.kind === 'ignored') return
    if (seen.has(key))
      problems.push({ row: 1, column: header, message: `same field as column "${seen.get(key)}"` })
    else seen.set(key, header)
    if (target.kind === 'extra' && isReservedKey(target.id)) {
      problems.push({ row: 1, column: header, message: `"${header}" cannot be a field name` })
    }
  })
  if (table.headers.length === 0 || targets.every((target) => target.kind === 'ignored')) {
    problems.push({
      row: 1,
      message: 'no column matches a field of this board (expected headers such as "Actie", "Doel")',
    })
  }

  const cards: MappedImport['cards'] = []
  if (table.rows.length > MAX_ROWS) {
    problems.push({ row: 1, message: `more than ${MAX_ROWS} rows: split the file` })
  }
  for (const { row, cells } of table.rows.slice(0, MAX_ROWS)) {
    const fields: FieldValues = {}
    let number: number | undefined
    targets.forEach((target, i) => {
      const column = table.headers[i] ?? `kolom ${i + 1}`
      const raw = unescapeFormula(cells[i] ?? '')
      const problem = (message: string) => problems.push({ row, column, message })
      if (raw.length > MAX_CELL) {
        problem(`more than ${MAX_CELL} characters`)
        return
      }
      if (target.kind === 'number') {
        if (raw.trim() === '') return
        const n = Number(raw.trim())
        if (Number.isSafeInteger(n) && n > 0) number = n
        else problem(`"${raw}" is not a card number`)
      } else if (target.kind === 'extra') {
        fields[target.id] = raw
      } else if (target.kind === 'field') {
        const value = fieldValue(template, target.field, raw, problem)
        if (target.part !== undefined) {
          const parts = (fields[target.field.id] ?? {}) as Record<string, string>
          parts[target.part] = raw
          fields[target.field.id] = parts
        } else if (value !== undefined) {
          fields[target.field.id] = value
        }
      }
    })
    cards.push(number === undefined ? { row, fields } : { row, number, fields })
  }
  const columns = table.headers.map((header, i) => ({ header, target: describe(targets[i] as Target) }))
  return { columns, cards, problems }
}

function fieldValue(
  template: BoardTemplate,
  field: FieldDef,
  raw: string,
  problem: (message: string) => void,
): FieldValues[string] | undefined {
  switch (field.kind) {
    case 'text':
      return raw
    case 'periods':
      return { [field.periods?.[0]?.id ?? 'tekst']: raw }
    case 'list':
      return splitList(raw, /\r?\n|;/)
    case 'choice': {
      if (raw.trim() === '') return null
      const option = findOption(template, field, raw)
      if (!option)
        problem(
          `"${raw.trim()}" is not one of: ${optionsOf(template, field)
            .map((o) => o.label)
            .join(', ')}`,
        )
      return option?.id ?? null
    }
    case 'multi-choice': {
      const ids: string[] = []
      for (const item of splitList(raw, /\r?\n|;|,/)) {
        const option = findOption(template, field, item)
        if (option) ids.push(option.id)
        else
          problem(
            `"${item}" is not one of: ${optionsOf(template, field)
              .map((o) => o.label)
              .join(', ')}`,
          )
      }
      return ids
    }
  }
}

function targetOf(template: BoardTemplate, header: string): Target {
  const key = normalise(header)
  if (key === '') return { kind: 'ignored' }
  if (['nr', 'nummer', 'number', 'no', 'nr.'].includes(key)) return { kind: 'number' }
  if (IGNORED.includes(key) || key.startsWith('criterium:')) return { kind: 'ignored' }
  for (const field of template.fields) {
    if (normalise(field.id) === key || normalise(field.label) === key) {
      return field.kind === 'periods'
        ? { kind: 'field', field, part: field.periods?.[0]?.id }
        : { kind: 'field', field }
    }
    for (const period of field.periods ?? []) {
      const names = [
        `${field.label} – ${period.label}`,
        `${field.label} - ${period.label}`,
        `${field.label} ${period.label}`,
        `${field.id}.${period.id}`,
        period.label,
      ]
      if (names.some((name) => normalise(name) === key)) return { kind: 'field', field, part: period.id }
    }
  }
  return { kind: 'extra', id: fieldIdOf(header) }
}

function findOption(template: BoardTemplate, field: FieldDef, raw: string) {
  const key = normalise(raw)
  return optionsOf(template, field).find(
    (option) => normalise(option.id) === key || normalise(option.label) === key,
  )
}

function splitList(raw: string, separator: RegExp): string[] {
  return raw
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Headers compare without case, accents, quotes or repeated spaces. */
function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’'‘`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

/** An unknown column becomes an extra field named after its header ("Opmerkingen" → "opmerkingen"). */
function fieldIdOf(header: string): string {
  return (
    normalise(header)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'kolom'
  )
}

function targetKey(target: Target): string {
  if (target.kind === 'field') return `${target.field.id}.${target.part ?? ''}`
  if (target.kind === 'extra') return `extra.${target.id}`
  return target.kind
}

function describe(target: Target): string {
  if (target.kind === 'field') return target.part ? `${target.field.id}.${target.part}` : target.field.id
  if (target.kind === 'extra') return `${target.id} (extra)`
  return target.kind
}

/** Our CSV export guards formulas with a leading apostrophe; take it off again. */
function unescapeFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell
}
