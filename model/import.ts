import type * as Y from 'yjs'
import { createCards, type OpOptions } from './cards.js'
import { templateOf } from './layout.js'
import type { FieldValues } from './template.js'

/** A card to import: its fields, and optionally the number it had (kept when free on this board). */
export interface ImportCard {
  number?: number
  fields: FieldValues
}

/**
 * Appends cards to the board's longlist (its first lane when it has none) in one transaction, so an
 * import is all or nothing. Text is kept exactly; fields the template does not know are kept too.
 */
export function importCards(doc: Y.Doc, cards: readonly ImportCard[], options: OpOptions = {}): string[] {
  const lanes = templateOf(doc).lanes
  const lane = lanes.some((l) => l.id === 'longlist') ? 'longlist' : lanes[0]?.id
  return createCards(
    doc,
    cards.map((card) => ({ lane, number: card.number, fields: card.fields })),
    options,
  )
}
