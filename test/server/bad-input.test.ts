import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { createCard } from '../../model/cards.js'
import { readCard } from '../../model/read.js'
import type { App } from '../../server/app.js'
import { syncMessage } from '../../server/realtime/protocol.js'
import { connectClient, type TestClient } from '../helpers/clients.js'
import { type BoardInfo, createBoard, startServer } from '../helpers/server.js'
import { upgradeRequest } from '../helpers/upgrade.js'
import { untilDoc } from '../helpers/wait.js'

const MAX = 64 * 1024
let app: App
let board: BoardInfo
let honestA: TestClient
let honestB: TestClient

beforeAll(async () => {
  app = await startServer({ maxMessageBytes: MAX })
  board = await createBoard(app.url, 'blank')
  honestA = connectClient(app.url, board.id, board.tokens.participant)
  honestB = connectClient(app.url, board.id, board.tokens.participant)
  await Promise.all([honestA.synced, honestB.synced])
})
afterAll(async () => {
  honestA.destroy()
  honestB.destroy()
  await app.close()
})

/** Opens a raw socket to the board, sends `payload`, and resolves with the close code. */
async function sendAndClose(payload: Buffer | string, binary = true): Promise<number> {
  const ws = new WebSocket(
    `${app.url.replace('http', 'ws')}/sync/${board.id}?token=${board.tokens.participant}`,
  )
  ws.on('error', () => {})
  await new Promise((resolve) => ws.once('open', resolve))
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
  ws.send(payload, { binary })
  return closed
}

/** The server is up, and the two honest clients still exchange an edit. */
async function stillHealthy(label: string): Promise<void> {
  const id = createCard(honestA.doc, { fields: { actie: label } })
  await untilDoc(honestB.doc, () => readCard(honestB.doc, id)?.fields.actie === label, 2000, label)
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
}

describe('bad input closes only the offending connection', () => {
  it('[B1] random binary garbage → 4400', async () => {
    expect(await sendAndClose(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))).toBe(4400)
    expect(await sendAndClose(Buffer.from([0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toBe(4400)
    await stillHealthy('na rommel')
  })

  it('[B2] text frames, also numeric ones like "-1", "Infinity", "1e10" → 4400', async () => {
    for (const text of ['-1', 'Infinity', '1e10', 'hallo']) expect(await sendAndClose(text, false)).toBe(4400)
    await stillHealthy('na tekstframes')
  })

  it('[B3] unknown message types, truncated and trailing bytes → 4400', async () => {
    expect(await sendAndClose(Buffer.from([7]))).toBe(4400)
    expect(await sendAndClose(Buffer.from([0, 9, 0]))).toBe(4400)
    expect(await sendAndClose(Buffer.from([0, 2, 10, 1, 2]))).toBe(4400)
    expect(
      await sendAndClose(Buffer.concat([Buffer.from(syncMessage(0, new Uint8Array([0]))), Buffer.from([1])])),
    ).toBe(4400)
    await stillHealthy('na afgekapt')
  })

  it('[B4] a corrupt Yjs update inside a valid frame → 4400, and it is never stored', async () => {
    const before = (await app.store.load(board.id)).updates.length
    const corrupt = new Uint8Array([1, 1, 200, 1, 0, 0xff, 0xff, 0xff, 3, 4, 5])
    expect(await sendAndClose(Buffer.from(syncMessage(2, corrupt)))).toBe(4400)
    await stillHealthy('na corrupte update')
    const stored = await app.store.load(board.id)
    const doc = new Y.Doc()
    for (const { update } of stored.updates.slice(before)) Y.applyUpdate(doc, update) // all stored updates apply
    expect(stored.updates.length).toBe(before + 1) // only the honest card
  })

  it('[B5] an oversize message → 1009', async () => {
    expect(await sendAndClose(Buffer.alloc(MAX + 1, 1))).toBe(1009)
    await stillHealthy('na te groot')
  })

  it('[B6] WebSocket protocol violations close only that socket', async () => {
    const frames = [
      Buffer.from([0x83, 0x80, 0, 0, 0, 0]), // reserved opcode 3
      Buffer.from([0xc2, 0x80, 0, 0, 0, 0]), // RSV1 without an extension
      Buffer.concat([Buffer.from([0x89, 0xfe, 0x00, 0xc8, 0, 0, 0, 0]), Buffer.alloc(200)]), // ping > 125 bytes
      Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe7]), // close with invalid code 999
      Buffer.from([0x80, 0x80, 0, 0, 0, 0]), // continuation without a start
    ]
    for (const frame of frames) await rawFrame(frame)
    await stillHealthy('na protocolfouten')
  })

  it('[B7] upgrades to other paths and garbage HTTP are refused without harm', async () => {
    const res = await fetch(`${app.url}/sync/${'x'.repeat(100_000)}?token=abc`)
    expect(res.status).toBe(431)
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(new URL(app.url).port), '127.0.0.1', () =>
        socket.end('GARBAGE\r\n\r\n'),
      )
      socket.on('close', () => resolve())
      socket.on('error', () => resolve())
      socket.resume()
    })
    await stillHealthy('na http-rommel')
  })
})

/** Completes a WebSocket handshake on a raw TCP socket, writes `frame`, and waits until the server hangs up. */
function rawFrame(frame: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(app.url)
    const socket = net.connect(Number(port), '127.0.0.1')
    let upgraded = false
    socket.on('data', (data) => {
      if (!upgraded && data.toString('latin1').startsWith('HTTP/1.1 101')) {
        upgraded = true
        socket.write(frame)
      }
    })
    socket.on('close', () => (upgraded ? resolve() : reject(new Error('no upgrade'))))
    socket.on('error', () => {})
    socket.write(upgradeRequest(port, `/sync/${board.id}?token=${board.tokens.participant}`))
  })
}
