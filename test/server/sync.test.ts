import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, fieldText, setPosition, setText } from '../../model/cards.js'
import { readCard } from '../../model/read.js'
import type { App } from '../../server/app.js'
import { awarenessMessage, encodeAwarenessUpdate } from '../../server/realtime/protocol.js'
import { connectClient, nextCloseCode, type TestClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

let app: App
let board: BoardInfo
const clients: TestClient[] = []

function client(token: string, boardId = board.id): TestClient {
  const c = connectClient(app.url, boardId, token)
  clients.push(c)
  return c
}

beforeAll(async () => {
  app = await startServer()
  board = await createBoard(app.url, 'pact-westfriesland-7.1')
})
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
})
afterAll(async () => {
  await app.close()
})

describe('sync with stock y-websocket clients', () => {
  it('[S1] two clients converge on the board made from the template', async () => {
    const a = client(board.tokens.participant)
    const b = client(board.tokens.participant)
    await Promise.all([a.synced, b.synced])
    expect(a.doc.getMap('meta').get('templateId')).toBe('pact-westfriesland-7.1')
    const id = createCard(a.doc, { fields: { actie: 'Regionaal woonakkoord sluiten' } })
    await untilDoc(b.doc, () => readCard(b.doc, id)?.fields.actie === 'Regionaal woonakkoord sluiten')
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(a.doc))
  })

  it('[S2] concurrent typing in one field merges', async () => {
    const a = client(board.tokens.participant)
    const b = client(board.tokens.participant)
    await Promise.all([a.synced, b.synced])
    const id = createCard(a.doc, { fields: { actie: 'woonakkoord' } })
    await untilDoc(b.doc, () => readCard(b.doc, id)?.fields.actie === 'woonakkoord')
    // Both type before seeing the other's keystrokes.
    a.provider.disconnect()
    b.provider.disconnect()
    for (const ch of 'Regionaal ')
      fieldText(a.doc, id, 'actie').insert(fieldText(a.doc, id, 'actie').length - 'woonakkoord'.length, ch)
    setText(b.doc, id, 'actie', 'woonakkoord sluiten')
    a.provider.connect()
    b.provider.connect()
    const expected = 'Regionaal woonakkoord sluiten'
    await Promise.all([
      untilDoc(a.doc, () => readCard(a.doc, id)?.fields.actie === expected),
      untilDoc(b.doc, () => readCard(b.doc, id)?.fields.actie === expected),
    ])
  })

  it('[S3] a concurrent edit of the text and the position of one card keeps both', async () => {
    const a = client(board.tokens.participant)
    const b = client(board.tokens.participant)
    await Promise.all([a.synced, b.synced])
    const id = createCard(a.doc, { fields: { doel: 'Meer woningen' }, pos: { x: 0, y: 0 } })
    await untilDoc(b.doc, () => readCard(b.doc, id) !== undefined)
    a.provider.disconnect()
    setText(a.doc, id, 'doel', 'Meer passende woningen')
    setPosition(b.doc, id, { x: 640, y: 480 })
    a.provider.connect()
    const done = (doc: Y.Doc) => () => {
      const card = readCard(doc, id)
      return card?.fields.doel === 'Meer passende woningen' && card.pos?.x === 640
    }
    await Promise.all([untilDoc(a.doc, done(a.doc)), untilDoc(b.doc, done(b.doc))])
  })

  it('[S4] a late joiner receives everything, relayed only once durable', async () => {
    const a = client(board.tokens.facilitator)
    await a.synced
    const id = createCard(a.doc, { fields: { actie: 'Jongeren in beeld' } })
    const late = client(board.tokens.observer)
    await late.synced
    await untilDoc(late.doc, () => readCard(late.doc, id)?.fields.actie === 'Jongeren in beeld')
    const stored = await app.store.load(board.id)
    const replay = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(replay, stored.snapshot)
    for (const { update } of stored.updates) Y.applyUpdate(replay, update)
    expect(readCard(replay, id)?.fields.actie).toBe('Jongeren in beeld')
  })

  it('[S5] presence (awareness) reaches the others and leaves with the client', async () => {
    const a = client(board.tokens.participant)
    const b = client(board.tokens.observer)
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalStateField('user', { name: 'Anouk', color: '#2b5fa8' })
    const seen = () =>
      (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user
        ?.name
    await new Promise<void>((resolve) => {
      const check = () => {
        if (seen() === 'Anouk') {
          b.provider.awareness.off('change', check)
          resolve()
        }
      }
      b.provider.awareness.on('change', check)
      check()
    })
    const gone = new Promise<void>((resolve) => {
      b.provider.awareness.on('change', ({ removed }: { removed: number[] }) => {
        if (removed.includes(a.doc.clientID)) resolve()
      })
    })
    a.provider.destroy()
    await gone
  })
})

describe('joining', () => {
  it('[S8] each fresh joiner gets the board as it is now, also right after a change', async () => {
    // Fresh joiners share one encoding of the board; a change must make the next joiner's answer anew.
    const writer = client(board.tokens.participant)
    await writer.synced
    const first = client(board.tokens.observer)
    await first.synced
    const id = createCard(writer.doc, { fields: { actie: 'net gemaakt' } })
    await untilDoc(first.doc, () => readCard(first.doc, id) !== undefined)
    const second = client(board.tokens.observer)
    await second.synced
    expect(readCard(second.doc, id)?.fields.actie).toBe('net gemaakt')
    setText(writer.doc, id, 'actie', 'net veranderd')
    await untilDoc(first.doc, () => readCard(first.doc, id)?.fields.actie === 'net veranderd')
    const third = client(board.tokens.observer)
    await third.synced
    expect(readCard(third.doc, id)?.fields.actie).toBe('net veranderd')
    expect(Y.encodeStateVector(third.doc)).toEqual(Y.encodeStateVector(writer.doc))
  })
})

describe('storage hygiene', () => {
  it('[S6] a client that joins with nothing new adds nothing to the log', async () => {
    const watcher = client(board.tokens.participant)
    await watcher.synced
    const before = (await app.store.load(board.id)).updates.length
    const idle = client(board.tokens.participant)
    await idle.synced
    // A round trip through the room after the idle client's sync answer: its messages were handled.
    const id = createCard(watcher.doc, { fields: { actie: 'teken' } })
    await untilDoc(idle.doc, () => readCard(idle.doc, id) !== undefined)
    expect((await app.store.load(board.id)).updates.length).toBe(before + 1)
  })

  it('[S7] a join on a board with deletions, or a client repeating the whole board, stores nothing', async () => {
    // A stock client's sync answer carries its whole delete set; a browser's own copy may be sent whole.
    const watcher = client(board.tokens.participant)
    await watcher.synced
    const edited = createCard(watcher.doc, { fields: { actie: 'eerst dit' } })
    setText(watcher.doc, edited, 'actie', 'toen dat')
    const joiner = client(board.tokens.participant)
    await untilDoc(joiner.doc, () => readCard(joiner.doc, edited)?.fields.actie === 'toen dat')
    const before = (await app.store.load(board.id)).updates.length
    const again = client(board.tokens.participant)
    await again.synced
    const { doc } = again
    doc.transact((tr) => doc.emit('update', [Y.encodeStateAsUpdate(doc), 'own copy', doc, tr]))
    // Handled in order on that connection: once its next change is relayed, the repeat was handled too.
    const marker = createCard(doc, { fields: { actie: 'teken' } })
    await untilDoc(watcher.doc, () => readCard(watcher.doc, marker) !== undefined)
    expect((await app.store.load(board.id)).updates.length).toBe(before + 1)
  })
})

describe('access', () => {
  it('[A1] observer updates never reach the server document or other clients', async () => {
    const participant = client(board.tokens.participant)
    const observer = client(board.tokens.observer)
    const watcher = client(board.tokens.participant)
    await Promise.all([participant.synced, observer.synced, watcher.synced])
    const forbidden = createCard(observer.doc, { fields: { actie: 'mag niet' } })
    const allowed = createCard(participant.doc, { fields: { actie: 'mag wel' } })
    await untilDoc(watcher.doc, () => readCard(watcher.doc, allowed) !== undefined)
    await untilDoc(observer.doc, () => readCard(observer.doc, allowed) !== undefined)
    expect(readCard(watcher.doc, forbidden)).toBeUndefined()
    const fresh = client(board.tokens.facilitator)
    await fresh.synced
    expect(readCard(fresh.doc, allowed)).toBeDefined()
    expect(readCard(fresh.doc, forbidden)).toBeUndefined()
    const res = await fetch(
      `${app.url}/api/boards/${board.id}/export?lane=all&token=${board.tokens.facilitator}`,
    )
    const exported = (await res.json()) as { cards: { id: string }[] }
    expect(exported.cards.some((c) => c.id === forbidden)).toBe(false)
  })

  it('[A2] a wrong token and an unknown board are refused alike with 4401', async () => {
    const wrong = client('x'.repeat(32))
    const unknown = client(board.tokens.participant, 'geenbord')
    const empty = client('')
    expect(await nextCloseCode(wrong.provider)).toBe(4401)
    expect(await nextCloseCode(unknown.provider)).toBe(4401)
    expect(await nextCloseCode(empty.provider)).toBe(4401)
    expect(wrong.doc.getMap('cards').size).toBe(0)
  })

  it('[A3] awareness may only carry the sender’s own client id', async () => {
    const a = client(board.tokens.participant)
    const b = client(board.tokens.participant)
    await Promise.all([a.synced, b.synced])
    a.provider.awareness.setLocalStateField('user', { name: 'A' })
    b.provider.awareness.setLocalStateField('user', { name: 'B' })
    await untilAwareness(b, a.doc.clientID, 'A')
    await untilAwareness(a, b.doc.clientID, 'B')
    // b forges a newer state for a's client id, then sends an honest update of its own.
    const forged = encodeAwarenessEntries([
      { clientId: a.doc.clientID, clock: 1000, state: { user: { name: 'vervalst' } } },
    ])
    b.provider.ws?.send(awarenessMessage(forged))
    b.provider.awareness.setLocalStateField('user', { name: 'B2' })
    // Messages of one connection are handled in order: once B2 arrived, the forgery was handled too.
    await untilAwareness(a, b.doc.clientID, 'B2')
    const observer = client(board.tokens.observer)
    await observer.synced
    await untilAwareness(observer, b.doc.clientID, 'B2')
    expect(nameIn(observer, a.doc.clientID)).toBe('A')
    expect(nameIn(a, a.doc.clientID)).toBe('A')
  })

  it('[A4] a new connection cannot take over a client id that a live connection holds', async () => {
    const a = client(board.tokens.participant)
    await a.synced
    a.provider.awareness.setLocalStateField('user', { name: 'A' })
    const watcher = client(board.tokens.observer)
    await watcher.synced
    await untilAwareness(watcher, a.doc.clientID, 'A')
    const intruder = client(board.tokens.participant)
    await intruder.synced
    intruder.provider.ws?.send(
      awarenessMessage(
        encodeAwarenessEntries([{ clientId: a.doc.clientID, clock: 5000, state: { user: { name: 'X' } } }]),
      ),
    )
    intruder.provider.awareness.setLocalStateField('user', { name: 'I' })
    await untilAwareness(watcher, intruder.doc.clientID, 'I')
    expect(nameIn(watcher, a.doc.clientID)).toBe('A')
  })
})

function nameIn(c: TestClient, clientId: number): string | undefined {
  return (c.provider.awareness.getStates().get(clientId) as { user?: { name?: string } } | undefined)?.user
    ?.name
}

function encodeAwarenessEntries(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  return encodeAwarenessUpdate(
    entries.map((e) => ({ clientId: e.clientId, clock: e.clock, state: JSON.stringify(e.state) })),
  )
}

function untilAwareness(c: TestClient, clientId: number, name: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (nameIn(c, clientId) === name) {
        c.provider.awareness.off('change', check)
        resolve()
      }
    }
    c.provider.awareness.on('change', check)
    check()
  })
}
