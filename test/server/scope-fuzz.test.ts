import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, moveCard, setChoice, setText } from '../../model/cards.js'
import { keyWritesUpdate } from '../../server/realtime/stamp-update.js'
import { inspectUpdate, missingDependency } from '../../server/rules/update-check.js'
import { scopeOf } from '../../server/rules/update-scope.js'
import { effectOf, randomUpdate, seeded } from '../helpers/effect.js'
import { newBoard } from '../model/helpers.js'

/** A board with history: cards, a replaced value, a moved card, a removed card (garbage-collected). */
function boardWithHistory(): Y.Doc {
  // The same board on every run (client id and card ids fixed), so a seed names one sequence of cases.
  const doc = new Y.Doc()
  doc.clientID = 4711
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(newBoard()))
  const ids = [0, 1, 2, 3].map((i) => createCard(doc, { id: `kaart${i}`, fields: { actie: `Actie ${i}` } }))
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
    for (let n = 0; n < 1200; n++) {
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
    expect(compared).toBeGreaterThan(600)
    // The cases reach what matters: removed (replaced) cards, lane changes, attribution, new cards.
    for (const action of ['card.remove', 'card.lane', 'card.attribution', 'card.create', 'card.content']) {
      expect(seen.get(action) ?? 0, action).toBeGreaterThan(10)
    }
  }, 120_000)

  it('[U7] the server’s hand-encoded key writes do what map.set does, on every replica', () => {
    const board = boardWithHistory()
    const [first, second] = [...board.getMap('cards').keys()] as [string, string]
    const card = (doc: Y.Doc, id: string) => doc.getMap('cards').get(id) as Y.Map<unknown>
    const item = (doc: Y.Doc, id: string, key: string) => {
      const found = card(doc, id)._map.get(key)
      return found ? Y.createID(found.id.client, found.id.clock + found.length - 1) : null
    }
    // Yjs itself, on a replica writing as client 77.
    const yjs = new Y.Doc()
    yjs.clientID = 77
    Y.applyUpdate(yjs, Y.encodeStateAsUpdate(board))
    yjs.transact(() => {
      card(yjs, first).set('movedBy', 'Bart')
      card(yjs, first).set('lane', 'shortlist')
      card(yjs, second).set('number', 9)
    })
    const parent = (id: string) => (card(board, id)._item as Y.Item).id
    const hand = keyWritesUpdate(77, 0, [
      { origin: item(board, first, 'movedBy'), parent: parent(first), key: 'movedBy', value: 'Bart' },
      { origin: item(board, first, 'lane'), parent: parent(first), key: 'lane', value: 'shortlist' },
      { origin: item(board, second, 'number'), parent: parent(second), key: 'number', value: 9 },
    ])
    expect(item(board, first, 'movedBy')).toBeNull() // one write without an origin (a key never set)
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(board))
    Y.applyUpdate(replica, hand)
    expect(replica.getMap('cards').toJSON()).toEqual(yjs.getMap('cards').toJSON())
    expect(Y.encodeStateVector(replica)).toEqual(Y.encodeStateVector(yjs))
    expect(replica.store.pendingStructs).toBeNull()
  })
})
