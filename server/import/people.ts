import type { Table } from './table.js'

/** One person to invite, as read from a list. */
export interface Person {
  name: string
  organisation: string | null
}

export interface ReadPeople {
  people: Person[]
  problems: { row: number; message: string }[]
}

const NAME_HEADERS = ['naam', 'name', 'deelnemer', 'persoon', 'volledige naam']
const ORGANISATION_HEADERS = ['organisatie', 'organisation', 'organization', 'organisatie/bedrijf', 'bedrijf']

const key = (header: string) =>
  header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()

/**
 * The people in a spreadsheet (CSV or XLSX read by table.ts): the column headed "Naam" (or Name) and,
 * when there is one, the column headed "Organisatie" (or Organisation). Without such headers the first
 * row is data too, first column the name and second the organisation. Empty names are skipped.
 */
export function peopleOfTable(table: Table): ReadPeople {
  const headers = table.headers.map(key)
  const nameColumn = headers.findIndex((h) => NAME_HEADERS.includes(h))
  const organisationColumn = headers.findIndex((h) => ORGANISATION_HEADERS.includes(h))
  const headed = nameColumn >= 0
  const rows = headed ? table.rows : [{ row: 1, cells: table.headers }, ...table.rows]
  const nameAt = headed ? nameColumn : 0
  const organisationAt = headed ? organisationColumn : 1
  const people: Person[] = []
  for (const { cells } of rows) {
    const name = (cells[nameAt] ?? '').trim()
    if (name === '') continue
    const organisation = organisationAt >= 0 ? (cells[organisationAt] ?? '').trim() : ''
    people.push({ name, organisation: organisation === '' ? null : organisation })
  }
  return { people, problems: table.problems.map(({ row, message }) => ({ row, message })) }
}
