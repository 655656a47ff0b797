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
  /** PostgreSQL instead of the SQLite file (postgres://…); empty: embedded SQLite. */
  databaseUrl: string
  /** Redis as the bus between instances (redis://…); with databaseUrl, this instance joins a cluster. */
  redisUrl: string
  /** PostgreSQL connections this instance keeps at most. */
  databasePoolSize: number
  /** In a cluster, how often loaded boards are checked against PostgreSQL for updates the bus lost. */
  clusterCheckMs: number
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
    databaseUrl: env.DATABASE_URL || '',
    redisUrl: env.REDIS_URL || '',
    databasePoolSize: positive(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE'),
    clusterCheckMs: positive(env.CLUSTER_CHECK_MS, 2000, 'CLUSTER_CHECK_MS'),
  }
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
