import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { CardKey, cardsOf } from '../../model/layout.js'
import { cleanName } from '../../model/names.js'
import type { Role } from '../access/tokens.js'
import { numberConflicts, YOUNG_CARD_MS, type YoungCard } from '../cluster/card-numbers.js'
import type { Cluster } from '../cluster/cluster.js'
import type { BoardFeed } from '../cluster/feed.js'
import type { Logger } from '../log.js'
import { rejected } from '../metrics.js'
import { BoardBudget, BoardFull, type BoardLimitSettings } from '../rules/board-limits.js'
import { RuleKeeper } from '../rules/rules.js'
import { inspectUpdate, missingDependency, type UpdateShape, updateEnds } from '../rules/update-check.js'
import type { DecodedUpdate } from '../rules/update-scope.js'
import type { BoardStore } from '../storage/store.js'
import type { AppendBatcher } from './append-batcher.js'
import { attribution, observeCards, type PendingWrites } from './attribution.js'
import { changesNothing } from './no-op-update.js'
import {
  awarenessMessage,
  CloseCode,
  encodeAwarenessUpdate,
  ForbiddenChange,
  type IncomingMessage,
  ProtocolError,
  parseAwarenessUpdate,
  parseMessage,
  SyncType,
  syncMessage,
} from './protocol.js'

/** One client's socket, as the room sees it: independent of the WebSocket library. */
export interface Connection {
  readonly id: string
  readonly role: Role
  send(message: Uint8Array): void
  close(code: number, reason: string): void
  /** Counts bytes sent in answer to this connection's own request against its rate limit. */
  charge?(bytes: number): void
  /** The personal invitation the connection's link belongs to (server/access/invitations.ts); none for board links. */
  readonly invitation?: { id: string; name: string } | null
}

/** Access withdrawn while connected: one personal invitation revoked, or the shared participant link off. */
export type Withdrawn = { invitation: string } | { sharedLink: true }

/** Whether a connection holds the access that was withdrawn. */
function holdsWithdrawn(connection: Connection, withdrawn: Withdrawn): boolean {
  if ('invitation' in withdrawn) return connection.invitation?.id === withdrawn.invitation
  return connection.role === 'participant' && !connection.invitation
}

export interface RoomDeps {
  store: BoardStore
  appender: AppendBatcher
  log: Logger
  /** Updates in the log that trigger compaction into the snapshot. */
  compactEvery: number
  /** How long after a phase change participants' changes allowed before it are still accepted. */
  phaseGraceMs?: number
  /** Largest awareness state (JSON characters) relayed for one client. */
  maxAwarenessState?: number
  /** Cards and bytes a board may hold (board-limits.ts); none when absent. */
  limits?: BoardLimitSettings
  /** Several instances share the boards (DATABASE_URL and REDIS_URL): how this one hears of the others. */
  cluster?: Cluster
}

/**
 * How long relaying waits at most for another instance to renumber a new card it stored
 * (cluster/card-numbers.ts); after that what was held goes out, twin numbers and all.
 */
const REMOTE_HOLD_MS = 5000
/** How long a card that must give up its number waits for its own instance before another renumbers it. */
const SILENT_INSTANCE_MS = 10_000

/** Updates and presence from other instances (over the bus, or read from the store) carry this origin. */
export const CLUSTER_ORIGIN = Symbol('cluster')

/** Changes made by the server itself (API import) carry this origin. */
export const SERVER_ORIGIN = Symbol('server')

/** Least time between two requests to one connection to send what the server is missing. */
const RESYNC_INTERVAL_MS = 1000

/**
 * Presence changes are relayed at most this often per room, merged into one message. Every stock
 * y-websocket client sends each awareness update it receives back to the server, so relaying each
 * change one by one would let one connection's cursor stream multiply by the size of the room.
 */
const AWARENESS_INTERVAL_MS = 50

interface ConnectionState {
  /** The awareness client id this connection speaks for, once it used one. */
  clientId: number | null
  /** When the server last asked this connection to resend what it is missing (sync step 1). */
  resyncAt: number
  /**
   * The state of the board sent whole when the connection joined (a client that said it has no copy):
   * its own sync step 1, which follows, is answered with what came after that only. Once answered, null.
   */
  sentWhole: Map<number, number> | null
}

/** How a connection joins: `fresh`, the client has no copy of the board (it asked for it whole at once). */
export interface JoinOptions {
  fresh?: boolean
}

/**
 * A loaded board: its Y.Doc, who is connected, and presence. Every document update follows one path:
 * checked → durably appended → applied to the doc → relayed to the other connections. The doc therefore
 * only ever holds durable state, and sync requests are answered from it.
 */
export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  /** The werksessie's rules (roles × phases), checked for every incoming update. */
  private readonly rules: RuleKeeper
  /** The sync answer for a client that has nothing of the board yet; null once the board changed. */
  private fullAnswer: Uint8Array | null = null
  /** Updates accepted and being stored, not yet applied; their structs once a rules check needed them. */
  private readonly pending = new Map<Uint8Array, DecodedUpdate['structs'] | null>()
  private readonly connections = new Map<Connection, ConnectionState>()
  /** Applies durable updates in arrival order. */
  private sequence: Promise<void> = Promise.resolve()
  /**
   * The compaction being written, if any: one at a time per room. It runs beside the sequence, so
   * updates go on being stored, applied and relayed while the snapshot is written.
   */
  private compacting: Promise<void> | null = null
  private appliedSeq = 0
  private logLength = 0
  /** Per client, the clock that accepted updates not yet applied reach; cleared once all are applied. */
  private readonly accepted = new Map<number, number>()
  private acceptedCount = 0
  /** Presence of these clients changed since it was last relayed. */
  private readonly awarenessChanged = new Set<number>()
  private awarenessTimer: NodeJS.Timeout | null = null
  private awarenessSentAt = Number.NEGATIVE_INFINITY
  private readonly log: Logger
  /** The client id the server writes attribution as (server/realtime/attribution.ts): random per loaded room. */
  private readonly writer = randomClientId()
  /** The server's attribution writes accepted but not applied yet. */
  private readonly pendingWrites: PendingWrites = { items: new Map(), numbers: new Map() }
  /** Attribution updates being stored: relaying is held until they are applied. */
  private readonly stamps = new Set<Uint8Array>()
  /** Relays held back while a stored change waits for its attribution (null: none held). */
  private held: { update: Uint8Array; except: unknown }[] | null = null
  private holds = 0
  /** The board's limits on cards and size, checked before an update is stored. */
  private readonly budget: BoardBudget
  /** In a cluster: this board's link to the other instances. */
  private feed: BoardFeed | null = null
  /** Cards created lately, watched for a number another instance gave too (cluster/card-numbers.ts). */
  private readonly young = new Map<string, YoungCard>()
  /** The number each young card held when this instance last renumbered it. */
  private readonly renumbered = new Map<string, number>()
  /** Cards other instances moved, awaiting the mover stamp of the move: the stamp item they held then. */
  private readonly awaitingMover = new Map<string, Y.Item | null>()
  /** Holds taken for other instances' updates, kept while a new card's number is not settled. */
  private remoteHolds = 0
  private remoteHoldTimer: NodeJS.Timeout | null = null
  private silentTimer: NodeJS.Timeout | null = null
  /** The board is being deleted, or was: nothing more is taken in, stored or compacted. */
  private deleted = false

  private constructor(
    readonly boardId: string,
    private readonly deps: RoomDeps,
  ) {
    this.rules = new RuleKeeper(this.doc, deps.phaseGraceMs)
    this.budget = new BoardBudget(this.doc, deps.limits ?? { maxCards: 0, maxBytes: 0 })
    this.log = deps.log.child({ board: boardId })
    this.awareness.setLocalState(null)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.fullAnswer = null
      if (this.held) this.held.push({ update, except: origin })
      else this.broadcast(syncMessage(SyncType.update, update), origin)
    })
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      for (const clientId of [...added, ...updated, ...removed]) this.awarenessChanged.add(clientId)
      this.scheduleAwareness()
    })
  }

  static async load(boardId: string, deps: RoomDeps): Promise<Room> {
    const room = new Room(boardId, deps)
    const feed = deps.cluster?.feed(boardId, {
      applyRemote: (update) => room.applyRemote(update),
      applyAwareness: (update) =>
        awarenessProtocol.applyAwarenessUpdate(room.awareness, update, CLUSTER_ORIGIN),
      disconnectRole: (role) => room.disconnectRole(role),
      disconnectWhere: (withdrawn) => room.disconnectWhere(withdrawn),
      boardDeleted: () => room.endDeleted(),
    })
    const sequenced = feed ? await feed.load() : null
    const stored = sequenced ?? (await deps.store.load(boardId))
    const parts = stored.snapshot ? [{ seq: 0, update: stored.snapshot }, ...stored.updates] : stored.updates
    for (const { seq, update } of parts) {
      try {
        Y.applyUpdate(room.doc, update, SERVER_ORIGIN)
      } catch (error) {
        room.log.error({ err: error, seq }, 'skipped a stored update that does not apply')
      }
      room.appliedSeq = Math.max(room.appliedSeq, seq)
    }
    room.dropPending('load')
    room.logLength = stored.updates.length
    room.budget.loaded(parts.reduce((sum, part) => sum + part.update.length, 0))
    if (feed && sequenced) {
      room.feed = feed
      feed.start(sequenced.head)
    }
    return room
  }

  /** Who is connected: each connection's role and, when it shares presence, its name. */
  participants(): { role: Role; name: string | null }[] {
    return [...this.connections].map(([connection, state]) => {
      const presence = state.clientId === null ? undefined : this.awareness.getStates().get(state.clientId)
      const shown = (presence as { user?: { name?: unknown } } | undefined)?.user?.name
      const name = connection.invitation?.name ?? shown
      return {
        role: connection.role,
        name: typeof name === 'string' && name !== '' ? name.slice(0, 60) : null,
      }
    })
  }

  /** Closes every connection that holds `role` (its link was replaced): they must get the new link. */
  disconnectRole(role: Role): number {
    const holders = [...this.connections.keys()].filter((connection) => connection.role === role)
    for (const connection of holders) {
      connection.close(CloseCode.unauthorized, 'link replaced')
      this.leave(connection)
    }
    return holders.length
  }

  /** Closes the connections whose access was withdrawn (4401): a revoked invitation, the shared link off. */
  disconnectWhere(withdrawn: Withdrawn): number {
    const holders = [...this.connections.keys()].filter((connection) => holdsWithdrawn(connection, withdrawn))
    const reason = 'invitation' in withdrawn ? 'invitation revoked' : 'shared link off'
    for (const connection of holders) {
      connection.close(CloseCode.unauthorized, reason)
      this.leave(connection)
    }
    return holders.length
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /** The board is being deleted: from now on messages are dropped and nothing is compacted. */
  beginDeletion(): void {
    this.deleted = true
  }

  /** Deleting the board failed: the room works on. */
  cancelDeletion(): void {
    this.deleted = false
  }

  /** The board is deleted: every connection is closed with 4410 (their copies must go). Returns how many. */
  endDeleted(): number {
    this.deleted = true
    const all = [...this.connections.keys()]
    for (const connection of all) {
      connection.close(CloseCode.boardDeleted, 'board deleted')
      this.leave(connection)
    }
    return all.length
  }

  /**
   * A connection joins: it gets the board's state vector (sync step 1) and who is here. A client that
   * has no copy of the board (`fresh`, our browser client on its first visit) gets the whole board at
   * once too, without waiting for its own sync step 1: that is one round trip, and on a busy phone the
   * wait for its page to send that step, less before the first card shows. Its step 1 is then answered
   * with what changed since (answerStateVector). A stock client, which never says so, syncs as ever.
   */
  join(connection: Connection, options: JoinOptions = {}): void {
    const state: ConnectionState = { clientId: null, resyncAt: 0, sentWhole: null }
    this.connections.set(connection, state)
    const encoderSv = Y.encodeStateVector(this.doc)
    connection.send(syncMessage(SyncType.step1, encoderSv))
    if (options.fresh) {
      const whole = this.wholeBoard()
      connection.charge?.(whole.length)
      connection.send(whole)
      state.sentWhole = Y.decodeStateVector(encoderSv)
    }
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) {
      connection.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
    }
  }

  /** Handles one message of a connection. A malformed or forbidden one closes that connection only. */
  receive(connection: Connection, data: Uint8Array): void {
    if (!this.connections.has(connection) || this.deleted) return
    try {
      this.handle(connection, parseMessage(data))
    } catch (error) {
      if (error instanceof ForbiddenChange) {
        // The sender's copy now holds a change the board refuses: it must drop it and resync.
        this.log.warn({ conn: connection.id, reason: error.message }, 'closing connection: forbidden change')
        rejected.inc({ reason: 'forbidden-change' })
        connection.close(CloseCode.forbidden, error.message.slice(0, 120))
        this.leave(connection)
        return
      }
      if (error instanceof BoardFull) {
        this.log.warn({ conn: connection.id, reason: error.message }, 'closing connection: board full')
        rejected.inc({ reason: 'board-full' })
        connection.close(CloseCode.boardFull, error.message)
        this.leave(connection)
        return
      }
      if (!(error instanceof ProtocolError)) throw error
      this.log.warn({ conn: connection.id, reason: error.message }, 'closing connection: bad message')
      rejected.inc({ reason: 'bad-message' })
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
      if (this.feed && this.awareness.meta.has(clientId)) {
        this.feed.publishAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [clientId]))
      }
    }
  }

  /**
   * Makes a server-side change (e.g. an import) through the same durable path as a client's update:
   * the change is computed on a copy, appended, and only then applied and relayed. Resolves when applied.
   */
  async change(fn: (doc: Y.Doc) => void): Promise<void> {
    await this.idle()
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
    await this.idle()
    try {
      if (this.logLength > 0 && !this.deleted) await this.compact()
    } finally {
      this.feed?.close()
      if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
      if (this.remoteHoldTimer) clearTimeout(this.remoteHoldTimer)
      if (this.silentTimer) clearTimeout(this.silentTimer)
      this.awareness.destroy()
      this.doc.destroy()
    }
  }

  private handle(connection: Connection, message: IncomingMessage): void {
    switch (message.type) {
      case 'sync-step1': {
        const state = this.connections.get(connection)
        const reply = this.answerStateVector(message.stateVector, state?.sentWhole ?? null)
        if (state) state.sentWhole = null
        connection.charge?.(reply.length)
        connection.send(reply)
        return
      }
      case 'sync-update': {
        if (connection.role === 'observer') return // read-only: dropped, never stored or relayed
        if (isEmptyUpdate(message.update)) return // e.g. the sync answer of a client with nothing new
        const shape = inspectUpdate(message.update)
        const missing = missingDependency(shape, (client) => this.expectedClock(client))
        if (missing) {
          this.resync(connection, missing)
          return
        }
        // Decoded at most once: checked here, and looked into by later checks while it is being stored.
        let decoded: DecodedUpdate | null = null
        const decode = (): DecodedUpdate => {
          decoded ??= Y.decodeUpdate(message.update)
          return decoded
        }
        if (changesNothing(this.doc, shape, (client) => this.expectedClock(client), decode)) return
        const checked = connection.role === 'facilitator' ? null : decode()
        const violation = checked && this.rules.check(connection.role, checked, this.pendingStructs())
        if (violation) throw new ForbiddenChange(violation)
        const mover = this.nameOf(connection)
        void this.submit(message.update, connection, shape, checked?.structs, mover).catch(() => {})
        return
      }
      case 'awareness':
        this.receiveAwareness(connection, message.update)
        return
      case 'query-awareness': {
        const states = [...this.awareness.getStates().keys()]
        const reply = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))
        connection.charge?.(reply.length)
        connection.send(reply)
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
    const entries = parseAwarenessUpdate(update, max).filter((entry) => {
      if (state.clientId === null && !this.isClaimed(entry.clientId)) state.clientId = entry.clientId
      if (entry.clientId !== state.clientId) return false
      if (entry.state.length > max) {
        this.log.warn({ conn: connection.id, size: entry.state.length }, 'dropped oversize awareness state')
        rejected.inc({ reason: 'oversize-awareness' })
        return false
      }
      return true
    })
    if (entries.length > 0) {
      // The role in a presence state is the server's word, not the sender's: others may trust it
      // (e.g. to follow the facilitator).
      const stamped = entries.map((entry) => ({
        ...entry,
        state: stampPresence(entry.state, connection.role, connection.invitation?.name),
      }))
      const encoded = encodeAwarenessUpdate(stamped)
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encoded, connection)
      this.feed?.publishAwareness(encoded)
    }
  }

  /** Relays presence changes at once when none went out in the last interval, else at its end. */
  private scheduleAwareness(): void {
    if (this.awarenessTimer) return
    const wait = this.awarenessSentAt + AWARENESS_INTERVAL_MS - performance.now()
    if (wait <= 0) {
      this.relayAwareness()
      return
    }
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = null
      this.relayAwareness()
    }, wait)
  }

  private relayAwareness(): void {
    this.awarenessSentAt = performance.now()
    const changed = [...this.awarenessChanged]
    this.awarenessChanged.clear()
    if (changed.length === 0) return
    this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)))
  }

  private isClaimed(clientId: number): boolean {
    for (const other of this.connections.values()) if (other.clientId === clientId) return true
    return false
  }

  /**
   * The sync step 2 message for a client's state vector. Only the entries of clients this board knows
   * matter; the others are skipped while reading, so a state vector of many made-up clients costs no
   * more than reading it. A client that has nothing of the board — everyone who joins fresh — gets the
   * whole board, encoded once and kept until the board changes: 200 people joining cost one encoding.
   */
  private answerStateVector(
    stateVector: Uint8Array,
    sentWhole: Map<number, number> | null = null,
  ): Uint8Array {
    const known = encoding.createEncoder()
    let count = 0
    // What the connection was sent whole at its join counts as known (it arrives before this answer).
    const extra = new Map(sentWhole ?? [])
    const clients = this.doc.store.clients
    try {
      const decoder = decoding.createDecoder(stateVector)
      const entries = decoding.readVarUint(decoder)
      for (let i = 0; i < entries; i++) {
        const client = decoding.readVarUint(decoder)
        const clock = decoding.readVarUint(decoder)
        if (!clients.has(client)) continue
        encoding.writeVarUint(known, client)
        encoding.writeVarUint(known, Math.max(clock, extra.get(client) ?? 0))
        extra.delete(client)
        count++
      }
      if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
    } catch {
      throw new ProtocolError('malformed state vector')
    }
    for (const [client, clock] of extra) {
      if (!clients.has(client)) continue
      encoding.writeVarUint(known, client)
      encoding.writeVarUint(known, clock)
      count++
    }
    if (count === 0) return this.wholeBoard()
    const vector = encoding.createEncoder()
    encoding.writeVarUint(vector, count)
    encoding.writeUint8Array(vector, encoding.toUint8Array(known))
    return syncMessage(SyncType.step2, Y.encodeStateAsUpdate(this.doc, encoding.toUint8Array(vector)))
  }

  /** The whole board as a sync step 2, encoded once and kept until the board changes. */
  private wholeBoard(): Uint8Array {
    this.fullAnswer ??= syncMessage(SyncType.step2, Y.encodeStateAsUpdate(this.doc))
    return this.fullAnswer
  }

  /** The clock the next struct of `client` must start at, counting updates accepted but not yet applied. */
  private expectedClock(client: number): number {
    return Math.max(Y.getState(this.doc.store, client), this.accepted.get(client) ?? 0)
  }

  /**
   * An update that depends on something the board does not have is not stored: Yjs would keep it
   * pending, for ever if the missing part never comes. A stock client sends such an update only in a
   * race (an edit made while reconnecting, or one based on another tab's change still on its way); it
   * is asked to resend what the server is missing (sync step 1, at most once a second).
   */
  private resync(connection: Connection, reason: string): void {
    const state = this.connections.get(connection)
    if (!state) return
    const now = performance.now()
    const ask = now - state.resyncAt >= RESYNC_INTERVAL_MS
    this.log.warn({ conn: connection.id, reason, resync: ask }, 'dropped an update with missing dependencies')
    rejected.inc({ reason: 'missing-dependency' })
    if (!ask) return
    state.resyncAt = now
    connection.send(syncMessage(SyncType.step1, Y.encodeStateVector(this.doc)))
  }

  /** Yjs keeps what it cannot integrate as "pending"; the board never keeps such parts. */
  private dropPending(when: string): void {
    const store = this.doc.store
    if (!store.pendingStructs && !store.pendingDs) return
    this.log.warn({ when }, 'dropped parts of the board that depend on missing updates')
    store.pendingStructs = null
    store.pendingDs = null
  }

  private submit(
    update: Uint8Array,
    origin: Connection | typeof SERVER_ORIGIN,
    shape: UpdateShape = inspectUpdate(update),
    structs: DecodedUpdate['structs'] | null = null,
    mover: string | null = null,
  ): Promise<void> {
    const reservation = this.budget.admit(update, structs) // throws BoardFull before anything is kept
    for (const [client, end] of updateEnds(shape)) {
      if (end > (this.accepted.get(client) ?? 0)) this.accepted.set(client, end)
    }
    this.acceptedCount++
    this.pending.set(update, structs)
    const durable = this.deps.appender.append(this.boardId, update)
    const applied = this.sequence.then(() =>
      durable.then(
        (seq) => {
          this.pending.delete(update)
          this.settle()
          this.budget.settle(reservation, true)
          return this.apply(update, seq, origin, mover)
        },
        (error) => {
          this.pending.delete(update)
          this.settle()
          if (this.stamps.delete(update)) this.release()
          this.budget.settle(reservation, false)
          if (this.deleted) throw error // the board is gone: its connections are told so (endDeleted)
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

  private pendingStructs(): DecodedUpdate['structs'][] {
    const all: DecodedUpdate['structs'][] = []
    for (const [update, structs] of this.pending) {
      const decoded = structs ?? Y.decodeUpdate(update).structs
      if (!structs) this.pending.set(update, decoded)
      all.push(decoded)
    }
    return all
  }

  private settle(): void {
    if (--this.acceptedCount === 0) {
      this.accepted.clear()
      this.pendingWrites.items.clear()
      this.pendingWrites.numbers.clear()
    }
  }

  /**
   * Resolves once everything received so far, and the attribution it led to, is applied, and the
   * compaction that started meanwhile is written (or failed).
   */
  async idle(): Promise<void> {
    for (;;) {
      const sequence = this.sequence
      const compacting = this.compacting
      await sequence
      await compacting
      if (sequence === this.sequence && compacting === this.compacting) return
    }
  }

  /** The cleaned name a connection's presence shows (set on receipt), or null. */
  private nameOf(connection: Connection): string | null {
    // An invitee is who the facilitator invited, whatever name their browser shows.
    if (connection.invitation) return connection.invitation.name
    const clientId = this.connections.get(connection)?.clientId
    const state =
      clientId === null || clientId === undefined ? undefined : this.awareness.getStates().get(clientId)
    const name = (state as { user?: { name?: unknown } } | undefined)?.user?.name
    return typeof name === 'string' && name !== '' ? name : null
  }

  private hold(): void {
    this.holds++
    this.held ??= []
  }

  /**
   * Sends what was held back. Several updates (a change and its attribution, and whatever was applied
   * meanwhile) go out merged into one, so that every client applies them in one transaction: nobody
   * sees a new card with another card's number, even for a moment. Its sender gets its own change back
   * with them, which changes nothing there.
   */
  private release(): void {
    if (--this.holds > 0) return
    const held = this.held ?? []
    this.held = null
    if (held.length === 1) {
      const [{ update, except }] = held as [{ update: Uint8Array; except: unknown }]
      this.broadcast(syncMessage(SyncType.update, update), except)
    } else if (held.length > 1) {
      this.broadcast(syncMessage(SyncType.update, Y.mergeUpdates(held.map(({ update }) => update))))
    }
  }

  /**
   * Applies a stored update. A client's change that created or moved cards is followed by the server's
   * attribution (server/realtime/attribution.ts), stored like any update; what is relayed meanwhile is held
   * back until it is applied, so others never see a card without its number or its mover.
   */
  private apply(update: Uint8Array, seq: number, origin: unknown, mover: string | null = null): void {
    const stamp = this.stamps.delete(update)
    let attributed: Uint8Array | null = null
    if (!stamp) this.hold()
    try {
      if (origin === SERVER_ORIGIN) Y.applyUpdate(this.doc, update, origin)
      else {
        const changed = observeCards(this.doc, () => Y.applyUpdate(this.doc, update, origin))
        const writer = { client: this.writer, clock: this.expectedClock(this.writer) }
        if (this.feed) this.watch(changed.created, true)
        const young = this.feed ? this.young : undefined
        attributed = attribution(this.doc, changed, mover, Date.now(), writer, this.pendingWrites, young)
      }
    } catch (error) {
      this.log.error({ err: error, seq }, 'a stored update did not apply')
    }
    if (attributed) {
      // The hold passes to the attribution: released once it is applied (or refused by storage).
      this.stamps.add(attributed)
      void this.submit(attributed, SERVER_ORIGIN).catch(() => {})
    } else this.release()
    this.dropPending('apply')
    if (this.feed) this.settleNumbers()
    this.appliedSeq = Math.max(this.appliedSeq, seq)
    this.feed?.committed(seq, update)
    this.logLength++
    this.compactWhenDue()
  }

  /**
   * Starts a compaction once the log is long enough and none is being written. It does not hold up the
   * sequence: the snapshot holds what is applied now, and updates stored meanwhile stay in the log.
   */
  private compactWhenDue(): void {
    if (this.compacting || this.deleted || this.logLength < this.deps.compactEvery) return
    const compacting: Promise<void> = this.compact().then(
      () => {
        if (this.compacting === compacting) this.compacting = null
        // What arrived while it was written may be due already.
        this.compactWhenDue()
      },
      (error) => {
        if (this.compacting === compacting) this.compacting = null
        // A failed compaction loses nothing: the log stays, and the next update applied tries again.
        this.log.error({ err: error }, 'compaction failed')
      },
    )
    this.compacting = compacting
  }

  /** An update another instance committed, in sequence order (see BoardFeed): applied and relayed. */
  private applyRemote(update: Uint8Array): void {
    // Held until the cards it brings have numbers of their own (settleNumbers).
    this.hold()
    this.remoteHolds++
    try {
      const changed = observeCards(this.doc, () => Y.applyUpdate(this.doc, update, CLUSTER_ORIGIN))
      this.watch(changed.created, false)
      this.awaitMovers(changed.moved)
    } catch (error) {
      this.log.error({ err: error }, 'an update from another instance did not apply')
    }
    this.dropPending('remote')
    this.settleNumbers()
  }

  /**
   * A card another instance moved is followed by the `movedAt` and `movedBy` that instance stores for
   * the move right after it (attribution.ts), as an update of its own. Relays stay held until that
   * arrived (settleNumbers), so that no client here sees the card moved with its previous mover.
   */
  private awaitMovers(moved: ReadonlySet<string>): void {
    for (const [id, stamp] of this.awaitingMover) {
      if (moveStampOf(this.doc, id) !== stamp) this.awaitingMover.delete(id)
    }
    for (const id of moved) {
      const stamp = moveStampOf(this.doc, id)
      if (stamp !== undefined) this.awaitingMover.set(id, stamp)
    }
  }

  private watch(created: ReadonlySet<string>, own: boolean): void {
    const at = Date.now()
    for (const id of created) if (!this.young.has(id)) this.young.set(id, { own, at })
  }

  /**
   * Settles new cards' numbers between instances (cluster/card-numbers.ts, [CL7]): renumbers this
   * instance's own cards that must give up a number, and others' once their instance has stayed silent
   * for SILENT_INSTANCE_MS; relays what was held once every new card has a number of its own (or after
   * REMOTE_HOLD_MS, whatever happens).
   */
  private settleNumbers(): void {
    const now = Date.now()
    for (const [id, card] of this.young) {
      if (now - card.at > YOUNG_CARD_MS) {
        this.young.delete(id)
        this.renumbered.delete(id)
      }
    }
    const { unsettled, yielding } = numberConflicts(this.doc, this.young)
    let silentAt = Number.POSITIVE_INFINITY
    for (const { id, number } of yielding) {
      // A number being written already (this card's attribution or renumbering) is awaited first.
      const writing = this.pendingWrites.items.get(`${id}\u0000${CardKey.number}`)
      if (writing && Y.getState(this.doc.store, writing.client) <= writing.clock) continue
      const card = this.young.get(id) as YoungCard
      if (!card.own && now - card.at < SILENT_INSTANCE_MS) {
        silentAt = Math.min(silentAt, card.at + SILENT_INSTANCE_MS)
      } else if (this.renumbered.get(id) !== number) {
        this.renumbered.set(id, number)
        this.renumber(id)
      }
    }
    if (silentAt < Number.POSITIVE_INFINITY && !this.silentTimer) {
      this.silentTimer = setTimeout(() => {
        this.silentTimer = null
        this.settleNumbers()
      }, silentAt - now)
    }
    if (unsettled.length === 0 && this.awaitingMover.size === 0) this.releaseRemote()
    else if (this.remoteHolds > 0 && !this.remoteHoldTimer) {
      this.remoteHoldTimer = setTimeout(() => {
        this.remoteHoldTimer = null
        const { unsettled } = numberConflicts(this.doc, this.young)
        this.log.warn(
          { cards: unsettled.length, moves: this.awaitingMover.size },
          'relayed cards before their numbers were settled or their movers arrived',
        )
        this.awaitingMover.clear()
        this.releaseRemote()
      }, REMOTE_HOLD_MS)
    }
  }

  private releaseRemote(): void {
    if (this.remoteHoldTimer) clearTimeout(this.remoteHoldTimer)
    this.remoteHoldTimer = null
    for (; this.remoteHolds > 0; this.remoteHolds--) this.release()
  }

  /** Gives a card the next free number, stored like the server's other attribution. */
  private renumber(id: string): void {
    const writer = { client: this.writer, clock: this.expectedClock(this.writer) }
    const changed = { created: new Set([id]), moved: new Set<string>() }
    const write = attribution(this.doc, changed, null, Date.now(), writer, this.pendingWrites)
    if (!write) return
    this.hold()
    this.stamps.add(write)
    void this.submit(write, SERVER_ORIGIN).catch(() => {})
  }

  private async compact(): Promise<void> {
    // In a cluster the doc holds every update up to the feed's position (and perhaps some later ones).
    const upTo = this.feed ? this.feed.position : this.appliedSeq
    const count = this.logLength
    const covered = this.budget.stored
    const snapshot = Y.encodeStateAsUpdate(this.doc)
    await this.deps.store.compact(this.boardId, snapshot, upTo)
    this.budget.compacted(snapshot.length, covered)
    this.logLength -= count
    this.log.debug({ upTo, count }, 'compacted')
  }

  private broadcast(message: Uint8Array, except?: unknown): void {
    for (const connection of this.connections.keys()) {
      if (connection !== except) connection.send(message)
    }
  }
}

/** The item holding a card's `movedAt` (null: none yet); undefined when there is no such card. */
function moveStampOf(doc: Y.Doc, cardId: string): Y.Item | null | undefined {
  const card = cardsOf(doc).get(cardId)
  if (!(card instanceof Y.Map)) return undefined
  return card._map.get(CardKey.movedAt) ?? null
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

/**
 * A presence state (JSON text) with its `role` set to the sender's role and its `user.name` cleaned
 * (model/names.ts: no role words, brackets or invisible characters; "" when nothing is left) — for a
 * personal invitation, the invitee's name as the facilitator gave it;
 * `null` (left) stays.
 */
function stampPresence(state: string, role: Role, invitee?: string): string {
  const parsed = JSON.parse(state) as Record<string, unknown> | null
  if (parsed === null) return state
  const user = parsed.user
  if (user !== null && typeof user === 'object' && !Array.isArray(user)) {
    const name = invitee ?? cleanName((user as { name?: unknown }).name) ?? ''
    return JSON.stringify({ ...parsed, user: { ...user, name }, role })
  }
  return JSON.stringify({ ...parsed, role })
}

/** A random Yjs client id (as Y.Doc makes them): 32 bits. */
function randomClientId(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number
}
