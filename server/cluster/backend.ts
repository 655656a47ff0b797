import { Gauge, Registry } from 'prom-client'
import type { Config } from '../config.js'
import type { Logger } from '../log.js'
import type { PostgresStore } from '../storage/postgres-store.js'
import { SqliteStore } from '../storage/sqlite-store.js'
import type { BoardStore } from '../storage/store.js'
import type { Cluster } from './cluster.js'

/** Where this instance keeps boards and how it hears of other instances. */
export interface Backend {
  store: BoardStore
  /** Present when several instances share the boards (DATABASE_URL and REDIS_URL). */
  cluster?: Cluster
  /** Metrics of the cluster wiring, when clustered. */
  metrics?: Registry
  /** Reachability of the shared services, for /healthz: e.g. { postgres: 'up', redis: 'down' }. */
  health(): Promise<Record<string, 'up' | 'down'>>
  close(): Promise<void>
}

/** How long a skipped update number may take to arrive over the bus before it is read from PostgreSQL. */
const GAP_WAIT_MS = 200

/**
 * Picks the store and bus from the settings: without DATABASE_URL the embedded SQLite file (the
 * default); with it PostgreSQL; with REDIS_URL as well, a cluster member that shares boards with every
 * other instance on the same database and Redis.
 */
export async function openBackend(config: Config, log: Logger, given?: BoardStore): Promise<Backend> {
  if (config.redisUrl && !config.databaseUrl) {
    throw new Error('REDIS_URL needs DATABASE_URL: instances share boards through PostgreSQL')
  }
  if (given || !config.databaseUrl) {
    const store = given ?? SqliteStore.open(config.dataDir)
    return { store, health: async () => ({}), close: () => store.close() }
  }
  // Loaded only when used: the embedded default does not load the PostgreSQL and Redis clients.
  const { PostgresStore } = await import('../storage/postgres-store.js')
  const store = await PostgresStore.open(config.databaseUrl, {
    poolSize: config.databasePoolSize,
    onIdleError: (error) => log.warn({ err: error }, 'PostgreSQL connection lost'),
  })
  const metrics = poolMetrics(store)
  if (!config.redisUrl) {
    return {
      store,
      metrics,
      health: async () => ({ postgres: (await store.ping()) ? 'up' : 'down' }),
      close: () => store.close(),
    }
  }
  const [{ RedisBus }, { Cluster }, { clusterRegistry }] = await Promise.all([
    import('../bus/redis-bus.js'),
    import('./cluster.js'),
    import('./metrics.js'),
  ])
  let warnedAt = 0
  const bus = await RedisBus.connect(config.redisUrl, (error) => {
    // ioredis reports every failed reconnection attempt: one line every few seconds is enough.
    if (Date.now() - warnedAt < 5000) return
    warnedAt = Date.now()
    log.warn({ err: error }, 'Redis connection error')
  }).catch(async (error) => {
    await store.close()
    throw error
  })
  const cluster = new Cluster(store, bus, log, {
    checkEveryMs: config.clusterCheckMs,
    gapWaitMs: GAP_WAIT_MS,
  })
  return {
    store,
    cluster,
    metrics: Registry.merge([metrics, clusterRegistry]),
    async health() {
      const [postgres, redis] = await Promise.all([store.ping(), bus.ping()])
      return { postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' }
    },
    async close() {
      cluster.close()
      await bus.close()
      await store.close()
    },
  }
}

/** This instance's PostgreSQL connections: open, idle, and requests waiting for one. */
function poolMetrics(store: PostgresStore): Registry {
  const registry = new Registry()
  new Gauge({
    name: 'werkbord_postgres_connections',
    help: 'PostgreSQL connections of this instance, by state (open, idle, waiting: requests queued for one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'open' }, store.pool.totalCount)
      this.set({ state: 'idle' }, store.pool.idleCount)
      this.set({ state: 'waiting' }, store.pool.waitingCount)
    },
  })
  return registry
}
