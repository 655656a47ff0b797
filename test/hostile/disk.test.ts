import { afterEach, describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { readCard } from '../../model/read.js'
import { SqliteStore } from '../../server/storage/sqlite-store.js'
import { connectClient, nextCloseCode, type TestClient } from '../helpers/clients.js'
import { createBoard, startServer, tempDir } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'
import { assertHealthy, figure, heapMiB, honestPair } from './helpers.js'

/**
 * Disk trouble while people edit. The tests run as root here, and root writes to read-only files and
 * directories anyway, so the failure is made inside SQLite itself, on the server's own connections (the main one and the append worker's):
 * `PRAGMA query_only` makes every write fail with SQLITE_READONLY, and `PRAGMA max_page_count` at the
 * current size makes growing writes fail with SQLITE_FULL — the errors a read-only or full disk gives.
 * The whole real path runs: batcher, SqliteStore, room. Bounds: the refused client is told (4503)
 * within 2 s; its edit reaches the others within 3 s of the disk recovering; heap growth < 32 MiB.
 */
const HEAP_MIB = 32
const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

async function setup() {
  const dataDir = tempDir()
  const store = SqliteStore.open(dataDir)
  const app = await startServer({ dataDir }, store)
  cleanup.push(() => app.close())
  const board = await createBoard(app.url, 'blank')
  const honest = await honestPair(app, board)
  cleanup.push(() => honest.destroy())
  const heap = heapMiB()
  cleanup.push(() => expect(heapMiB() - heap).toBeLessThan(HEAP_MIB))
  return { app, board, honest, store, dataDir }
}

function observer(url: string, boardId: string, token: string): TestClient {
  const c = connectClient(url, boardId, token)
  cleanup.push(() => c.destroy())
  return c
}

describe('disk trouble', () => {
  it('[H23] read-only: the edit is refused (4503), never shown to anyone, and arrives once writable', async () => {
    const { app, board, honest, store } = await setup()
    const { a, b } = honest
    await store.pragma('query_only = ON')
    const refused = nextCloseCode(a.provider)
    const started = performance.now()
    const id = createCard(a.doc, { fields: { actie: 'geschreven op een alleen-lezen schijf' } })
    expect(await refused).toBe(4503)
    figure('read-only: refused with 4503 after (ms)', performance.now() - started)
    expect(performance.now() - started).toBeLessThan(2000)
    // Not acknowledged anywhere: not relayed, not served to a newcomer, not stored.
    const late = observer(app.url, board.id, board.tokens.observer)
    await late.synced
    expect(readCard(late.doc, id)).toBeUndefined()
    expect(readCard(b.doc, id)).toBeUndefined()
    expect(readCard(a.doc, id)?.fields.actie).toBe('geschreven op een alleen-lezen schijf') // kept by its author
    // While the disk stays read-only the author keeps being refused, and B stays connected.
    expect(await nextCloseCode(a.provider)).toBe(4503)
    expect(b.provider.wsconnected).toBe(true)

    await store.pragma('query_only = OFF')
    const recovered = performance.now()
    await untilDoc(b.doc, () => readCard(b.doc, id) !== undefined, 3000, 'the edit after recovery')
    await untilDoc(late.doc, () => readCard(late.doc, id) !== undefined, 3000, 'the edit for the newcomer')
    figure('read-only: edit arrived after recovery in (ms)', performance.now() - recovered)
    expect(performance.now() - recovered).toBeLessThan(3000)
    await a.synced
    await assertHealthy(app, board, honest, 'na alleen-lezen')
  })

  it('[H24] disk full: refused while full, the room may even unload, and nothing is lost', async () => {
    const { app, board, honest, store, dataDir } = await setup()
    const { a, b } = honest
    const before = createCard(a.doc, { fields: { actie: 'voor de volle schijf' } })
    await untilDoc(b.doc, () => readCard(b.doc, before) !== undefined)
    const [{ page_count: pages }] = (await store.pragma('page_count')) as [{ page_count: number }]
    await store.pragma(`max_page_count = ${pages}`)
    const refused = nextCloseCode(a.provider)
    const big = createCard(a.doc, { fields: { actie: `vol ${'v'.repeat(100_000)}` } })
    expect(await refused).toBe(4503)
    expect(readCard(b.doc, big)).toBeUndefined()
    // B leaves too: with A between reconnects the room unloads, its compaction fails, its log stays.
    b.provider.disconnect()
    await app.rooms.idle()
    expect(await nextCloseCode(a.provider)).toBe(4503) // A's reconnect reloaded it: still full

    await store.pragma('max_page_count = 1073741823')
    const fresh = observer(app.url, board.id, board.tokens.observer)
    await fresh.synced
    await untilDoc(
      fresh.doc,
      () => readCard(fresh.doc, big) !== undefined,
      3000,
      'the big card after recovery',
    )
    expect(readCard(fresh.doc, before)).toBeDefined()
    b.provider.connect()
    await b.synced
    await assertHealthy(app, board, honest, 'na volle schijf')

    // And it is on disk: a restarted server has both cards.
    honest.destroy()
    fresh.destroy()
    await app.close()
    cleanup.length = 0
    const again = await startServer({ dataDir })
    cleanup.push(() => again.close())
    const after = observer(again.url, board.id, board.tokens.observer)
    await after.synced
    expect(readCard(after.doc, before)).toBeDefined()
    expect(readCard(after.doc, big)?.fields.actie).toBe(`vol ${'v'.repeat(100_000)}`)
  })
})
