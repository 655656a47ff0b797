import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Bus } from '../../server/bus/bus.js'
import { LocalHub } from '../../server/bus/local-bus.js'
import { Cluster } from '../../server/cluster/cluster.js'
import { createLogger } from '../../server/log.js'
import { PostgresStore } from '../../server/storage/postgres-store.js'
import { untilDoc } from '../helpers/wait.js'
import { type Postgres, startPostgres } from '../services/postgres.js'

/**
 * The board feed on its own: instance A commits updates (PostgreSQL) and publishes them; instance B's
 * bus loses chosen messages, without telling it. B must still hold every update, in order.
 */
let pg: Postgres
beforeAll(async () => {
  pg = await startPostgres()
}, 60_000)
afterAll(() => pg?.destroy())

const log = createLogger('silent')

/** A bus that drops what it receives while `losing` is set, as a network blip would. */
function lossy(bus: Bus): Bus & { losing: boolean } {
  const wrapper = {
    losing: false,
    subscribe: (channel: string, listener: (message: Uint8Array) => void) =>
      bus.subscribe(channel, (message) => {
        if (!wrapper.losing) listener(message)
      }),
    publish: (channel: string, message: Uint8Array) => bus.publish(channel, message),
    onResume: (listener: () => void) => bus.onResume(listener),
    ping: () => bus.ping(),
    close: () => bus.close(),
  }
  return wrapper
}

async function setup() {
  const url = await pg.createDatabase()
  const store = await PostgresStore.open(url)
  const hub = new LocalHub()
  const busB = lossy(hub.connect())
  // Checks are triggered by the test (an hour between timed ones).
  const a = new Cluster(store, hub.connect(), log, { checkEveryMs: 3_600_000, gapWaitMs: 50 })
  const b = new Cluster(store, busB, log, { checkEveryMs: 3_600_000, gapWaitMs: 50 })
  const origin = new Y.Doc()
  await store.createBoard(
    { id: 'x', createdAt: 0, tokenHashes: { facilitator: 'f', participant: 'p', observer: 'o' } },
    Y.encodeStateAsUpdate(origin),
  )
  const open = async (cluster: Cluster) => {
    const doc = new Y.Doc()
    const feed = cluster.feed('x', {
      applyRemote: (update) => Y.applyUpdate(doc, update),
      applyAwareness: () => {},
      disconnectRole: () => {},
      boardDeleted: () => {},
    })
    const loaded = await feed.load()
    if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
    for (const { update } of loaded.updates) Y.applyUpdate(doc, update)
    feed.start(loaded.head)
    return { doc, feed }
  }
  const atA = await open(a)
  const atB = await open(b)
  /** A writes one item: committed in PostgreSQL, applied at A, published. */
  let n = 0
  const write = async () => {
    const before = Y.encodeStateVector(atA.doc)
    atA.doc.getArray<number>('items').push([n++])
    const update = Y.encodeStateAsUpdate(atA.doc, before)
    const [seq] = await store.append([{ boardId: 'x', update }])
    atA.feed.committed(seq as number, update)
  }
  const close = async () => {
    atA.feed.close()
    atB.feed.close()
    a.close()
    b.close()
    await store.close()
  }
  return { store, busB, a, b, atA, atB, write, close }
}

const items = (doc: Y.Doc) => doc.getArray<number>('items').toArray()

describe('board feed', () => {
  it('[FD1] a lost message is noticed by the next one (a skipped number) and read from PostgreSQL', async () => {
    const fx = await setup()
    await fx.write()
    fx.busB.losing = true
    await fx.write()
    await fx.write()
    await new Promise((resolve) => setImmediate(resolve)) // the hub delivers (and B drops) them
    fx.busB.losing = false
    await fx.write()
    await untilDoc(fx.atB.doc, () => items(fx.atB.doc).length === 4, 10_000, 'catching up')
    expect(items(fx.atB.doc)).toEqual([0, 1, 2, 3])
    expect(fx.atB.feed.position).toBe(5)
    await fx.close()
  })

  it('[FD2] a lost last message (no later one shows the gap) is found by the check against PostgreSQL', async () => {
    const fx = await setup()
    fx.busB.losing = true
    await fx.write()
    await new Promise((resolve) => setImmediate(resolve))
    expect(items(fx.atB.doc)).toEqual([])
    await fx.b.check()
    await untilDoc(fx.atB.doc, () => items(fx.atB.doc).length === 1, 10_000, 'the check')
    expect(fx.atB.feed.position).toBe(2)
    await fx.close()
  })

  it('[FD3] when what B missed was compacted away meanwhile, B catches up from the snapshot', async () => {
    const fx = await setup()
    fx.busB.losing = true
    for (let i = 0; i < 5; i++) await fx.write()
    await fx.store.compact('x', Y.encodeStateAsUpdate(fx.atA.doc), fx.atA.feed.position)
    await new Promise((resolve) => setImmediate(resolve))
    fx.busB.losing = false
    await fx.write()
    await untilDoc(fx.atB.doc, () => items(fx.atB.doc).length === 6, 10_000, 'catching up')
    expect(items(fx.atB.doc)).toEqual([0, 1, 2, 3, 4, 5])
    expect(fx.atB.feed.position).toBe(7)
    await fx.close()
  })
})
