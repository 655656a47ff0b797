// Exits 0, silently, when node_modules holds exactly the packages package-lock.json pins (npm's record of
// what it installed, node_modules/.package-lock.json, agrees with the lockfile) and the native SQLite
// driver loads on the running Node. Otherwise it says why and exits 1, and scripts/test-setup.sh runs `npm ci`.
// Optional packages for other platforms (@esbuild/darwin-arm64 …) are in the lockfile but never installed.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The project's root: this script's parent folder, or the folder given as its argument.
const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'))

function packagesOf(file) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')).packages ?? {}
  } catch {
    return undefined
  }
}

function problem() {
  const locked = packagesOf('package-lock.json')
  if (!locked) return 'package-lock.json is missing or unreadable'
  const installed = packagesOf('node_modules/.package-lock.json')
  if (!installed) return 'node_modules is missing'
  for (const [where, entry] of Object.entries(locked)) {
    if (!where.startsWith('node_modules/')) continue
    const have = installed[where]
    if (!have) {
      if (entry.optional) continue
      return `${where} is not installed`
    }
    if (have.version !== entry.version)
      return `${where} is ${have.version}, the lockfile pins ${entry.version}`
  }
  for (const where of Object.keys(installed)) {
    if (!(where in locked)) return `${where} is installed but not in the lockfile`
  }
  try {
    const require = createRequire(path.join(root, 'package.json'))
    const Database = require('better-sqlite3')
    new Database(':memory:').close()
  } catch (error) {
    return `better-sqlite3 does not load on Node ${process.version}: ${error.message.split('\n')[0]}`
  }
  return undefined
}

const found = problem()
if (found) {
  console.error(`node_modules is not what package-lock.json pins: ${found}`)
  process.exit(1)
}
