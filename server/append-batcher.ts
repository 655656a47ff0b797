import { appendedUpdates, appendSeconds } from './metrics.js'
import type { BoardStore } from './storage.js'

interface Waiting {
  boardId: string
  update: Uint8Array
  resolve: (seq: number) => void
  reject: (error: unknown) => void
}

/**
 * Collects the updates that arrive in one event-loop turn, from every room, and appends them to the
 * store in one transaction (one fsync). Batches are written one after another, in arrival order, and
 * each caller's promise settles only once its update is durable (or the batch failed).
 */
export class AppendBatcher {
  private queue: Waiting[] = []
  private scheduled = false
  private writing: Promise<void> = Promise.resolve()

  constructor(private readonly store: BoardStore) {}

  append(boardId: string, update: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ boardId, update, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => {
          this.scheduled = false
          const batch = this.queue
          this.queue = []
          this.writing = this.writing.then(() => this.write(batch))
        })
      }
    })
  }

  /** Resolves once everything appended so far is written (or has failed). */
  async drain(): Promise<void> {
    while (this.scheduled || this.queue.length > 0) await new Promise((resolve) => setImmediate(resolve))
    await this.writing
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const stop = appendSeconds.startTimer()
      const seqs = await this.store.append(batch.map(({ boardId, update }) => ({ boardId, update })))
      stop()
      appendedUpdates.inc(batch.length)
      for (const [i, waiting] of batch.entries()) waiting.resolve(seqs[i] as number)
    } catch (error) {
      for (const waiting of batch) waiting.reject(error)
    }
  }
}
