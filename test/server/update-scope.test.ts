import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard } from '../../model/board.js'
import { createCard, moveCard, setPosition, setText } from '../../model/cards.js'
import { setPhase } from '../../model/phases.js'
import { scopeOf } from '../../server/rules/update-scope.js'
import { loadTemplate } from '../model/helpers.js'

/** A server doc with one card, and a client replica whose next changes we classify. */
function setup() {
  const server = new Y.Doc()
  initBoard(server, loadTemplate('blank'), { id: 'b', title: 't' })
  const cardId = createCard(server, { fields: { actie: 'Jongeren in beeld' } })
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const change = (fn: () => void) => {
    const before = Y.encodeStateVector(client)
    fn()
    const update = Y.encodeStateAsUpdate(client, before)
    const actions = [...scopeOf(server, update).actions].sort()
    Y.applyUpdate(server, update) // as the server does once the update is stored
    return actions
  }
  return { server, client, cardId, change }
}

describe('what an update changes (server/rules/update-scope.ts)', () => {
  it('[U1] classifies card edits, moves, positions, new cards and meta', () => {
    const { client, cardId, change } = setup()
    expect(change(() => setText(client, cardId, 'doel', 'Niemand uit beeld'))).toEqual([
      'card.content',
      'card.touch',
    ])
    expect(change(() => moveCard(client, cardId, 'shortlist'))).toEqual([
      'card.lane',
      'card.order',
      'card.touch',
    ])
    expect(change(() => setPosition(client, cardId, { x: 1, y: 2 }))).toEqual(['card.pos'])
    expect(change(() => createCard(client, { fields: { actie: 'nieuw' } }))).toEqual(['card.create'])
    expect(change(() => setPhase(client, 'afgerond'))).toEqual(['meta'])
    // Removing a card for good deletes its fields too; the removal itself is what the rules look at.
    expect(change(() => client.getMap('cards').delete(cardId))).toContain('card.remove')
  })

  it('[U2] a hostile chain of 20,000 items is traced without running out of stack', () => {
    const { server, cardId } = setup()
    const hostile = new Y.Doc()
    Y.applyUpdate(hostile, Y.encodeStateAsUpdate(server))
    const before = Y.encodeStateVector(hostile)
    const text = (hostile.getMap('cards').get(cardId) as Y.Map<Y.Text>).get('actie') as Y.Text
    for (let i = 0; i < 20_000; i++) text.insert(0, 'x') // each item's neighbour is the previous one
    const scope = scopeOf(server, Y.encodeStateAsUpdate(hostile, before))
    expect([...scope.actions]).toEqual(['card.content'])
    expect(scope.unknown).toBe(false)
  })

  it('[U3] an update building on content the server does not have is reported as unknown', () => {
    const { server, client, cardId } = setup()
    setText(client, cardId, 'doel', 'eerste')
    const missing = Y.encodeStateVector(client)
    setText(client, cardId, 'doel', 'eerste en tweede')
    const onlySecond = Y.encodeStateAsUpdate(client, missing)
    expect(scopeOf(server, onlySecond).unknown).toBe(true)
  })

  it('[U4] a participant’s new card made straight in the shortlist counts as a lane move', () => {
    const { client, change } = setup()
    expect(
      change(() => createCard(client, { lane: 'shortlist', fields: { actie: 'voorgedrongen' } })),
    ).toContain('card.lane')
    expect(change(() => createCard(client, { fields: { actie: 'netjes' } }))).toEqual(['card.create'])
  })

  it('[U5] a delete range that starts on garbage-collected content is still checked to its end', () => {
    const { server, client } = setup()
    const sync = (from: Y.Doc, to: Y.Doc) =>
      Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
    const gone = createCard(client, { fields: { actie: 'weg' } })
    sync(client, server)
    server.getMap('cards').delete(gone) // its fields are garbage-collected on the server
    sync(server, client)
    const live = createCard(client, { fields: { actie: 'blijft' } })
    sync(client, server)
    const before = Y.encodeStateVector(server)
    // Removing the live card: the client's delete set now runs from the collected card into this one.
    client.getMap('cards').delete(live)
    const update = Y.encodeStateAsUpdate(client, before)
    expect([...scopeOf(server, update).actions]).toContain('card.remove')
  })
})
