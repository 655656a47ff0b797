/** Stock y-websocket clients in the benchmark's own process: room set-up and the timed late joiner. */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { cardNumbers } from '../../model/read.js'
import type { BenchServer } from './servers.js'
import { createBoard } from './servers.js'

export interface StockClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Resolves once synced and `check` holds (default: synced only); rejects after `ms`. */
  ready(check?: (doc: Y.Doc) => boolean, ms?: number): Promise<void>
  /** Destroys provider and doc; resolves when the socket has closed (at most 5 s). */
  destroy(): Promise<void>
}

/** A stock `WebsocketProvider` (y-websocket 3.1) on `ws`, without BroadcastChannel. */
export function stockClient(
  wsUrl: string,
  room: string,
  token: string | null,
  doc = new Y.Doc(),
  Polyfill: typeof WebSocket = WebSocket,
): StockClient {
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    params: token ? { token } : {},
    WebSocketPolyfill: Polyfill as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  return {
    doc,
    provider,
    ready(check = () => true, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const test = () => {
          if (!provider.synced || !check(doc)) return
          clearTimeout(timer)
          doc.off('update', test)
          provider.off('sync', test)
          resolve()
        }
        const timer = setTimeout(() => {
          doc.off('update', test)
          provider.off('sync', test)
          reject(new Error(`client did not sync within ${ms} ms`))
        }, ms)
        doc.on('update', test)
        provider.on('sync', test)
        test()
      })
    },
    async destroy() {
      const ws = provider.ws as unknown as WebSocket | null
      const closed =
        ws && ws.readyState !== WebSocket.CLOSED
          ? new Promise<void>((resolve) => ws.once('close', () => resolve()))
          : Promise.resolve()
      provider.destroy()
      doc.destroy()
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))])
    },
  }
}

export function cardCount(doc: Y.Doc): number {
  return doc.getMap('cards').size
}

/** The ids of the cards with the lowest numbers. */
export function firstCards(doc: Y.Doc, count: number): string[] {
  return [...cardNumbers(doc).entries()]
    .sort((a, b) => a[1] - b[1])
    .slice(0, count)
    .map(([id]) => id)
}

export interface PreparedRoom {
  room: string
  token: string | null
  /** Cards imported into the board (0: only the template's own). */
  imported: number
  cards: number
  /** Cards the writers type into. */
  writerCards: string[]
  /** The whole room as one update (to seed the reference server with the same document). */
  state: Uint8Array
  encodedBytes: number
}

function words(n: number, seed: number): string {
  const list = ['regionale', 'samenwerking', 'woningen', 'zorg', 'onderwijs', 'Westfriesland', 'arbeidsmarkt']
  let out = ''
  for (let i = 0; out.length < n; i++) out += `${list[(seed * 31 + i * 3) % list.length]} `
  return out.slice(0, n).trimEnd().padEnd(n, '.')
}

/**
 * The 1,000-card board of the issue: per card, the texts of its fields (actie, doel, planning, partijen)
 * are 50–200 characters each, plus a choice; ≈ 0.9 MB encoded. Deterministic.
 */
export function bigBoardCards(count: number): { fields: Record<string, unknown> }[] {
  const len = (i: number, k: number) => 50 + ((i * 37 + k * 53) % 151)
  return Array.from({ length: count }, (_, i) => {
    const planning = len(i, 2)
    const partijen = len(i, 3)
    return {
      fields: {
        actie: words(len(i, 0), i),
        doel: words(len(i, 1), i + 1),
        planning: {
          kort: words(Math.ceil(planning / 2), i + 2),
          lang: words(Math.floor(planning / 2), i + 3),
        },
        partijen: [words(Math.ceil(partijen / 2), i + 4), words(Math.floor(partijen / 2), i + 5)],
        schaalniveau: 'regionaal',
      },
    }
  })
}

/**
 * A board on our server through its API: the Pact 7.1 template (20 starting cards) for fan-out, or a
 * blank board with `cards` imported (the 1,000-card board). Writers use a participant token.
 */
export async function prepareOurs(server: BenchServer, cards: number): Promise<PreparedRoom> {
  const board = await createBoard(server.url, cards > 0 ? 'blank' : 'pact-westfriesland-7.1')
  if (cards > 0) {
    const res = await fetch(`${server.url}/api/boards/${board.id}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify(bigBoardCards(cards)),
    })
    if (!res.ok) throw new Error(`import: ${res.status} ${await res.text()}`)
  }
  const client = stockClient(server.wsUrl, board.id, board.tokens.participant)
  await client.ready((doc) => cardCount(doc) >= cards)
  const state = Y.encodeStateAsUpdate(client.doc)
  const writerCards = firstCards(client.doc, 5)
  const count = cardCount(client.doc)
  await client.destroy()
  if (writerCards.length < 5) throw new Error('the board needs at least 5 cards for the writers')
  return {
    room: board.id,
    token: board.tokens.participant,
    imported: cards,
    cards: count,
    writerCards,
    state,
    encodedBytes: state.byteLength,
  }
}

/** The same document in a room of the reference server: a client brings it, a second one checks it. */
export async function prepareReference(server: BenchServer, like: PreparedRoom): Promise<PreparedRoom> {
  const room = `bench-${Math.random().toString(36).slice(2, 10)}`
  const seed = new Y.Doc()
  Y.applyUpdate(seed, like.state)
  const seeder = stockClient(server.wsUrl, room, null, seed)
  await seeder.ready()
  const checker = stockClient(server.wsUrl, room, null)
  // The seeder's state reaches the server in its answer to the server's sync step 1.
  await checker.ready((doc) => cardCount(doc) >= like.cards)
  await Promise.all([seeder.destroy(), checker.destroy()])
  return { ...like, room, token: null }
}

export interface JoinTiming {
  /** From creating the provider to its `sync` event (document applied): what a user waits. */
  totalMs: number
  /** From creating the provider to the arrival of the server's sync step 2 (connect, load, encode, send). */
  serverMs: number
  /** From that arrival to `sync`: the client decoding and applying the document. */
  applyMs: number
}

/** A late joiner: a fresh doc and stock provider, timed until synced; checks it got every card. */
export async function timedJoin(server: BenchServer, room: PreparedRoom): Promise<JoinTiming> {
  let step2At = 0
  class TimedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols)
      // Registered before the provider's own handler, so it sees each message first.
      this.on('message', (data: ArrayBuffer | Buffer) => {
        const bytes = data instanceof ArrayBuffer ? new Uint8Array(data, 0, 2) : (data as Buffer)
        if (step2At === 0 && bytes[0] === 0 && bytes[1] === 1) step2At = performance.now()
      })
    }
  }
  const begin = performance.now()
  const client = stockClient(
    server.wsUrl,
    room.room,
    room.token,
    new Y.Doc(),
    TimedWebSocket as unknown as typeof WebSocket,
  )
  await client.ready(() => true, 30_000)
  const end = performance.now()
  const cards = cardCount(client.doc)
  await client.destroy()
  if (cards < room.cards) throw new Error(`late joiner got ${cards} of ${room.cards} cards`)
  return { totalMs: end - begin, serverMs: step2At - begin, applyMs: end - step2At }
}
