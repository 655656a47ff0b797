import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCHEMA_VERSION } from '../../server/storage/postgres-schema.js'
import { PostgresStore } from '../../server/storage/postgres-store.js'
import type { BoardRecord } from '../../server/storage/store.js'
import { type Postgres, startPostgres } from '../services/postgres.js'
import { storageContract } from './contract.js'

let server: Postgres
beforeAll(async () => {
  server = await startPostgres()
}, 60_000)
afterAll(() => server?.destroy())

storageContract('PostgresStore (throwaway PostgreSQL server)', async () => {
  const url = await server.createDatabase()
  return { store: await PostgresStore.open(url), reopen: () => PostgresStore.open(url) }
})

const record = (id: string): BoardRecord => ({
  id,
  createdAt: 1_700_000_000_000,
  tokenHashes: { facilitator: 'f', participant: 'p', observer: 'o' },
})
const bytes = (...values: number[]) => new Uint8Array(values)

/** Two stores on one database: what two instances see. */
async function twoInstances() {
  const url = await server.createDatabase()
  const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)])
  return { url, a, b, close: () => Promise.all([a.close(), b.close()]) }
}

describe('PostgresStore across instances', () => {
  it('[PG1] two instances appending at once: each board numbers its updates 1, 2, 3, … without gaps, in commit order', async () => {
    const { a, b, close } = await twoInstances()
    await a.createBoard(record('x'), bytes(0))
    await a.createBoard(record('y'), bytes(0))
    const batches = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? a : b).append([
        { boardId: i % 3 ? 'x' : 'y', update: bytes(i) },
        { boardId: 'x', update: bytes(100 + i) },
        { boardId: 'y', update: bytes(200 + i) },
      ]),
    )
    await Promise.all(batches)
    for (const id of ['x', 'y']) {
      const seqs = (await b.load(id)).updates.map((u) => u.seq)
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1))
    }
    expect(await a.heads(['x', 'y', 'nope'])).toEqual(
      new Map([
        ['x', (await a.load('x')).updates.length],
        ['y', (await a.load('y')).updates.length],
      ]),
    )
    await close()
  })

  it('[PG2] readSince returns what follows a sequence number, and the snapshot when those updates were compacted', async () => {
    const { a, close } = await twoInstances()
    await a.createBoard(record('x'), bytes(0))
    await a.append([1, 2, 3, 4].map((n) => ({ boardId: 'x', update: bytes(n) })))
    expect(await a.readSince('x', 3)).toEqual({
      snapshot: null,
      updates: [
        { seq: 4, update: bytes(3) },
        { seq: 5, update: bytes(4) },
      ],
      head: 5,
    })
    await a.compact('x', bytes(9), 4)
    expect(await a.readSince('x', 2)).toEqual({
      snapshot: { seq: 4, data: bytes(9) },
      updates: [{ seq: 5, update: bytes(4) }],
      head: 5,
    })
    expect((await a.readSince('x', 4)).snapshot).toBeNull()
    await close()
  })

  it('[PG3] a compaction never replaces a newer snapshot (a lagging instance cannot drop updates)', async () => {
    const { a, b, close } = await twoInstances()
    await a.createBoard(record('x'), bytes(0))
    await a.append([1, 2, 3].map((n) => ({ boardId: 'x', update: bytes(n) })))
    await a.compact('x', bytes(8, 8), 4)
    await b.compact('x', bytes(7), 2) // b had only seen up to 2
    expect(await a.load('x')).toEqual({ snapshot: bytes(8, 8), updates: [] })
    await close()
  })

  it('[PG4] one compactor at a time: while one holds the lock another skips; one that dies mid-compaction loses nothing', async () => {
    const { url, a, b, close } = await twoInstances()
    await a.createBoard(record('x'), bytes(0))
    await a.append([1, 2].map((n) => ({ boardId: 'x', update: bytes(n) })))
    // A compactor that took the lock and wrote its snapshot, then its instance died before committing.
    const dying = new pg.Client(url)
    await dying.connect()
    dying.on('error', () => {})
    await dying.query('BEGIN')
    const locked = await dying.query(
      `SELECT pg_try_advisory_xact_lock(${0x5765_6b01}, hashtext('x')) AS locked`,
    )
    expect(locked.rows[0].locked).toBe(true)
    await dying.query("INSERT INTO snapshots (board_id, seq, data) VALUES ('x', 3, '\\x01')")
    await dying.query("DELETE FROM updates WHERE board_id = 'x'")
    await b.compact('x', bytes(5), 3) // skipped: the other holds the lock
    expect(await b.load('x')).toEqual({
      snapshot: null,
      updates: [0, 1, 2].map((n, i) => ({ seq: i + 1, update: bytes(n) })),
    })
    const admin = new pg.Client(url)
    await admin.connect()
    await admin.query('SELECT pg_terminate_backend($1)', [
      (dying as unknown as { processID: number }).processID,
    ])
    await admin.end()
    expect((await a.load('x')).updates).toHaveLength(3)
    await b.compact('x', bytes(5), 3) // the lock died with its holder
    expect(await a.load('x')).toEqual({ snapshot: bytes(5), updates: [] })
    await close()
  })

  it('[PG5] votes cast through two instances at once respect one budget', async () => {
    const { a, b, close } = await twoInstances()
    await a.createBoard(record('v'), bytes(0))
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).castVote('v', 'anna', `c${i}`, 1, { budget: 5, perCard: 1 }),
      ),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(5)
    expect(Object.keys(await a.votesOf('v', 'anna'))).toHaveLength(5)
    await close()
  })

  it('[PG6] migrations run once when instances start together, and are recorded by version', async () => {
    const url = await server.createDatabase()
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url)))
    const { rows } = await (stores[0] as PostgresStore).pool.query('SELECT version FROM werkbord_schema')
    expect(rows).toEqual([{ version: SCHEMA_VERSION }])
    await Promise.all(stores.map((s) => s.close()))
  })
})

describe('PostgresStore: deleting a board', () => {
  it('[DL7] tables added later with a board_id column are emptied too, whatever refers to what', async () => {
    const url = await server.createDatabase()
    const store = await PostgresStore.open(url)
    await store.pool.query(`CREATE TABLE invitation_test (id TEXT PRIMARY KEY, board_id TEXT NOT NULL REFERENCES boards(id), name TEXT);
      CREATE TABLE invitation_test_votes (invitation TEXT REFERENCES invitation_test(id), board_id TEXT NOT NULL)`)
    for (const id of ['gone', 'kept']) {
      await store.createBoard(record(id), bytes(0))
      await store.pool.query('INSERT INTO invitation_test VALUES ($1, $2, $3)', [`i-${id}`, id, 'Anna'])
      await store.pool.query('INSERT INTO invitation_test_votes VALUES ($1, $2)', [`i-${id}`, id])
    }
    expect(await store.deleteBoard('gone')).toBe(true)
    for (const table of ['invitation_test', 'invitation_test_votes', 'boards']) {
      const column = table === 'boards' ? 'id' : 'board_id'
      const { rows } = await store.pool.query(`SELECT ${column} AS b FROM ${table}`)
      expect([table, rows]).toEqual([table, [{ b: 'kept' }]])
    }
    await store.close()
  })
})
