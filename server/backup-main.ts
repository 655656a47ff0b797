import path from 'node:path'
import { loadConfig } from './config.js'
import { backup } from './storage/backup.js'

/** `npm run backup [file]`: writes a consistent copy of DATA_DIR/werkbord.sqlite, online. */
const config = loadConfig()
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const target = path.resolve(
  process.argv[2] ?? path.join(config.dataDir, 'backups', `werkbord-${stamp}.sqlite`),
)
backup(config.dataDir, target).then(
  ({ file, pages }) => console.log(`Backup written to ${file} (${pages} pages, integrity ok)`),
  (error: Error) => {
    console.error(`Backup failed: ${error.message}`)
    process.exit(1)
  },
)
