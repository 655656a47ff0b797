import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { upgradeRequest } from '../helpers/upgrade.js'
import { once } from '../helpers/wait.js'
import { assertHealthy, figure, type Honest, heapMiB, honestPair } from './helpers.js'

/**
 * Connection churn. For the cases that watch reaping, the header timeout and the keep-alive ping are
 * set low (1 s, 500 ms); in production they are 20 s and 30 s (HEADERS_TIMEOUT_MS, PING_INTERVAL_MS). Bounds: everything opened is reaped within 5 s of being abandoned; the heap
 * returns to within 16 MiB of where it was; 1,000 loaded rooms cost less than 96 MiB of heap.
 */
const REAP_MS = 5000
const HEAP_RETURN_MIB = 16
const ROOMS_HEAP_MIB = 96

let app: Awaited<ReturnType<typeof startServer>>
let board: BoardInfo
let honest: Honest
let port: number

/** Each case has its own server: the short timeouts of one must not cut off the clients of another. */
async function start(overrides: Parameters<typeof startServer>[0] = {}): Promise<void> {
  app = await startServer(overrides)
  port = Number(new URL(app.url).port)
  board = await createBoard(app.url, 'blank')
  honest = await honestPair(app, board)
}
afterEach(async () => {
  honest.destroy()
  await app.close()
})

/** What the server holds when only the honest pair is connected: their board and their two sockets. */
const IDLE = { rooms: 1, connections: 2 }

async function health(): Promise<{ rooms: number; connections: number }> {
  return (await (await fetch(`${app.url}/healthz`)).json()) as { rooms: number; connections: number }
}

/**
 * Waits until the server's own counts come back to `expected`. There is no event for "the server has
 * processed the close of a socket", so this polls /healthz (every 20 ms, bounded by REAP_MS).
 */
async function untilHealth(expected: { rooms: number; connections: number }, ms = REAP_MS): Promise<void> {
  const deadline = performance.now() + ms
  let last = await health()
  while (last.rooms !== expected.rooms || last.connections !== expected.connections) {
    if (performance.now() > deadline) {
      throw new Error(`server still reports ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
    last = await health()
  }
}

const syncUrl = (boardId: string, token: string) =>
  `${app.url.replace(/^http/, 'ws')}/sync/${boardId}?token=${token}`

/** Opens a socket, waits until the server has joined it to the room (its sync step 1), and closes it. */
async function cycle(boardId: string, token: string): Promise<void> {
  const ws = new WebSocket(syncUrl(boardId, token))
  ws.on('error', () => {})
  await once(ws as never, 'message')
  const closed = once(ws as never, 'close')
  ws.close()
  await closed
}

/** Runs `task` for 0 … count − 1, at most `parallel` at a time. */
async function pool(count: number, parallel: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await task(next++)
    }),
  )
}

/** A raw TCP connection to the server, reading (and ignoring) what it is sent; `closed` when it hangs up. */
function rawSocket(): { socket: net.Socket; connected: Promise<void>; closed: Promise<void> } {
  const socket = net.connect(port, '127.0.0.1')
  socket.on('error', () => {})
  socket.resume()
  const connected = once(socket as never, 'connect').then(() => {})
  const closed = once(socket as never, 'close', () => true, REAP_MS + 5000).then(() => {})
  return { socket, connected, closed }
}

describe('connection churn', () => {
  it('[H16] 500 connect/disconnect cycles leave no socket and no room behind', async () => {
    await start()
    const baseline = IDLE
    await untilHealth(baseline)
    const heap = heapMiB()
    const other = await createBoard(app.url, 'blank')
    await pool(500, 10, (i) =>
      i % 2 ? cycle(board.id, board.tokens.participant) : cycle(other.id, other.tokens.observer),
    )
    await untilHealth(baseline)
    await app.rooms.settled()
    expect(heapMiB() - heap).toBeLessThan(HEAP_RETURN_MIB)
    await assertHealthy(app, board, honest, 'na 500 keer in en uit')
  })

  it('[H17] 100 half-open HTTP requests (plain and upgrades) are closed by the header timeout', async () => {
    await start({ headersTimeoutMs: 1000 })
    const baseline = IDLE
    await untilHealth(baseline)
    const sockets = Array.from({ length: 100 }, (_, i) => {
      const raw = rawSocket()
      void raw.connected.then(() => {
        if (i % 3 === 0) return // says nothing at all
        if (i % 3 === 1)
          raw.socket.write('GET /api/templates HTTP/1.1\r\nHost: x\r\n') // headers never end
        else {
          raw.socket.write(
            `GET /sync/${board.id}?token=${board.tokens.participant} HTTP/1.1\r\nUpgrade: websocket\r\n`,
          )
        }
      })
      return raw
    })
    await Promise.all(sockets.map((raw) => raw.connected))
    // While they hang, the server still serves everyone else.
    await assertHealthy(app, board, honest, 'tijdens halfopen verbindingen')
    const started = performance.now()
    await Promise.all(sockets.map((raw) => raw.closed))
    expect(performance.now() - started).toBeLessThan(REAP_MS)
    await untilHealth(baseline)
  })

  it('[H18] 100 silent upgraded sockets (never read, never answer pings) are cut off by the keep-alive', async () => {
    await start({ pingIntervalMs: 500 })
    const baseline = IDLE
    await untilHealth(baseline)
    const sockets = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const raw = rawSocket()
        await raw.connected
        const answered = once(raw.socket as never, 'data')
        raw.socket.write(upgradeRequest(port, `/sync/${board.id}?token=${board.tokens.participant}`))
        const [response] = (await answered) as unknown as [Buffer]
        expect(response.toString('latin1')).toMatch(/^HTTP\/1\.1 101/)
        raw.socket.pause() // from now on it reads nothing and answers no ping
        return raw
      }),
    )
    const started = performance.now()
    await untilHealth(baseline)
    expect(performance.now() - started).toBeLessThan(REAP_MS)
    for (const raw of sockets) raw.socket.destroy()
    await assertHealthy(app, board, honest, 'na stille sockets')
  })

  it('[H19] 1,000 rooms opened at once and left are all unloaded, and the memory comes back', {
    timeout: 60_000,
  }, async () => {
    // 1,000 boards and sockets from one address: the per-address limits ([SL2], [SL3]) are lifted here.
    await start({ boardCreatePerHour: 0, maxConnectionsPerIp: 0 })
    const baseline = IDLE
    await untilHealth(baseline)
    const boards: BoardInfo[] = []
    const creating = performance.now()
    await pool(1000, 20, async () => {
      boards.push(await createBoard(app.url, 'blank'))
    })
    figure('1000 boards created in (ms)', performance.now() - creating)
    const opening = performance.now()
    const heap = heapMiB()
    const sockets: WebSocket[] = []
    await pool(1000, 50, async (i) => {
      const b = boards[i] as BoardInfo
      const ws = new WebSocket(syncUrl(b.id, b.tokens.participant))
      ws.on('error', () => {})
      sockets.push(ws)
      await once(ws as never, 'message') // joined: the room is loaded
    })
    figure('1000 rooms opened in (ms)', performance.now() - opening)
    const open = await health()
    expect(open.rooms).toBe(baseline.rooms + 1000)
    expect(app.rooms.loadedCount).toBe(baseline.rooms + 1000)
    const loadedHeap = heapMiB() - heap
    figure('heap of 1000 loaded rooms (MiB)', loadedHeap)
    expect(loadedHeap).toBeLessThan(ROOMS_HEAP_MIB)
    await Promise.all(
      sockets.map((ws) => {
        const closed = once(ws as never, 'close')
        ws.close()
        return closed
      }),
    )
    const leaving = performance.now()
    await untilHealth(baseline, 3 * REAP_MS) // 1,000 unloads, each compacting its board
    await app.rooms.settled()
    figure('1000 rooms unloaded after (ms)', performance.now() - leaving)
    expect(app.rooms.loadedCount).toBe(baseline.rooms)
    figure('heap after they left, vs before (MiB)', heapMiB() - heap)
    expect(heapMiB() - heap).toBeLessThan(HEAP_RETURN_MIB)
    await assertHealthy(app, board, honest, 'na 1000 kamers')
  })
})
