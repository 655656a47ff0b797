import type { CardView } from '../read.js'
import type { BoardTemplate, FieldDef, Theme } from '../template.js'

/** The field a card's title is read from. */
export const TITLE_FIELD = 'actie'

/** A card's title: the first line of its actie, as screen readers, the card face and the views show it. */
export function cardTitle(card: Pick<CardView, 'fields'>, max = 120): string {
  return (String(card.fields[TITLE_FIELD] ?? '').split('\n')[0] ?? '').trim().slice(0, max)
}

/** The field holding a card's themes: the (multi-)choice field whose options are the template's themes. */
export function themeField(template: BoardTemplate): FieldDef | undefined {
  return template.fields.find(
    (def) => def.optionsFrom === 'themes' && (def.kind === 'multi-choice' || def.kind === 'choice'),
  )
}

/** The ids of the template's themes a card carries, in template order (unknown ids are left out). */
export function cardThemeIds(card: Pick<CardView, 'fields'>, template: BoardTemplate): string[] {
  const field = themeField(template)
  const value = field ? card.fields[field.id] : null
  const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  return template.themes.filter((theme) => chosen.includes(theme.id)).map((theme) => theme.id)
}

/** The template's themes a card carries, in template order. */
export function cardThemes(card: Pick<CardView, 'fields'>, template: BoardTemplate): Theme[] {
  const ids = cardThemeIds(card, template)
  return template.themes.filter((theme) => ids.includes(theme.id))
}
