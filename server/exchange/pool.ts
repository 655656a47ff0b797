import fs from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

export interface PoolOptions {
  /** Worker threads at most (started when first needed). */
  size: number
  /** Tasks that may wait for a worker; beyond, `run` refuses at once. */
  maxQueue: number
  /** A task running longer is stopped: its worker is terminated (and replaced when needed). */
  timeoutMs: number
  /** Heap limit of one worker (MiB): a task that needs more ends its worker, not the server. */
  memoryMb: number
}

/** Why a task did not run to the end: the pool was full, the task took too long or needed too much memory. */
export class PoolRefusal extends Error {
  constructor(
    readonly reason: 'busy' | 'timeout' | 'memory' | 'closed' | 'crashed',
    message: string,
  ) {
    super(message)
  }
}

/** An error the task itself reported (e.g. a zip bomb: status 413), with its message. */
export class TaskError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

interface Task {
  message: unknown
  transfer: ArrayBuffer[]
  resolve: (result: unknown) => void
  reject: (error: Error) => void
}

interface Slot {
  worker: Worker
  task: Task | null
  timer: NodeJS.Timeout | null
}

/**
 * A small pool of worker threads for CPU-heavy, memory-hungry work (rendering exports, reading imports),
 * so that the event loop keeps relaying edits and answering health checks meanwhile. At most `size`
 * tasks run at once, at most `maxQueue` wait; each runs at most `timeoutMs` within a heap of `memoryMb`.
 */
export class WorkerPool {
  private readonly slots = new Set<Slot>()
  private readonly queue: Task[] = []
  private closed = false

  constructor(
    private readonly entry: URL,
    private readonly options: PoolOptions,
  ) {}

  /** Tasks running now. */
  get busy(): number {
    let count = 0
    for (const slot of this.slots) if (slot.task) count++
    return count
  }

  run<T>(message: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new PoolRefusal('closed', 'the server is shutting down'))
    const idle = [...this.slots].find((slot) => !slot.task)
    if (!idle && this.slots.size >= this.options.size && this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new PoolRefusal('busy', 'too many exports and imports at once'))
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ message, transfer, resolve: resolve as (result: unknown) => void, reject })
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    this.closed = true
    for (const task of this.queue.splice(0))
      task.reject(new PoolRefusal('closed', 'the server is shutting down'))
    await Promise.all([...this.slots].map((slot) => this.retire(slot)))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = [...this.slots].find((candidate) => !candidate.task)
      if (!slot) {
        if (this.slots.size >= this.options.size) return
        slot = this.spawn()
      }
      const task = this.queue.shift() as Task
      slot.task = task
      slot.timer = setTimeout(() => {
        this.finish(slot, new PoolRefusal('timeout', `took longer than ${this.options.timeoutMs} ms`))
      }, this.options.timeoutMs)
      slot.worker.postMessage(task.message, task.transfer)
    }
  }

  private spawn(): Slot {
    const worker = startWorker(this.entry, this.options.memoryMb)
    const slot: Slot = { worker, task: null, timer: null }
    worker.on('message', (reply: { result?: unknown; error?: { message: string; status?: number } }) => {
      if (reply.error) this.finish(slot, new TaskError(reply.error.message, reply.error.status))
      else this.finish(slot, null, reply.result)
    })
    worker.on('error', (error: Error & { code?: string }) => {
      const refusal =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new PoolRefusal('memory', 'needed more memory than a worker may use')
          : new PoolRefusal('crashed', error.message)
      this.finish(slot, refusal)
    })
    worker.on('exit', () => {
      if (this.slots.has(slot)) this.finish(slot, new PoolRefusal('crashed', 'the worker stopped'))
    })
    this.slots.add(slot)
    return slot
  }

  /** Ends the slot's task; a worker that failed or timed out is replaced by a fresh one when needed. */
  private finish(slot: Slot, error: Error | null, result?: unknown): void {
    const task = slot.task
    if (slot.timer) clearTimeout(slot.timer)
    slot.timer = null
    slot.task = null
    if (error instanceof PoolRefusal) void this.retire(slot)
    if (task) {
      if (error) task.reject(error)
      else task.resolve(result)
    }
    if (!this.closed) this.dispatch()
  }

  private async retire(slot: Slot): Promise<void> {
    if (!this.slots.delete(slot)) return
    slot.worker.removeAllListeners('message')
    slot.worker.on('error', () => {})
    await slot.worker.terminate()
  }
}

/**
 * Starts a worker on `entry`. From the built server that is plain JavaScript; from the TypeScript
 * sources (tests, `npm run dev:server`) the worker first registers tsx, which compiles the sources.
 */
function startWorker(entry: URL, memoryMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: memoryMb }
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { resourceLimits })
  const api = createRequire(import.meta.url).resolve('tsx/esm/api')
  const esm = api.replace(/\.cjs$/, '.mjs')
  const loader = pathToFileURL(fs.existsSync(esm) ? esm : api).href
  const code = `import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(code, { eval: true, resourceLimits })
}

/** The worker entry next to a module: `name.ts` when running from source, `name.js` when built. */
export function siblingEntry(moduleUrl: string, name: string): URL {
  const fromSource = fileURLToPath(moduleUrl).endsWith('.ts')
  return new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, moduleUrl)
}
