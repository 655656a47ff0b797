import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { eraseBoard } from './sqlite-erase.js'

/**
 * `npm run backup [target]`: a consistent copy of the database while the server keeps running
 * (SQLite's online backup: pages are copied in steps, writes continue in between). Restore by stopping
 * the server and putting the copy in place as DATA_DIR/werkbord.sqlite (see README).
 */
export async function backup(dataDir: string, target: string): Promise<{ file: string; pages: number }> {
  const source = path.join(dataDir, 'werkbord.sqlite')
  if (!fs.existsSync(source)) throw new Error(`No database at ${source}`)
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 })
  // A copy of every board and token hash: readable by the server's own user only (0600), from the start.
  fs.closeSync(fs.openSync(target, 'w', 0o600))
  fs.chmodSync(target, 0o600)
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    const result = await db.backup(target)
    const copy = new Database(target, { readonly: true })
    const check = copy.pragma('integrity_check', { simple: true })
    copy.close()
    if (check !== 'ok') throw new Error(`The backup failed its integrity check: ${String(check)}`)
    return { file: target, pages: result.totalPages }
  } finally {
    db.close()
  }
}

/**
 * Deleting a board erases it from every backup in DATA_DIR/backups (where `npm run backup` writes by
 * default) too, so the data folder holds none of it. Copies kept elsewhere are the operator's: they
 * age out by the operator's own rotation, and a restored one cannot bring a deleted board back (the
 * server erases every board of DATA_DIR/deleted-boards.txt at start). See docs/privacy.md.
 */
export function eraseFromBackups(dataDir: string, boardId: string): number {
  const folder = path.join(dataDir, 'backups')
  let erased = 0
  let names: string[]
  try {
    names = fs.readdirSync(folder).filter((name) => name.endsWith('.sqlite'))
  } catch {
    return 0 // no backups folder
  }
  for (const name of names) {
    const db = new Database(path.join(folder, name), { fileMustExist: true })
    try {
      db.pragma('busy_timeout = 5000')
      if (eraseBoard(db, boardId)) erased++
    } finally {
      db.close()
    }
  }
  return erased
}
