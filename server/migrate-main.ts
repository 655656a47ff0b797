import path from 'node:path'
import { loadConfig } from './config.js'
import { PostgresStore } from './storage/postgres-store.js'
import { migrateSqliteToPostgres } from './storage/sqlite-to-postgres.js'

/**
 * `npm run migrate:sqlite-to-postgres`: moves an embedded deployment (DATA_DIR/werkbord.sqlite) into
 * the PostgreSQL database of DATABASE_URL, checking every board's export before and after.
 */
async function main(): Promise<void> {
  const config = loadConfig()
  if (!config.databaseUrl)
    throw new Error('Set DATABASE_URL=postgres://… (the database to move the boards to)')
  const file = path.resolve(process.argv[2] ?? path.join(config.dataDir, 'werkbord.sqlite'))
  const store = await PostgresStore.open(config.databaseUrl)
  try {
    const report = await migrateSqliteToPostgres(file, store, (line) => console.log(line))
    console.log(
      `Moved ${report.boards} boards (${report.votes} vote rows) from ${file} to PostgreSQL; ` +
        `${report.alreadyThere} were there already. Every board's export is equal before and after.`,
    )
    console.log(`Copied ${report.templates} templates made on the instance.`)
  } finally {
    await store.close()
  }
}

main().catch((error: Error) => {
  console.error(`Migration failed: ${error.message}`)
  process.exit(1)
})
