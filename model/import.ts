import type * as Y from 'yjs'
import { createCards, type OpOptions } from './cards.js'
import { MetaKey, metaOf, templateOf } from './layout.js'
import type { BoardTemplate, FieldKind, FieldValue, FieldValues, Theme } from './template.js'

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

/** What a value of each kind must look like, so that an import never silently drops text. */
const SHAPES: Record<FieldKind, { accepts: (value: FieldValue) => boolean; expected: string }> = {
  text: { accepts: (v) => v === null || typeof v === 'string', expected: 'text' },
  choice: { accepts: (v) => v === null || typeof v === 'string', expected: 'one option (text) or null' },
  'multi-choice': { accepts: (v) => v === null || Array.isArray(v), expected: 'a list of options' },
  list: { accepts: (v) => v === null || Array.isArray(v), expected: 'a list of texts' },
  periods: {
    accepts: (v) => v === null || (typeof v === 'object' && !Array.isArray(v)),
    expected: 'an object with a text per period',
  },
}

/**
 * Problems of cards against a board's template: a value whose shape does not fit its field's kind
 * (e.g. a list for a text field). Paths are relative to the cards array ("/3/fields/doel").
 */
export function importProblems(
  template: BoardTemplate,
  cards: readonly ImportCard[],
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  const kinds = new Map(template.fields.map((field) => [field.id, field]))
  cards.forEach((card, i) => {
    for (const [id, value] of Object.entries(card.fields)) {
      const field = kinds.get(id)
      if (!field) continue
      const shape = SHAPES[field.kind]
      if (!shape.accepts(value)) {
        problems.push({
          path: `/${i}/fields/${id}`,
          message: `must be ${shape.expected} for field "${field.label}"`,
        })
        continue
      }
      if (field.kind === 'periods' && value && typeof value === 'object') {
        const known = new Set((field.periods ?? []).map((period) => period.id))
        for (const part of Object.keys(value)) {
          if (!known.has(part)) {
            problems.push({
              path: `/${i}/fields/${id}/${part}`,
              message: `unknown period; expected one of: ${[...known].join(', ')}`,
            })
          }
        }
      }
    }
  })
  return problems
}

function addMissingThemes(doc: Y.Doc, themes: readonly Theme[]): void {
  const template = templateOf(doc)
  const known = new Set(template.themes.map((theme) => theme.id))
  const missing = themes.filter((theme) => !known.has(theme.id) && known.add(theme.id))
  if (missing.length === 0) return
  const themesNow = [...template.themes, ...missing.map(({ id, label, color }) => ({ id, label, color }))]
  metaOf(doc).set(MetaKey.template, { ...structuredClone(template), themes: themesNow })
}
