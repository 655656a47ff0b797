import type { CardView } from '../../model/read.js'
import type { BoardTemplate, Theme } from '../../model/template.js'

/** A card's title: the first line of its actie, as screen readers and the card face show it. */
export function cardTitle(card: Pick<CardView, 'fields'>, max = 120): string {
  return (String(card.fields.actie ?? '').split('\n')[0] ?? '').trim().slice(0, max)
}

/** The template's themes the card carries, in template order. */
export function cardThemes(card: Pick<CardView, 'fields'>, template: BoardTemplate): Theme[] {
  const field = template.fields.find((def) => def.optionsFrom === 'themes')
  const chosen = field ? card.fields[field.id] : null
  if (!Array.isArray(chosen)) return []
  return template.themes.filter((theme) => chosen.includes(theme.id))
}
