/**
 * A load process: runs many stock y-websocket clients (`WebsocketProvider` 3.1 on `ws`, no
 * BroadcastChannel) for a benchmark, driven over IPC by its parent (see lib/load-protocol.ts).
 * Writers type into a card's text; each insert carries its writer, number and send time on the shared
 * monotonic clock, and every other client records how long it took to observe it.
 */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Command, ConnectCommand, Reply, RunCommand } from './lib/load-protocol.js'

interface Client {
  index: number
  doc: Y.Doc
  provider: WebsocketProvider
}

// Each WebsocketProvider adds a process 'exit' listener; hundreds of clients are expected here.
process.setMaxListeners(0)

const clients = new Map<number, Client>()
let latencies: number[] = []
/** Per update (writer and number): when it was sent and the longest any client here took to see it. */
let perUpdate = new Map<string, { sentNs: string; maxMs: number }>()
let writerLagMs: number[] = []
let written = 0
let disconnects = 0
const timers = new Set<NodeJS.Timeout>()
const TOKEN = /\[w(\d+)s(\d+)t(\d+)\]/g
const COLORS = ['#2b5fa8', '#c4572a', '#2f7d4f', '#b4478a', '#6b4fa8', '#c28a00', '#0f7c86', '#a33b3b']

const now = () => process.hrtime.bigint()

function reply(message: Reply): void {
  process.send?.(message)
}

function later(ms: number, fn: () => void): void {
  const timer = setTimeout(
    () => {
      timers.delete(timer)
      fn()
    },
    Math.max(0, ms),
  )
  timers.add(timer)
}

function observe(doc: Y.Doc): void {
  doc.getMap('cards').observeDeep((events, transaction) => {
    if (transaction.local) return
    const at = now()
    for (const event of events) {
      if (!(event.target instanceof Y.Text)) continue
      for (const op of event.delta) {
        if (typeof op.insert !== 'string') continue
        for (const match of op.insert.matchAll(TOKEN)) {
          const ms = Number(at - BigInt(match[3] as string)) / 1e6
          latencies.push(ms)
          const key = `${match[1]}:${match[2]}`
          const seen = perUpdate.get(key)
          if (!seen) perUpdate.set(key, { sentNs: match[3] as string, maxMs: ms })
          else if (ms > seen.maxMs) seen.maxMs = ms
        }
      }
    }
  })
}

async function connect(command: ConnectCommand): Promise<void> {
  const rampStart = BigInt(command.rampStart)
  const seed = command.seed ? new Uint8Array(Buffer.from(command.seed, 'base64')) : null
  const started = new Map<number, bigint>()
  const ready: Promise<number>[] = command.clients.map(
    (index, i) =>
      new Promise<number>((resolve, reject) => {
        const due = rampStart + BigInt(Math.round((index / command.total) * command.rampMs * 1e6))
        later(Number(due - now()) / 1e6, () => {
          const doc = new Y.Doc()
          if (seed) Y.applyUpdate(doc, seed)
          const begin = now()
          started.set(index, begin)
          const provider = new WebsocketProvider(command.wsUrl, command.rooms[i] as string, doc, {
            params: command.tokens[i] ? { token: command.tokens[i] as string } : {},
            WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
            disableBc: true,
          })
          if (command.presence) {
            provider.awareness.setLocalState({
              user: { name: `Deelnemer ${index + 1}`, color: COLORS[index % COLORS.length] },
            })
          }
          provider.on('connection-close', () => disconnects++)
          observe(doc)
          clients.set(index, { index, doc, provider })
          const cards = doc.getMap('cards')
          const done = () => {
            if (!provider.synced || !command.waitCards.every((id) => cards.has(id))) return false
            doc.off('update', check)
            provider.off('sync', check)
            clearTimeout(timeout)
            resolve(Number(now() - begin) / 1e6)
            return true
          }
          const check = () => void done()
          const timeout = setTimeout(
            () => reject(new Error(`client ${index} did not sync in 120 s`)),
            120_000,
          )
          doc.on('update', check)
          provider.on('sync', check)
          done()
        })
      }),
  )
  reply({ type: 'ready', connectMs: await Promise.all(ready) })
}

function run(command: RunCommand): void {
  latencies = []
  perUpdate = new Map()
  writerLagMs = []
  written = 0
  disconnects = 0
  for (const plan of command.writers) {
    const client = clients.get(plan.client)
    if (!client) continue
    const card = client.doc.getMap('cards').get(plan.cardId) as Y.Map<unknown> | undefined
    const text = card?.get('actie')
    if (!(card instanceof Y.Map) || !(text instanceof Y.Text))
      throw new Error(`card ${plan.cardId} has no text`)
    const start = BigInt(plan.start) + BigInt(Math.round(plan.phaseMs * 1e6))
    const interval = 1e9 / plan.rate
    let seq = 0
    const tick = () => {
      // Write every update that is due (one per tick normally; more when this process lags).
      while (seq < plan.count) {
        const due = start + BigInt(Math.round(seq * interval))
        const t = now()
        if (t < due) break
        writerLagMs.push(Number(t - due) / 1e6)
        client.doc.transact(() => {
          text.insert(text.length, `[w${plan.writer}s${seq}t${t}]`)
          card.set('updatedAt', Date.now())
        })
        seq++
        written++
      }
      if (seq < plan.count) {
        later(Number(start + BigInt(Math.round(seq * interval)) - now()) / 1e6, tick)
      }
    }
    later(Number(start - now()) / 1e6, tick)
  }
}

async function close(): Promise<void> {
  for (const timer of timers) clearTimeout(timer)
  timers.clear()
  const closing: Promise<void>[] = []
  for (const { doc, provider } of clients.values()) {
    const ws = provider.ws as unknown as WebSocket | null
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      closing.push(new Promise((resolve) => ws.once('close', () => resolve())))
    }
    provider.destroy()
    doc.destroy()
  }
  clients.clear()
  // Bounded: a socket whose closing handshake is not answered is given up on after 5 s.
  await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 5000))])
  reply({ type: 'closed' })
}

process.on('message', (command: Command) => {
  const failed = (error: unknown) =>
    reply({ type: 'error', message: error instanceof Error ? error.message : String(error) })
  try {
    switch (command.type) {
      case 'connect':
        connect(command).catch(failed)
        break
      case 'run':
        run(command)
        break
      case 'collect':
        reply({
          type: 'samples',
          latencies,
          perUpdate: [...perUpdate.values()],
          writerLagMs,
          written,
          disconnects,
        })
        break
      case 'close':
        close().catch(failed)
        break
      case 'exit':
        process.disconnect?.()
        process.exit(0)
    }
  } catch (error) {
    failed(error)
  }
})
process.on('disconnect', () => process.exit(0))
