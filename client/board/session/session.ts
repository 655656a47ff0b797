import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { exportBoard } from '../../../model/export.js'
import { CANVAS, CARDS, META } from '../../../model/layout.js'
import { readFacilitation } from '../../../model/phases.js'
import { forgetBoard } from '../join/forget.js'
import { forgetLocalCopy, hasLocalCopy, LocalCopy } from './localCopy.js'
import { applyLargeSyncsWithoutReencoding } from './quietSync.js'

/**
 * Origin of changes made by this browser's user; undo/redo tracks exactly these (any instance).
 * A view that must recognise its own changes (a text field) uses its own instance.
 */
export class LocalOrigin {
  constructor(readonly source?: unknown) {}
}
export const LOCAL = new LocalOrigin()
/**
 * Origin of this user's new cards (made or duplicated). Undo does not take these back: undoing a card's
 * creation would remove it for good, which only the facilitator may do (the server refuses it). A card
 * made by mistake is deleted, recoverably, like any other.
 */
export const LOCAL_NEW_CARD = { source: 'new-card' } as const

const REJECTED_KEY = 'werkbord.rejected'

/** Where a refused browser copy's cards are kept (an export document) until the user has seen them. */
export const rescueKey = (boardId: string) => `werkbord.rescued.${boardId}`
/**
 * Once after the board was reloaded because the server refused a change of ours: why (`forbidden`: not
 * allowed in this phase, 4403; `full`: the board is at its limit of cards or size, 4413); else null.
 */
export function takeRejectionNotice(): 'forbidden' | 'full' | null {
  const reason = sessionStorage.getItem(REJECTED_KEY)
  sessionStorage.removeItem(REJECTED_KEY)
  return reason === 'full' ? 'full' : reason ? 'forbidden' : null
}

export type ConnectionState = 'connected' | 'connecting' | 'offline' | 'refused' | 'deleted' | 'forgotten'

export interface SessionState {
  connection: ConnectionState
  /** Local changes not yet handed to the server. */
  unsent: number
  /** Every change this user made so far is committed to this browser's IndexedDB copy. */
  savedLocally: boolean
  /** The board content is there (from this browser's copy or from the server). */
  loaded: boolean
  /** Why the server refused the link (4401's reason: `unauthorized`, `link replaced`, `invitation revoked`, `shared link off`). */
  refusal?: string
}

/**
 * One open board in the browser: the Y.Doc, its copy in IndexedDB (edits survive reloads and offline
 * moments), the y-websocket connection, presence, and undo of this user's own changes.
 * Views read the doc through the model and change it through model operations with origin LOCAL.
 */
export class BoardSession {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  /** This browser's copy of the board (localCopy.ts). */
  readonly local: LocalCopy
  readonly undo: Y.UndoManager
  private state: SessionState = { connection: 'connecting', unsent: 0, savedLocally: true, loaded: false }
  private localWrites = 0
  private readonly listeners = new Set<() => void>()

  constructor(
    readonly boardId: string,
    token: string,
  ) {
    const wsOrigin = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
    // No copy of the board in this browser yet: the server sends the whole board as soon as the socket
    // is open (`fresh`, docs/api.md), not after our sync step 1. Asked until the first sync is done.
    const fresh = !hasLocalCopy(boardId)
    this.provider = new WebsocketProvider(`${wsOrigin}/sync`, boardId, this.doc, {
      params: fresh ? { token, fresh: '1' } : { token },
      maxBackoffTime: 5000,
    })
    // The board's first sync (and a long catch-up) goes into the doc without Yjs encoding it again.
    applyLargeSyncsWithoutReencoding(this.provider)
    // A returning browser loads its copy at once; a first visit makes one after the first sync, or at
    // once without the server (offline, or the socket closing first): a copy whose mark was lost loads.
    this.local = new LocalCopy(boardId, this.doc, this.provider, () => this.set({ loaded: true }))
    if (!fresh || !navigator.onLine) this.local.open()
    this.undo = new Y.UndoManager([this.doc.getMap(CARDS), this.doc.getMap(META), this.doc.getMap(CANVAS)], {
      trackedOrigins: new Set([LocalOrigin]),
      captureTimeout: 600,
    })
    // One undo step per field or action: typing in another field starts a new step even within 600 ms.
    let lastOrigin: unknown = null
    this.doc.on('beforeTransaction', (transaction: Y.Transaction) => {
      if (!(transaction.origin instanceof LocalOrigin) || transaction.origin === lastOrigin) return
      lastOrigin = transaction.origin
      this.undo.stopCapturing()
    })
    // A new phase (or who selects) is a checkpoint: undo must not take back what the phase now forbids.
    let facilitation = readFacilitation(this.doc)
    this.doc.getMap(META).observe(() => {
      const next = readFacilitation(this.doc)
      if (next.phase === facilitation.phase && next.selectionBy === facilitation.selectionBy) return
      facilitation = next
      this.undo.clear()
    })

    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return
      this.set({ loaded: true, unsent: 0, connection: 'connected' })
      delete this.provider.params.fresh
      this.local.openWhenIdle()
    })
    this.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.set({ connection: 'connected' })
      else if (!this.ended()) this.set({ connection: navigator.onLine ? 'connecting' : 'offline' })
    })
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      // Not refused (44xx): without the server, this browser's copy is the board.
      if (!(event && event.code >= 4400 && event.code < 4500)) this.local.open()
      if (event?.code === 4401) this.set({ connection: 'refused', refusal: event.reason })
      if (event?.code === 4410) void this.forget('deleted')
      if (event?.code === 4403) void this.recoverFromRejection('forbidden')
      if (event?.code === 4413) void this.recoverFromRejection('full')
    })
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (this.local.isOrigin(origin)) return
      // What came from the server is kept there: only this user's changes hold the page (beforeunload)
      // until they are on disk here. A remote edit costs no extra transaction and no status re-render.
      if (origin === this.provider) return
      this.confirmLocalSave()
      if (!(this.provider.wsconnected && this.provider.synced)) this.set({ unsent: this.state.unsent + 1 })
    })
    window.addEventListener('beforeunload', this.onLeave)
    window.addEventListener('online', this.onNetwork)
    window.addEventListener('offline', this.onNetwork)
  }

  getState = (): SessionState => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    window.removeEventListener('beforeunload', this.onLeave)
    window.removeEventListener('online', this.onNetwork)
    window.removeEventListener('offline', this.onNetwork)
    this.undo.destroy()
    this.provider.destroy()
    void this.local.close()
    this.doc.destroy()
  }

  /** This user changed something: "saved in this browser" until it is on disk in the copy. */
  private confirmLocalSave(): void {
    this.localWrites++
    if (this.state.savedLocally) this.set({ savedLocally: false })
    void this.local.written().then(() => {
      if (--this.localWrites === 0) this.set({ savedLocally: true })
    })
  }

  /**
   * The server refused a change of ours (not allowed in the current phase, or the board is full): this browser's copy holds
   * it and would keep sending it. Throw the copy away and load the board afresh from the server.
   */
  private async recoverFromRejection(reason: 'forbidden' | 'full'): Promise<void> {
    sessionStorage.setItem(REJECTED_KEY, reason)
    // Typed text must not be lost with the copy: keep it, to show what the board did not take.
    try {
      localStorage.setItem(rescueKey(this.boardId), JSON.stringify(exportBoard(this.doc, { lane: 'all' })))
    } catch {
      // No room in localStorage: the reload goes ahead; the notice still tells the user.
    }
    this.provider.disconnect()
    await this.local.clear()
    forgetLocalCopy(this.boardId)
    location.reload()
  }

  /**
   * Forgets the board on this device (the user asked: `forgotten`; the server deleted it: `deleted`):
   * disconnects, closes and deletes the local copy, and removes token, name, voter id and rescued texts.
   */
  async forget(reason: 'deleted' | 'forgotten'): Promise<void> {
    if (this.state.connection === 'deleted' || this.state.connection === 'forgotten') return
    this.set({ connection: reason })
    window.removeEventListener('beforeunload', this.onLeave)
    this.provider.disconnect()
    await this.local.clear().catch(() => {})
    await forgetBoard(this.boardId)
    this.set({ connection: reason })
  }

  private ended(): boolean {
    return ['refused', 'deleted', 'forgotten'].includes(this.state.connection)
  }

  /** Leaving while a change is still being written to this browser's copy: ask first. */
  private onLeave = (event: BeforeUnloadEvent) => {
    if (this.state.savedLocally) return
    event.preventDefault()
  }

  /** The browser knows it is offline: stop retrying until it is back, then reconnect at once. */
  private onNetwork = () => {
    if (this.ended()) return
    if (!navigator.onLine) {
      this.provider.disconnect()
      this.set({ connection: 'offline' })
    } else {
      this.provider.connect()
      if (!this.provider.wsconnected) this.set({ connection: 'connecting' })
    }
  }

  private set(patch: Partial<SessionState>): void {
    // Nothing new (the copy in this browser loaded after the server's sync, a second 'connected'):
    // the state stays the same object, and nothing renders again.
    const current = this.state as unknown as Record<string, unknown>
    if (Object.entries(patch).every(([key, value]) => current[key] === value)) return
    this.state = { ...this.state, ...patch }
    for (const listener of this.listeners) listener()
  }
}
