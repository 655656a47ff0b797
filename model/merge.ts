import * as Y from 'yjs'
import {
  addListItem,
  deleteCard,
  fieldText,
  markEdited,
  setChoice,
  setCriterion,
  toggleOption,
} from './cards.js'
import { CardKey, requireCard, templateOf } from './layout.js'
import { linkCards, listLinks, unlink } from './links.js'
import { readCard } from './read.js'

/**
 * Merges a duplicate card (`sourceId`) into another (`targetId`): texts are joined (each period of a
 * planning too), parties, themes and met criteria united, an empty choice taken over. The source is
 * soft-deleted with a pointer to the target, so it can be restored as it was. Votes are moved by the
 * server (they are not in the document while hidden).
 */
export function mergeCards(
  doc: Y.Doc,
  targetId: string,
  sourceId: string,
  options: { origin?: unknown } = {},
): void {
  if (targetId === sourceId) throw new Error('A card cannot be merged into itself')
  const target = readCard(doc, targetId)
  const source = readCard(doc, sourceId)
  if (!target || !source) throw new Error('Unknown card')
  const template = templateOf(doc)
  const join = (fieldId: string, part?: string) => {
    const from =
      part === undefined ? source.fields[fieldId] : (source.fields[fieldId] as Record<string, string>)?.[part]
    const into =
      part === undefined ? target.fields[fieldId] : (target.fields[fieldId] as Record<string, string>)?.[part]
    if (typeof from !== 'string' || from.trim() === '' || from === into) return
    const text = fieldText(doc, targetId, fieldId, part)
    text.insert(text.length, text.length > 0 ? `\n\n${from}` : from)
  }
  doc.transact(() => {
    for (const field of template.fields) {
      const value = source.fields[field.id]
      if (field.kind === 'text') join(field.id)
      else if (field.kind === 'periods') for (const period of field.periods ?? []) join(field.id, period.id)
      else if (field.kind === 'choice') {
        if (target.fields[field.id] === null && typeof value === 'string')
          setChoice(doc, targetId, field.id, value)
      } else if (field.kind === 'multi-choice') {
        for (const option of Array.isArray(value) ? value : [])
          toggleOption(doc, targetId, field.id, option, true)
      } else if (field.kind === 'list') {
        const have = new Set(
          Array.isArray(target.fields[field.id]) ? (target.fields[field.id] as string[]) : [],
        )
        for (const item of Array.isArray(value) ? value : [])
          if (!have.has(item)) addListItem(doc, targetId, field.id, item)
      }
    }
    // Extra fields the template does not know: text is joined, other shapes taken over when missing.
    for (const [key, value] of Object.entries(source.fields)) {
      if (template.fields.some((field) => field.id === key)) continue
      if (typeof value === 'string') join(key)
      else if (target.fields[key] === undefined && value !== null) {
        requireCard(doc, targetId).set(key, Array.isArray(value) ? Y.Array.from(value) : value)
      }
    }
    for (const criterion of source.criteria) setCriterion(doc, targetId, criterion, true)
    // The duplicate's links now belong to the card it was merged into.
    for (const link of listLinks(doc)) {
      if (link.from !== sourceId && link.to !== sourceId) continue
      const from = link.from === sourceId ? targetId : link.from
      const to = link.to === sourceId ? targetId : link.to
      unlink(doc, link.id)
      if (
        from !== to &&
        !listLinks(doc).some((l) => l.from === from && l.to === to && l.kind === link.kind)
      ) {
        linkCards(doc, from, to, link.kind, link.note)
      }
    }
    markEdited(doc, targetId)
    requireCard(doc, sourceId).set(CardKey.mergedInto, targetId)
    deleteCard(doc, sourceId)
  }, options.origin)
}
