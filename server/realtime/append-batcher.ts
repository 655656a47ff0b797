import { appendedUpdates, appendSeconds } from '../metrics.js'
import type { BoardStore } from '../storage/store.js'

interface Waiting {
  boardId: string
  update: Uint8Array
  resolve: (seq: number) => void
  reject: (error: unknown) => void
}

/**
 * Group commit: updates from every room are collected while a batch is being written, and the next
 * batch takes all of them in one transaction (one fsync). Batches are written one after another, in
 * arrival order, and each caller's promise settles only once its update is durable (or its batch failed).
 */
export class AppendBatcher {
  private queue: Waiting[] = []
  private scheduled = false
  private writing: Promise<void> | null = null

  constructor(private readonly store: BoardStore) {}

  append(boardId: string, update: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ boardId, update, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once everything appended so far is written (or has failed). */
  async drain(): Promise<void> {
    while (this.scheduled || this.writing || this.queue.length > 0) {
      await (this.writing ?? new Promise((resolve) => setImmediate(resolve)))
    }
  }

  /** The next batch starts at the end of this event-loop turn, or when the one being written is done. */
  private schedule(): void {
    if (this.scheduled || this.writing) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      const batch = this.queue
      this.queue = []
      this.writing = this.write(batch).finally(() => {
        this.writing = null
        if (this.queue.length > 0) this.schedule()
      })
    })
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
