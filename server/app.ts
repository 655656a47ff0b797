import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Registry } from 'prom-client'
import { ConnectionCounts, HourlyQuota } from './access/address-limits.js'
import { ClientAddresses } from './access/client-address.js'
import { originCheck } from './access/origins.js'
import { openBackend } from './cluster/backend.js'
import type { Config } from './config.js'
import { Exchange } from './exchange/exchange.js'
import { createApi } from './http/api.js'
import { createBoardPage } from './http/board-page.js'
import { HttpError, sendError } from './http/http.js'
import { createStatic } from './http/static.js'
import { createThemeServer, loadTheme } from './http/theme.js'
import type { Logger } from './log.js'
import { appMetrics } from './metrics.js'
import { AppendBatcher } from './realtime/append-batcher.js'
import { BoardDeleted, Rooms } from './realtime/rooms.js'
import { createSocketServer } from './realtime/sockets.js'
import { BoardFull } from './rules/board-limits.js'
import { Retention } from './storage/retention.js'
import type { BoardStore } from './storage/store.js'
import { loadTemplates } from './templates/templates.js'

export interface App {
  readonly url: string
  readonly store: BoardStore
  readonly rooms: Rooms
  /** The worker pool that renders exports and reads imports. */
  readonly exchange: Exchange
  /** Automatic deletion of inactive boards (RETENTION_DAYS). */
  readonly retention: Retention
  /** Stops accepting, tells clients, writes everything pending, compacts and closes the store. */
  close(): Promise<void>
}

/** Wires the server together: templates, store, rooms, WebSocket sync, HTTP API and static client. */
/** What tests replace: the clock of retention (default Date.now). */
export interface AppHooks {
  now?: () => number
}

/** How often the server looks for boards past RETENTION_DAYS. */
const RETENTION_SWEEP_MS = 3_600_000

export async function startApp(
  config: Config,
  log: Logger,
  store?: BoardStore,
  hooks: AppHooks = {},
): Promise<App> {
  const templates = loadTemplates(config.templatesDir)
  const theme = loadTheme(config.themeCss, config.themeAssets)
  const backend = await openBackend(config, log, store)
  const boardStore = backend.store
  const appender = new AppendBatcher(boardStore)
  const addresses = new ClientAddresses(config.trustProxy)
  const exchange = new Exchange({
    workers: config.exchangeWorkers,
    queue: config.exchangeQueue,
    timeoutMs: config.exchangeTimeoutMs,
    maxUnpackedBytes: config.maxImportUnpackedBytes,
  })
  const rooms = new Rooms({
    store: boardStore,
    appender,
    log,
    compactEvery: config.compactEvery,
    phaseGraceMs: config.phaseGraceMs,
    limits: { maxCards: config.maxBoardCards, maxBytes: config.maxBoardBytes },
    cluster: backend.cluster,
  })
  const retention = new Retention(boardStore, rooms, log, {
    days: config.retentionDays,
    now: hooks.now ?? Date.now,
    sweepEveryMs: RETENTION_SWEEP_MS,
  })
  const sockets = createSocketServer({
    store: boardStore,
    rooms,
    log,
    maxMessageBytes: config.maxMessageBytes,
    maxBufferedBytes: config.maxBufferedBytes,
    pingIntervalMs: config.pingIntervalMs,
    rateLimits: { messagesPerSecond: config.rateLimitMessages, bytesPerSecond: config.rateLimitBytes },
    perAddress: { counts: new ConnectionCounts(config.maxConnectionsPerIp), addresses },
    originAllowed: originCheck(config.allowedOrigins, config.publicUrl),
  })
  const api = createApi({
    store: boardStore,
    rooms,
    templates,
    log,
    publicUrl: config.publicUrl,
    maxBodyBytes: config.maxBodyBytes,
    tldrawLicenseKey: config.tldrawLicenseKey,
    stats: () => ({ rooms: rooms.loadedCount, connections: sockets.connectionCount }),
    metrics: Registry.merge([
      appMetrics({ rooms: () => rooms.loadedCount, connections: () => sockets.connectionCount }),
      ...(backend.metrics ? [backend.metrics] : []),
    ]),
    health: backend.health,
    exchange,
    addresses,
    boardCreateToken: config.boardCreateToken,
    metricsToken: config.metricsToken,
    createQuota: new HourlyQuota(config.boardCreatePerHour),
    maxBoardCards: config.maxBoardCards,
    retention,
  })
  const serveStatic = createStatic(config.clientDir)
  const serveTheme = createThemeServer(theme, config.clientDir)
  const boardPage = createBoardPage({
    clientDir: config.clientDir,
    store: boardStore,
    rooms,
    themeHref: theme?.href ?? null,
  })

  // Expired header and request timeouts are checked this often (Node's default is every 30 s).
  const checkEvery = Math.min(30_000, config.headersTimeoutMs)
  const server = http.createServer({ connectionsCheckingInterval: checkEvery }, async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    try {
      if (await api(req, res, url)) return
      if (await boardPage(req, res, url)) return
      if (serveTheme(req, res, url)) return
      if (serveStatic(req, res, url)) return
      throw new HttpError(404, 'Not found')
    } catch (error) {
      const httpError =
        error instanceof HttpError
          ? error
          : error instanceof BoardFull
            ? new HttpError(413, error.message)
            : error instanceof BoardDeleted
              ? new HttpError(410, 'This board was deleted')
              : new HttpError(500, 'Internal server error')
      if (!(error instanceof HttpError) && !(error instanceof BoardFull) && !(error instanceof BoardDeleted))
        log.error({ err: error, path: url.pathname }, 'request failed')
      if (res.headersSent) res.destroy()
      else sendError(res, httpError)
    }
  })
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    if (!sockets.handleUpgrade(req, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
    }
  })
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request'
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`)
    else socket.destroy()
  })
  server.headersTimeout = config.headersTimeoutMs
  server.requestTimeout = 60_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${address.port}`

  if (!hooks.now) retention.start()
  let closing: Promise<void> | undefined
  return {
    url,
    store: boardStore,
    rooms,
    exchange,
    retention,
    close() {
      closing ??= (async () => {
        await retention.stop()
        rooms.stopWarming()
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        await sockets.close()
        await exchange.close()
        await appender.drain()
        await rooms.settled()
        server.closeIdleConnections()
        const cutOff = setTimeout(() => server.closeAllConnections(), 5000)
        await stopped
        clearTimeout(cutOff)
        await backend.close()
      })()
      return closing
    },
  }
}
