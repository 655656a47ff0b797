import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { AppendEntry } from './store.js'

/**
 * The worker's own code, plain JavaScript run as an eval'd CommonJS module, so it loads the same way
 * from the TypeScript sources (tests, tsx) and from the build. It owns a second connection to the same
 * SQLite file (WAL: the main connection keeps reading while it writes) and runs one transaction per
 * message (a batch of appends, or a compaction), in the order the messages arrive.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
db.pragma('secure_delete = ON')
const insert = db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)')
const touch = db.prepare('UPDATE boards SET active_at = MAX(COALESCE(active_at, 0), ?) WHERE id = ?')
const append = db.transaction((entries, touched, now) => {
  const seqs = entries.map((entry) => Number(insert.run(entry.boardId, entry.update).lastInsertRowid))
  for (const id of touched) touch.run(now, id)
  return seqs
})
const putSnapshot = db.prepare('INSERT INTO snapshots (board_id, data) VALUES (?, ?) ON CONFLICT (board_id) DO UPDATE SET data = excluded.data')
const deleteUpdates = db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?')
const compact = db.transaction((boardId, snapshot, upToSeq) => {
  putSnapshot.run(boardId, snapshot)
  deleteUpdates.run(boardId, upToSeq)
})
parentPort.on('message', (message) => {
  try {
    if (message.type === 'close') {
      db.close()
      parentPort.close()
      return
    }
    const result =
      message.type === 'pragma' ? db.pragma(message.statement)
      : message.type === 'compact' ? compact(message.boardId, message.snapshot, message.upToSeq)
      : append(message.entries, message.touch, message.now)
    parentPort.postMessage({ id: message.id, result })
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message), code: error && error.code } })
  }
})
`

interface Pending {
  resolve: (result: unknown) => void
  reject: (error: Error) => void
}

/**
 * Appends updates to the SQLite file from a worker thread. The fsync of each transaction then no
 * longer stops the event loop: relays, presence and joins go on while a batch is being made durable.
 * A promise resolves only after the worker's transaction committed (synchronous=FULL).
 */
export class AppendWorker {
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private failure: Error | null = null
  private readonly exited: Promise<void>

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = new Worker(SOURCE, { eval: true, workerData: { file, driver } })
    this.worker.on(
      'message',
      (message: { id: number; result?: unknown; error?: { message: string; code?: string } }) => {
        const waiting = this.pending.get(message.id)
        if (!waiting) return
        this.pending.delete(message.id)
        if (message.error)
          waiting.reject(Object.assign(new Error(message.error.message), { code: message.error.code }))
        else waiting.resolve(message.result)
      },
    )
    this.worker.on('error', (error) => this.fail(error))
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.exited.then(() => this.fail(new Error('the append worker stopped')))
  }

  /** Appends in one transaction, which also writes `touch`'s boards' activity time as `now`. */
  append(entries: readonly AppendEntry[], touch: readonly string[], now: number): Promise<number[]> {
    return this.call({ type: 'append', entries, touch, now }) as Promise<number[]>
  }

  /**
   * Replaces a board's snapshot and its updates up to `upToSeq` in one transaction, between two append
   * batches: the snapshot is committed together with the deletion of the rows it covers (nothing is lost
   * if the process dies at any moment), and neither its writing (secure_delete overwrites the deleted
   * rows) nor its fsync stops the event loop, nor does it wait for the write lock against the appends.
   */
  compact(boardId: string, snapshot: Uint8Array, upToSeq: number): Promise<void> {
    return this.call({ type: 'compact', boardId, snapshot, upToSeq }) as Promise<void>
  }

  /** Runs a PRAGMA on the worker's connection (e.g. the same setting as on the main connection). */
  pragma(statement: string): Promise<unknown> {
    return this.call({ type: 'pragma', statement })
  }

  /** Finishes what was sent, closes the worker's connection and ends the thread. */
  async close(): Promise<void> {
    if (!this.failure) this.worker.postMessage({ type: 'close' })
    await this.exited
  }

  private call(message: object): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...message, id })
    })
  }

  private fail(error: Error): void {
    this.failure ??= error
    for (const waiting of this.pending.values()) waiting.reject(this.failure)
    this.pending.clear()
  }
}
