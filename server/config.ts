import os from 'node:os'
import path from 'node:path'
import { projectRoot } from './paths.js'

/** Server settings, from the environment. Documented in README.md (Configuration). */
export interface Config {
  port: number
  host: string
  dataDir: string
  /** Where the built client lives (served as static files). */
  clientDir: string
  templatesDir: string
  /** Base URL for links handed out on board creation; derived from the request's Host when empty. */
  publicUrl: string
  /** Largest WebSocket message accepted, in bytes. */
  maxMessageBytes: number
  /** Largest HTTP request body accepted, in bytes. */
  maxBodyBytes: number
  /** Updates in a board's log that trigger compaction into its snapshot. */
  compactEvery: number
  /** After a phase change, participants' changes that the previous phase allowed are accepted this long. */
  phaseGraceMs: number
  /** Bytes queued for one socket before it is considered too slow and disconnected. */
  maxBufferedBytes: number
  /** Messages per second one WebSocket connection may send (2 s of burst); 0: no limit. */
  rateLimitMessages: number
  /** Bytes per second one WebSocket connection may send, answers it asks for included; 0: no limit. */
  rateLimitBytes: number
  /** Interval of the WebSocket keep-alive ping; a socket that has not answered by the next one is cut off. */
  pingIntervalMs: number
  /** Time a client has to send its request headers (also upgrades) before the connection is closed. */
  headersTimeoutMs: number
  logLevel: string
  /** tldraw licence key handed to the browser; without it the canvas only runs on http/localhost. */
  tldrawLicenseKey: string
  /** Secret that `POST /api/boards` needs as a Bearer token; empty: only requests from this machine. */
  boardCreateToken: string
  /** Boards one client address may create per hour (a bucket of this size, refilled over the hour); 0: no limit. */
  boardCreatePerHour: number
  /** Open WebSocket connections one client address may hold; 0: no limit. */
  maxConnectionsPerIp: number
  /** Cards one board may hold (deleted ones included); 0: no limit. */
  maxBoardCards: number
  /** Bytes one board may take in storage (snapshot plus log); 0: no limit. */
  maxBoardBytes: number
  /** Worker threads that render exports and read imports, off the event loop. */
  exchangeWorkers: number
  /** Exports and imports waiting for a worker beyond which new ones are refused (503). */
  exchangeQueue: number
  /** Longest an export or import may run in its worker before it is stopped (503). */
  exchangeTimeoutMs: number
  /** Largest total an XLSX import may unpack to (413 beyond). */
  maxImportUnpackedBytes: number
  /** Origins (scheme://host[:port]) browsers may open WebSockets from; empty: PUBLIC_URL's, else the request's host. */
  allowedOrigins: string[]
  /** Secret that `GET /metrics` needs as a Bearer token; empty: only requests from this machine. */
  metricsToken: string
  /** Addresses of reverse proxies whose X-Forwarded-For is believed for the client's address. */
  trustProxy: string[]
  /** PostgreSQL instead of the SQLite file (postgres://…); empty: embedded SQLite. */
  databaseUrl: string
  /** Redis as the bus between instances (redis://…); with databaseUrl, this instance joins a cluster. */
  redisUrl: string
  /** PostgreSQL connections this instance keeps at most. */
  databasePoolSize: number
  /** In a cluster, how often loaded boards are checked against PostgreSQL for updates the bus lost. */
  clusterCheckMs: number
  /** Days without activity after which a board is deleted (server/storage/retention.ts); 0: never. */
  retentionDays: number
  /** The organisation's design-token CSS (NL Design System tokens), linked after the app's CSS; empty: none. */
  themeCss: string
  /** A folder of files the theme's CSS refers to (fonts, logos), served under /theme-assets/; empty: none. */
  themeAssets: string
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  return {
    port: int(env.PORT, 8080, 'PORT'),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(cwd, env.DATA_DIR || 'data'),
    clientDir: path.resolve(cwd, env.CLIENT_DIR || path.join(projectRoot, 'dist/client')),
    templatesDir: path.resolve(cwd, env.TEMPLATES_DIR || path.join(projectRoot, 'templates')),
    publicUrl: (env.PUBLIC_URL || '').replace(/\/+$/, ''),
    maxMessageBytes: int(env.MAX_MESSAGE_BYTES, 8 * 1024 * 1024, 'MAX_MESSAGE_BYTES'),
    maxBodyBytes: int(env.MAX_BODY_BYTES, 16 * 1024 * 1024, 'MAX_BODY_BYTES'),
    compactEvery: int(env.COMPACT_EVERY, 500, 'COMPACT_EVERY'),
    phaseGraceMs: int(env.PHASE_GRACE_MS, 3000, 'PHASE_GRACE_MS'),
    maxBufferedBytes: int(env.MAX_BUFFERED_BYTES, 32 * 1024 * 1024, 'MAX_BUFFERED_BYTES'),
    rateLimitMessages: int(env.RATE_LIMIT_MESSAGES, 200, 'RATE_LIMIT_MESSAGES'),
    rateLimitBytes: int(env.RATE_LIMIT_BYTES, 1024 * 1024, 'RATE_LIMIT_BYTES'),
    pingIntervalMs: positive(env.PING_INTERVAL_MS, 30_000, 'PING_INTERVAL_MS'),
    headersTimeoutMs: positive(env.HEADERS_TIMEOUT_MS, 20_000, 'HEADERS_TIMEOUT_MS'),
    logLevel: env.LOG_LEVEL || 'info',
    tldrawLicenseKey: env.TLDRAW_LICENSE_KEY || '',
    boardCreateToken: env.BOARD_CREATE_TOKEN || '',
    boardCreatePerHour: int(env.BOARDS_PER_HOUR, 30, 'BOARDS_PER_HOUR'),
    maxConnectionsPerIp: int(env.SOCKETS_PER_IP, 300, 'SOCKETS_PER_IP'),
    maxBoardCards: int(env.MAX_BOARD_CARDS, 5000, 'MAX_BOARD_CARDS'),
    maxBoardBytes: int(env.MAX_BOARD_BYTES, 32 * 1024 * 1024, 'MAX_BOARD_BYTES'),
    exchangeWorkers: positive(env.EXCHANGE_WORKERS, defaultWorkers(), 'EXCHANGE_WORKERS'),
    exchangeQueue: int(env.EXCHANGE_QUEUE, 16, 'EXCHANGE_QUEUE'),
    exchangeTimeoutMs: positive(env.EXCHANGE_TIMEOUT_MS, 60_000, 'EXCHANGE_TIMEOUT_MS'),
    maxImportUnpackedBytes: positive(env.MAX_UNPACKED_BYTES, 64 * 1024 * 1024, 'MAX_UNPACKED_BYTES'),
    allowedOrigins: list(env.ALLOWED_ORIGINS).map((origin) => origin.replace(/\/+$/, '').toLowerCase()),
    metricsToken: env.METRICS_TOKEN || '',
    trustProxy: list(env.TRUST_PROXY),
    databaseUrl: env.DATABASE_URL || '',
    redisUrl: env.REDIS_URL || '',
    databasePoolSize: positive(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE'),
    clusterCheckMs: positive(env.CLUSTER_CHECK_MS, 2000, 'CLUSTER_CHECK_MS'),
    retentionDays: int(env.RETENTION_DAYS, 180, 'RETENTION_DAYS'),
    themeCss: env.THEME_CSS ? path.resolve(cwd, env.THEME_CSS) : '',
    themeAssets: env.THEME_ASSETS ? path.resolve(cwd, env.THEME_ASSETS) : '',
  }
}

/** One worker fewer than the cores (the event loop keeps one), at least one, at most four. */
function defaultWorkers(): number {
  return Math.min(4, Math.max(1, os.availableParallelism() - 1))
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${value}"`)
  return n
}

function positive(value: string | undefined, fallback: number, name: string): number {
  const n = int(value, fallback, name)
  if (n === 0) throw new Error(`${name} must be a whole number ≥ 1, got "${value}"`)
  return n
}
