import path from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createCard } from '../../model/cards.js'
import { listCards } from '../../model/read.js'
import { backup } from '../../server/backup.js'
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
})
