import type { Role } from '../access/tokens.js'
import { Room, type RoomDeps, type Withdrawn } from './room.js'

/** The board was deleted while this process runs: it is not loaded again. */
export class BoardDeleted extends Error {
  constructor(boardId: string) {
    super(`board ${boardId} was deleted`)
  }
}

/**
 * Loads a board's room on first use and unloads it (after flushing and compacting) when nobody uses it:
 * no connection and no API call holding it. A board that is being unloaded is reloaded only after its
 * unload has finished, so no update can slip between the two.
 */
export class Rooms {
  private readonly open = new Map<string, { room: Promise<Room>; holds: number }>()
  private readonly closing = new Map<string, Promise<void>>()
  private idleWaiters: (() => void)[] = []
  /** Rooms kept loaded for a while without a user (keepWarm): their timers. */
  private readonly warm = new Map<string, ReturnType<typeof setTimeout>>()
  /** Boards deleted since this process started (ids only): never loaded again. */
  private readonly deletedBoards = new Set<string>()

  constructor(private readonly deps: RoomDeps) {}

  get loadedCount(): number {
    return this.open.size
  }

  /** The room of a board, loaded if needed. Call `release` once done with it. */
  async acquire(boardId: string): Promise<Room> {
    if (this.deletedBoards.has(boardId)) throw new BoardDeleted(boardId)
    let entry = this.open.get(boardId)
    if (!entry) {
      const closing = this.closing.get(boardId)
      const room = (closing ?? Promise.resolve()).then(() => Room.load(boardId, this.deps))
      entry = { room, holds: 0 }
      this.open.set(boardId, entry)
      room.catch(() => {
        if (this.open.get(boardId) === entry) this.open.delete(boardId)
      })
    }
    entry.holds++
    return entry.room
  }

  /** Gives back a room from `acquire`; the last one out unloads it. */
  release(boardId: string): void {
    const entry = this.open.get(boardId)
    if (!entry) return
    entry.holds--
    if (entry.holds > 0) return
    this.open.delete(boardId)
    const unloaded = entry.room
      .then((room) => room.close())
      .catch((error) => this.deps.log.error({ err: error, board: boardId }, 'unloading room failed'))
      .finally(() => {
        if (this.closing.get(boardId) === unloaded) this.closing.delete(boardId)
      })
    this.closing.set(boardId, unloaded)
    if (this.open.size === 0) {
      const waiters = this.idleWaiters.splice(0)
      void this.settled().then(() => {
        for (const resolve of waiters) resolve()
      })
    }
  }

  /**
   * Keeps a board's room loaded for `ms` more, as if someone held it: a board page was just served,
   * and its WebSocket follows. Without it the room would unload (flush, compact) right after the page
   * read its title, and load again for the socket a moment later. A later call starts the time anew.
   */
  keepWarm(boardId: string, ms: number): void {
    const running = this.warm.get(boardId)
    if (running) clearTimeout(running)
    else void this.acquire(boardId).catch(() => this.warm.delete(boardId))
    const timer = setTimeout(() => this.cool(boardId), ms)
    timer.unref()
    this.warm.set(boardId, timer)
  }

  /** Lets go of every room kept warm (shutting down): those nobody else holds unload now. */
  stopWarming(): void {
    for (const boardId of [...this.warm.keys()]) this.cool(boardId)
  }

  private cool(boardId: string): void {
    const timer = this.warm.get(boardId)
    if (!timer) return
    clearTimeout(timer)
    this.warm.delete(boardId)
    this.release(boardId)
  }

  /** Resolves once no room is loaded and every unload has finished. */
  async idle(): Promise<void> {
    if (this.open.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
    await this.settled()
  }

  /**
   * Closes every connection holding `role` on this board (its link was replaced), here and, in a
   * cluster, on every other instance. Returns how many were closed here.
   */
  async disconnectRole(boardId: string, role: Role): Promise<number> {
    this.deps.cluster?.revoke(boardId, role)
    return (await this.loaded(boardId))?.disconnectRole(role) ?? 0
  }

  /**
   * Closes every connection whose access was withdrawn (an invitation revoked, the shared participant
   * link switched off), here and, in a cluster, on every other instance. Returns how many were closed here.
   */
  async disconnectWhere(boardId: string, withdrawn: Withdrawn): Promise<number> {
    this.deps.cluster?.withdraw(boardId, withdrawn)
    return (await this.loaded(boardId))?.disconnectWhere(withdrawn) ?? 0
  }

  /**
   * Deletes a board with every trace (BoardStore.deleteBoard): its room stops taking messages first,
   * then the store deletes, then every connection here and, in a cluster, on every other instance is
   * closed with 4410. Returns whether the board existed and how many connections were closed here.
   */
  async deleteBoard(boardId: string): Promise<{ existed: boolean; disconnected: number }> {
    this.deletedBoards.add(boardId)
    const room = await this.loaded(boardId)
    room?.beginDeletion()
    let existed: boolean
    try {
      existed = await this.deps.store.deleteBoard(boardId)
    } catch (error) {
      this.deletedBoards.delete(boardId)
      room?.cancelDeletion()
      throw error
    }
    const disconnected = room?.endDeleted() ?? 0
    this.cool(boardId) // a page's hold goes with the connections
    this.deps.cluster?.deleted(boardId)
    return { existed, disconnected }
  }

  /** The room of a board if it is loaded now (without loading it). */
  async loaded(boardId: string): Promise<Room | undefined> {
    const entry = this.open.get(boardId)
    return entry ? entry.room.catch(() => undefined) : undefined
  }

  async with<T>(boardId: string, fn: (room: Room) => Promise<T> | T): Promise<T> {
    // A failed load removes its own entry and holds nothing: there is nothing to release then.
    const room = await this.acquire(boardId)
    try {
      return await fn(room)
    } finally {
      this.release(boardId)
    }
  }

  /** Waits for every unload in progress. */
  async settled(): Promise<void> {
    await Promise.all(this.closing.values())
  }
}
