import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard } from '../../model/cards.js'
import { listCards } from '../../model/read.js'
import { backup } from '../../server/storage/backup.js'
import { connectClient } from '../helpers/clients.js'
import { createBoard, startServer, tempDir } from '../helpers/server.js'
import { untilDoc } from '../helpers/wait.js'

describe('backup', () => {
  it('[BK1] copies the database online, and a server started on the copy has every card', async () => {
    const app = await startServer()
    const board = await createBoard(app.url, 'blank')
    const writer = connectClient(app.url, board.id, board.tokens.participant)
    await writer.synced
    for (let i = 1; i <= 30; i++) createCard(writer.doc, { fields: { actie: `actie ${i}` } })
    const watcher = connectClient(app.url, board.id, board.tokens.observer)
    await watcher.synced
    await untilDoc(watcher.doc, () => listCards(watcher.doc).length === 30)

    const restoreDir = tempDir()
    const { pages } = await backup(app.dataDir, path.join(restoreDir, 'werkbord.sqlite'))
    expect(pages).toBeGreaterThan(0)
    // The server keeps accepting edits while and after the copy is made.
    createCard(writer.doc, { fields: { actie: 'na de back-up' } })
    await untilDoc(watcher.doc, () => listCards(watcher.doc).length === 31)
    writer.destroy()
    watcher.destroy()
    await app.close()

    const restored = await startServer({ dataDir: restoreDir })
    const reader = connectClient(restored.url, board.id, board.tokens.observer, new Y.Doc())
    await reader.synced
    expect(listCards(reader.doc).map((card) => card.fields.actie)).toEqual(
      Array.from({ length: 30 }, (_, i) => `actie ${i + 1}`),
    )
    reader.destroy()
    await restored.close()
  })

  it('[BK2] a missing database is a clear error', async () => {
    await expect(backup(tempDir(), path.join(tempDir(), 'x.sqlite'))).rejects.toThrow(/No database at/)
  })

  it('[SF4] the database, its WAL and the backup are readable by the server’s own user only (0600)', async () => {
    const dataDir = path.join(tempDir(), 'data')
    const app = await startServer({ dataDir })
    const board = await createBoard(app.url, 'blank')
    const writer = connectClient(app.url, board.id, board.tokens.participant)
    await writer.synced
    createCard(writer.doc, { fields: { actie: 'geheim' } })
    await untilDoc(writer.doc, () => listCards(writer.doc).length === 1)
    const target = path.join(dataDir, 'backups', 'werkbord-test.sqlite')
    await backup(dataDir, target)
    const mode = (file: string) => fs.statSync(file).mode & 0o777
    expect(mode(dataDir)).toBe(0o700)
    for (const name of ['werkbord.sqlite', 'werkbord.sqlite-wal', 'werkbord.sqlite-shm']) {
      expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600])
    }
    expect(mode(target)).toBe(0o600)
    expect(mode(path.dirname(target))).toBe(0o700)
    writer.destroy()
    await app.close()
  })

  it('[SF5] files of an older install are narrowed to 0600 when the server opens them', async () => {
    const dataDir = tempDir()
    const first = await startServer({ dataDir })
    await first.close()
    fs.chmodSync(path.join(dataDir, 'werkbord.sqlite'), 0o644)
    const second = await startServer({ dataDir })
    expect(fs.statSync(path.join(dataDir, 'werkbord.sqlite')).mode & 0o777).toBe(0o600)
    await second.close()
  })
})
