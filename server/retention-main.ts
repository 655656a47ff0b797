import { loadConfig } from './config.js'
import { DAY_MS } from './storage/retention.js'
import { SqliteStore } from './storage/sqlite-store.js'
import type { BoardStore } from './storage/store.js'

/**
 * `npm run retention -- --dry-run`: lists the boards that RETENTION_DAYS would delete now (id, last
 * activity, creation), deleting nothing. `npm run retention -- --delete` deletes them (every trace, as
 * the server's own sweep does); run it while the server is stopped, as connected browsers are only
 * told by a running server. The server sweeps by itself every hour, so `--delete` is rarely needed.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  const args = process.argv.slice(2)
  const remove = args.includes('--delete')
  if (
    args.some((arg) => arg !== '--delete' && arg !== '--dry-run') ||
    (remove && args.includes('--dry-run'))
  ) {
    console.error('Usage: npm run retention -- --dry-run | --delete')
    process.exit(2)
  }
  if (config.retentionDays === 0) {
    console.log('RETENTION_DAYS=0: boards are never deleted automatically.')
    return
  }
  const store = await openStore(config.databaseUrl, config.dataDir)
  try {
    const before = Date.now() - config.retentionDays * DAY_MS
    const expired = await store.inactiveBoards(before, Number.MAX_SAFE_INTEGER)
    console.log(
      `${expired.length} board(s) without activity for ${config.retentionDays} days (since ${new Date(before).toISOString()})${remove ? ': deleting' : ' (dry run: nothing deleted)'}`,
    )
    for (const board of expired) {
      if (remove) await store.deleteBoard(board.id)
      console.log(
        `${board.id}\tlast active ${new Date(board.activeAt).toISOString()}\tcreated ${new Date(board.createdAt).toISOString()}${remove ? '\tdeleted' : ''}`,
      )
    }
  } finally {
    await store.close()
  }
}

async function openStore(databaseUrl: string, dataDir: string): Promise<BoardStore> {
  if (!databaseUrl) return SqliteStore.open(dataDir)
  const { PostgresStore } = await import('./storage/postgres-store.js')
  return PostgresStore.open(databaseUrl)
}

main().catch((error) => {
  console.error(`Retention failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
