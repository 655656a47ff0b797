import type * as Y from 'yjs'
import { createCards, type OpOptions } from './cards.js'
import { MetaKey, metaOf, templateOf } from './layout.js'
import type { FieldValues, Theme } from './template.js'

/** A card to import: its fields, and optionally the number it had (kept when free on this board). */
export interface ImportCard {
  number?: number
  fields: FieldValues
}

export interface ImportOptions extends OpOptions {
  /** Themes the cards refer to (e.g. an export's `themes`); those the board lacks are added to it. */
  themes?: readonly Theme[]
}

/**
 * Appends cards to the board's longlist (its first lane when it has none) in one transaction, so an
 * import is all or nothing. Text is kept exactly; fields the template does not know are kept too.
 */
export function importCards(doc: Y.Doc, cards: readonly ImportCard[], options: ImportOptions = {}): string[] {
  let ids: string[] = []
  doc.transact(() => {
    addMissingThemes(doc, options.themes ?? [])
    const lanes = templateOf(doc).lanes
    const lane = lanes.some((l) => l.id === 'longlist') ? 'longlist' : lanes[0]?.id
    ids = createCards(
      doc,
      cards.map((card) => ({ lane, number: card.number, fields: card.fields })),
      options,
    )
  }, options.origin)
  return ids
}

function addMissingThemes(doc: Y.Doc, themes: readonly Theme[]): void {
  const template = templateOf(doc)
  const known = new Set(template.themes.map((theme) => theme.id))
  const missing = themes.filter((theme) => !known.has(theme.id))
  if (missing.length === 0) return
  const themesNow = [...template.themes, ...missing.map(({ id, label, color }) => ({ id, label, color }))]
  metaOf(doc).set(MetaKey.template, { ...structuredClone(template), themes: themesNow })
}
