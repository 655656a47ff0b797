import type * as Y from 'yjs'
import { MetaKey, metaOf } from './layout.js'

/**
 * Whether observers' exports name who moved a card (`selection.by`). Off unless the facilitator
 * turned it on: observers (a beamer, guests, the press) see the cards, not who moved them. Stored in
 * `meta`, which only the facilitator may change (the server refuses anyone else's meta change).
 */
export function readObserverExportNames(doc: Y.Doc): boolean {
  return metaOf(doc).get(MetaKey.observerExportNames) === true
}

export function setObserverExportNames(doc: Y.Doc, allowed: boolean, origin?: unknown): void {
  doc.transact(() => metaOf(doc).set(MetaKey.observerExportNames, allowed), origin)
}
