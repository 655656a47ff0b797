import type * as Y from 'yjs'
import type { ExportDocument } from './export.js'
import { listCards } from './read.js'

/** A text someone wrote that the board does not hold: where it was, and the text itself. */
export interface UnsavedText {
  cardId: string
  /** The card's number as the writer saw it. */
  number: number
  /** The card's action as the writer saw it (its title). */
  title: string
  /** The field's label, with the period's label for a `periods` field ("Planning – Korte termijn"). */
  field: string
  text: string
}

/**
 * The texts of a browser's own copy of the board (`saved`, taken when the server refused one of its
 * changes and the copy had to be thrown away) that the board (`doc`, as the server has it) does not
 * hold: edited fields and cards the board never got. Only free text: choices and votes are quick to
 * redo, typed text is not.
 */
export function unsavedTexts(saved: ExportDocument, doc: Y.Doc): UnsavedText[] {
  const result: UnsavedText[] = []
  const board = new Map(listCards(doc, { includeDeleted: true }).map((card) => [card.id, card]))
  for (const card of saved.cards) {
    const now = board.get(card.id)
    const title = typeof card.fields.actie === 'string' ? (card.fields.actie.split('\n')[0] ?? '') : ''
    for (const field of saved.fields) {
      const mine = card.fields[field.id]
      const theirs = now?.fields[field.id]
      if (field.kind === 'text' && typeof mine === 'string') {
        if (mine.trim() !== '' && mine !== theirs)
          result.push({ cardId: card.id, number: card.number, title, field: field.label, text: mine })
      } else if (field.kind === 'periods' && mine && typeof mine === 'object' && !Array.isArray(mine)) {
        for (const period of field.periods ?? []) {
          const text = mine[period.id] ?? ''
          const current =
            theirs && typeof theirs === 'object' && !Array.isArray(theirs) ? theirs[period.id] : ''
          if (text.trim() !== '' && text !== current)
            result.push({
              cardId: card.id,
              number: card.number,
              title,
              field: `${field.label} – ${period.label}`,
              text,
            })
        }
      }
    }
  }
  return result
}
