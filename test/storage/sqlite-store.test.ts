import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { SqliteStore } from '../../server/sqlite-store.js'
import { tempDir } from '../helpers/server.js'
import { storageContract } from './contract.js'

storageContract('SqliteStore (real file)', async () => {
  const dir = tempDir()
  return { store: SqliteStore.open(dir), reopen: async () => SqliteStore.open(dir) }
})

describe('SqliteStore', () => {
  it('[SQ1] opens the file in WAL mode with synchronous=FULL', async () => {
    const dir = tempDir()
    const store = SqliteStore.open(dir)
    await store.createBoard(
      { id: 'a', createdAt: 1, tokenHashes: { facilitator: 'a', participant: 'b', observer: 'c' } },
      new Uint8Array([1]),
    )
    const db = new Database(path.join(dir, 'werkbord.sqlite'), { readonly: true })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
    expect((store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(2)
    await store.close()
    expect(fs.existsSync(path.join(dir, 'werkbord.sqlite'))).toBe(true)
  })
})
