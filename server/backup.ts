import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

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
