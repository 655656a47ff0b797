import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { boardTablesFirst } from './board-tables.js'

/**
 * Erasing a board from a SQLite file (the live database and, on deletion, the backups in
 * DATA_DIR/backups): every row of every table with a `board_id` column and the `boards` row, in one
 * transaction, with secure_delete on (deleted content is overwritten with zeros), then a truncating WAL
 * checkpoint so no older copy of a page stays in the -wal file. Returns whether the board was there.
 */
export function eraseBoard(db: Database.Database, id: string): boolean {
  db.pragma('secure_delete = ON')
  const tables = boardTablesFirst(
    db
      .prepare<[], { name: string }>(
        `SELECT m.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c
         WHERE m.type = 'table' AND c.name = 'board_id'`,
      )
      .all()
      .map((row) => row.name),
  )
  const existed = db
    .transaction(() => {
      // Tables that refer to each other are emptied in any order: foreign keys are checked at commit.
      db.pragma('defer_foreign_keys = ON')
      for (const table of tables) db.prepare(`DELETE FROM "${table}" WHERE board_id = ?`).run(id)
      return db.prepare('DELETE FROM boards WHERE id = ?').run(id).changes > 0
    })
    .immediate()
  if (db.pragma('journal_mode', { simple: true }) === 'wal') {
    // Waits (busy_timeout) for readers of older pages. Should one hold on even so, the deletion stands
    // (it is committed); the WAL's older frames are then overwritten as it is reused from its start.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
      if (!result || result.busy === 0) break
    }
  }
  return existed
}

/** The file (next to the database) listing deleted board ids, so a restored backup cannot bring one back. */
export const DELETED_LIST = 'deleted-boards.txt'

/** Notes a deleted board's id (ids only: no content, no names). */
export function noteDeleted(dataDir: string, id: string): void {
  fs.appendFileSync(path.join(dataDir, DELETED_LIST), `${id}\n`, { mode: 0o600 })
}

/** The ids of boards deleted from this data folder. */
export function deletedIds(dataDir: string): string[] {
  try {
    return fs
      .readFileSync(path.join(dataDir, DELETED_LIST), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
  } catch {
    return []
  }
}
