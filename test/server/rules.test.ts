import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, deleteCard, moveCard, setPosition, setText } from '../../model/cards.js'
import { cardsOf } from '../../model/layout.js'
import { type Phase, setPhase } from '../../model/phases.js'
import { listCards, readCard } from '../../model/read.js'
import type { App } from '../../server/app.js'
import { connectClient, nextCloseCode, type TestClient } from '../helpers/clients.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

let app: App
const clients: TestClient[] = []

beforeAll(async () => {
  // No grace period here: a change is judged by the phase at the moment it arrives ([R6] tests the grace).
  app = await startServer({ phaseGraceMs: 0 })
})
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
})
afterAll(async () => {
  await app.close()
})

function client(board: BoardInfo, token: string): TestClient {
  const c = connectClient(app.url, board.id, token)
  clients.push(c)
  return c
}

/** A board with one card made by the facilitator, in the given phase. */
async function boardIn(phase: Phase, selectionBy: 'facilitator' | 'everyone' = 'facilitator') {
  const board = await createBoard(app.url, 'blank')
  const facilitator = client(board, board.tokens.facilitator)
  await facilitator.synced
  const cardId = createCard(facilitator.doc, { fields: { actie: 'Strategie werklocaties' } })
  await setBoardPhase(app.url, board, phase, selectionBy)
  return { board, cardId }
}

let markers = 0

/**
 * A participant's stock client tries `change`. The server checks an update when it arrives, before
 * anything later on that connection: a presence marker sent right after the change reaches another
 * client only if the change was accepted; a refused change closes the connection with 4403 instead.
 */
async function attempt(board: BoardInfo, change: (doc: Y.Doc, cardId: string) => void, cardId: string) {
  const participant = client(board, board.tokens.participant)
  await participant.synced
  const closed = nextCloseCode(participant.provider).then((code) => ({ refused: code === 4403, code }))
  change(participant.doc, cardId)
  const marker = ++markers
  participant.provider.awareness.setLocalStateField('marker', marker)
  const fresh = client(board, board.tokens.observer)
  await fresh.synced
  const accepted = new Promise<{ refused: boolean; code?: number }>((resolve) => {
    const check = () => {
      const state = fresh.provider.awareness.getStates().get(participant.doc.clientID) as
        | { marker?: number }
        | undefined
      if (state?.marker === marker) resolve({ refused: false })
    }
    fresh.provider.awareness.on('change', check)
    check()
  })
  const outcome = await Promise.race([closed, accepted])
  return { ...outcome, fresh: fresh.doc }
}

describe('the werksessie’s rules, enforced by the server against a stock client', () => {
  it('[R1] Verzamelen: participants add and edit cards, but cannot move them between lanes', async () => {
    const { board, cardId } = await boardIn('verzamelen')
    const edit = await attempt(
      board,
      (doc, id) => setText(doc, id, 'doel', 'Toekomstbestendige locaties'),
      cardId,
    )
    expect(edit.refused).toBe(false)
    await untilDoc(
      edit.fresh,
      () => readCard(edit.fresh, cardId)?.fields.doel === 'Toekomstbestendige locaties',
    )
    const add = await attempt(board, (doc) => createCard(doc, { fields: { actie: 'Nieuwe actie' } }), cardId)
    expect(add.refused).toBe(false)
    const move = await attempt(board, (doc, id) => moveCard(doc, id, 'shortlist'), cardId)
    expect(move.refused).toBe(true)
    expect(readCard(move.fresh, cardId)?.lane).toBe('longlist')
  })

  it('[R2] Stemmen: participants cannot edit, add or delete cards', async () => {
    const { board, cardId } = await boardIn('stemmen')
    for (const change of [
      (doc: Y.Doc, id: string) => setText(doc, id, 'actie', 'Gewijzigd'),
      (doc: Y.Doc) => createCard(doc, { fields: { actie: 'Te laat' } }),
      (doc: Y.Doc, id: string) => deleteCard(doc, id),
    ]) {
      const result = await attempt(board, change, cardId)
      expect(result.refused).toBe(true)
      expect(readCard(result.fresh, cardId)).toMatchObject({
        deletedAt: null,
        fields: { actie: 'Strategie werklocaties' },
      })
      expect(listCards(result.fresh).filter((card) => card.fields.actie === 'Te laat')).toEqual([])
    }
    const drag = await attempt(board, (doc, id) => setPosition(doc, id, { x: 10, y: 10 }), cardId)
    expect(drag.refused).toBe(false)
  })

  it('[R3] Selecteren: only the facilitator moves cards, unless everyone may', async () => {
    const { board, cardId } = await boardIn('selecteren')
    const denied = await attempt(board, (doc, id) => moveCard(doc, id, 'shortlist'), cardId)
    expect(denied.refused).toBe(true)
    await setBoardPhase(app.url, board, 'selecteren', 'everyone')
    const allowed = await attempt(board, (doc, id) => moveCard(doc, id, 'shortlist'), cardId)
    expect(allowed.refused).toBe(false)
    await untilDoc(allowed.fresh, () => readCard(allowed.fresh, cardId)?.lane === 'shortlist')
  })

  it('[R4] Afgerond: the board is read-only for all but the facilitator', async () => {
    const { board, cardId } = await boardIn('afgerond')
    const result = await attempt(board, (doc, id) => setPosition(doc, id, { x: 1, y: 1 }), cardId)
    expect(result.refused).toBe(true)
    const facilitator = client(board, board.tokens.facilitator)
    await facilitator.synced
    setText(facilitator.doc, cardId, 'doel', 'Vastgesteld')
    const fresh = client(board, board.tokens.observer)
    await fresh.synced
    await untilDoc(fresh.doc, () => readCard(fresh.doc, cardId)?.fields.doel === 'Vastgesteld')
  })

  it('[R5] in any phase, participants cannot change the phase, delete a card for good or write votes', async () => {
    const { board, cardId } = await boardIn('verzamelen')
    const forbidden = [
      (doc: Y.Doc) => setPhase(doc, 'afgerond'),
      (doc: Y.Doc, id: string) => cardsOf(doc).delete(id),
      (doc: Y.Doc, id: string) => doc.getMap('votes').set(id, 99),
      (doc: Y.Doc) => doc.getMap('eigen').set('x', 1),
    ]
    for (const change of forbidden) {
      const result = await attempt(board, change, cardId)
      expect(result.refused).toBe(true)
      expect(result.fresh.getMap('meta').get('phase')).toBe('verzamelen')
      expect(readCard(result.fresh, cardId)).toBeDefined()
      expect(result.fresh.getMap('votes').size).toBe(0)
    }
  })

  it('[R6] edits in flight when the phase changes are still accepted for a moment, not later', async () => {
    const graceful = await startServer({ phaseGraceMs: 60_000 })
    try {
      for (const [server, accepted] of [
        [graceful, true],
        [app, false],
      ] as const) {
        const board = await createBoard(server.url, 'blank')
        const participant = connectClient(server.url, board.id, board.tokens.participant)
        clients.push(participant)
        await participant.synced
        const cardId = createCard(participant.doc, { fields: { actie: 'Jongeren in beeld' } })
        const observer = connectClient(server.url, board.id, board.tokens.observer)
        clients.push(observer)
        await untilDoc(observer.doc, () => readCard(observer.doc, cardId) !== undefined)
        // The participant types while the facilitator closes the phase; the edit arrives after the switch.
        participant.provider.disconnect()
        setText(participant.doc, cardId, 'doel', 'net op tijd')
        await setBoardPhase(server.url, board, 'stemmen')
        const closed = nextCloseCode(participant.provider)
        participant.provider.connect()
        if (accepted)
          await untilDoc(observer.doc, () => readCard(observer.doc, cardId)?.fields.doel === 'net op tijd')
        else expect(await closed).toBe(4403)
      }
    } finally {
      await graceful.close()
    }
  })

  it('[R7] an honest participant who reconnects after phase changes is not refused', async () => {
    // Its sync answer carries its whole delete set, including others' old deletions (of meta, lanes):
    // those change nothing and must not count as its changes.
    const board = await createBoard(app.url, 'blank')
    const participant = client(board, board.tokens.participant)
    await participant.synced
    const cardId = createCard(participant.doc, { fields: { actie: 'Pilot Praktijkleren' } })
    await setBoardPhase(app.url, board, 'selecteren', 'everyone')
    await untilDoc(participant.doc, () => participant.doc.getMap('meta').get('phase') === 'selecteren')
    moveCard(participant.doc, cardId, 'shortlist')
    await setBoardPhase(app.url, board, 'verzamelen')
    await untilDoc(participant.doc, () => participant.doc.getMap('meta').get('phase') === 'verzamelen')
    participant.provider.disconnect()
    setText(participant.doc, cardId, 'actie', 'Pilot Praktijkleren (offline)')
    participant.provider.connect()
    const observer = client(board, board.tokens.observer)
    await untilDoc(
      observer.doc,
      () => readCard(observer.doc, cardId)?.fields.actie === 'Pilot Praktijkleren (offline)',
    )
    expect(participant.provider.wsconnected).toBe(true)
  })

  it('[R8] repeating what the board already has is no change, in any phase', async () => {
    // A browser's own copy (IndexedDB) that loads after the server sync is sent as one update holding
    // the whole board, meta and all: the server has every item of it already.
    const { board, cardId } = await boardIn('afgerond')
    const outcome = await attempt(
      board,
      // The y-websocket client relays every doc update not from itself: send one with everything.
      (doc) => doc.transact((tr) => doc.emit('update', [Y.encodeStateAsUpdate(doc), 'local copy', doc, tr])),
      cardId,
    )
    expect(outcome.refused).toBe(false)
  })
})
