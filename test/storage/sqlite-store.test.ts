import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { SqliteStore } from '../../server/storage/sqlite-store.js'
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

describe('SqliteStore: deleting a board', () => {
  it('[DL7] tables added later with a board_id column are emptied too, whatever refers to what', async () => {
    const store = SqliteStore.open(tempDir())
    const db = (store as unknown as { db: Database.Database }).db
    db.exec(`CREATE TABLE invitation_test (id TEXT PRIMARY KEY, board_id TEXT NOT NULL REFERENCES boards(id), name TEXT);
             CREATE TABLE invitation_test_votes (invitation TEXT REFERENCES invitation_test(id), board_id TEXT NOT NULL)`)
    const hashes = { facilitator: 'f', participant: 'p', observer: 'o' }
    for (const id of ['gone', 'kept']) {
      await store.createBoard({ id, createdAt: 1, tokenHashes: hashes }, new Uint8Array([0, 0]))
      db.prepare('INSERT INTO invitation_test VALUES (?, ?, ?)').run(`i-${id}`, id, 'Anna')
      db.prepare('INSERT INTO invitation_test_votes VALUES (?, ?)').run(`i-${id}`, id)
    }
    expect(await store.deleteBoard('gone')).toBe(true)
    for (const table of ['invitation_test', 'invitation_test_votes']) {
      expect(db.prepare(`SELECT board_id FROM ${table}`).all()).toEqual([{ board_id: 'kept' }])
    }
    await store.close()
  })

  it('[DL8] a file from before deletion existed is rewritten once (VACUUM): text deleted back then leaves no trace', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'werkbord.sqlite')
    // An install of the schema before board-life (version 2), without secure_delete, that compacted text away.
    const old = new Database(file)
    old.pragma('journal_mode = WAL')
    old.exec(`CREATE TABLE boards (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, facilitator_hash TEXT NOT NULL,
                participant_hash TEXT NOT NULL, observer_hash TEXT NOT NULL);
              CREATE TABLE snapshots (board_id TEXT PRIMARY KEY REFERENCES boards(id), data BLOB NOT NULL);
              CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, board_id TEXT NOT NULL REFERENCES boards(id), data BLOB NOT NULL);
              CREATE INDEX updates_by_board ON updates (board_id, seq);
              CREATE TABLE votes (board_id TEXT NOT NULL REFERENCES boards(id), voter TEXT NOT NULL, card_id TEXT NOT NULL,
                count INTEGER NOT NULL CHECK (count > 0), PRIMARY KEY (board_id, voter, card_id)) WITHOUT ROWID;
              PRAGMA user_version = 2;`)
    old.prepare("INSERT INTO boards VALUES ('a', 1, 'f', 'p', 'o')").run()
    for (let i = 0; i < 50; i++) {
      old
        .prepare("INSERT INTO updates (board_id, data) VALUES ('a', ?)")
        .run(Buffer.from(`oude tekst ${i} `.repeat(40)))
    }
    old.prepare("DELETE FROM updates WHERE board_id = 'a' AND seq % 2 = 1").run()
    old.pragma('wal_checkpoint(TRUNCATE)')
    old.close()
    // Every other update deleted: its text lingers between the rows that stay (no secure_delete then).
    expect(fs.readFileSync(file).includes(Buffer.from('oude tekst 8 '))).toBe(true)
    const store = SqliteStore.open(dir)
    expect(await store.lastActivity('a')).toBeGreaterThan(Date.now() - 60_000) // its period starts now
    await store.close()
    for (const name of fs.readdirSync(dir)) {
      expect([name, fs.readFileSync(path.join(dir, name)).includes(Buffer.from('oude tekst 8 '))]).toEqual([
        name,
        false,
      ])
    }
    expect(fs.readFileSync(file).includes(Buffer.from('oude tekst 7 '))).toBe(true) // the rows kept stay
  })
})
