import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
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
import { exportBoard } from '../../model/export.js'
import { listCards } from '../../model/read.js'
import { newBoard, replica } from './helpers.js'

/** A small seeded PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number) {
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

const words = ['actie', 'regio', 'Westfriesland', 'zorg', 'ë', '’', '\n', 'wonen', ' ']

function randomOp(doc: Y.Doc, rnd: ReturnType<typeof random>): void {
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

describe('randomized convergence of the board model', () => {
  for (const seed of [1, 2, 3, 42, 2026]) {
    it(`5 replicas with random operations and disconnects end equal (seed ${seed})`, () => {
      const rnd = random(seed)
      const origin = newBoard()
      const docs = [origin, ...Array.from({ length: 4 }, () => replica(origin))]
      const online = docs.map(() => true)
      // Online replicas exchange each update at once; offline ones keep theirs until they reconnect.
      docs.forEach((doc, i) => {
        doc.on('update', (update: Uint8Array, from: unknown) => {
          if (from === 'sync' || !online[i]) return
          docs.forEach((other, j) => {
            if (j !== i && online[j]) Y.applyUpdate(other, update, 'sync')
          })
        })
      })
      const reconnect = (i: number) => {
        online[i] = true
        for (const [j, other] of docs.entries()) {
          if (j === i || !online[j]) continue
          Y.applyUpdate(other, Y.encodeStateAsUpdate(docs[i] as Y.Doc, Y.encodeStateVector(other)), 'sync')
          Y.applyUpdate(
            docs[i] as Y.Doc,
            Y.encodeStateAsUpdate(other, Y.encodeStateVector(docs[i] as Y.Doc)),
            'sync',
          )
        }
      }
      for (let step = 0; step < 600; step++) {
        const i = rnd.int(docs.length)
        if (rnd.next() < 0.05) {
          if (online[i]) online[i] = false
          else reconnect(i)
        }
        randomOp(docs[i] as Y.Doc, rnd)
      }
      docs.forEach((_, i) => {
        if (!online[i]) reconnect(i)
      })
      const exportedAt = new Date(0)
      const expected = exportBoard(origin, { lane: 'all', exportedAt })
      expect(expected.cards.length).toBeGreaterThan(5)
      for (const doc of docs) {
        expect(exportBoard(doc, { lane: 'all', exportedAt })).toEqual(expected)
        expect(listCards(doc, { includeDeleted: true })).toEqual(listCards(origin, { includeDeleted: true }))
      }
    })
  }
})
