import type { Logger } from '../log.js'
import type { Rooms } from '../realtime/rooms.js'
import type { BoardStore, InactiveBoard } from './store.js'

export const DAY_MS = 86_400_000

/** Boards deleted per sweep at most; the next sweep takes the rest. */
const SWEEP_BATCH = 100

export interface RetentionOptions {
  /** RETENTION_DAYS: days without activity after which a board is deleted; 0: never. */
  days: number
  /** The clock (ms); tests pass a controllable one. */
  now: () => number
  /** How often the server looks for boards to delete. */
  sweepEveryMs: number
}

/** What the facilitator is told about the board's automatic deletion. */
export interface RetentionStatus {
  retentionDays: number
  lastActivity: string
  /** When the board will be deleted if nothing happens on it before; null when retention is off. */
  deleteAfter: string | null
}

/**
 * Boards without activity (an update appended, or a postponement) for `days` are deleted with every
 * trace, as by their facilitator (Rooms.deleteBoard: connected clients are told with 4410). A sweep
 * runs at start and every `sweepEveryMs`; in a cluster each instance sweeps, and a board deleted twice
 * is simply gone. Rules [RT3]–[RT6] in test/server/board-life.test.ts.
 */
export class Retention {
  private timer: NodeJS.Timeout | null = null
  private sweeping: Promise<string[]> | null = null

  constructor(
    private readonly store: BoardStore,
    private readonly rooms: Rooms,
    private readonly log: Logger,
    readonly options: RetentionOptions,
  ) {}

  get enabled(): boolean {
    return this.options.days > 0
  }

  /** The board's retention status, or undefined when it does not exist. */
  async status(boardId: string): Promise<RetentionStatus | undefined> {
    const activeAt = await this.store.lastActivity(boardId)
    if (activeAt === undefined) return undefined
    return {
      retentionDays: this.options.days,
      lastActivity: new Date(activeAt).toISOString(),
      deleteAfter: this.enabled ? new Date(activeAt + this.options.days * DAY_MS).toISOString() : null,
    }
  }

  /** The facilitator keeps the board: its retention period starts again now. */
  async postpone(boardId: string): Promise<RetentionStatus | undefined> {
    await this.store.touchBoard(boardId, this.options.now())
    return this.status(boardId)
  }

  /** The boards a sweep would delete now (the operator's dry run), least recently active first. */
  async expired(limit = Number.MAX_SAFE_INTEGER): Promise<InactiveBoard[]> {
    if (!this.enabled) return []
    return this.store.inactiveBoards(this.options.now() - this.options.days * DAY_MS, limit)
  }

  /** Deletes every expired board; returns their ids. One sweep at a time. */
  sweep(): Promise<string[]> {
    this.sweeping ??= this.deleteExpired().finally(() => {
      this.sweeping = null
    })
    return this.sweeping
  }

  start(): void {
    if (!this.enabled || this.timer) return
    const run = () =>
      void this.sweep().catch((error) => this.log.error({ err: error }, 'retention sweep failed'))
    run()
    this.timer = setInterval(run, this.options.sweepEveryMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.sweeping?.catch(() => {})
  }

  private async deleteExpired(): Promise<string[]> {
    const deleted: string[] = []
    for (;;) {
      const batch = await this.expired(SWEEP_BATCH)
      if (batch.length === 0) return deleted
      for (const board of batch) {
        await this.rooms.deleteBoard(board.id)
        deleted.push(board.id)
        this.log.info(
          { board: board.id, lastActivity: new Date(board.activeAt).toISOString() },
          'board deleted after the retention period',
        )
      }
    }
  }
}
