import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { listCards } from '../../model/read.js'
import { CloseCode } from '../../server/realtime/protocol.js'
import { PostgresStore } from '../../server/storage/postgres-store.js'
import {
  assertConverges,
  Fleet,
  missingFrom,
  random,
  reaches,
  unionStateVector,
  untilAgreed,
} from '../crash/fleet.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import { randomOp } from '../helpers/random-ops.js'
import { type ChildServer, createBoard, startChildServer, tempDir } from '../helpers/server.js'
import { once, untilDoc } from '../helpers/wait.js'
import { type Nginx, startNginx } from '../services/nginx.js'
import { freePort } from '../services/ports.js'
import { type Postgres, startPostgres } from '../services/postgres.js'
import { type RedisServer, startRedis } from '../services/redis.js'

/**
 * Werkbord as it is deployed at scale: three instances (separate processes) on one PostgreSQL and one
 * Redis, behind nginx running the configuration shipped in deploy/nginx/werkbord.conf. Stock
 * y-websocket clients connect through nginx only, and the tests break one part at a time.
 */
const CREATE_TOKEN = 'cluster-test-board-creation'
const CREATE_HEADERS = { authorization: `Bearer ${CREATE_TOKEN}` }
let pg: Postgres
let redis: RedisServer
beforeAll(async () => {
  ;[pg, redis] = await Promise.all([startPostgres(), startRedis()])
}, 60_000)
afterAll(async () => {
  pg?.destroy()
  await redis?.destroy()
})

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

interface Deployment {
  databaseUrl: string
  instances: ChildServer[]
  nginx: Nginx
}

async function deploy(postgres: Postgres = pg): Promise<Deployment> {
  const databaseUrl = await postgres.createDatabase()
  const ports = await Promise.all([0, 1, 2].map(() => freePort()))
  const instances = await Promise.all(
    ports.map((port) =>
      startChildServer(tempDir(), {
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        CLUSTER_CHECK_MS: '1000',
        // Behind a proxy nothing counts as "this machine": boards are created with the token, and the
        // client addresses come from nginx's X-Forwarded-For.
        BOARD_CREATE_TOKEN: CREATE_TOKEN,
        TRUST_PROXY: '127.0.0.1',
      }),
    ),
  )
  cleanup.push(async () => {
    for (const s of instances) {
      if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGKILL')
      await s.exited
    }
  })
  const nginx = await startNginx(ports)
  cleanup.push(() => nginx.destroy())
  return { databaseUrl, instances, nginx }
}

function client(url: string, boardId: string, token: string): TestClient {
  const c = connectClient(url, boardId, token)
  cleanup.push(() => c.destroy())
  return c
}

function fleetOf(url: string, boardId: string, token: string, size: number, seed: number): Fleet {
  const fleet = new Fleet(url, boardId, token, size, random(seed))
  cleanup.push(() => fleet.destroy())
  return fleet
}

/** Open WebSocket connections per instance, from each instance's /healthz. */
async function spread(instances: ChildServer[]): Promise<number[]> {
  return Promise.all(
    instances.map(
      async (s) => ((await (await fetch(`${s.url}/healthz`)).json()) as { connections: number }).connections,
    ),
  )
}

/** The board as PostgreSQL holds it, read afresh. */
async function stored(databaseUrl: string, boardId: string): Promise<Y.Doc> {
  const store = await PostgresStore.open(databaseUrl)
  try {
    const { snapshot, updates } = await store.load(boardId)
    const doc = new Y.Doc()
    if (snapshot) Y.applyUpdate(doc, snapshot)
    for (const { update } of updates) Y.applyUpdate(doc, update)
    return doc
  } finally {
    await store.close()
  }
}

/** Resolves once `count` updates from the server have reached `watcher`. */
// A bound for liveness, not a speed: with Redis killed and restarted, one stretch of 20 updates has
// taken 7–23 s on this 2-core machine running three instances, PostgreSQL, Redis, nginx and 31 clients,
// and once over 20 s in a full run. Every wait is for the updates themselves.
function remoteUpdates(watcher: TestClient, count: number): Promise<void> {
  let seen = 0
  return untilDoc(watcher.doc, () => ++seen >= count, 45_000, `${count} updates`)
}

describe('three instances behind the shipped nginx configuration', () => {
  it('[CN1] stock clients spread over the instances by nginx make seeded random edits and converge (seed 14)', {
    timeout: 90_000,
  }, async () => {
    const { instances, nginx } = await deploy()
    const board = await createBoard(nginx.url, 'blank', 'Testbord', CREATE_HEADERS)
    const rnd = random(14)
    const clients = Array.from({ length: 24 }, () => client(nginx.url, board.id, board.tokens.facilitator))
    await Promise.all(clients.map((c) => c.synced))
    const perInstance = await spread(instances)
    expect(perInstance.every((n) => n >= 4)).toBe(true)
    for (let round = 0; round < 40; round++) {
      for (const c of clients) if (rnd.next() < 0.3) randomOp(c.doc, rnd)
      await new Promise((resolve) => setImmediate(resolve))
    }
    const docs = clients.map((c) => c.doc)
    const target = unionStateVector(docs)
    await Promise.all(docs.map((doc) => untilDoc(doc, () => reaches(doc, target), 30_000, 'convergence')))
    await untilAgreed(docs, 30_000, 'the servers’ attribution on every document')
    const reference = listCards(docs[0] as Y.Doc, { includeDeleted: true })
    for (const doc of docs) expect(listCards(doc, { includeDeleted: true })).toEqual(reference)
  })

  it('[CN2] SIGKILL one instance under load: its clients reconnect through nginx to another, nothing received is lost', {
    timeout: 120_000,
  }, async () => {
    const { databaseUrl, instances, nginx } = await deploy()
    const board = await createBoard(nginx.url, 'blank', 'Testbord', CREATE_HEADERS)
    const fleet = fleetOf(nginx.url, board.id, board.tokens.facilitator, 30, 1401)
    const watcher = client(nginx.url, board.id, board.tokens.observer)
    await Promise.all([fleet.synced(), watcher.synced])
    fleet.start(10)
    await remoteUpdates(watcher, 100)
    const victim = instances[0] as ChildServer
    const before = (await spread(instances))[0] as number
    expect(before).toBeGreaterThan(0)
    victim.process.kill('SIGKILL')
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' })
    // Everything any client had received from the cluster was in PostgreSQL before it was relayed.
    const received = fleet.received()
    expect(received.cards.size + received.tokens.size).toBeGreaterThan(0)
    expect(missingFrom(await stored(databaseUrl, board.id), received)).toEqual([])
    // The victim's clients come back through nginx, to the two others; editing goes on meanwhile.
    await remoteUpdates(watcher, 100)
    await assertConverges(fleet, 30_000)
    const after = await spread(instances.slice(1))
    expect(after.reduce((a, b) => a + b, 0)).toBe(fleet.clients.length + 1)
    expect(missingFrom(await stored(databaseUrl, board.id), fleet.written)).toEqual([])
  })

  it('[CN3] SIGKILL Redis mid-session and start it again empty: every client converges, nothing is lost', {
    timeout: 240_000,
  }, async () => {
    const { databaseUrl, nginx } = await deploy()
    const board = await createBoard(nginx.url, 'blank', 'Testbord', CREATE_HEADERS)
    const fleet = fleetOf(nginx.url, board.id, board.tokens.facilitator, 30, 1403)
    const watcher = client(nginx.url, board.id, board.tokens.observer)
    await Promise.all([fleet.synced(), watcher.synced])
    fleet.start(10)
    await remoteUpdates(watcher, 50)
    await redis.kill()
    // Without the bus, the watcher still hears the clients on its own instance.
    await remoteUpdates(watcher, 20)
    await redis.start()
    await remoteUpdates(watcher, 50)
    await assertConverges(fleet, 30_000)
    expect(missingFrom(await stored(databaseUrl, board.id), fleet.written)).toEqual([])
  })

  it('[CN4] PostgreSQL stopped for a while: edits are refused, never shown to others and then lost, and flow again once it is back', {
    timeout: 120_000,
  }, async () => {
    const own = await startPostgres()
    cleanup.push(() => own.destroy())
    const { databaseUrl, nginx } = await deploy(own)
    const board = await createBoard(nginx.url, 'blank', 'Testbord', CREATE_HEADERS)
    const fleet = fleetOf(nginx.url, board.id, board.tokens.facilitator, 20, 1404)
    const watcher = client(nginx.url, board.id, board.tokens.observer)
    await Promise.all([fleet.synced(), watcher.synced])
    fleet.start(10)
    await remoteUpdates(watcher, 50)
    const refused = Promise.race(
      fleet.clients.map((c) =>
        once(
          c.provider as never,
          'connection-close',
          (event: CloseEvent | null) => event?.code === CloseCode.storageUnavailable,
          30_000,
        ),
      ),
    )
    await own.stop()
    await refused
    // Hold every client back, then look at what PostgreSQL has: all they had received, while none of
    // them can send it again.
    fleet.stop()
    for (const c of [...fleet.clients, watcher]) c.provider.disconnect()
    const received = fleet.received()
    await own.start()
    expect(missingFrom(await stored(databaseUrl, board.id), received)).toEqual([])
    fleet.start(10)
    await assertConverges(fleet, 30_000)
    expect(missingFrom(await stored(databaseUrl, board.id), fleet.written)).toEqual([])
  })
})
