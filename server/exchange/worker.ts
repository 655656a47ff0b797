import { parentPort } from 'node:worker_threads'
import { type ExchangeTask, runTask } from './tasks.js'

/** A worker of the exchange pool (pool.ts): one task at a time, the answer or the error sent back. */
parentPort?.on('message', async (task: ExchangeTask) => {
  try {
    const result = await runTask(task)
    const transfer = 'body' in result && result.body instanceof Uint8Array ? [result.body.buffer] : []
    parentPort?.postMessage({ result }, transfer as ArrayBuffer[])
  } catch (error) {
    const status = (error as { status?: unknown }).status
    parentPort?.postMessage({
      error: {
        message: error instanceof Error ? error.message : String(error),
        status: typeof status === 'number' ? status : undefined,
      },
    })
  }
})
