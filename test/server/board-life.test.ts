import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCard, deleteCard, moveCard } from '../../model/cards.js'
import { readObserverExportNames, setObserverExportNames } from '../../model/privacy.js'
import { listCards, readCard } from '../../model/read.js'
import type { App } from '../../server/app.js'
import { projectRoot } from '../../server/paths.js'
import { backup } from '../../server/storage/backup.js'
import { DAY_MS } from '../../server/storage/retention.js'
import { SqliteStore } from '../../server/storage/sqlite-store.js'
import { connectClient, nextCloseCode, type TestClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer, tempDir } from '../helpers/server.js'
import { once, untilDoc } from '../helpers/wait.js'

const apps: App[] = []
const clients: TestClient[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const app of apps.splice(0)) await app.close()
})

async function server(...args: Parameters<typeof startServer>) {
  const app = await startServer(...args)
  apps.push(app)
  return app
}

function client(app: App, board: BoardInfo, role: keyof BoardInfo['tokens']): TestClient {
  const c = connectClient(app.url, board.id, board.tokens[role])
  clients.push(c)
  return c
}

const api = (app: App, board: BoardInfo, token: string, route = '', init: RequestInit = {}) =>
  fetch(`${app.url}/api/boards/${board.id}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
  })

/** Every file of the data folder (database, WAL, shared memory, backups …) holds `text` as raw bytes? */
function filesHolding(dir: string, text: string): string[] {
  const needle = Buffer.from(text, 'utf8')
  const found: string[] = []
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    if (fs.readFileSync(file).includes(needle)) found.push(path.relative(dir, file))
  }
  return found
}

/** A board with cards (one soft-deleted, one moved by a named facilitator) and a vote. */
async function fillBoard(app: App, board: BoardInfo, marker: string): Promise<void> {
  const facilitator = client(app, board, 'facilitator')
  const observer = client(app, board, 'observer')
  await Promise.all([facilitator.synced, observer.synced])
  const name = `Mover${marker}`
  facilitator.provider.awareness.setLocalStateField('user', { name, color: '#2b5fa8' })
  // The server knows the name once it relayed it: then it names the mover.
  await once(observer.provider.awareness as never, 'change', () =>
    [...observer.provider.awareness.getStates().values()].some((state) => state.user?.name === name),
  )
  const ids: string[] = []
  for (let i = 0; i < 40; i++)
    ids.push(createCard(facilitator.doc, { fields: { actie: `${marker} kaart ${i}` } }))
  deleteCard(facilitator.doc, ids[0] as string)
  moveCard(facilitator.doc, ids[1] as string, 'shortlist')
  await untilDoc(observer.doc, () => readCard(observer.doc, ids[1] as string)?.moved?.by === name)
  const vote = await api(app, board, board.tokens.facilitator, '/votes', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-werkbord-voter': `voter-${marker}-0123456789` },
    body: JSON.stringify({ cardId: ids[2], delta: 1 }),
  })
  expect([200, 409]).toContain(vote.status) // 409 outside the phase Stemmen: a vote is not needed here
}

describe("a board's whole life: DELETE /api/boards/:id", () => {
  it('[DL3] only the facilitator deletes; afterwards every link is refused over HTTP and WebSocket', async () => {
    const app = await server()
    const board = await createBoard(app.url)
    expect((await api(app, board, board.tokens.participant, '', { method: 'DELETE' })).status).toBe(403)
    expect((await api(app, board, board.tokens.observer, '', { method: 'DELETE' })).status).toBe(403)
    const res = await api(app, board, board.tokens.facilitator, '', { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ deleted: board.id, disconnected: 0 })
    for (const token of Object.values(board.tokens)) {
      for (const route of ['', '/export', '/retention', '/connections']) {
        expect([route, (await api(app, board, token, route)).status]).toEqual([route, 401])
      }
      expect((await api(app, board, token, '', { method: 'DELETE' })).status).toBe(401)
      const late = connectClient(app.url, board.id, token)
      clients.push(late)
      expect(await nextCloseCode(late.provider)).toBe(4401)
    }
  })

  it('[DL4] connected clients of every role are closed with 4410 and the room is unloaded', async () => {
    const app = await server()
    const board = await createBoard(app.url)
    const connected = (['facilitator', 'participant', 'observer'] as const).map((role) =>
      client(app, board, role),
    )
    await Promise.all(connected.map((c) => c.synced))
    const closed = connected.map((c) => nextCloseCode(c.provider))
    const res = await api(app, board, board.tokens.facilitator, '', { method: 'DELETE' })
    expect(await res.json()).toEqual({ deleted: board.id, disconnected: 3 })
    expect(await Promise.all(closed)).toEqual([4410, 4410, 4410])
    await app.rooms.idle()
    expect(app.rooms.loadedCount).toBe(0)
    expect(await app.store.load(board.id)).toEqual({ snapshot: null, updates: [] })
  })

  it('[DL5] afterwards the data folder (backups included) holds none of the board’s text or names; other boards keep theirs; a restored older backup does not bring it back', async () => {
    const app = await server()
    const gone = await createBoard(app.url, 'blank', 'Titel-WEG-7f3a')
    const kept = await createBoard(app.url, 'blank', 'Titel-BLIJFT-7f3a')
    await fillBoard(app, gone, 'WEG7f3a')
    await fillBoard(app, kept, 'BLIJFT7f3a')
    await app.rooms.settled()
    // A backup in the data folder (npm run backup's default place) and one kept elsewhere.
    await backup(app.dataDir, path.join(app.dataDir, 'backups', 'werkbord-voor.sqlite'))
    const elsewhere = path.join(tempDir(), 'werkbord.sqlite')
    await backup(app.dataDir, elsewhere)
    // Before: the same search finds the text (so the search can fail).
    for (const text of ['WEG7f3a kaart 0', 'WEG7f3a kaart 39', 'MoverWEG7f3a', 'Titel-WEG-7f3a', gone.id]) {
      expect([text, filesHolding(app.dataDir, text).length > 0]).toEqual([text, true])
    }
    await api(app, gone, gone.tokens.facilitator, '', { method: 'DELETE' })
    for (const c of clients.splice(0)) c.destroy()
    await app.rooms.idle()
    for (const text of ['WEG7f3a', 'Titel-WEG-7f3a']) {
      expect([text, filesHolding(app.dataDir, text)]).toEqual([text, []])
    }
    // The id alone stays, in the list that keeps a restored backup from bringing the board back.
    expect(filesHolding(app.dataDir, gone.id)).toEqual(['deleted-boards.txt'])
    await app.close()
    apps.splice(0)
    for (const text of ['WEG7f3a', 'Titel-WEG-7f3a']) {
      expect([text, filesHolding(app.dataDir, text)]).toEqual([text, []])
    }
    // The id alone stays, in the list that keeps a restored backup from bringing the board back.
    expect(filesHolding(app.dataDir, gone.id)).toEqual(['deleted-boards.txt'])
    expect(filesHolding(app.dataDir, 'BLIJFT7f3a kaart 39').length).toBeGreaterThan(0)
    expect(filesHolding(path.join(app.dataDir, 'backups'), 'BLIJFT7f3a kaart 39')).toEqual([
      'werkbord-voor.sqlite',
    ])
    // The backup kept elsewhere is restored (README: stop, put it in place, start): the deleted board
    // does not come back; the kept board is whole.
    fs.rmSync(path.join(app.dataDir, 'werkbord.sqlite'))
    fs.copyFileSync(elsewhere, path.join(app.dataDir, 'werkbord.sqlite'))
    const again = await server({ dataDir: app.dataDir })
    expect((await api(again, gone, gone.tokens.facilitator)).status).toBe(401)
    const reader = client(again, kept, 'observer')
    await reader.synced
    expect(listCards(reader.doc)).toHaveLength(39)
    expect(filesHolding(app.dataDir, 'WEG7f3a')).toEqual([])
  })
})

describe("a board's whole life: retention (RETENTION_DAYS)", () => {
  it('[RT3] a board without activity for RETENTION_DAYS is deleted by the sweep, not a day before; clients get 4410', async () => {
    let now = Date.now()
    const app = await server({ retentionDays: 30 }, undefined, { now: () => now })
    const idle = await createBoard(app.url)
    const busy = await createBoard(app.url)
    const watcher = client(app, idle, 'observer')
    await watcher.synced
    const status = await (await api(app, idle, idle.tokens.facilitator, '/retention')).json()
    expect(status.retentionDays).toBe(30)
    const deleteAfter = Date.parse(status.deleteAfter)
    expect(deleteAfter - Date.parse(status.lastActivity)).toBe(30 * DAY_MS)

    now += 29 * DAY_MS
    expect(await app.retention.sweep()).toEqual([])
    // Activity on the busy board: an update appended (at the store's own clock, which did not move).
    const writer = client(app, busy, 'participant')
    await writer.synced
    createCard(writer.doc, { fields: { actie: 'nog bezig' } })
    await untilDoc(writer.doc, () => listCards(writer.doc).length === 1)
    await app.rooms.settled()

    now = deleteAfter + 1
    const closed = nextCloseCode(watcher.provider)
    expect(await app.retention.sweep()).toEqual([idle.id, busy.id].filter((id) => id === idle.id))
    expect(await closed).toBe(4410)
    expect((await api(app, idle, idle.tokens.facilitator)).status).toBe(401)
    expect((await api(app, busy, busy.tokens.facilitator)).status).toBe(200)
  })

  it('[RT4] the facilitator postpones: the period starts again; others may not see or postpone', async () => {
    let now = Date.now()
    const app = await server({ retentionDays: 30 }, undefined, { now: () => now })
    const board = await createBoard(app.url)
    for (const role of ['participant', 'observer'] as const) {
      expect((await api(app, board, board.tokens[role], '/retention')).status).toBe(403)
      expect((await api(app, board, board.tokens[role], '/retention', { method: 'POST' })).status).toBe(403)
    }
    now += 25 * DAY_MS
    const res = await api(app, board, board.tokens.facilitator, '/retention', { method: 'POST' })
    expect(res.status).toBe(200)
    const status = await res.json()
    expect(Date.parse(status.lastActivity)).toBe(now)
    expect(Date.parse(status.deleteAfter)).toBe(now + 30 * DAY_MS)
    now += 29 * DAY_MS
    expect(await app.retention.sweep()).toEqual([])
    expect((await app.retention.expired()).map((b) => b.id)).toEqual([])
    now += 2 * DAY_MS
    // The operator's dry run lists it and deletes nothing.
    expect((await app.retention.expired()).map((b) => b.id)).toEqual([board.id])
    expect((await api(app, board, board.tokens.facilitator)).status).toBe(200)
    expect(await app.retention.sweep()).toEqual([board.id])
    expect((await api(app, board, board.tokens.facilitator)).status).toBe(401)
  })

  it('[RT5] RETENTION_DAYS=0: nothing is ever deleted and no date is shown', async () => {
    let now = Date.now()
    const app = await server({ retentionDays: 0 }, undefined, { now: () => now })
    const board = await createBoard(app.url)
    now += 10_000 * DAY_MS
    expect(await app.retention.sweep()).toEqual([])
    const status = await (await api(app, board, board.tokens.facilitator, '/retention')).json()
    expect(status).toMatchObject({ retentionDays: 0, deleteAfter: null })
  })
})

describe("a board's whole life: observers' exports", () => {
  it('[PV1] observers’ exports leave out who moved a card unless the facilitator allows names; others always see them', async () => {
    const app = await server()
    const board = await createBoard(app.url)
    await fillBoard(app, board, 'NAAM')
    const moverOf = async (token: string) => {
      const res = await api(app, board, token, '/export?format=json&lane=shortlist')
      const exported = (await res.json()) as { cards: { selection?: { by: string | null } }[] }
      return exported.cards.map((card) => card.selection?.by)
    }
    const csv = async (token: string) => (await api(app, board, token, '/export?format=csv&lane=all')).text()
    expect(await moverOf(board.tokens.facilitator)).toEqual(['MoverNAAM'])
    expect(await moverOf(board.tokens.participant)).toEqual(['MoverNAAM'])
    expect(await moverOf(board.tokens.observer)).toEqual([null])
    expect(await csv(board.tokens.observer)).not.toContain('MoverNAAM')
    // Only the facilitator can allow it (a participant's meta change is refused by the rules).
    const facilitator = clients[0] as TestClient
    setObserverExportNames(facilitator.doc, true)
    await untilDoc((clients[1] as TestClient).doc, () =>
      readObserverExportNames((clients[1] as TestClient).doc),
    )
    expect(await moverOf(board.tokens.observer)).toEqual(['MoverNAAM'])
    expect(await csv(board.tokens.observer)).toContain('MoverNAAM')
    const participant = client(app, board, 'participant')
    await participant.synced
    const refused = nextCloseCode(participant.provider)
    setObserverExportNames(participant.doc, false)
    expect(await refused).toBe(4403)
    expect(await moverOf(board.tokens.observer)).toEqual(['MoverNAAM'])
  })
})

describe("a board's whole life: the operator's list", () => {
  it('[RT6] npm run retention -- --dry-run lists the boards past RETENTION_DAYS and deletes nothing; --delete deletes them', async () => {
    const dataDir = tempDir()
    const store = SqliteStore.open(dataDir)
    const hashes = { facilitator: 'f', participant: 'p', observer: 'o' }
    const old = Date.now() - 200 * DAY_MS
    await store.createBoard({ id: 'oudbord', createdAt: old, tokenHashes: hashes }, new Uint8Array([0, 0]))
    await store.createBoard(
      { id: 'nieuwbord', createdAt: Date.now(), tokenHashes: hashes },
      new Uint8Array([0, 0]),
    )
    await store.close()
    const run = (...args: string[]) =>
      execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(projectRoot, 'server/retention-main.ts'), ...args],
        {
          cwd: projectRoot,
          env: { ...process.env, DATA_DIR: dataDir, RETENTION_DAYS: '180', DATABASE_URL: '' },
          encoding: 'utf8',
        },
      )
    const listed = run('--dry-run')
    expect(listed).toContain('1 board(s) without activity for 180 days')
    expect(listed).toContain(`oudbord\tlast active ${new Date(old).toISOString()}`)
    expect(listed).not.toContain('nieuwbord')
    const reopened = SqliteStore.open(dataDir)
    expect(await reopened.getBoard('oudbord')).toBeDefined()
    await reopened.close()
    expect(run('--delete')).toContain('oudbord')
    const after = SqliteStore.open(dataDir)
    expect(await after.getBoard('oudbord')).toBeUndefined()
    expect(await after.getBoard('nieuwbord')).toBeDefined()
    await after.close()
  }, 60_000)
})
