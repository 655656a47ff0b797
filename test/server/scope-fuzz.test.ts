import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, moveCard, setChoice, setText } from '../../model/cards.js'
import { inspectUpdate, missingDependency } from '../../server/update-check.js'
import { scopeOf } from '../../server/update-scope.js'
import { effectOf, randomUpdate, seeded } from '../helpers/effect.js'
import { newBoard } from '../model/helpers.js'

/** A board with history: cards, a replaced value, a moved card, a removed card (garbage-collected). */
function boardWithHistory(): Y.Doc {
  const doc = newBoard()
  const ids = [0, 1, 2, 3].map((i) => createCard(doc, { fields: { actie: `Actie ${i}` } }))
  setChoice(doc, ids[0] as string, 'schaalniveau', 'regionaal')
  setChoice(doc, ids[0] as string, 'schaalniveau', 'lokaal')
  setText(doc, ids[1] as string, 'doel', 'Een doel')
  moveCard(doc, ids[2] as string, 'shortlist')
  doc.getMap('cards').delete(ids[3] as string)
  return doc
}

describe('the update check against what Yjs really does (differential)', () => {
  it('[U6] random crafted updates: every change Yjs makes is one the check reported', () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261206)
    const rnd = seeded(seed)
    let board = boardWithHistory()
    let compared = 0
    const seen = new Map<string, number>()
    for (let n = 0; n < 2000; n++) {
      const client = 500_000 + n
      const payload = randomUpdate(board, rnd, client)
      try {
        if (missingDependency(inspectUpdate(payload), (c) => Y.getState(board.store, c))) continue
      } catch {
        continue
      }
      const scope = scopeOf(board, payload)
      const { actions, after } = effectOf(board, payload)
      if (scope.unknown) continue
      compared++
      for (const action of actions) seen.set(action, (seen.get(action) ?? 0) + 1)
      const missed = [...actions].filter((action) => !scope.actions.has(action))
      expect(missed, `seed ${seed}, case ${n}: ${Buffer.from(payload).toString('base64')}`).toEqual([])
      // Now and then the board takes the update, so later ones build on a changed board.
      if (rnd() < 0.2) board = after
    }
    expect(compared).toBeGreaterThan(1000)
    // The cases reach what matters: removed (replaced) cards, lane changes, attribution, new cards.
    for (const action of ['card.remove', 'card.lane', 'card.attribution', 'card.create', 'card.content']) {
      expect(seen.get(action) ?? 0, action).toBeGreaterThan(10)
    }
  })
})
