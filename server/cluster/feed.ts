import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { ROLES, type Role } from '../access/tokens.js'
import type { Bus } from '../bus/bus.js'
import type { Logger } from '../log.js'
import type { Withdrawn } from '../realtime/room.js'
import type { SequencedStore } from '../storage/sequenced.js'
import type { StoredBoard } from '../storage/store.js'
import { busMessages, catchUps, caughtUpUpdates } from './metrics.js'

/** What a board's room does with what arrives from other instances. */
export interface FeedSink {
  /** An update another instance committed (or the snapshot holding some), in sequence order. */
  applyRemote(update: Uint8Array): void
  /** Presence of clients connected to another instance. */
  applyAwareness(update: Uint8Array): void
  /** A role's link was replaced through another instance: close the connections holding it. */
  disconnectRole(role: Role): void
  /** Access was withdrawn through another instance (an invitation revoked, the shared link off). */
  disconnectWhere(withdrawn: Withdrawn): void
  /** The board was deleted through another instance: close every connection with 4410. */
  boardDeleted(): void
}

const UPDATE = 0
const AWARENESS = 1
const REVOKE = 2
const WITHDRAW = 3
const DELETED = 4

/** The bus channel of a board. */
export const channelOf = (boardId: string) => `werkbord:board:${boardId}`

/** The message telling every instance that a role's link of the board was replaced. */
export function revokeMessage(role: Role): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8(encoder, REVOKE)
  encoding.writeVarString(encoder, role)
  return encoding.toUint8Array(encoder)
}

/** The message telling every instance to close the connections whose access was withdrawn. */
export function withdrawMessage(withdrawn: Withdrawn): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8(encoder, WITHDRAW)
  encoding.writeVarString(encoder, 'invitation' in withdrawn ? withdrawn.invitation : '')
  return encoding.toUint8Array(encoder)
}

/** The message telling every instance that the board was deleted. */
export function deletedMessage(): Uint8Array {
  return new Uint8Array([DELETED])
}

export interface FeedOptions {
  /** How long an update may wait for an earlier one from the bus before that is read from the store. */
  gapWaitMs: number
}

/**
 * One board's link to the other instances. Updates are numbered per board in commit order (the
 * store's sequence numbers); the feed keeps `head`, the number up to which the room holds every update,
 * and applies other instances' updates strictly in that order. An update this instance committed
 * itself is in the room already; it is published, and counted when its number comes up. When a number
 * is skipped (a message lost: Redis restarted, a network blip) and does not arrive within `gapWaitMs`,
 * or when told that the bus lost messages, the feed reads what follows `head` from the store.
 */
export class BoardFeed {
  private head = 0
  private started = false
  private closed = false
  /** Messages that arrived while the board was being loaded. */
  private early: Uint8Array[] = []
  /** Numbers above head+1 of this instance's own updates, already in the room. */
  private readonly localAhead = new Set<number>()
  /** Other instances' updates above head+1, waiting for the ones before them. */
  private readonly remoteAhead = new Map<number, Uint8Array>()
  private gapTimer: NodeJS.Timeout | null = null
  private catching: Promise<void> | null = null
  private again = false
  private unsubscribe: () => void = () => {}

  constructor(
    readonly boardId: string,
    private readonly store: SequencedStore,
    private readonly bus: Bus,
    private readonly sink: FeedSink,
    private readonly log: Logger,
    private readonly options: FeedOptions,
    private readonly onClose: () => void,
  ) {}

  private get channel(): string {
    return channelOf(this.boardId)
  }

  /** The number up to which the room holds every update of the board. */
  get position(): number {
    return this.head
  }

  /**
   * Subscribes, then reads the board: nothing committed after the read can be missed, and what
   * arrived before it is sorted out by number once `start` is called.
   */
  async load(): Promise<StoredBoard & { head: number }> {
    try {
      const subscribed = this.bus.subscribe(this.channel, (message) => this.receive(message))
      // A bus that does not answer does not stop the board: what it misses is read from the store.
      subscribed.then(
        (off) => {
          if (this.closed) off()
          else this.unsubscribe = off
        },
        (error) => this.log.warn({ err: error, board: this.boardId }, 'subscribing failed'),
      )
      await Promise.race([subscribed.catch(() => {}), delay(2000)])
      const board = await this.store.readSince(this.boardId, 0)
      return { snapshot: board.snapshot?.data ?? null, updates: board.updates, head: board.head }
    } catch (error) {
      this.close()
      throw error
    }
  }

  /** The room holds everything up to `head` (what `load` returned): go. */
  start(head: number): void {
    this.head = head
    this.started = true
    for (const message of this.early.splice(0)) this.receive(message)
  }

  /** This instance committed `update` as number `seq` and applied it: tell the others. */
  committed(seq: number, update: Uint8Array): void {
    const encoder = encoding.createEncoder()
    encoding.writeUint8(encoder, UPDATE)
    encoding.writeVarUint(encoder, seq)
    encoding.writeUint8Array(encoder, update)
    this.bus.publish(this.channel, encoding.toUint8Array(encoder))
    busMessages.inc({ direction: 'out', kind: 'update' })
    if (seq <= this.head) return
    this.localAhead.add(seq)
    this.advance()
  }

  publishAwareness(update: Uint8Array): void {
    const encoder = encoding.createEncoder()
    encoding.writeUint8(encoder, AWARENESS)
    encoding.writeUint8Array(encoder, update)
    this.bus.publish(this.channel, encoding.toUint8Array(encoder))
    busMessages.inc({ direction: 'out', kind: 'awareness' })
  }

  /** Reads from the store what follows `head` (one read at a time; a request during one runs after it). */
  catchUp(cause: 'gap' | 'check' | 'resume'): Promise<void> {
    if (this.closed || !this.started) return Promise.resolve()
    if (this.catching) {
      this.again = true
      return this.catching
    }
    catchUps.inc({ cause })
    this.catching = this.read()
      .catch((error) => this.log.warn({ err: error, board: this.boardId }, 'catching up failed'))
      .finally(() => {
        this.catching = null
        if (this.again && !this.closed) {
          this.again = false
          void this.catchUp(cause)
        }
      })
    return this.catching
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.gapTimer) clearTimeout(this.gapTimer)
    this.unsubscribe()
    this.onClose()
  }

  private receive(message: Uint8Array): void {
    if (this.closed) return
    if (!this.started) {
      this.early.push(message)
      return
    }
    let kind: number
    let seq = 0
    let payload: Uint8Array
    let role = ''
    try {
      const decoder = decoding.createDecoder(message)
      kind = decoding.readUint8(decoder)
      if (kind === UPDATE) seq = decoding.readVarUint(decoder)
      if (kind === REVOKE || kind === WITHDRAW) role = decoding.readVarString(decoder)
      payload = decoding.readTailAsUint8Array(decoder)
    } catch {
      this.log.warn({ board: this.boardId }, 'dropped a malformed bus message')
      return
    }
    if (kind === REVOKE) {
      if ((ROLES as readonly string[]).includes(role)) this.sink.disconnectRole(role as Role)
      return
    }
    if (kind === WITHDRAW) {
      this.sink.disconnectWhere(role === '' ? { sharedLink: true } : { invitation: role })
      return
    }
    if (kind === DELETED) {
      this.sink.boardDeleted()
      return
    }
    if (kind === AWARENESS) {
      busMessages.inc({ direction: 'in', kind: 'awareness' })
      this.sink.applyAwareness(payload)
      return
    }
    if (kind !== UPDATE) return
    busMessages.inc({ direction: 'in', kind: 'update' })
    if (seq <= this.head || this.localAhead.has(seq) || this.remoteAhead.has(seq)) return
    this.remoteAhead.set(seq, payload)
    this.advance()
  }

  /** Moves `head` over every number now held, applying waiting updates in order. */
  private advance(): void {
    for (;;) {
      const next = this.head + 1
      if (this.localAhead.delete(next)) {
        this.head = next
        continue
      }
      const update = this.remoteAhead.get(next)
      if (!update) break
      this.remoteAhead.delete(next)
      this.head = next
      this.sink.applyRemote(update)
    }
    if (this.localAhead.size === 0 && this.remoteAhead.size === 0) {
      if (this.gapTimer) clearTimeout(this.gapTimer)
      this.gapTimer = null
    } else if (!this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null
        if (this.localAhead.size > 0 || this.remoteAhead.size > 0) void this.catchUp('gap')
      }, this.options.gapWaitMs)
    }
  }

  private async read(): Promise<void> {
    const from = this.head
    const board = await this.store.readSince(this.boardId, from)
    if (this.closed) return
    if (board.snapshot && board.snapshot.seq > this.head) {
      // What followed head was compacted: the snapshot holds it (and more; applying it twice is harmless).
      this.sink.applyRemote(board.snapshot.data)
      this.head = board.snapshot.seq
      for (const seq of this.localAhead) if (seq <= this.head) this.localAhead.delete(seq)
      for (const seq of this.remoteAhead.keys()) if (seq <= this.head) this.remoteAhead.delete(seq)
    }
    let read = 0
    for (const { seq, update } of board.updates) {
      if (seq <= this.head || this.localAhead.has(seq) || this.remoteAhead.has(seq)) continue
      this.remoteAhead.set(seq, update)
      read++
    }
    caughtUpUpdates.inc(read)
    if (read > 0) this.log.info({ board: this.boardId, from, read }, 'caught up from the store')
    this.advance()
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
