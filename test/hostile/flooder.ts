import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const wsModule = createRequire(import.meta.url).resolve('ws')

/**
 * A flooding connection on its own thread, so that producing the flood does not slow down the event
 * loop that runs the server and the honest clients in the test process (which would be measured as
 * server latency). Sends `messages` in slices of `perTick` every `intervalMs` (all at once when
 * `perTick` is omitted), then keeps the socket open until stopped.
 */
export interface Flooder {
  /** Resolves once the worker's socket is open. */
  opened: Promise<void>
  /** How many messages the worker has handed to its socket so far. */
  sent(): Promise<number>
  /** Whether the socket is still open. */
  open(): Promise<boolean>
  stop(): Promise<void>
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { wsModule, url, messages, perTick, intervalMs } = workerData
const WebSocket = require(wsModule)
const ws = new WebSocket(url)
ws.on('error', () => {})
let sent = 0
let timer = null
const slice = () => {
  const end = Math.min(messages.length, sent + (perTick || messages.length))
  for (; sent < end; sent++) ws.send(messages[sent])
  if (sent >= messages.length && timer) clearInterval(timer)
}
ws.on('open', () => {
  parentPort.postMessage({ type: 'open' })
  slice()
  if (sent < messages.length) timer = setInterval(slice, intervalMs)
})
parentPort.on('message', (request) => {
  if (request === 'stop') {
    if (timer) clearInterval(timer)
    ws.terminate()
    parentPort.postMessage({ type: 'stopped' })
  } else parentPort.postMessage({ type: 'status', sent, open: ws.readyState === WebSocket.OPEN })
})
`

export function startFlooder(
  url: string,
  messages: Uint8Array[],
  pacing: { perTick?: number; intervalMs?: number } = {},
): Flooder {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      wsModule,
      url,
      messages,
      perTick: pacing.perTick ?? 0,
      intervalMs: pacing.intervalMs ?? 100,
    },
  })
  const next = (type: string) =>
    new Promise<{ sent: number; open: boolean }>((resolve, reject) => {
      const onMessage = (message: { type: string; sent: number; open: boolean }) => {
        if (message.type !== type) return
        worker.off('message', onMessage)
        resolve(message)
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
    })
  const opened = next('open').then(() => {})
  let stopping: Promise<void> | undefined
  return {
    opened,
    async sent() {
      const status = next('status')
      worker.postMessage('status')
      return (await status).sent
    },
    async open() {
      const status = next('status')
      worker.postMessage('status')
      return (await status).open
    },
    stop() {
      stopping ??= (async () => {
        const stopped = next('stopped')
        worker.postMessage('stop')
        await stopped
        await worker.terminate()
      })()
      return stopping
    },
  }
}
