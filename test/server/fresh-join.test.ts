import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createCard, fieldText } from '../../model/cards.js'
import { exportBoard } from '../../model/export.js'
import { listCards } from '../../model/read.js'
import type { App } from '../../server/app.js'
import { MessageType, SyncType, syncMessage } from '../../server/realtime/protocol.js'
import { connectClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

// `fresh=1` (docs/api.md, WebSocket sync): a client without a copy gets the whole board on join, before
// it asked; its own sync step 1 is then answered with what changed since.

let app: App
let board: BoardInfo
beforeAll(async () => {
  app = await startServer()
  board = await createBoard(app.url, 'pact-westfriesland-7.1')
})
afterAll(() => app.close())

const readable = (doc: Y.Doc) => exportBoard(doc, { lane: 'all', exportedAt: new Date(0) })

/** A bare socket that keeps every message; `until` resolves with the first message that passes. */
function rawSocket(query: string) {
  const ws = new WebSocket(
    `${app.url.replace(/^http/, 'ws')}/sync/${board.id}?token=${board.tokens.participant}${query}`,
  )
  const received: Uint8Array[] = []
  const waiting = new Set<() => void>()
  ws.on('message', (data: Buffer) => {
    received.push(new Uint8Array(data))
    for (const check of waiting) check()
  })
  const until = (test: (message: Uint8Array) => boolean) =>
    new Promise<Uint8Array>((resolve) => {
      const check = () => {
        const found = received.find(test)
        if (!found) return
        waiting.delete(check)
        resolve(found)
      }
      waiting.add(check)
      check()
    })
  return { ws, received, until, opened: new Promise<void>((resolve) => ws.once('open', () => resolve())) }
}

const isSync = (kind: number) => (message: Uint8Array) =>
  message[0] === MessageType.sync && message[1] === kind
/** The update a sync step 2 message carries. */
const payload = (message: Uint8Array) => {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}
const emptyStateVector = () => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  return encoding.toUint8Array(encoder)
}

describe('a first visit gets the whole board at once (fresh=1)', () => {
  it('[FJ1] with fresh=1 the whole board comes on join, unasked; the step 1 that follows is answered with nothing more', async () => {
    const reference = connectClient(app.url, board.id, board.tokens.observer)
    await reference.synced
    const socket = rawSocket('&fresh=1')
    const whole = await socket.until(isSync(SyncType.step2))
    const doc = new Y.Doc()
    Y.applyUpdate(doc, payload(whole))
    expect(readable(doc)).toEqual(readable(reference.doc))
    expect(listCards(doc)).toHaveLength(20)

    // A fresh provider's own step 1 (an empty state vector): the answer holds no card again.
    socket.ws.send(syncMessage(SyncType.step1, emptyStateVector()))
    const answer = await socket.until((m) => isSync(SyncType.step2)(m) && m !== whole)
    expect(answer.length).toBeLessThan(whole.length / 20)
    const before = Y.encodeStateVector(doc)
    Y.applyUpdate(doc, payload(answer))
    expect(Y.encodeStateVector(doc)).toEqual(before)
    socket.ws.close()
    reference.destroy()
  })

  it('[FJ2] without it nothing is sent before the client asks: a question it sends is answered first', async () => {
    const socket = rawSocket('')
    await socket.opened
    // Presence asked for (message type 3) is answered in order: a step 2 sent on join would come first.
    socket.ws.send(new Uint8Array([MessageType.queryAwareness]))
    await socket.until((m) => m[0] === MessageType.awareness)
    expect(socket.received.filter(isSync(SyncType.step2))).toHaveLength(0)
    socket.ws.close()
  })

  it('[FJ3] a stock provider with fresh=1 joining while another types converges, edits during its join included', async () => {
    const writer = connectClient(app.url, board.id, board.tokens.facilitator)
    await writer.synced
    const first = listCards(writer.doc)[0]?.id as string
    let typed = 0
    const typing = setInterval(() => {
      fieldText(writer.doc, first, 'doel').insert(0, `${++typed} `)
    }, 2)
    const doc = new Y.Doc()
    const reader = new WebsocketProvider(`${app.url.replace(/^http/, 'ws')}/sync`, board.id, doc, {
      params: { token: board.tokens.participant, fresh: '1' },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    })
    await new Promise<void>((resolve) => reader.once('sync', () => resolve()))
    clearInterval(typing)
    createCard(writer.doc, { fields: { actie: 'Na het typen' } })
    await untilDoc(doc, () => listCards(doc).some((card) => card.fields.actie === 'Na het typen'))
    await untilDoc(doc, () => fieldText(doc, first, 'doel').toString().startsWith(`${typed} `))
    expect(readable(doc)).toEqual(readable(writer.doc))
    reader.destroy()
    writer.destroy()
  })
})
