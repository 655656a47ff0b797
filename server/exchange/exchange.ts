import type { LaneSelection } from '../../model/export.js'
import type { BoardTemplate } from '../../model/template.js'
import type { ExportFormat } from '../export/render.js'
import { HttpError } from '../http/http.js'
import type { ImportKind, PreparedImport } from '../import/prepare.js'
import type { ReportFormat } from '../report/render.js'
import { PoolRefusal, siblingEntry, TaskError, WorkerPool } from './pool.js'
import type { ExchangeTask, ExportResult } from './tasks.js'

export interface ExchangeOptions {
  workers: number
  queue: number
  timeoutMs: number
  maxUnpackedBytes: number
}

/** Heap of one exchange worker: four DOCX exports of a 4,900-card board took about 1 GB together. */
const WORKER_MEMORY_MB = 1024

/**
 * Exports and imports, run in worker threads (pool.ts): rendering a DOCX of thousands of cards or
 * reading a large spreadsheet takes seconds and much memory, which must not stop the event loop that
 * relays edits. Refusals come back as HTTP errors: 503 (busy, too slow, too much memory) or the task's own.
 */
export class Exchange {
  private readonly pool: WorkerPool

  constructor(private readonly options: ExchangeOptions) {
    this.pool = new WorkerPool(siblingEntry(import.meta.url, 'worker'), {
      size: options.workers,
      maxQueue: options.queue,
      timeoutMs: options.timeoutMs,
      memoryMb: WORKER_MEMORY_MB,
    })
  }

  /** Tasks running now. */
  get busy(): number {
    return this.pool.busy
  }

  /** Renders a board, given as its Yjs state, as an export of `lane` in `format` (`names: false`: without movers' names). */
  export(state: Uint8Array, lane: LaneSelection, format: ExportFormat, names = true): Promise<ExportResult> {
    return this.run<ExportResult>({ type: 'export', state, lane, format, names }, [state])
  }

  /** Renders a board, given as its Yjs state, as the session report in `format`. */
  report(state: Uint8Array, format: ReportFormat): Promise<ExportResult> {
    return this.run<ExportResult>({ type: 'report', state, format }, [state])
  }

  /** Reads an import against a board's template (nothing is changed). */
  prepareImport(kind: ImportKind, body: Buffer, template: BoardTemplate): Promise<PreparedImport> {
    const bytes = new Uint8Array(body)
    return this.run<PreparedImport>(
      { type: 'import', kind, body: bytes, template, maxUnpackedBytes: this.options.maxUnpackedBytes },
      [bytes.buffer as ArrayBuffer],
    )
  }

  close(): Promise<void> {
    return this.pool.close()
  }

  private async run<T>(task: ExchangeTask, transfer: Uint8Array[] | ArrayBuffer[]): Promise<T> {
    const buffers = transfer.map((item) => (item instanceof Uint8Array ? item.buffer : item)) as ArrayBuffer[]
    try {
      return await this.pool.run<T>(task, buffers)
    } catch (error) {
      if (error instanceof TaskError) {
        if (error.status) throw new HttpError(error.status, error.message)
        throw new Error(`exchange task failed: ${error.message}`)
      }
      if (error instanceof PoolRefusal) {
        const message = {
          busy: 'Too many exports and imports at once; try again in a moment',
          timeout: `The export or import took longer than ${this.options.timeoutMs} ms and was stopped`,
          memory: 'The export or import needed more memory than allowed and was stopped',
          closed: 'The server is shutting down',
          crashed: 'The export or import failed',
        }[error.reason]
        throw new HttpError(error.reason === 'crashed' ? 500 : 503, message, undefined, {
          'retry-after': '5',
        })
      }
      throw error
    }
  }
}
