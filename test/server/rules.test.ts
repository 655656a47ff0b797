import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, deleteCard, moveCard, setPosition, setText } from '../../model/cards.js'
import { cardsOf } from '../../model/layout.js'
import { mayDo, type Phase, setPhase } from '../../model/phases.js'
import { cardNumbers, listCards, readCard } from '../../model/read.js'
import type { App } from '../../server/app.js'
import { projectRoot } from '../../server/paths.js'
import type { Room } from '../../server/realtime/room.js'
import { inspectUpdate, missingDependency } from '../../server/rules/update-check.js'
import { scopeOf } from '../../server/rules/update-scope.js'
import { connectClient, nextCloseCode, type TestClient } from '../helpers/clients.js'
import { contentOf, effectOf, randomUpdate, seeded } from '../helpers/effect.js'
import { setBoardPhase } from '../helpers/phase.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'
import { asUpdate, type Struct, unknownClient, update } from '../hostile/craft.js'
import { RawClient } from '../hostile/helpers.js'

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

/** The server's own copy of a board, once everything it received (and its attribution) is applied. */
async function serverBoard(board: BoardInfo): Promise<{ room: Room; doc: Y.Doc }> {
  const room = await app.rooms.loaded(board.id)
  if (!room) throw new Error('board not loaded')
  await room.idle()
  return { room, doc: room.doc }
}

/**
 * A participant's raw socket sends one hand-made update. Refused: the close code; accepted: 'accepted'
 * (a round trip on the same socket proves the update was handled before it).
 */
async function rawAttempt(board: BoardInfo, payload: Uint8Array): Promise<number | 'accepted'> {
  const raw = new RawClient(app.url, board.id, board.tokens.participant)
  await raw.opened
  raw.send(asUpdate(payload))
  const outcome = await Promise.race([raw.closed, raw.roundTrip().then(() => 'accepted' as const)])
  raw.close()
  return outcome
}

/** The last clock of the item holding a card's map: what a crafted item names as its neighbour. */
function cardItem(doc: Y.Doc, cardId: string): [number, number] {
  const item = cardsOf(doc)._map.get(cardId) as Y.Item
  return [item.id.client, item.id.clock + item.length - 1]
}

/** A participant's stock client that shows `name` to the others (and to the server). */
async function named(board: BoardInfo, token: string, name: string): Promise<TestClient> {
  const person = client(board, token)
  await person.synced
  person.provider.awareness.setLocalStateField('user', { name, color: '#2b5fa8' })
  const watcher = client(board, board.tokens.observer)
  await watcher.synced
  await new Promise<void>((resolve) => {
    const check = () => {
      const state = watcher.provider.awareness.getStates().get(person.doc.clientID) as
        | { user?: { name?: string } }
        | undefined
      if (state?.user?.name !== undefined) resolve()
    }
    watcher.provider.awareness.on('change', check)
    check()
  })
  return person
}

describe('the rules follow what Yjs does with an update (issue 10, finding 1)', () => {
  it('[R9] a new card whose lane item holds two values cannot land on the shortlist', async () => {
    const { board } = await boardIn('verzamelen')
    const c = unknownClient()
    const structs: Struct[] = [
      { item: { parent: 'cards', key: 'voorgedrongen', type: 'map' } },
      { item: { parent: [c, 0], key: 'lane', any: ['longlist', 'shortlist'] } },
      { item: { parent: [c, 0], key: 'actie', any: ['Twee waarden in één item'] } },
    ]
    expect(await rawAttempt(board, update([{ client: c, clock: 0, structs }]))).toBe(4403)
    // A new card placed after a removed card's entry takes that key (Yjs copies the neighbour's); its
    // lane is its own key, not an item of a list.
    const facilitator = client(board, board.tokens.facilitator)
    await facilitator.synced
    const gone = createCard(facilitator.doc, { fields: { actie: 'Wordt verwijderd' } })
    cardsOf(facilitator.doc).delete(gone)
    const server = (await serverBoard(board)).doc
    await untilDoc(server, () => cardsOf(server)._map.get(gone)?.deleted === true)
    const removed = cardItem((await serverBoard(board)).doc, gone)
    const n = unknownClient()
    const afterRemoved = update([
      {
        client: n,
        clock: 0,
        structs: [
          { item: { origin: removed, type: 'map' } },
          { item: { parent: [n, 0], key: 'lane', any: ['shortlist'] } },
        ],
      },
    ])
    expect(await rawAttempt(board, afterRemoved)).toBe(4403)
    const { doc } = await serverBoard(board)
    expect(readCard(doc, 'voorgedrongen')).toBeUndefined()
    expect(listCards(doc, { lane: 'shortlist' })).toEqual([])
  })

  it('[R10] a new item after an existing card (no delete set) cannot replace, and so remove, that card', async () => {
    const { board, cardId } = await boardIn('verzamelen')
    const before = (await serverBoard(board)).doc
    const origin = cardItem(before, cardId)
    const replace = unknownClient()
    const asNewCard = update([
      {
        client: replace,
        clock: 0,
        structs: [
          { item: { origin, type: 'map' } },
          { item: { parent: [replace, 0], key: 'actie', any: ['Overgenomen'] } },
          { item: { parent: [replace, 0], key: 'lane', any: ['longlist'] } },
        ],
      },
    ])
    expect(await rawAttempt(board, asNewCard)).toBe(4403)
    // The same with a deleted run: Yjs makes it the key's value too, and the card is gone.
    const erase = unknownClient()
    const asDeleted = update([{ client: erase, clock: 0, structs: [{ item: { origin, deleted: 1 } }] }])
    expect(await rawAttempt(board, asDeleted)).toBe(4403)
    const { doc } = await serverBoard(board)
    expect(readCard(doc, cardId)?.fields.actie).toBe('Strategie werklocaties')
  })

  it('[R15] random crafted participant updates: refused (4403) whenever what Yjs would do is not allowed', async () => {
    const { board } = await boardIn('verzamelen')
    const rnd = seeded(Number(process.env.FUZZ_SEED ?? 1010))
    let refused = 0
    let accepted = 0
    let forbiddenEffects = 0
    for (let n = 0; n < 60; n++) {
      const { doc } = await serverBoard(board)
      const payload = randomUpdate(doc, rnd, unknownClient())
      if (missingDependency(inspectUpdate(payload), (c) => Y.getState(doc.store, c))) continue
      const { actions: effect, after } = effectOf(doc, payload)
      const scope = scopeOf(doc, payload)
      const allowed = (action: Parameters<typeof mayDo>[1]) =>
        mayDo('participant', action, { phase: 'verzamelen', selectionBy: 'facilitator' })
      const effectForbidden = [...effect].some((action) => !allowed(action))
      const expected = scope.unknown || [...scope.actions].some((action) => !allowed(action))
      const outcome = await rawAttempt(board, payload)
      const label = `case ${n}: ${Buffer.from(payload).toString('base64')} effect ${[...effect]}`
      if (effectForbidden) forbiddenEffects++
      if (effectForbidden) expect(outcome, label).toBe(4403)
      expect(outcome === 4403, label).toBe(expected)
      if (outcome === 4403) refused++
      else {
        accepted++
        expect(JSON.stringify(contentOf((await serverBoard(board)).doc)), label).toBe(
          JSON.stringify(contentOf(after)),
        )
      }
    }
    expect(forbiddenEffects).toBeGreaterThan(3)
    expect(accepted).toBeGreaterThan(3)
    expect(refused).toBeGreaterThan(3)
  })
})

describe('attribution is the server’s (issue 10, finding 5)', () => {
  it('[R11] who moved a card and when is written by the server; a participant cannot write it', async () => {
    const { board, cardId } = await boardIn('selecteren', 'everyone')
    const bart = await named(board, board.tokens.participant, 'Bart')
    const started = Date.now()
    moveCard(bart.doc, cardId, 'shortlist')
    const observer = client(board, board.tokens.observer)
    await untilDoc(observer.doc, () => readCard(observer.doc, cardId)?.moved?.by === 'Bart')
    const moved = readCard(observer.doc, cardId)?.moved
    expect(moved?.at).toBeGreaterThanOrEqual(started)
    expect(moved?.at).toBeLessThanOrEqual(Date.now())
    // Forged: a move that names someone else, and a record rewritten without a move.
    const forgeries = [
      (doc: Y.Doc, id: string) =>
        doc.transact(() => {
          moveCard(doc, id, 'longlist')
          ;(cardsOf(doc).get(id) as Y.Map<unknown>).set('movedBy', 'Iemand anders')
        }),
      (doc: Y.Doc, id: string) => (cardsOf(doc).get(id) as Y.Map<unknown>).set('movedAt', 0),
    ]
    for (const forge of forgeries) {
      const result = await attempt(board, forge, cardId)
      expect(result.refused).toBe(true)
      expect(readCard(result.fresh, cardId)?.moved?.by).toBe('Bart')
    }
    // The facilitator's moves are attributed the same way.
    const anna = await named(board, board.tokens.facilitator, 'Anna')
    moveCard(anna.doc, cardId, 'longlist')
    await untilDoc(observer.doc, () => readCard(observer.doc, cardId)?.moved?.by === 'Anna')
  })

  it('[R12] card numbers: a new card cannot take a number another card holds, nor rewrite one', async () => {
    const { board, cardId } = await boardIn('verzamelen')
    const started = Date.now()
    // Someone watching all along never sees card 1 change hands, not even for a moment.
    const watcher = client(board, board.tokens.observer)
    await watcher.synced
    const seen = new Set<number | undefined>()
    watcher.doc.on('update', () => seen.add(cardNumbers(watcher.doc).get(cardId)))
    const taker = await attempt(
      board,
      (doc) => {
        const card = new Y.Map<unknown>()
        card.set('actie', new Y.Text('Ik ben kaart 1'))
        card.set('lane', 'longlist')
        card.set('order', 'a5')
        card.set('number', 1)
        card.set('createdAt', 0) // "earlier" than card 1, to win the tie
        card.set('updatedAt', Date.now())
        cardsOf(doc).set('kaper', card)
      },
      cardId,
    )
    expect(taker.refused).toBe(false)
    const { doc } = await serverBoard(board)
    const numbers = cardNumbers(doc)
    expect(numbers.get(cardId)).toBe(1)
    expect(numbers.get('kaper')).toBe(2)
    expect(readCard(doc, 'kaper')?.createdAt).toBeGreaterThanOrEqual(started)
    await untilDoc(watcher.doc, () => cardNumbers(watcher.doc).get('kaper') === 2)
    expect([...seen]).toEqual([1])
    // Nobody rewrites the number or creation time of an existing card.
    for (const key of ['number', 'createdAt']) {
      const rewrite = await attempt(
        board,
        (d, id) => (cardsOf(d).get(id) as Y.Map<unknown>).set(key, key === 'number' ? 7 : 0),
        'kaper',
      )
      expect(rewrite.refused).toBe(true)
    }
    expect(cardNumbers((await serverBoard(board)).doc).get('kaper')).toBe(2)
  })

  it('[R13] presence names cannot pose as someone else: no roles, brackets or hidden characters', async () => {
    const { board } = await boardIn('verzamelen')
    const cases: [string, string][] = [
      ['Anna (dagvoorzitter)', 'Anna'],
      ['Facilitator Anna', 'Anna'],
      ['Bart\u202e – begeleider', 'Bart'],
      ['Facilitator', ''],
    ]
    const observer = client(board, board.tokens.observer)
    await observer.synced
    for (const [typed, shown] of cases) {
      const person = client(board, board.tokens.participant)
      await person.synced
      person.provider.awareness.setLocalStateField('user', { name: typed, color: '#c4572a' })
      await new Promise<void>((resolve) => {
        const check = () => {
          const state = observer.provider.awareness.getStates().get(person.doc.clientID) as
            | { user?: { name?: string }; role?: string }
            | undefined
          if (!state?.user) return
          expect(state.user.name).toBe(shown)
          expect(state.role).toBe('participant')
          resolve()
        }
        observer.provider.awareness.on('change', check)
        check()
      })
    }
    const res = await fetch(`${app.url}/api/boards/${board.id}/connections`, {
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    const { connections } = (await res.json()) as { connections: { role: string; name: string | null }[] }
    const names = connections.map((c) => c.name).filter((name) => name !== null)
    expect(names.sort()).toEqual(['Anna', 'Anna', 'Bart'])
  })

  it('[R14] a participant’s new card: docs/api.md’s table of what it may carry is what the server does', async () => {
    const { board, cardId } = await boardIn('verzamelen')
    const api = fs.readFileSync(path.join(projectRoot, 'docs/api.md'), 'utf8')
    const lines = api.split('\n').map((line) => line.trim())
    const header = lines.findIndex((line) => line.startsWith("| a participant's new card may carry"))
    const table = header < 0 ? [] : lines.slice(header + 2)
    const rows = table
      .slice(
        0,
        Math.max(
          0,
          table.findIndex((line) => !line.startsWith('|')),
        ),
      )
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map(([, carry, allowed]) => ({
        carry: carry as string,
        allowed: (allowed as string).startsWith('yes'),
      }))
    // What each row of the table puts on a new card.
    const contents: Record<string, () => Record<string, unknown>> = {
      'template fields and extra fields': () => ({ doel: new Y.Text('Een doel'), eigen: 'extra' }),
      '`order`, `pos`, `updatedAt`, `deletedAt`, `criteria`, `mergedInto`': () => ({
        pos: { x: 1, y: 2 },
        deletedAt: 5,
        criteria: new Y.Map([['regionaal', true]]),
        mergedInto: cardId,
      }),
      '`number`, `createdAt`': () => ({ number: 40, createdAt: Date.now() }),
      '`lane` with the first lane of the template': () => ({ lane: 'longlist' }),
      '`lane` with any other lane, or several values': () => ({ lane: 'shortlist' }),
      '`movedAt`, `movedBy`': () => ({ movedAt: Date.now(), movedBy: 'Iemand anders' }),
    }
    expect(rows.map((row) => row.carry).sort()).toEqual(Object.keys(contents).sort())
    for (const { carry, allowed } of rows) {
      const result = await attempt(
        board,
        (doc) => {
          const card = new Y.Map<unknown>()
          card.set('actie', new Y.Text(carry))
          card.set('lane', 'longlist')
          card.set('order', 'a9')
          card.set('updatedAt', Date.now())
          for (const [key, value] of Object.entries((contents[carry] as () => Record<string, unknown>)()))
            card.set(key, value)
          cardsOf(doc).set(`nieuw-${rows.findIndex((row) => row.carry === carry)}`, card)
        },
        cardId,
      )
      expect(result.refused, carry).toBe(!allowed)
    }
  })
})
