import { startApp } from './app.js'
import { loadConfig } from './config.js'
import { createLogger } from './log.js'

/** `npm start`: starts Werkbord with settings from the environment; stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig()
  const log = createLogger(config.logLevel)
  const app = await startApp(config, log)
  log.info({ url: app.url, dataDir: config.dataDir }, `Werkbord listening on ${app.url}`)
  if (!config.boardCreateToken) {
    log.warn('BOARD_CREATE_TOKEN is not set: only requests from this machine can create boards')
  }

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    app.close().then(
      () => {
        log.info('stopped')
        process.exit(0)
      },
      (error) => {
        log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
