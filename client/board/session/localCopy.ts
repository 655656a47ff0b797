import { IndexeddbPersistence } from 'y-indexeddb'
import type * as Y from 'yjs'
import { whenIdle } from '../../whenIdle.js'
import { deleteLocalCopy, localCopyName } from '../join/forget.js'
import { batchRemoteWrites } from './localCopyBatching.js'

/** Set once this browser's copy of the board has been written (the board is not new to it). */
export const copyKey = (boardId: string) => `werkbord.copy.${boardId}`

export function hasLocalCopy(boardId: string): boolean {
  try {
    return localStorage.getItem(copyKey(boardId)) !== null
  } catch {
    return false
  }
}

function markLocalCopy(boardId: string): void {
  try {
    localStorage.setItem(copyKey(boardId), '1')
  } catch {
    // Storage refused: the next visit asks for the whole board again, which is correct, only more bytes.
  }
}

export function forgetLocalCopy(boardId: string): void {
  try {
    localStorage.removeItem(copyKey(boardId))
  } catch {
    // As above.
  }
}

/** How long a first visit's copy may wait for the page to be idle after the first sync. */
const OPEN_WHEN_IDLE_MS = 2000

/**
 * This browser's copy of a board (IndexedDB, through y-indexeddb): edits survive a reload and an
 * offline moment, and a returning visit shows the board before the server answers.
 *
 * A returning browser opens its copy at once (`open`). A first visit has nothing to load: its copy is
 * opened once the board's first sync is in and the page is idle (`openWhenIdle`), or at once when
 * this user changes something (`written`). When y-indexeddb opens it writes the whole doc; on a long
 * board opened earlier, that (about 70 ms on a laptop, four times that on a phone, and the server's
 * first sync written twice) fell in the board's first render (bench/first-paint.ts).
 *
 * Updates from the server are written in batches (localCopyBatching.ts); this user's own as they come.
 */
export class LocalCopy {
  private persistence: IndexeddbPersistence | null = null
  private stopBatching: () => void = () => {}
  private cancelIdle: () => void = () => {}
  private closed = false
  private marked: boolean

  constructor(
    readonly boardId: string,
    private readonly doc: Y.Doc,
    /** The origin of the server's updates (the provider). */
    private readonly remote: unknown,
    /** The copy has loaded into the doc (what it held, if anything). */
    private readonly onLoaded: () => void,
  ) {
    this.marked = hasLocalCopy(boardId)
  }

  /** Whether an update came from this copy (loaded from it; not to be written back). */
  isOrigin(origin: unknown): boolean {
    return origin !== null && origin === this.persistence
  }

  /** Opens the copy now (does nothing when open or closed). */
  open(): void {
    if (this.persistence || this.closed) return
    this.cancelIdle()
    const persistence = new IndexeddbPersistence(localCopyName(this.boardId), this.doc)
    this.persistence = persistence
    this.stopBatching = batchRemoteWrites(persistence, this.doc, this.remote)
    void persistence.whenSynced.then(() => {
      if (this.persistence !== persistence) return
      this.onLoaded()
      // The doc as it was at opening is in the copy once a transaction after y-indexeddb's completes.
      if (!this.marked) void this.written().then(() => this.mark())
    })
  }

  /** Opens the copy once the page is idle (a first visit, after the first sync). */
  openWhenIdle(): void {
    if (this.persistence || this.closed) return
    this.cancelIdle()
    this.cancelIdle = whenIdle(() => this.open(), OPEN_WHEN_IDLE_MS)
  }

  /**
   * Resolves once every update made so far is on disk in the copy (opening it first if need be).
   * y-indexeddb writes each update in its own IndexedDB transaction, and a read-write transaction on
   * the same store, opened after it, completes only after it. When the copy is not open yet, it writes
   * the whole doc (these updates in it) as it opens. A copy that is closed or failing resolves too.
   */
  written(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.open()
    const persistence = this.persistence as IndexeddbPersistence
    // Open: the marker is made in a microtask, once every 'update' listener (the one that writes this
    // update, localCopyBatching.ts, may come after the caller's) has made its transaction.
    const db = persistence.db
    if (db) return Promise.resolve().then(() => marker(db))
    // (IndexedDB refused, as in some private windows: nothing is written, and nothing waits for it.)
    return persistence._db
      .then(() => persistence.whenSynced)
      .then((opened) => (opened.db && !this.closed ? marker(opened.db) : undefined))
      .catch(() => undefined)
  }

  private mark(): void {
    if (this.closed || this.marked) return
    this.marked = true
    markLocalCopy(this.boardId)
  }

  /** Stops writing (what is pending is written first) and closes the copy; it stays on disk. */
  async close(): Promise<void> {
    this.cancelIdle()
    this.closed = true
    this.stopBatching()
    await this.persistence?.destroy()
  }

  /** Closes the copy and deletes it from this browser (also one this page never opened). */
  async clear(): Promise<void> {
    await this.close()
    await deleteLocalCopy(this.boardId)
  }
}

function marker(db: IDBDatabase): Promise<void> {
  return new Promise((resolve) => {
    try {
      const transaction = db.transaction(['updates'], 'readwrite')
      transaction.oncomplete = () => resolve()
      transaction.onerror = () => resolve()
      transaction.onabort = () => resolve()
    } catch {
      resolve() // closing meanwhile
    }
  })
}
