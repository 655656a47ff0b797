import type { ExportDocument, ExportedCard } from '../../model/export.js'

/**
 * The export document as a table: one row per card, one column per field (a `periods` field gives a
 * column per period), readable text in every cell. Shared by CSV, XLSX and Markdown.
 */
export interface Column {
  header: string
  cell: (card: ExportedCard) => string
}

export const LIST_SEPARATOR = '; '

export function columns(document: ExportDocument, options: { timestamps?: boolean } = {}): Column[] {
  const laneLabel = new Map(document.lanes.map((lane) => [lane.id, lane.label]))
  const result: Column[] = [
    { header: 'Nr', cell: (card) => String(card.number) },
    { header: 'Lijst', cell: (card) => laneLabel.get(card.lane) ?? card.lane },
  ]
  for (const field of document.fields) {
    if (field.kind === 'periods') {
      for (const period of field.periods ?? []) {
        result.push({
          header: `${field.label} – ${period.label}`,
          cell: (card) => periodText(card, field.id, period.id),
        })
      }
    } else {
      result.push({ header: field.label, cell: (card) => fieldText(document, card, field.id) })
    }
  }
  // Fields some cards carry that the template does not know: exported too, under their id.
  const known = new Set(document.fields.map((field) => field.id))
  const extra = [...new Set(document.cards.flatMap((card) => Object.keys(card.fields)))]
    .filter((id) => !known.has(id))
    .sort()
  for (const id of extra) result.push({ header: id, cell: (card) => fieldText(document, card, id) })
  // The werksessie's outcome: votes (once revealed), the selection criteria, who shortlisted the card.
  if (document.cards.some((card) => card.votes !== undefined)) {
    result.push({ header: 'Stemmen', cell: (card) => (card.votes === undefined ? '' : String(card.votes)) })
  }
  for (const criterion of document.criteria ?? []) {
    result.push({
      header: `Criterium: ${criterion.label}`,
      cell: (card) => (card.criteria?.[criterion.id] ? 'ja' : 'nee'),
    })
  }
  if ((document.links ?? []).length > 0) {
    result.push({ header: 'Koppelingen', cell: (card) => linksText(document, card.number) })
  }
  if (document.cards.some((card) => card.selection)) {
    result.push({ header: 'Verplaatst door', cell: (card) => card.selection?.by ?? '' })
    result.push({ header: 'Verplaatst op', cell: (card) => dutchDateTime(card.selection?.at ?? null) })
  }
  if (options.timestamps !== false) {
    result.push({ header: 'Aangemaakt', cell: (card) => dutchDateTime(card.createdAt) })
    result.push({ header: 'Gewijzigd', cell: (card) => dutchDateTime(card.updatedAt) })
  }
  return result
}

/** A card's links as text: "koppelkans met 7; dilemma met 4". */
export function linksText(document: ExportDocument, number: number): string {
  return (document.links ?? [])
    .filter((link) => link.from === number || link.to === number)
    .map((link) => `${link.kind} met ${link.from === number ? link.to : link.from}`)
    .join(LIST_SEPARATOR)
}

/** A field's value as readable text: option labels instead of ids, lists joined. */
export function fieldText(document: ExportDocument, card: ExportedCard, fieldId: string): string {
  const value = card.fields[fieldId]
  const field = document.fields.find((f) => f.id === fieldId)
  const label = (id: string) => field?.options?.find((option) => option.id === id)?.label ?? id
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return field?.kind === 'choice' ? label(value) : value
  if (Array.isArray(value))
    return value.map((item) => (field?.kind === 'multi-choice' ? label(item) : item)).join(LIST_SEPARATOR)
  const periods = field?.periods ?? Object.keys(value).map((id) => ({ id, label: id }))
  return periods
    .filter((period) => value[period.id])
    .map((period) => `${period.label}: ${value[period.id]}`)
    .join('\n')
}

export function periodText(card: ExportedCard, fieldId: string, periodId: string): string {
  const value = card.fields[fieldId]
  if (value && typeof value === 'object' && !Array.isArray(value)) return value[periodId] ?? ''
  return ''
}

const dateTime = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** "22-11-2026 13:05" in Dutch time: what Dutch Excel reads as a date. */
export function dutchDateTime(iso: string | null): string {
  if (!iso) return ''
  return dateTime.format(new Date(iso)).replace(',', '')
}

export function dutchDate(iso: string): string {
  return new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso))
}

/** Cards grouped by their first theme (template order); cards without a theme come last. */
export function byTheme(
  document: ExportDocument,
): { label: string; color: string | null; cards: ExportedCard[] }[] {
  const themeField = document.fields.find((field) => field.kind === 'multi-choice' && field.id === 'thema')
  const groups = document.themes.map((theme) => ({
    id: theme.id,
    label: theme.label,
    color: theme.color as string | null,
    cards: [] as ExportedCard[],
  }))
  const none = { id: '', label: 'Zonder thema', color: null, cards: [] as ExportedCard[] }
  for (const card of document.cards) {
    const chosen = themeField ? card.fields[themeField.id] : undefined
    const first = Array.isArray(chosen) ? groups.find((group) => chosen.includes(group.id)) : undefined
    ;(first ?? none).cards.push(card)
  }
  return [...groups, none].filter((group) => group.cards.length > 0)
}
