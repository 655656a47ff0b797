import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard, setText } from '../../model/cards.js'
import { listCards } from '../../model/read.js'
import { SqliteStore } from '../../server/storage/sqlite-store.js'
import type { AppendEntry, BoardStore } from '../../server/storage/store.js'
import { connectClient, nextCloseCode, type TestClient } from '../helpers/clients.js'
import { type ChildServer, createBoard, startChildServer, startServer, tempDir } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'
import { asUpdate, unknownClient, update } from '../hostile/craft.js'
import { RawClient } from '../hostile/helpers.js'

const clients: TestClient[] = []
const servers: ChildServer[] = []

function client(url: string, boardId: string, token: string, doc?: Y.Doc): TestClient {
  const c = connectClient(url, boardId, token, doc)
  clients.push(c)
  return c
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.provider.destroy()
  for (const s of servers.splice(0)) {
    if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGKILL')
    await s.exited
  }
})

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const server = await startChildServer(dataDir, env)
  servers.push(server)
  return server
}

const actions = (doc: Y.Doc) => listCards(doc).map((card) => String(card.fields.actie))

describe('durability', () => {
  it('[D1] SIGTERM: clients are told (1001), the process exits 0, and nothing is lost', async () => {
    const dataDir = tempDir()
    const server = await start(dataDir)
    const board = await createBoard(server.url, 'blank')
    const a = client(server.url, board.id, board.tokens.participant)
    await a.synced
    const id = createCard(a.doc, { fields: { actie: 'Regionaal woonakkoord sluiten' } })
    for (let i = 0; i < 50; i++) setText(a.doc, id, 'doel', `Afspraken over ${i} woningen`)
    const b = client(server.url, board.id, board.tokens.observer)
    await b.synced
    await untilDoc(b.doc, () => listCards(b.doc)[0]?.fields.doel === 'Afspraken over 49 woningen')
    const told = nextCloseCode(a.provider)
    server.process.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(await told).toBe(1001)

    const again = await start(dataDir)
    const c = client(again.url, board.id, board.tokens.observer)
    await c.synced
    expect(listCards(c.doc).map((card) => card.fields.doel)).toEqual(['Afspraken over 49 woningen'])
  })

  it('[D2] SIGKILL at random moments: every update a peer had received is there after restart', async () => {
    const dataDir = tempDir()
    let server = await start(dataDir)
    const board = await createBoard(server.url, 'blank')
    const writerDoc = new Y.Doc()
    const watcherDoc = new Y.Doc()
    let written = 0
    // Seeded kill moments: after the watcher has seen this many cards.
    for (const killAfter of [7, 23, 41]) {
      const writer = client(server.url, board.id, board.tokens.participant, writerDoc)
      const watcher = client(server.url, board.id, board.tokens.observer, watcherDoc)
      await Promise.all([writer.synced, watcher.synced])
      const target = actions(watcherDoc).length + killAfter
      const timer = setInterval(() => {
        for (let i = 0; i < 3; i++) createCard(writerDoc, { fields: { actie: `kaart ${++written}` } })
      }, 1)
      const killed = server.exited
      await untilDoc(watcherDoc, () => {
        if (actions(watcherDoc).length < target) return false
        server.process.kill('SIGKILL')
        return true
      })
      clearInterval(timer)
      await killed
      const received = new Set(actions(watcherDoc))
      writer.provider.destroy()
      watcher.provider.destroy()

      server = await start(dataDir)
      const fresh = client(server.url, board.id, board.tokens.observer)
      await fresh.synced
      const stored = new Set(actions(fresh.doc))
      const missing = [...received].filter((a) => !stored.has(a))
      expect(missing).toEqual([])
      expect(received.size).toBeGreaterThanOrEqual(target)
    }
    // The writer reconnects: its unsent cards arrive, everyone converges, nothing is doubled.
    const writer = client(server.url, board.id, board.tokens.participant, writerDoc)
    const fresh = client(server.url, board.id, board.tokens.observer)
    await Promise.all([writer.synced, fresh.synced])
    await untilDoc(fresh.doc, () => actions(fresh.doc).length === written)
    expect(new Set(actions(fresh.doc)).size).toBe(written)
  })

  it('[D3] compaction keeps the content equal, and the log stays short', async () => {
    const dataDir = tempDir()
    const app = await startServer({ dataDir, compactEvery: 20 })
    const board = await createBoard(app.url, 'blank')
    const a = client(app.url, board.id, board.tokens.participant)
    await a.synced
    const id = createCard(a.doc, { fields: { actie: '' } })
    const sentence =
      'Vitalisering verblijfsrecreatie: het productaanbod is doorontwikkeld — ’t Westfriese DNA'
    for (const ch of sentence) setText(a.doc, id, 'actie', `${listCards(a.doc)[0]?.fields.actie}${ch}`)
    const b = client(app.url, board.id, board.tokens.observer)
    await b.synced
    await untilDoc(b.doc, () => listCards(b.doc)[0]?.fields.actie === sentence)
    // Compactions run beside the relay: the last one may still be being written.
    await (await app.rooms.loaded(board.id))?.idle()
    const stored = await app.store.load(board.id)
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates.length).toBeLessThan(20)
    a.provider.destroy()
    b.provider.destroy()
    await app.close()

    const again = await startServer({ dataDir })
    const c = client(again.url, board.id, board.tokens.observer)
    await c.synced
    expect(Y.encodeStateAsUpdate(c.doc)).toEqual(Y.encodeStateAsUpdate(a.doc))
    await again.close()
  })

  it('[D4] a room unloads when its last client leaves, compacted, and reloads equal', async () => {
    const app = await startServer()
    const board = await createBoard(app.url, 'blank')
    const a = client(app.url, board.id, board.tokens.participant)
    await a.synced
    createCard(a.doc, { fields: { actie: 'Ontwikkelen leerwerkinitiatieven' } })
    const b = client(app.url, board.id, board.tokens.observer)
    await b.synced
    await untilDoc(b.doc, () => actions(b.doc).length === 1)
    expect(app.rooms.loadedCount).toBe(1)
    a.provider.destroy()
    b.provider.destroy()
    await app.rooms.idle()
    expect(app.rooms.loadedCount).toBe(0)
    const stored = await app.store.load(board.id)
    expect(stored.updates).toEqual([])
    const c = client(app.url, board.id, board.tokens.observer)
    await c.synced
    expect(actions(c.doc)).toEqual(['Ontwikkelen leerwerkinitiatieven'])
    c.provider.destroy()
    await app.close()
  })

  it('[D5] an update is neither relayed nor served to a late joiner before it is durable', async () => {
    const dataDir = tempDir()
    const gated = new GatedStore(SqliteStore.open(dataDir))
    const app = await startServer({ dataDir }, gated)
    const board = await createBoard(app.url, 'blank')
    const writer = client(app.url, board.id, board.tokens.participant)
    const watcher = client(app.url, board.id, board.tokens.observer)
    await Promise.all([writer.synced, watcher.synced])
    gated.hold()
    createCard(writer.doc, { fields: { actie: 'nog niet op schijf' } })
    await gated.waiting()
    // The append is in progress but not durable: neither the watcher nor a late joiner may see it.
    const late = client(app.url, board.id, board.tokens.observer)
    await late.synced
    expect(actions(late.doc)).toEqual([])
    expect(actions(watcher.doc)).toEqual([])
    gated.release()
    await untilDoc(watcher.doc, () => actions(watcher.doc).length === 1)
    await untilDoc(late.doc, () => actions(late.doc).length === 1)
    for (const c of clients.splice(0)) c.provider.destroy()
    await app.close()
  })
  it('[D6] while a compaction is being written, updates go on being stored and relayed; one compaction at a time', async () => {
    const dataDir = tempDir()
    const gated = new GatedStore(SqliteStore.open(dataDir))
    const app = await startServer({ dataDir, compactEvery: 5 }, gated)
    const board = await createBoard(app.url, 'blank')
    const writer = client(app.url, board.id, board.tokens.participant)
    const watcher = client(app.url, board.id, board.tokens.observer)
    await Promise.all([writer.synced, watcher.synced])
    gated.holdCompaction()
    const id = createCard(writer.doc, { fields: { actie: 'Woonakkoord' } })
    for (let i = 1; i <= 6; i++) setText(writer.doc, id, 'doel', `${i * 100} woningen`)
    await gated.compactionWaiting()
    // The compaction is held before it is written: the room must not wait for it.
    for (let i = 7; i <= 12; i++) setText(writer.doc, id, 'doel', `${i * 100} woningen`)
    await untilDoc(watcher.doc, () => listCards(watcher.doc)[0]?.fields.doel === '1200 woningen')
    expect(gated.compactions).toBe(1)
    gated.releaseCompaction()
    await (await app.rooms.loaded(board.id))?.idle()
    expect(gated.mostAtOnce).toBe(1)
    const stored = await app.store.load(board.id)
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates.length).toBeLessThan(5)
    for (const c of clients.splice(0)) c.provider.destroy()
    await app.close()
    const again = await startServer({ dataDir })
    const fresh = client(again.url, board.id, board.tokens.observer)
    await fresh.synced
    expect(listCards(fresh.doc).map((card) => card.fields.doel)).toEqual(['1200 woningen'])
    expect(Y.encodeStateAsUpdate(fresh.doc)).toEqual(Y.encodeStateAsUpdate(watcher.doc))
    await again.close()
  })

  it('[D7] hand-made hostile updates sent while a compaction is being written are refused, and the snapshot and log keep every honest edit', async () => {
    const dataDir = tempDir()
    const gated = new GatedStore(SqliteStore.open(dataDir))
    const app = await startServer({ dataDir, compactEvery: 5 }, gated)
    const board = await createBoard(app.url, 'blank')
    const writer = client(app.url, board.id, board.tokens.participant)
    const watcher = client(app.url, board.id, board.tokens.observer)
    await Promise.all([writer.synced, watcher.synced])
    gated.holdCompaction()
    const id = createCard(writer.doc, { fields: { actie: 'Woonakkoord' } })
    for (let i = 1; i <= 6; i++) setText(writer.doc, id, 'doel', `${i * 100} woningen`)
    await gated.compactionWaiting()
    // Not from the web client: a delete of everything the writer will type next, and a clock gap.
    const raw = new RawClient(app.url, board.id, board.tokens.facilitator)
    await raw.opened
    const next = Y.getState(writer.doc.store, writer.doc.clientID)
    raw.send(asUpdate(update([], [[writer.doc.clientID, next, 1_000_000]])))
    raw.send(asUpdate(update([{ client: unknownClient(), clock: 1e6, structs: [{ text: 'x' }] }])))
    await raw.roundTrip() // handled, and the server still answers
    for (let i = 7; i <= 12; i++) setText(writer.doc, id, 'doel', `${i * 100} woningen`)
    await untilDoc(watcher.doc, () => listCards(watcher.doc)[0]?.fields.doel === '1200 woningen')
    gated.releaseCompaction()
    await (await app.rooms.loaded(board.id))?.idle()
    raw.close()
    for (const c of clients.splice(0)) c.provider.destroy()
    await app.close()
    const again = await startServer({ dataDir })
    const fresh = client(again.url, board.id, board.tokens.observer)
    await fresh.synced
    expect(listCards(fresh.doc).map((card) => card.fields.doel)).toEqual(['1200 woningen'])
    expect(Y.encodeStateAsUpdate(fresh.doc)).toEqual(Y.encodeStateAsUpdate(watcher.doc))
    await again.close()
  })
})

/** A real store whose appends can be held back, to observe what happens before an update is durable. */
class GatedStore implements BoardStore {
  private gate: Promise<void> | null = null
  private open: (() => void) | null = null
  private arrived: (() => void) | null = null
  private arrival: Promise<void> = Promise.resolve()

  constructor(private readonly inner: BoardStore) {}

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve
    })
    this.arrival = new Promise((resolve) => {
      this.arrived = resolve
    })
  }

  waiting(): Promise<void> {
    return this.arrival
  }

  release(): void {
    this.open?.()
    this.gate = null
  }

  async append(entries: readonly AppendEntry[]): Promise<number[]> {
    if (this.gate) {
      this.arrived?.()
      await this.gate
    }
    return this.inner.append(entries)
  }

  createBoard: BoardStore['createBoard'] = (board, update) => this.inner.createBoard(board, update)
  getBoard: BoardStore['getBoard'] = (id) => this.inner.getBoard(id)
  load: BoardStore['load'] = (id) => this.inner.load(id)
  private compactionGate: Promise<void> | null = null
  private openCompaction: (() => void) | null = null
  private compactionArrived: (() => void) | null = null
  private compactionArrival: Promise<void> = Promise.resolve()
  /** Compactions asked for so far, and the most that were being written at once. */
  compactions = 0
  mostAtOnce = 0
  private compactingNow = 0

  /** Holds compactions back (before they are written) until releaseCompaction. */
  holdCompaction(): void {
    this.compactionGate = new Promise((resolve) => {
      this.openCompaction = resolve
    })
    this.compactionArrival = new Promise((resolve) => {
      this.compactionArrived = resolve
    })
  }

  compactionWaiting(): Promise<void> {
    return this.compactionArrival
  }

  releaseCompaction(): void {
    this.openCompaction?.()
    this.compactionGate = null
  }

  async compact(id: string, snapshot: Uint8Array, upTo: number): Promise<void> {
    this.compactions++
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.compactingNow)
    try {
      if (this.compactionGate) {
        this.compactionArrived?.()
        await this.compactionGate
      }
      await this.inner.compact(id, snapshot, upTo)
    } finally {
      this.compactingNow--
    }
  }
  close: BoardStore['close'] = () => this.inner.close()
  castVote: BoardStore['castVote'] = (...args) => this.inner.castVote(...args)
  votesOf: BoardStore['votesOf'] = (...args) => this.inner.votesOf(...args)
  voteTotals: BoardStore['voteTotals'] = (...args) => this.inner.voteTotals(...args)
  voterCount: BoardStore['voterCount'] = (...args) => this.inner.voterCount(...args)
  setTokenHash: BoardStore['setTokenHash'] = (...args) => this.inner.setTokenHash(...args)
  moveVotes: BoardStore['moveVotes'] = (...args) => this.inner.moveVotes(...args)
  addInvitations: BoardStore['addInvitations'] = (...args) => this.inner.addInvitations(...args)
  invitations: BoardStore['invitations'] = (...args) => this.inner.invitations(...args)
  invitationByTokenHash: BoardStore['invitationByTokenHash'] = (...args) =>
    this.inner.invitationByTokenHash(...args)
  markInvitationJoined: BoardStore['markInvitationJoined'] = (...args) =>
    this.inner.markInvitationJoined(...args)
  revokeInvitation: BoardStore['revokeInvitation'] = (...args) => this.inner.revokeInvitation(...args)
  sharedLinkEnabled: BoardStore['sharedLinkEnabled'] = (...args) => this.inner.sharedLinkEnabled(...args)
  setSharedLinkEnabled: BoardStore['setSharedLinkEnabled'] = (...args) =>
    this.inner.setSharedLinkEnabled(...args)
  deleteBoard: BoardStore['deleteBoard'] = (...args) => this.inner.deleteBoard(...args)
  lastActivity: BoardStore['lastActivity'] = (...args) => this.inner.lastActivity(...args)
  touchBoard: BoardStore['touchBoard'] = (...args) => this.inner.touchBoard(...args)
  inactiveBoards: BoardStore['inactiveBoards'] = (...args) => this.inner.inactiveBoards(...args)
  saveTemplate: BoardStore['saveTemplate'] = (...args) => this.inner.saveTemplate(...args)
  listTemplates: BoardStore['listTemplates'] = () => this.inner.listTemplates()
  getTemplate: BoardStore['getTemplate'] = (...args) => this.inner.getTemplate(...args)
  deleteTemplate: BoardStore['deleteTemplate'] = (...args) => this.inner.deleteTemplate(...args)
}
