import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCard } from '../../model/cards.js'
import { readCard } from '../../model/read.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { upgradeRequest } from '../helpers/upgrade.js'
import { once, untilDoc } from '../helpers/wait.js'
import { assertHealthy, figure, type Honest, heapMiB, honestPair } from './helpers.js'

/**
 * A socket that never reads while others edit. MAX_BUFFERED_BYTES is set to 256 KiB here (default
 * 32 MiB): once that much waits for the socket on top of what the kernel holds, the server cuts it off.
 * The byte rate limit is off so that the honest writer can push 12 MB quickly. Bounds: the slow socket
 * is cut off before the honest clients have exchanged 12 MB; memory (heap and buffers) grows by less
 * than 32 MiB.
 */
const MAX_BUFFERED = 256 * 1024

let app: Awaited<ReturnType<typeof startServer>>
let board: BoardInfo
let honest: Honest

beforeAll(async () => {
  app = await startServer({ maxBufferedBytes: MAX_BUFFERED, rateLimitBytes: 0 })
  board = await createBoard(app.url, 'blank')
  honest = await honestPair(app, board)
})
afterAll(async () => {
  honest.destroy()
  await app.close()
})

async function connections(): Promise<number> {
  return ((await (await fetch(`${app.url}/healthz`)).json()) as { connections: number }).connections
}

function memoryMiB(): number {
  heapMiB() // collects garbage
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return (heapUsed + arrayBuffers) / 2 ** 20
}

describe('slow consumer', () => {
  it('[H22] a socket that never reads is cut off once its queue passes the limit; others carry on', async () => {
    const memory = memoryMiB()
    const port = Number(new URL(app.url).port)
    const slow = net.connect(port, '127.0.0.1')
    slow.on('error', () => {})
    await once(slow as never, 'connect')
    const answered = once(slow as never, 'data')
    slow.write(upgradeRequest(port, `/sync/${board.id}?token=${board.tokens.observer}`))
    await answered
    slow.pause() // and never reads again
    expect(await connections()).toBe(3)

    // Honest A writes 60 cards of 200 kB; after each, B has it and we look whether the slow one is gone.
    let cutAfter = -1
    for (let i = 0; i < 60 && cutAfter < 0; i++) {
      const id = createCard(honest.a.doc, { fields: { actie: `${i} ${'w'.repeat(200_000)}` } })
      await untilDoc(honest.b.doc, () => readCard(honest.b.doc, id) !== undefined, 2000, `kaart ${i}`)
      if ((await connections()) === 2) cutAfter = i
    }
    figure('slow socket cut off after 200 kB cards', cutAfter + 1)
    expect(cutAfter).toBeGreaterThanOrEqual(0)
    expect(memoryMiB() - memory).toBeLessThan(32)
    slow.destroy()
    await assertHealthy(app, board, honest, 'na trage lezer')
  })
})
