import type * as Y from 'yjs'
import {
  addListItem,
  createCard,
  deleteCard,
  moveCard,
  reorderCard,
  restoreCard,
  setChoice,
  setPosition,
  setText,
  toggleOption,
} from '../../model/cards.js'
import { listCards } from '../../model/read.js'

/** A small seeded PRNG (mulberry32), so that a failing seed can be replayed. */
export function random(seed: number) {
  let s = seed >>> 0
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T,
  }
}
export type Random = ReturnType<typeof random>

const words = ['actie', 'regio', 'Westfriesland', 'zorg', 'ë', '’', '\n', 'wonen', ' ']

/** One seeded random model operation on a board, in the style of Yjs's own randomized tests. */
export function randomOp(doc: Y.Doc, rnd: Random): void {
  const cards = listCards(doc, { includeDeleted: true })
  const card = cards.length > 0 ? rnd.pick(cards) : undefined
  const op = rnd.int(10)
  if (!card || op === 0) {
    createCard(doc, { fields: { actie: rnd.pick(words) }, lane: rnd.pick(['longlist', 'shortlist']) })
    return
  }
  const id = card.id
  switch (op) {
    case 1: {
      const current = String(card.fields.actie)
      const at = rnd.int(current.length + 1)
      setText(doc, id, 'actie', current.slice(0, at) + rnd.pick(words) + current.slice(at + rnd.int(3)))
      return
    }
    case 2:
      setText(doc, id, 'planning', rnd.pick(words), { part: rnd.pick(['kort', 'lang']) })
      return
    case 3:
      moveCard(doc, id, rnd.pick(['longlist', 'shortlist']), rnd.int(cards.length + 1))
      return
    case 4:
      reorderCard(doc, id, rnd.int(5) - 2)
      return
    case 5:
      toggleOption(doc, id, 'thema', rnd.pick(['wonen', 'zorg', 'economie']), rnd.next() < 0.6)
      return
    case 6:
      addListItem(doc, id, 'partijen', rnd.pick(['GGD', 'HHNK', 'Provincie']))
      return
    case 7:
      setPosition(doc, id, { x: rnd.int(2000), y: rnd.int(2000) })
      return
    case 8:
      if (rnd.next() < 0.5) deleteCard(doc, id)
      else restoreCard(doc, id)
      return
    default:
      setChoice(doc, id, 'schaalniveau', rnd.pick(['lokaal', 'regionaal', null]))
  }
}
