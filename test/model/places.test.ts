import { describe, expect, it } from 'vitest'
import { createCard, deleteCard, moveCard, reorderCard, setCriterion } from '../../model/cards.js'
import { cardPlaces, criteriaByCard, listCards } from '../../model/read.js'
import { newBoard } from './helpers.js'

/** A small deterministic random source (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('places and criteria without the cards’ texts', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`[RD1] cardPlaces and criteriaByCard read what listCards reads (seed ${seed})`, () => {
      const doc = newBoard('pact-westfriesland-7.1')
      const next = random(seed)
      const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T
      const ids: string[] = []
      for (let step = 0; step < 200; step++) {
        const roll = next()
        if (ids.length === 0 || roll < 0.3) ids.push(createCard(doc, { fields: { actie: `Actie ${step}` } }))
        else if (roll < 0.5) moveCard(doc, pick(ids), pick(['longlist', 'shortlist']))
        else if (roll < 0.7) reorderCard(doc, pick(ids), pick([-2, -1, 1, 2]))
        else if (roll < 0.8) deleteCard(doc, pick(ids))
        else setCriterion(doc, pick(ids), pick(['regionaal', 'draagvlak', 'meerdere-ambities']), next() < 0.7)
      }
      const cards = listCards(doc, { includeDeleted: true })
      expect(cardPlaces(doc)).toEqual(
        cards.map(({ id, lane, order, deletedAt }) => ({ id, lane, order, deletedAt })),
      )
      expect(criteriaByCard(doc)).toEqual(new Map(cards.map((card) => [card.id, card.criteria])))
    })
  }
})
