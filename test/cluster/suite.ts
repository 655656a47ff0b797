import { afterAll, afterEach, beforeAll } from 'vitest'
import type { App } from '../../server/app.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import { startServer } from '../helpers/server.js'
import { type Postgres, startPostgres } from '../services/postgres.js'
import { type RedisServer, startRedis } from '../services/redis.js'

type ServerOptions = Parameters<typeof startServer>[0]

/**
 * What a cluster test file needs: one throwaway PostgreSQL and one Redis for the file, instances (in this
 * process) on a fresh database of it, and stock y-websocket clients. Clients and instances stop after
 * each test, the services after the file.
 */
export function clusterSuite() {
  let postgres: Postgres | undefined
  let redis: RedisServer | undefined
  const apps: App[] = []
  const clients: TestClient[] = []
  beforeAll(async () => {
    ;[postgres, redis] = await Promise.all([startPostgres(), startRedis()])
  }, 60_000)
  afterAll(async () => {
    postgres?.destroy()
    await redis?.destroy()
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await Promise.all(apps.splice(0).map((app) => app.close()))
  })
  const started = <T>(service: T | undefined): T => {
    if (!service) throw new Error('the cluster services are not running (used outside a test?)')
    return service
  }
  return {
    /** The Redis all instances of this file share. */
    redisUrl: () => started(redis).url,
    /** `n` instances on a new database; they stop after the test. */
    async instances(n: number, options: Partial<NonNullable<ServerOptions>> = {}) {
      const databaseUrl = await started(postgres).createDatabase()
      const apps_ = await Promise.all(
        Array.from({ length: n }, () =>
          startServer({ databaseUrl, redisUrl: started(redis).url, ...options }),
        ),
      )
      apps.push(...apps_)
      return { databaseUrl, apps: apps_ }
    },
    /** A stock y-websocket client; it stops after the test. */
    client(url: string, boardId: string, token: string): TestClient {
      const c = connectClient(url, boardId, token)
      clients.push(c)
      return c
    },
  }
}
