import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { nanoid } from 'nanoid'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { type Access, grant, tokenOf } from '../access/access.js'
import type { ConnectionCounts } from '../access/address-limits.js'
import type { ClientAddresses } from '../access/client-address.js'
import type { Logger } from '../log.js'
import { rejected, traffic } from '../metrics.js'
import type { BoardStore } from '../storage/store.js'
import { CloseCode } from './protocol.js'
import { type RateLimits, Throttle } from './rate-limit.js'
import type { Connection, JoinOptions, Withdrawn } from './room.js'
import { BoardDeleted, type Rooms } from './rooms.js'

export interface SocketOptions {
  store: BoardStore
  rooms: Rooms
  log: Logger
  maxMessageBytes: number
  maxBufferedBytes: number
  /** Interval of the keep-alive ping; a socket that missed a whole interval is dropped. */
  pingIntervalMs?: number
  /** Per-connection limits on incoming messages (see rate-limit.ts); none when absent. */
  rateLimits?: RateLimits
  /** Open connections per client address (address-limits.ts), and how to tell the address; none when absent. */
  perAddress?: { counts: ConnectionCounts; addresses: ClientAddresses }
  /** Whether the page a browser upgrades from may connect (origins.ts); all when absent. */
  originAllowed?: (request: IncomingMessage) => boolean
}

const SYNC_PATH = /^\/sync\/([^/]+)$/

/**
 * The WebSocket side: `/sync/<boardId>?token=…` upgrades, authenticates, and joins the board's room.
 * Wrong tokens and unknown boards both get close code 4401 right after the upgrade, so a browser can
 * tell "bad link" from "network trouble".
 */
export function createSocketServer(options: SocketOptions) {
  const { log, rooms } = options
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
  })
  const alive = new WeakSet<WebSocket>()

  const ping = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate()
        continue
      }
      alive.delete(ws)
      ws.ping()
    }
  }, options.pingIntervalMs ?? 30_000)
  ping.unref()

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const match = SYNC_PATH.exec(url.pathname)
    if (!match) return false
    if (options.originAllowed && !options.originAllowed(request)) {
      log.info({ reason: 'origin' }, 'socket refused')
      rejected.inc({ reason: 'origin' })
      refuse(socket, '403 Forbidden')
      return true
    }
    const perAddress = options.perAddress
    if (perAddress) {
      const address = perAddress.addresses.of(request)
      if (!perAddress.counts.acquire(address)) {
        log.warn({ reason: 'connections per address' }, 'socket refused')
        rejected.inc({ reason: 'connection-limit' })
        refuse(socket, '429 Too Many Requests')
        return true
      }
      socket.once('close', () => perAddress.counts.release(address))
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      alive.add(ws)
      ws.on('pong', () => alive.add(ws))
      void accept(
        ws,
        decodeURIComponentSafe(match[1] as string),
        tokenOf(url, request.headers.authorization),
        {
          // Our client on its first visit: it has no copy, and is sent the whole board at once (Room.join).
          fresh: url.searchParams.get('fresh') === '1',
        },
      )
    })
    return true
  }

  async function accept(
    ws: WebSocket,
    boardId: string,
    token: string | null,
    join: JoinOptions,
  ): Promise<void> {
    // Every message passes the connection's rate limit first. Messages that arrive while we authenticate
    // and load are kept, in order, until the room is ready.
    const early: [RawData, boolean][] = []
    let sink = (data: RawData, isBinary: boolean) => {
      early.push([data, isBinary])
    }
    const throttle = new Throttle<[RawData, boolean]>(options.rateLimits ?? NO_LIMITS, {
      pause: () => {
        rejected.inc({ reason: 'rate-limited' }) // held back, not refused: counted each time it is paused
        ws.pause()
      },
      resume: () => ws.resume(),
      size: ([data]) => byteLength(data),
      deliver: ([data, isBinary]) => sink(data, isBinary),
    })
    let closed = false
    ws.on('message', (data, isBinary) => throttle.push([data, isBinary]))
    ws.on('close', () => {
      closed = true
      throttle.close()
    })
    ws.on('error', (error) => log.warn({ reason: error.message }, 'socket error'))

    let access: Awaited<ReturnType<typeof grant>>
    try {
      access = await grant(options.store, boardId, token)
    } catch (error) {
      log.error({ err: error }, 'authorization failed')
      ws.close(CloseCode.serverError, 'server error')
      return
    }
    if (typeof access === 'string') {
      log.info({ reason: access }, 'socket refused')
      rejected.inc({ reason: 'unauthorized' })
      ws.close(CloseCode.unauthorized, access === 'shared-link-off' ? 'shared link off' : 'unauthorized')
      return
    }
    const { role } = access
    const connection = socketConnection(ws, access, options.maxBufferedBytes, log, throttle)
    let room: Awaited<ReturnType<Rooms['acquire']>>
    try {
      room = await rooms.acquire(boardId)
    } catch (error) {
      if (error instanceof BoardDeleted) {
        ws.close(CloseCode.boardDeleted, 'board deleted')
        return
      }
      log.error({ err: error, board: boardId }, 'loading board failed')
      ws.close(CloseCode.serverError, 'board could not be loaded')
      return
    }
    if (closed) {
      rooms.release(boardId)
      return
    }
    room.join(connection, join)
    log.info({ board: boardId, conn: connection.id, role }, 'joined')
    if (role === 'participant') void recheck(room, boardId, token as string, access)
    const deliver = (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        log.warn(
          { board: boardId, conn: connection.id, reason: 'text frame' },
          'closing connection: bad message',
        )
        rejected.inc({ reason: 'text-frame' })
        connection.close(CloseCode.badMessage, 'text frames are not part of the protocol')
        room.leave(connection)
        return
      }
      try {
        const bytes = toBytes(data)
        traffic.received(bytes.byteLength)
        room.receive(connection, bytes)
      } catch (error) {
        log.error({ err: error, board: boardId, conn: connection.id }, 'closing connection: message failed')
        connection.close(CloseCode.serverError, 'server error')
        room.leave(connection)
      }
    }
    sink = deliver
    ws.on('close', (code) => {
      room.leave(connection)
      rooms.release(boardId)
      log.info({ board: boardId, conn: connection.id, code }, 'left')
    })
    for (const [data, isBinary] of early) deliver(data, isBinary)
  }

  /**
   * A personal invitation's first join is recorded; and access withdrawn while this connection was
   * being let in (revoked, shared link switched off) closes it, as it would have closed it once in.
   */
  async function recheck(
    room: { disconnectWhere: (w: Withdrawn) => number },
    boardId: string,
    token: string,
    access: Access,
  ): Promise<void> {
    try {
      if (access.invitation)
        await options.store.markInvitationJoined(boardId, access.invitation.id, Date.now())
      const now = await grant(options.store, boardId, token)
      if (typeof now !== 'string') return
      room.disconnectWhere(access.invitation ? { invitation: access.invitation.id } : { sharedLink: true })
    } catch (error) {
      log.warn({ err: error, board: boardId }, 'checking an invitation failed')
    }
  }

  return {
    handleUpgrade,
    get connectionCount() {
      return wss.clients.size
    },
    /** Tells every client we are going away; they reconnect to the next instance. */
    async close(): Promise<void> {
      clearInterval(ping)
      for (const ws of wss.clients) ws.close(CloseCode.goingAway, 'server shutting down')
      // Clients that do not finish the closing handshake in time are cut off.
      const cutOff = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate()
      }, 3000)
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      clearTimeout(cutOff)
    },
  }
}

function socketConnection(
  ws: WebSocket,
  { role, invitation }: Access,
  maxBuffered: number,
  log: Logger,
  throttle: Throttle<unknown>,
): Connection {
  const id = nanoid(10)
  return {
    id,
    role,
    invitation,
    charge: (bytes) => throttle.charge(bytes),
    send(message) {
      if (ws.readyState !== ws.OPEN) return
      if (ws.bufferedAmount > maxBuffered) {
        // A close frame would wait behind the full buffer: cut the socket (the client sees 1006 and
        // reconnects, then syncs what it missed).
        log.warn({ conn: id, buffered: ws.bufferedAmount }, 'dropping slow connection')
        rejected.inc({ reason: 'slow-consumer' })
        ws.terminate()
        return
      }
      traffic.sent(message.byteLength)
      ws.send(message)
    },
    close(code, reason) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason)
    },
  }
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

const NO_LIMITS: RateLimits = { messagesPerSecond: 0, bytesPerSecond: 0 }

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.byteLength, 0)
  return data.byteLength
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return ''
  }
}
