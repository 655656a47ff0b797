import type { Role } from '../access/tokens.js'
import type { Bus } from '../bus/bus.js'
import type { Logger } from '../log.js'
import type { Withdrawn } from '../realtime/room.js'
import type { SequencedStore } from '../storage/sequenced.js'
import {
  BoardFeed,
  channelOf,
  deletedMessage,
  type FeedSink,
  revokeMessage,
  withdrawMessage,
} from './feed.js'

export interface ClusterOptions {
  /** How often the boards loaded here are compared with the store's last numbers (a lost last message). */
  checkEveryMs: number
  /** How long a skipped number may take to arrive over the bus before it is read from the store. */
  gapWaitMs: number
}

/**
 * This instance's part in a cluster: one feed per loaded board. Besides each feed's own gap detection,
 * two things catch what the bus lost when no later message shows the gap: after the bus connection
 * comes back every feed reads what it missed, and every `checkEveryMs` one query compares the last
 * number of every loaded board with the feed's.
 */
export class Cluster {
  private readonly feeds = new Map<string, BoardFeed>()
  private readonly timer: NodeJS.Timeout

  constructor(
    readonly store: SequencedStore,
    readonly bus: Bus,
    private readonly log: Logger,
    private readonly options: ClusterOptions,
  ) {
    bus.onResume(() => {
      log.warn({ boards: this.feeds.size }, 'bus connection back: catching up every board')
      for (const feed of this.feeds.values()) void feed.catchUp('resume')
    })
    this.timer = setInterval(() => void this.check(), options.checkEveryMs)
    this.timer.unref()
  }

  /** The feed of a board being loaded here (one per board at a time). */
  feed(boardId: string, sink: FeedSink): BoardFeed {
    const feed = new BoardFeed(
      boardId,
      this.store,
      this.bus,
      sink,
      this.log,
      { gapWaitMs: this.options.gapWaitMs },
      () => {
        if (this.feeds.get(boardId) === feed) this.feeds.delete(boardId)
      },
    )
    this.feeds.set(boardId, feed)
    return feed
  }

  /** Tells every other instance that a role's link of a board was replaced (they close its holders). */
  revoke(boardId: string, role: Role): void {
    this.bus.publish(channelOf(boardId), revokeMessage(role))
  }

  /** Tells every other instance that access to a board was withdrawn (they close its holders). */
  withdraw(boardId: string, withdrawn: Withdrawn): void {
    this.bus.publish(channelOf(boardId), withdrawMessage(withdrawn))
  }

  /** Tells every other instance that a board was deleted (they close its connections with 4410). */
  deleted(boardId: string): void {
    this.bus.publish(channelOf(boardId), deletedMessage())
  }

  /** Reads what every loaded board lacks according to the store's last numbers. */
  async check(): Promise<void> {
    if (this.feeds.size === 0) return
    try {
      const heads = await this.store.heads([...this.feeds.keys()])
      for (const [boardId, head] of heads) {
        const feed = this.feeds.get(boardId)
        if (feed && head > feed.position) void feed.catchUp('check')
      }
    } catch (error) {
      this.log.warn({ err: error }, 'checking boards against the store failed')
    }
  }

  close(): void {
    clearInterval(this.timer)
  }
}
