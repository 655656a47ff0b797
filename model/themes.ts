import type * as Y from 'yjs'
import { type OpOptions, setChoice, toggleOption } from './cards.js'
import { requireCard, templateOf } from './layout.js'
import { themeField } from './views/title.js'

/**
 * Switches one of the template's themes on or off for a card (the theme matrix's cell toggle), in the
 * template's theme field: a multi-choice field adds or removes the theme (concurrent toggles of other
 * themes survive); a single-choice field takes the theme, or is cleared when it held it. Like any edit
 * of a card's content it is the `card.content` action (model/phases.ts decides who may, and when).
 */
export function setTheme(
  doc: Y.Doc,
  cardId: string,
  themeId: string,
  on: boolean,
  options: OpOptions = {},
): void {
  const template = templateOf(doc)
  const field = themeField(template)
  if (!field) throw new Error('This board has no theme field')
  if (!template.themes.some((theme) => theme.id === themeId)) throw new Error(`Unknown theme: ${themeId}`)
  requireCard(doc, cardId)
  if (field.kind === 'multi-choice') {
    toggleOption(doc, cardId, field.id, themeId, on, options)
    return
  }
  const current = requireCard(doc, cardId).get(field.id)
  if (on) setChoice(doc, cardId, field.id, themeId, options)
  else if (current === themeId) setChoice(doc, cardId, field.id, null, options)
}
