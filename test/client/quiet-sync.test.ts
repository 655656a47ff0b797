import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  applyLargeSyncsWithoutReencoding,
  applyWithoutReencoding,
} from '../../client/board/session/quietSync.js'
import { createCards, fieldText } from '../../model/cards.js'
import { exportBoard } from '../../model/export.js'
import { connectClient } from '../helpers/clients.js'
import { createBoard, startServer } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

type App = Awaited<ReturnType<typeof startServer>>

/** A board's worth of cards with texts of some length, as one update. */
function boardUpdate(cards: number): Uint8Array {
  const doc = new Y.Doc()
  createCards(
    doc,
    Array.from({ length: cards }, (_, i) => ({
      fields: { actie: `Actie ${i} ${'regionaal woonakkoord '.repeat(4)}`, doel: 'x'.repeat(200) },
    })),
  )
  return Y.encodeStateAsUpdate(doc)
}

const readable = (doc: Y.Doc) => exportBoard(doc, { lane: 'all', exportedAt: new Date(0) })

describe('a large sync is applied without Yjs encoding it again (first render, issue 9)', () => {
  it("[QS1] every 'update' listener gets the bytes as received, once, after the doc holds them; a repeat changes nothing and calls none", () => {
    const update = boardUpdate(300)
    const doc = new Y.Doc()
    const calls: { update: Uint8Array; origin: unknown; cards: number }[] = []
    const origin = { name: 'server' }
    doc.on('update', (bytes: Uint8Array, from: unknown) =>
      calls.push({ update: bytes, origin: from, cards: readable(doc).cards.length }),
    )
    let observedFirst = false
    doc.on('afterTransaction', () => {
      observedFirst ||= calls.length === 0
    })
    applyWithoutReencoding(doc, update, origin)
    expect(calls).toHaveLength(1)
    // The very bytes: nothing was encoded for the listener.
    expect(calls[0]?.update).toBe(update)
    expect(calls[0]?.origin).toBe(origin)
    expect(calls[0]?.cards).toBe(300)
    expect(observedFirst).toBe(true)
    const reference = new Y.Doc()
    Y.applyUpdate(reference, update)
    expect(readable(doc)).toEqual(readable(reference))

    applyWithoutReencoding(doc, update, origin)
    expect(calls).toHaveLength(1)
    // The listeners are back in place: an ordinary change reaches them, encoded by Yjs as usual.
    fieldText(doc, readable(doc).cards[0]?.id as string, 'actie').insert(0, 'Nu: ')
    expect(calls).toHaveLength(2)
    expect(calls[1]?.update).not.toBe(update)
  })

  it('[QS2] a listener an observer adds during the apply stays, beside those set aside', () => {
    const doc = new Y.Doc()
    const seen: string[] = []
    doc.on('update', () => seen.push('first'))
    const observer = () => {
      doc.getMap('cards').unobserve(observer)
      doc.on('update', () => seen.push('added'))
    }
    doc.getMap('cards').observe(observer)
    applyWithoutReencoding(doc, boardUpdate(3), null)
    // Each once (the added one hears Yjs's own encoding, as it would without this).
    expect([...seen].sort()).toEqual(['added', 'first'])
    doc.getMap('other').set('k', 1)
    expect(seen.slice(2)).toEqual(['first', 'added'])
  })

  describe('through the stock provider and our server', () => {
    let app: App
    beforeAll(async () => {
      app = await startServer()
    })
    afterAll(async () => {
      await app.close()
    })

    it("[QS3] a 300-card board's first sync arrives whole, unencoded, and sets synced; everyday edits take the stock path", async () => {
      const board = await createBoard(app.url, 'pact-westfriesland-7.1')
      const writer = connectClient(app.url, board.id, board.tokens.facilitator)
      await writer.synced
      createCards(
        writer.doc,
        Array.from({ length: 280 }, (_, i) => ({ fields: { actie: `Actie ${i} ${'x'.repeat(120)}` } })),
      )
      // The server holds all 300 before the reader joins (an observer sees them): its first sync is whole.
      const observer = connectClient(app.url, board.id, board.tokens.observer)
      await untilDoc(observer.doc, () => readable(observer.doc).cards.length === 300)
      observer.destroy()

      const doc = new Y.Doc()
      const large: Uint8Array[] = []
      const small: Uint8Array[] = []
      doc.on('update', (update: Uint8Array) => (update.byteLength >= 32 * 1024 ? large : small).push(update))
      const reader = new WebsocketProvider(`${app.url.replace(/^http/, 'ws')}/sync`, board.id, doc, {
        params: { token: board.tokens.participant },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        connect: false,
      })
      applyLargeSyncsWithoutReencoding(reader)
      const synced = new Promise<void>((resolve) => reader.once('sync', () => resolve()))
      const received = new Set<ArrayBufferLike>()
      reader.connect()
      reader.ws?.addEventListener('message', (event) => received.add(event.data as ArrayBuffer))
      await synced
      await untilDoc(doc, () => readable(doc).cards.length === 300)
      expect(large).toHaveLength(1)
      // The listener read the message's own bytes: Yjs did not encode the change again.
      expect(received.has((large[0] as Uint8Array).buffer)).toBe(true)
      expect(readable(doc)).toEqual(readable(writer.doc))

      const first = readable(doc).cards[0]?.id as string
      fieldText(writer.doc, first, 'actie').insert(0, 'Nu: ')
      await untilDoc(doc, () => fieldText(doc, first, 'actie').toString().startsWith('Nu: '))
      expect(large).toHaveLength(1)
      expect(small.length).toBeGreaterThan(0)
      reader.destroy()
      writer.destroy()
    })
  })
})
