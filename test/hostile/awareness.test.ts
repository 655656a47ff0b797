import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { awarenessMessage, encodeAwarenessUpdate, MessageType } from '../../server/realtime/protocol.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { once } from '../helpers/wait.js'
import { assertHealthy, figure, type Honest, heapMiB, honestPair, RawClient } from './helpers.js'

/**
 * Presence abuse. The server keeps at most one state per connection (its own client id), each at most
 * 16,384 characters of JSON, so what a new connection is sent on joining is bounded by
 * connections × 16 KiB. Heap growth over the file < 32 MiB.
 */
const MAX_STATE = 16 * 1024
const HEAP_MIB = 32

let app: Awaited<ReturnType<typeof startServer>>
let board: BoardInfo
let honest: Honest
let heapBefore: number
const raws: RawClient[] = []

beforeAll(async () => {
  // Byte limit raised so a round trip right after a 5 MB message is not held back by its cost.
  app = await startServer({ rateLimitBytes: 64 * 2 ** 20 })
  board = await createBoard(app.url, 'blank')
  honest = await honestPair(app, board)
  honest.a.provider.awareness.setLocalStateField('user', { name: 'Anouk' })
  await untilState(honest.b, honest.a.doc.clientID, (s) => s?.user?.name === 'Anouk')
  heapBefore = heapMiB()
})
afterAll(async () => {
  for (const raw of raws) raw.close()
  honest.destroy()
  await app.close()
})

async function raw(): Promise<RawClient> {
  const client = new RawClient(app.url, board.id, board.tokens.participant)
  raws.push(client)
  await client.opened
  return client
}

type State = { user?: { name?: string } } | undefined

function untilState(c: TestClient, clientId: number, check: (state: State) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const test = () => {
      if (!check(c.provider.awareness.getStates().get(clientId) as State)) return
      c.provider.awareness.off('change', test)
      resolve()
    }
    c.provider.awareness.on('change', test)
    test()
  })
}

/** The messages a brand-new connection is sent on joining: sync step 1 and (if any) one awareness message. */
async function joinMessages(): Promise<{ awarenessBytes: number; states: number }> {
  const ws = new WebSocket(
    `${app.url.replace(/^http/, 'ws')}/sync/${board.id}?token=${board.tokens.observer}`,
  )
  ws.on('error', () => {})
  const messages: Buffer[] = []
  ws.on('message', (data: Buffer) => messages.push(data))
  await once(ws as never, 'open')
  // Ask for every presence state explicitly; the answer is the same set the join message carries.
  ws.send(new Uint8Array([MessageType.queryAwareness]))
  await new Promise<void>((resolve) => {
    const check = () => {
      if (messages.filter((m) => m[0] === MessageType.awareness).length >= 2) resolve()
    }
    ws.on('message', check)
  })
  ws.terminate()
  const awareness = messages.filter((m) => m[0] === MessageType.awareness)
  const last = awareness[awareness.length - 1] as Buffer
  return { awarenessBytes: last.length, states: last[1 + varUintLength(last, 1)] as number }
}

function varUintLength(bytes: Uint8Array, at: number): number {
  let n = 1
  while ((bytes[at + n - 1] as number) & 0x80) n++
  return n
}

describe('presence abuse', () => {
  it('[H13] a 5 MB state is dropped: not relayed, not kept, not replayed to a new connection', async () => {
    const spammer = await raw()
    let largest = 0
    const watch = ({ added, updated }: { added: number[]; updated: number[] }) => {
      for (const id of [...added, ...updated]) {
        largest = Math.max(largest, JSON.stringify(honest.b.provider.awareness.getStates().get(id)).length)
      }
    }
    honest.b.provider.awareness.on('update', watch)
    const huge = JSON.stringify({ user: { name: 'x'.repeat(5 * 2 ** 20) } })
    spammer.send(
      awarenessMessage(encodeAwarenessUpdate([{ clientId: spammer.clientId, clock: 1, state: huge }])),
    )
    // Also 5 MB as 5,000 states of 1 kB, one per made-up client id: only the sender's own id counts.
    const many = Array.from({ length: 5000 }, (_, i) => ({
      clientId: 50_000_000 + i,
      clock: 1,
      state: JSON.stringify({ user: { name: 'y'.repeat(1000) } }),
    }))
    spammer.send(awarenessMessage(encodeAwarenessUpdate(many)))
    expect(await spammer.roundTrip()).toBeLessThan(1000)
    honest.b.provider.awareness.off('update', watch)
    expect(largest).toBeLessThan(MAX_STATE)
    const joined = await joinMessages()
    // Honest A, honest B (an empty state) and the spammer's small round-trip state.
    expect(joined.states).toBeLessThanOrEqual(3)
    expect(joined.awarenessBytes).toBeLessThan(2 * 1024)
    spammer.close()
    await assertHealthy(app, board, honest, 'na grote presence')
  })

  it('[H14] states for other client ids — live, departed or made up — never reach a new connection', async () => {
    const forger = await raw()
    await forger.roundTrip() // claims its own id first
    const aId = honest.a.doc.clientID
    const departed = connectClient(app.url, board.id, board.tokens.participant)
    await departed.synced
    departed.provider.awareness.setLocalStateField('user', { name: 'weg' })
    await untilState(honest.b, departed.doc.clientID, (s) => s?.user?.name === 'weg')
    const departedId = departed.doc.clientID
    departed.destroy()
    await untilState(honest.b, departedId, (s) => s === undefined)
    const forged = (clientId: number, state: unknown) => ({
      clientId,
      clock: 10_000,
      state: JSON.stringify(state),
    })
    forger.send(
      awarenessMessage(
        encodeAwarenessUpdate([
          forged(aId, { user: { name: 'vervalst' } }),
          forged(aId, null), // "A left"
          forged(departedId, { user: { name: 'spook' } }),
          ...Array.from({ length: 1000 }, (_, i) => forged(60_000_000 + i, { user: { name: 'nep' } })),
        ]),
      ),
    )
    await forger.roundTrip()
    const fresh = connectClient(app.url, board.id, board.tokens.observer)
    await fresh.synced
    await untilState(fresh, aId, (s) => s?.user?.name === 'Anouk')
    await untilState(fresh, forger.clientId, (s) => s !== undefined)
    const legitimate = [aId, honest.b.doc.clientID, forger.clientId, fresh.doc.clientID]
    const others = [...fresh.provider.awareness.getStates().keys()].filter((id) => !legitimate.includes(id))
    expect(others).toEqual([])
    expect((fresh.provider.awareness.getStates().get(aId) as State)?.user?.name).toBe('Anouk')
    fresh.destroy()
    await assertHealthy(app, board, honest, 'na vervalste presence')
  })

  it('[H15] a new connection is sent at most 16 KiB of presence per open connection', async () => {
    const fillers = await Promise.all(Array.from({ length: 20 }, () => raw()))
    // Each takes the most allowed: its marked state is just under 16,384 characters.
    const full = { user: { name: 'z'.repeat(MAX_STATE - 60) } }
    await Promise.all(fillers.map((filler) => filler.roundTrip(full)))
    const joined = await joinMessages()
    const connections = (await (await fetch(`${app.url}/healthz`)).json()) as { connections: number }
    figure('presence sent on joining, 20 full states (bytes)', joined.awarenessBytes)
    expect(joined.awarenessBytes).toBeLessThan(connections.connections * (MAX_STATE + 64))
    for (const filler of fillers) filler.close()
    await assertHealthy(app, board, honest, 'na volle presence')
    expect(heapMiB() - heapBefore).toBeLessThan(HEAP_MIB)
  })
})
