import { monitorEventLoopDelay } from 'node:perf_hooks'
import v8 from 'node:v8'
import { runInNewContext } from 'node:vm'
import { expect } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { createCard } from '../../model/cards.js'
import { listCards, readCard } from '../../model/read.js'
import type { App } from '../../server/app.js'
import {
  awarenessMessage,
  encodeAwarenessUpdate,
  MessageType,
  parseAwarenessUpdate,
} from '../../server/realtime/protocol.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import type { BoardInfo } from '../helpers/server.js'
import { once, untilDoc } from '../helpers/wait.js'

v8.setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

/** Heap in use after a full garbage collection, in MiB. */
export function heapMiB(): number {
  collect()
  collect()
  return process.memoryUsage().heapUsed / 2 ** 20
}

/** Two stock clients on the board, used to prove it still works for honest people. */
export interface Honest {
  a: TestClient
  b: TestClient
  destroy(): void
}

export async function honestPair(app: App, board: BoardInfo): Promise<Honest> {
  const a = connectClient(app.url, board.id, board.tokens.participant)
  const b = connectClient(app.url, board.id, board.tokens.participant)
  await Promise.all([a.synced, b.synced])
  return {
    a,
    b,
    destroy() {
      a.destroy()
      b.destroy()
    },
  }
}

/** What a board holds, as compared by the tests: every card (deleted ones too) and the meta map. */
export function boardContent(doc: Y.Doc): unknown {
  return { cards: listCards(doc, { includeDeleted: true }), meta: doc.getMap('meta').toJSON() }
}

/**
 * The checks every hostile case ends with: the server answers HTTP and accepts a new connection; a
 * fresh client receives the board exactly as the honest clients have it, with nothing pending; and
 * the two honest clients still exchange an edit within 2 s.
 */
export async function assertHealthy(
  app: App,
  board: BoardInfo,
  honest: Honest,
  label: string,
): Promise<void> {
  const health = await fetch(`${app.url}/healthz`)
  expect(health.status).toBe(200)
  const id = createCard(honest.a.doc, { fields: { actie: label } })
  await untilDoc(honest.b.doc, () => readCard(honest.b.doc, id)?.fields.actie === label, 2000, label)
  const fresh = connectClient(app.url, board.id, board.tokens.observer)
  try {
    await fresh.synced
    await untilDoc(fresh.doc, () => readCard(fresh.doc, id) !== undefined, 2000, `${label} (fresh client)`)
    expect(boardContent(fresh.doc)).toEqual(boardContent(honest.a.doc))
    expect(fresh.doc.store.pendingStructs).toBeNull()
    expect(fresh.doc.store.pendingDs).toBeNull()
  } finally {
    fresh.destroy()
  }
}

/** Measures the longest event-loop stall (this process runs the server) while `fn` runs, in ms. */
export async function longestStall<T>(fn: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 })
  histogram.enable()
  try {
    const result = await fn()
    return { result, stallMs: histogram.max / 1e6 }
  } finally {
    histogram.disable()
  }
}

/** A raw WebSocket speaking the sync protocol byte by byte, for sending what no stock client would. */
export class RawClient {
  readonly ws: WebSocket
  readonly clientId = 1_000_000 + Math.floor(Math.random() * 1_000_000)
  readonly opened: Promise<void>
  readonly closed: Promise<number>
  /** Every message the server sent, in order. */
  readonly received: Uint8Array[] = []
  private clock = 0
  private listeners = new Set<() => void>()

  constructor(url: string, boardId: string, token: string) {
    this.ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${boardId}?token=${token}`)
    this.ws.binaryType = 'nodebuffer'
    this.ws.on('error', () => {})
    this.opened = once(this.ws as never, 'open').then(() => {})
    this.closed = new Promise((resolve) => this.ws.once('close', (code: number) => resolve(code)))
    this.ws.on('message', (data: Buffer) => {
      this.received.push(new Uint8Array(data))
      for (const listener of this.listeners) listener()
    })
  }

  send(message: Uint8Array): void {
    this.ws.send(message)
  }

  /**
   * Sends a marked awareness state of its own (`state` plus the marker) and resolves when the server
   * echoes it back. Messages of one connection are handled in order, so everything sent before has
   * been handled by then.
   */
  async roundTrip(state: Record<string, unknown> = {}, ms = 10_000): Promise<number> {
    const started = performance.now()
    const marker = `rt-${++this.clock}`
    const echoed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check)
        reject(new Error(`no echo of ${marker} within ${ms} ms`))
      }, ms)
      const check = () => {
        const last = this.received[this.received.length - 1] as Uint8Array
        if (last[0] !== MessageType.awareness) return
        const entries = parseAwarenessUpdate(last.subarray(awarenessPayloadStart(last)))
        if (!entries.some((entry) => entry.clientId === this.clientId && entry.state.includes(marker))) return
        clearTimeout(timer)
        this.listeners.delete(check)
        resolve()
      }
      this.listeners.add(check)
    })
    this.send(
      awarenessMessage(
        encodeAwarenessUpdate([
          { clientId: this.clientId, clock: this.clock, state: JSON.stringify({ ...state, marker }) },
        ]),
      ),
    )
    await echoed
    return performance.now() - started
  }

  close(): void {
    this.ws.terminate()
  }
}

/** Offset of the awareness update inside an awareness message (after the type and the length). */
function awarenessPayloadStart(message: Uint8Array): number {
  let i = 1
  while ((message[i] as number) & 0x80) i++
  return i + 1
}

/**
 * The board as its stored snapshot and log rebuild it, the way a room loads it: every stored update
 * must apply, and parts that depend on something never stored are left out (as the room does).
 */
export async function replayStored(app: App, boardId: string): Promise<Y.Doc> {
  const stored = await app.store.load(boardId)
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const { update } of stored.updates) Y.applyUpdate(doc, update)
  doc.store.pendingStructs = null
  doc.store.pendingDs = null
  return doc
}

/** Prints a measured figure when HOSTILE_FIGURES is set (for the report; tests assert the bounds). */
export function figure(name: string, value: number | string): void {
  if (process.env.HOSTILE_FIGURES)
    console.log(`[figure] ${name}: ${typeof value === 'number' ? Math.round(value * 10) / 10 : value}`)
}
