import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { listCards } from '../../model/read.js'
import { nextCloseCode } from '../helpers/clients.js'
import { createBoard } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'
import { clusterSuite } from './suite.js'

const suite = clusterSuite()
const client = suite.client

describe("a board's whole life on several instances", () => {
  it('[DL6] deleted through one instance: clients of every other get 4410, their rooms unload, no table keeps a row of it', async () => {
    const {
      databaseUrl,
      apps: [a, b],
    } = await suite.instances(2)
    if (!a || !b) throw new Error('two instances')
    const board = await createBoard(a.url)
    const kept = await createBoard(a.url)
    const writer = client(a.url, board.id, board.tokens.facilitator)
    const onB = [
      client(b.url, board.id, board.tokens.participant),
      client(b.url, board.id, board.tokens.observer),
    ]
    await Promise.all([writer.synced, ...onB.map((c) => c.synced)])
    createCard(writer.doc, { fields: { actie: 'weg ermee' } })
    for (const c of onB) await untilDoc(c.doc, () => listCards(c.doc).length === 1)
    const vote = await fetch(`${b.url}/api/boards/${board.id}/votes`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${board.tokens.participant}`,
        'content-type': 'application/json',
        'x-werkbord-voter': 'stemmer-0123456789abcdef',
      },
      body: JSON.stringify({ cardId: listCards(writer.doc)[0]?.id, delta: 1 }),
    })
    expect([200, 409]).toContain(vote.status)

    const closed = onB.map((c) => nextCloseCode(c.provider))
    const res = await fetch(`${a.url}/api/boards/${board.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${board.tokens.facilitator}` },
    })
    expect(await res.json()).toEqual({ deleted: board.id, disconnected: 1 })
    expect(await Promise.all(closed)).toEqual([4410, 4410])
    await Promise.all([a.rooms.idle(), b.rooms.idle()])
    expect([a.rooms.loadedCount, b.rooms.loadedCount]).toEqual([0, 0])
    for (const token of Object.values(board.tokens)) {
      for (const app of [a, b]) {
        const info = await fetch(`${app.url}/api/boards/${board.id}`, {
          headers: { authorization: `Bearer ${token}` },
        })
        expect(info.status).toBe(401)
      }
    }
    // Every table with a board_id column (and boards itself) holds nothing of it; the other board is there.
    const db = new pg.Client(databaseUrl)
    await db.connect()
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns
       WHERE column_name = 'board_id' AND table_schema = current_schema()`,
    )
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['updates', 'snapshots', 'votes']),
    )
    for (const { table_name: table } of rows) {
      const left = await db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE board_id = $1`, [board.id])
      expect([table, left.rows[0].n]).toEqual([table, 0])
    }
    const boards = await db.query('SELECT id FROM boards')
    expect(boards.rows.map((row) => row.id)).toEqual([kept.id])
    await db.end()
  }, 60_000)
})
