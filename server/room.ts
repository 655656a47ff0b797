import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { AppendBatcher } from './append-batcher.js'
import type { Logger } from './log.js'
import {
  awarenessMessage,
  CloseCode,
  encodeAwarenessUpdate,
  type IncomingMessage,
  ProtocolError,
  parseAwarenessUpdate,
  parseMessage,
  SyncType,
  syncMessage,
} from './protocol.js'
import type { BoardStore } from './storage.js'
import type { Role } from './tokens.js'
import { checkUpdate } from './update-check.js'

/** One client's socket, as the room sees it: independent of the WebSocket library. */
export interface Connection {
  readonly id: string
  readonly role: Role
  send(message: Uint8Array): void
  close(code: number, reason: string): void
}

export interface RoomDeps {
  store: BoardStore
  appender: AppendBatcher
  log: Logger
  /** Updates in the log that trigger compaction into the snapshot. */
  compactEvery: number
  /** Largest awareness state (JSON characters) relayed for one client. */
  maxAwarenessState?: number
}

/** Changes made by the server itself (API import) carry this origin. */
export const SERVER_ORIGIN = Symbol('server')

/**
 * A loaded board: its Y.Doc, who is connected, and presence. Every document update follows one path:
 * checked → durably appended → applied to the doc → relayed to the other connections. The doc therefore
 * only ever holds durable state, and sync requests are answered from it.
 */
export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  private readonly connections = new Map<Connection, { clientId: number | null }>()
  /** Applies durable updates in arrival order; compaction runs in the same sequence. */
  private sequence: Promise<void> = Promise.resolve()
  private appliedSeq = 0
  private logLength = 0
  private readonly log: Logger

  private constructor(
    readonly boardId: string,
    private readonly deps: RoomDeps,
  ) {
    this.log = deps.log.child({ board: boardId })
    this.awareness.setLocalState(null)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.broadcast(syncMessage(SyncType.update, update), origin)
    })
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      const changed = [...added, ...updated, ...removed]
      this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)))
    })
  }

  static async load(boardId: string, deps: RoomDeps): Promise<Room> {
    const room = new Room(boardId, deps)
    const stored = await deps.store.load(boardId)
    const parts = stored.snapshot ? [{ seq: 0, update: stored.snapshot }, ...stored.updates] : stored.updates
    for (const { seq, update } of parts) {
      try {
        Y.applyUpdate(room.doc, update, SERVER_ORIGIN)
      } catch (error) {
        room.log.error({ err: error, seq }, 'skipped a stored update that does not apply')
      }
      room.appliedSeq = Math.max(room.appliedSeq, seq)
    }
    room.logLength = stored.updates.length
    return room
  }

  get connectionCount(): number {
    return this.connections.size
  }

  join(connection: Connection): void {
    this.connections.set(connection, { clientId: null })
    const encoderSv = Y.encodeStateVector(this.doc)
    connection.send(syncMessage(SyncType.step1, encoderSv))
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) {
      connection.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
    }
  }

  /** Handles one message of a connection. A malformed or forbidden one closes that connection only. */
  receive(connection: Connection, data: Uint8Array): void {
    if (!this.connections.has(connection)) return
    try {
      this.handle(connection, parseMessage(data))
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error
      this.log.warn({ conn: connection.id, reason: error.message }, 'closing connection: bad message')
      connection.close(CloseCode.badMessage, error.message)
      this.leave(connection)
    }
  }

  leave(connection: Connection): void {
    const state = this.connections.get(connection)
    if (!state) return
    this.connections.delete(connection)
    const { clientId } = state
    if (clientId !== null && !this.isClaimed(clientId)) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [clientId], connection)
    }
  }

  /**
   * Makes a server-side change (e.g. an import) through the same durable path as a client's update:
   * the change is computed on a copy, appended, and only then applied and relayed. Resolves when applied.
   */
  async change(fn: (doc: Y.Doc) => void): Promise<void> {
    await this.sequence
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc))
    const before = Y.encodeStateVector(copy)
    fn(copy)
    const update = Y.encodeStateAsUpdate(copy, before)
    copy.destroy()
    await this.submit(update, SERVER_ORIGIN)
  }

  /** Waits for everything received so far to be applied, compacts the log, and frees the doc. */
  async close(): Promise<void> {
    await this.sequence
    if (this.logLength > 0) await this.compact()
    this.awareness.destroy()
    this.doc.destroy()
  }

  private handle(connection: Connection, message: IncomingMessage): void {
    switch (message.type) {
      case 'sync-step1': {
        let reply: Uint8Array
        try {
          reply = Y.encodeStateAsUpdate(this.doc, message.stateVector)
        } catch {
          throw new ProtocolError('malformed state vector')
        }
        connection.send(syncMessage(SyncType.step2, reply))
        return
      }
      case 'sync-update':
        if (connection.role === 'observer') return // read-only: dropped, never stored or relayed
        if (isEmptyUpdate(message.update)) return // e.g. the sync answer of a client with nothing new
        checkUpdate(message.update)
        void this.submit(message.update, connection).catch(() => {})
        return
      case 'awareness':
        this.receiveAwareness(connection, message.update)
        return
      case 'query-awareness': {
        const states = [...this.awareness.getStates().keys()]
        connection.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
        return
      }
    }
  }

  /**
   * A connection may only speak for one awareness client id: the first it uses that no other live
   * connection of the room holds. Entries for any other id are dropped.
   */
  private receiveAwareness(connection: Connection, update: Uint8Array): void {
    const state = this.connections.get(connection)
    if (!state) return
    const max = this.deps.maxAwarenessState ?? 16 * 1024
    const entries = parseAwarenessUpdate(update).filter((entry) => {
      if (state.clientId === null && !this.isClaimed(entry.clientId)) state.clientId = entry.clientId
      if (entry.clientId !== state.clientId) return false
      if (entry.state.length > max) {
        this.log.warn({ conn: connection.id, size: entry.state.length }, 'dropped oversize awareness state')
        return false
      }
      return true
    })
    if (entries.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(entries), connection)
    }
  }

  private isClaimed(clientId: number): boolean {
    for (const other of this.connections.values()) if (other.clientId === clientId) return true
    return false
  }

  private submit(update: Uint8Array, origin: Connection | typeof SERVER_ORIGIN): Promise<void> {
    const durable = this.deps.appender.append(this.boardId, update)
    const applied = this.sequence.then(() =>
      durable.then(
        (seq) => this.apply(update, seq, origin),
        (error) => {
          this.log.error({ err: error }, 'append failed: update refused')
          if (origin !== SERVER_ORIGIN && this.connections.has(origin)) {
            origin.close(CloseCode.storageUnavailable, 'storage unavailable')
            this.leave(origin)
          }
          throw error
        },
      ),
    )
    this.sequence = applied.catch(() => {})
    return applied
  }

  private apply(update: Uint8Array, seq: number, origin: unknown): Promise<void> | undefined {
    try {
      Y.applyUpdate(this.doc, update, origin)
    } catch (error) {
      this.log.error({ err: error, seq }, 'a stored update did not apply')
    }
    this.appliedSeq = Math.max(this.appliedSeq, seq)
    this.logLength++
    if (this.logLength < this.deps.compactEvery) return undefined
    // A failed compaction loses nothing: the log stays and the next one tries again.
    return this.compact().catch((error) => this.log.error({ err: error }, 'compaction failed'))
  }

  private async compact(): Promise<void> {
    const upTo = this.appliedSeq
    const count = this.logLength
    await this.deps.store.compact(this.boardId, Y.encodeStateAsUpdate(this.doc), upTo)
    this.logLength -= count
    this.log.debug({ upTo, count }, 'compacted')
  }

  private broadcast(message: Uint8Array, except?: unknown): void {
    for (const connection of this.connections.keys()) {
      if (connection !== except) connection.send(message)
    }
  }
}

/** An update with no structs and no deletions: Yjs encodes it as two zero bytes. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0
}

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}
